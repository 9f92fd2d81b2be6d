"""What no export holds, whatever its kind or format: private notes, self-assessments, individual
check-in answers, intake answers, the pair's own words (pairing note, closing reason) and
demographics. Each secret is planted, every kind is exported by the org admin (who may export
them all), and the files are searched."""

import datetime
import io
import zipfile

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from mentora.checkins import selectors as checkin_selectors
from mentora.checkins import services as checkin_services
from mentora.checkins.models import CheckinSchedule
from mentora.notes.services import note_create
from mentora.programs.models import Enrolment, IntakeAnswer
from mentora.relationships.models import Relationship
from mentora.reports import files
from mentora.reports.selectors import KINDS
from tests.factories import DemographicProfileFactory, SelfAssessmentFactory
from tests.programs.factories import IntakeQuestionFactory
from tests.reports.conftest import built

SECRETS = {
    "private note": "SECRET-PRIVATE-NOTE",
    "shared note": "SECRET-SHARED-NOTE",
    "self-assessment": "SECRET-SELF-ASSESSMENT",
    "demographics": "SECRET-ETHNICITY",
    "check-in blocker": "SECRET-BLOCKER",
    "intake answer": "SECRET-INTAKE",
    "pairing note": "SECRET-PAIRING-NOTE",
    "closing reason": "SECRET-CLOSING-REASON",
}


@pytest.fixture
def secrets(program, relationship, other_relationship, alice, bob):
    note_create(relationship=relationship, person=alice, visibility="private", body=SECRETS["private note"])
    note_create(relationship=relationship, person=bob, visibility="shared", body=SECRETS["shared note"])
    SelfAssessmentFactory(person=alice, reflection=SECRETS["self-assessment"])
    DemographicProfileFactory(person=alice, ethnicity=SECRETS["demographics"])
    question = IntakeQuestionFactory(program=program, prompt="What worries you?")
    IntakeAnswer.objects.create(
        enrolment=Enrolment.objects.get(program=program, person=alice),
        question=question,
        value=SECRETS["intake answer"],
    )
    Relationship.objects.filter(pk=relationship.pk).update(
        note=SECRETS["pairing note"],
        end_reason=SECRETS["closing reason"],
        started_at=timezone.now() - datetime.timedelta(days=40),
    )
    CheckinSchedule.objects.create(program=program, silent_after_weeks=12, overdue_after_days=60)
    checkin_services.checkins_issue_due(today=timezone.localdate())
    checkin = checkin_selectors.checkins_pending_for(person=alice)[0]
    checkin_services.checkin_answer(
        checkin=checkin,
        person=alice,
        usefulness=2,
        meeting_frequency="monthly",
        blockers=SECRETS["check-in blocker"],
    )
    return SECRETS


def text_of(export) -> str:
    content = bytes(export.content)
    if export.file_format == "xlsx":
        workbook = load_workbook(io.BytesIO(content))
        return "\n".join(
            str(cell.value) for sheet in workbook for row in sheet.iter_rows() for cell in row if cell.value
        )
    if export.content_type == "application/zip":
        archive = zipfile.ZipFile(io.BytesIO(content))
        return "\n".join(archive.read(name).decode("utf-8-sig") for name in archive.namelist())
    return content.decode("utf-8-sig")


CASES = [
    (key, file_format) for key, kind in KINDS.items() for file_format in kind.formats if file_format != "pdf"
]


@pytest.mark.parametrize(("kind", "file_format"), CASES)
def test_no_export_holds_private_content(olga, program, secrets, kind, file_format):
    export = built(olga, kind, file_format, program if KINDS[kind].per_program else None)

    assert export.status == "done", export.error_code
    text = text_of(export)
    assert [name for name, secret in secrets.items() if secret in text] == []


def test_the_pdf_report_holds_no_private_content(olga, program, relationship, secrets, monkeypatch):
    rendered = []
    render = files.render_to_string

    def keep(template, context):
        rendered.append(render(template, context))
        return rendered[-1]

    monkeypatch.setattr(files, "render_to_string", keep)

    export = built(olga, "program_report", "pdf", program)

    assert export.status == "done" and len(rendered) == 1
    assert "Program P" in rendered[0] and "<table" in rendered[0] and '<svg class="chart' in rendered[0]
    assert [name for name, secret in secrets.items() if secret in rendered[0]] == []


def test_the_exports_do_hold_what_they_are_for(olga, program, secrets):
    """The search above would pass on empty files: the same exports hold the pair and the people."""
    relationships = text_of(built(olga, "relationships", "csv", program))
    people = text_of(built(olga, "people", "xlsx"))

    assert "Bob Baker" in relationships and "Alice Archer" in relationships
    assert "Alice Archer" in people and "Olga Owner" in people
