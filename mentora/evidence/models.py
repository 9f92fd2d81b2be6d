"""What the dashboards keep: the published figures of the private fairness groupings.

A figure by consented demographic group or by under-sponsored mentees could be read before and
after one person joins, leaves or edits their profile, and the difference would tell that person's
group. So those figures are published as snapshots (`services.fairness_snapshot_refresh`): a new
one only when the program's mentees changed by at least MIN_AGGREGATE_GROUP people since the last
(`core.privacy.membership_changed_enough`), never updated afterwards. The dashboard shows the latest
and the series of them is the fairness view over time.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation
from mentora.programs.models import Program


class FairnessSnapshot(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="fairness_snapshots")
    taken_at = models.DateTimeField(_("taken at"))
    # The approved mentees the figures cover, as sorted person ids: the next snapshot is compared
    # with them. Ids only: no name, no group.
    members = models.JSONField(_("mentees covered"), default=list)
    # {grouping: [[group label, mentees, matched, on_track] or [group label, None, None, None]]},
    # cells under the minimum group already withheld (core.privacy.hidden_cells).
    figures = models.JSONField(_("figures"), default=dict)

    class Meta:
        ordering = ["program", "taken_at"]
        verbose_name = _("fairness snapshot")
        verbose_name_plural = _("fairness snapshots")
        constraints = [
            models.UniqueConstraint(fields=["program", "taken_at"], name="fairness_snapshot_unique_time"),
        ]

    def __str__(self) -> str:
        return f"{self.program} {self.taken_at:%Y-%m-%d %H:%M}"


class LeadersReachSnapshot(models.Model):
    """The roll-up's "whom leaders sponsor" counts, by the mentees' own consented under-sponsored
    answer, published as FairnessSnapshot is: a new one only when the set of mentees reached changed
    by at least MIN_AGGREGATE_GROUP (a leader logging one action and reading again learns nothing)."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="+")
    taken_at = models.DateTimeField(_("taken at"))
    members = models.JSONField(_("mentees reached"), default=list)  # sorted person ids only
    figures = models.JSONField(_("figures"), default=dict)  # {group key: mentees}, before hiding

    class Meta:
        ordering = ["organisation", "taken_at"]
        verbose_name = _("leaders' reach snapshot")
        verbose_name_plural = _("leaders' reach snapshots")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "taken_at"], name="leaders_reach_unique_time"),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} {self.taken_at:%Y-%m-%d %H:%M}"
