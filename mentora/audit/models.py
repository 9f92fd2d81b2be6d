"""The audit log: one append-only row per security-relevant or governance action (docs/security.md).

Rows are written only by `mentora.audit.services.record`. They are never changed or deleted through
the ORM: `save()` refuses an existing row, and the queryset refuses `update()` and `delete()`. On
PostgreSQL a trigger (migration 0001) also refuses UPDATE and DELETE from raw SQL, except the two
writes `services` makes on purpose: `events_redact_person` (GDPR erasure blanks a person's name,
address and browser, nothing else) and `events_purge` (rows older than the retention period).
"""

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.utils.translation import gettext_lazy as _

from mentora.organisations.models import Organisation


class AppendOnlyError(Exception):
    """An attempt to change or delete an audit event."""


class Action(models.TextChoices):
    """What happened. The field stores the code without `choices=` on purpose: another app adds its
    action here without a migration; `record` refuses any code not in this list."""

    # Sign-in
    SIGN_IN = "auth.sign_in", _("Signed in")
    SIGN_OUT = "auth.sign_out", _("Signed out")
    SIGN_IN_FAILED = "auth.sign_in_failed", _("Sign-in failed")
    LOCKED_OUT = "auth.locked_out", _("Locked out after wrong passwords")
    LOCKOUT_RELEASED = "auth.lockout_released", _("Lock-out lifted")
    PASSWORD_CHANGED = "auth.password_changed", _("Password changed")
    PASSWORD_RESET_REQUESTED = "auth.password_reset_requested", _("Password reset asked for")
    ACTIVATION_SENT = "auth.activation_sent", _("Activation link sent")
    MFA_ENABLED = "auth.mfa_enabled", _("Second factor turned on")
    MFA_DISABLED = "auth.mfa_disabled", _("Second factor turned off")
    EMAIL_CHANGE_REQUESTED = "auth.email_change_requested", _("Sign-in e-mail change asked for")
    EMAIL_CHANGED = "auth.email_changed", _("Sign-in e-mail changed")
    API_TOKEN_CREATED = "auth.api_token_created", _("API token created")
    API_TOKEN_REVOKED = "auth.api_token_revoked", _("API token revoked")
    SERVICE_ACCOUNT_CREATED = "auth.service_account_created", _("Service account created")
    SERVICE_ACCOUNT_REVOKED = "auth.service_account_revoked", _("Service account revoked")
    SERVICE_ACCOUNT_REFUSED = "auth.service_account_refused", _("Service account call refused")
    ACTIVATION_LINK_HANDED_OVER = "auth.activation_link_handed_over", _("Activation link handed over")
    INVITATION_LINKS_HANDED_OVER = "programs.invitation_links_handed_over", _("Invitation links handed over")
    # Identity providers and provisioning
    SSO_CONFIG_CHANGED = "sso.config_changed", _("Single sign-on settings changed")
    SCIM_PROVISIONED = "scim.provisioned", _("Provisioned by SCIM")
    SCIM_TOKEN_CHANGED = "scim.token_changed", _("SCIM token changed")
    HR_SYNC_STARTED = "hrsync.started", _("HR sync started")
    HR_SYNC_FINISHED = "hrsync.finished", _("HR sync finished")
    # People
    ROLES_CHANGED = "people.roles_changed", _("Roles changed")
    PERSON_DEACTIVATED = "people.deactivated", _("Person deactivated")
    PERSON_REACTIVATED = "people.reactivated", _("Person reactivated")
    IMPORT_STARTED = "people.import_started", _("People import started")
    IMPORT_FINISHED = "people.import_finished", _("People import finished")
    IMPORT_FAILED = "people.import_failed", _("People import failed")
    PEOPLE_EXPORTED = "people.exported", _("People exported")
    PRIVATE_DATA_VIEWED = "people.private_data_viewed", _("Private data opened")
    # Programs and pairing
    PROGRAM_SETTINGS_CHANGED = "programs.settings_changed", _("Program settings changed")
    MATCHING_PUBLISHED = "pairing.run_published", _("Matching run published")
    PAIR_OVERRIDDEN = "pairing.pair_overridden", _("Pair locked, forbidden or swapped by hand")
    PAIR_MANUAL = "pairing.manual_pair", _("Pair made by hand")
    PAIR_ACTION = "evidence.pair_action", _("Pair nudged, messaged or offered a rematch from the dashboard")
    # Privacy operations
    DATA_EXPORTED = "gdpr.data_exported", _("Personal data downloaded")
    PERSON_ERASED = "gdpr.person_erased", _("Person erased")
    RETENTION_CHANGED = "gdpr.retention_changed", _("Retention periods changed")
    RETENTION_APPLIED = "gdpr.retention_applied", _("Retention periods applied")
    # Governance records changed (django-auditlog, see tracked.py)
    RECORD_CHANGED = "record.changed", _("Record changed")
    # Exports and reports (mentora.reports)
    EXPORT_REQUESTED = "reports.export_requested", _("Export asked for")
    EXPORT_DOWNLOADED = "reports.export_downloaded", _("Export downloaded")
    REPORT_SCHEDULE_CHANGED = "reports.schedule_changed", _("Monthly report recipients changed")
    REPORT_SENT = "reports.report_sent", _("Monthly report sent")
    # HR outcomes (mentora.outcomes)
    OUTCOME_EVENTS_IMPORTED = "outcomes.events_imported", _("Outcome events imported")
    OUTCOME_ANALYSIS_STARTED = "outcomes.analysis_started", _("Outcome analysis started")
    # The audit log itself
    AUDIT_EXPORTED = "audit.exported", _("Audit log exported")


class AuditEventQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Audit events cannot be changed.")

    def delete(self):
        raise AppendOnlyError("Audit events cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("Audit events cannot be changed.")


class AuditEvent(models.Model):
    """Who did what to what, when, from where. Names are copied (`*_label`) so the row still reads
    after the person or thing is gone; the ids are kept without a foreign key constraint for the
    same reason (a deleted person must not take their trail, nor be blocked by it)."""

    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="audit_events"
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    actor_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_person = models.ForeignKey(
        "people.Person",
        null=True,
        blank=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="+",
    )
    actor_label = models.CharField(_("actor"), max_length=254, blank=True)
    target_type = models.CharField(_("target type"), max_length=100, blank=True)
    target_id = models.CharField(_("target id"), max_length=64, blank=True)
    target_label = models.CharField(_("target"), max_length=254, blank=True)
    details = models.JSONField(_("details"), default=dict, blank=True, encoder=DjangoJSONEncoder)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)

    objects = AuditEventQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        indexes = [
            models.Index(fields=["organisation", "-created_at"], name="audit_org_time"),
            models.Index(fields=["organisation", "target_type", "target_id"], name="audit_org_target"),
        ]
        constraints = [
            models.CheckConstraint(condition=~models.Q(action=""), name="audit_event_has_action"),
            models.CheckConstraint(
                condition=models.Q(target_type="", target_id="")
                | ~models.Q(target_type="") & ~models.Q(target_id=""),
                name="audit_event_target_type_and_id",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.action} {self.actor_label}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("Audit events cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Audit events cannot be deleted.")

    @property
    def action_label(self) -> str:
        try:
            return Action(self.action).label
        except ValueError:
            return self.action
