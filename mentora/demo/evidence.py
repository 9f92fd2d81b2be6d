"""The demo's evidence: what a manager's first read of each dashboard would publish (the check-ins'
closed months and the first fairness snapshot), so every chart of the demo programs shows figures
at once. The pairs' history itself (meetings, goals, check-ins, sponsorship) is `demo/programs.py`'s."""

from django.utils import timezone

from mentora.checkins.services import checkin_periods_publish
from mentora.evidence.services import fairness_snapshot_refresh
from mentora.organisations.models import Organisation
from mentora.programs.models import Program


def demo_evidence_load(*, organisation: Organisation) -> None:
    now = timezone.now()
    for program in Program.objects.filter(organisation=organisation).order_by("pk"):
        checkin_periods_publish(program=program, now=now)
        fairness_snapshot_refresh(program=program, now=now)
