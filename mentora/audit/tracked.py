"""Governance models whose every change django-auditlog keeps (who, when, which fields from what to
what), each change also shown in the organisation's audit log as one `record.changed` event that
names the auditlog entry. Registered by label, so that `audit` imports none of these apps.

Person: only the HR fields (never goals, purpose or anything a person writes about themselves).
"""

from auditlog.registry import auditlog
from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db import models

from mentora.audit.models import Action
from mentora.audit.services import record

# label: (fields tracked, or None for every field; the path from the row to its organisation's id)
GOVERNANCE_MODELS: dict[str, tuple[list[str] | None, str]] = {
    "organisations.organisation": (["name", "slug", "default_time_zone"], "pk"),
    "organisations.rolemembership": (["person", "role"], "person.organisation_id"),
    "people.person": (
        [
            "email",
            "full_name",
            "employee_id",
            "job_title",
            "job_family",
            "department",
            "manager",
            "seniority",
            "location",
            "is_active",
        ],
        "organisation_id",
    ),
    "programs.program": (None, "organisation_id"),
    "pairing.matchrun": (["status", "published_at", "published_by"], "program.organisation_id"),
    "pairing.pairrule": (["mentor", "mentee", "kind", "created_by"], "program.organisation_id"),
    "pairing.pairallowance": (["mentor", "mentee", "allowed_by"], "program.organisation_id"),
    "pairing.ruleoverride": (
        ["relationship", "rules", "reason", "overridden_by"],
        "relationship.program.organisation_id",
    ),
}

OPERATIONS = {0: "create", 1: "update", 2: "delete"}


def register_all() -> None:
    """Register each governance model present with django-auditlog (called once, at start-up)."""
    for label, (fields, _path) in GOVERNANCE_MODELS.items():
        app_label, model_name = label.split(".")
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:
            continue
        if model not in auditlog.get_models():
            auditlog.register(model, include_fields=fields or [], exclude_fields=["created_at", "updated_at"])


def organisation_id_of(instance: models.Model) -> int | None:
    """The organisation a tracked row belongs to, following its path; None if unknown."""
    _fields, path = GOVERNANCE_MODELS[instance._meta.label_lower]
    value = instance
    for step in path.split("."):
        try:
            value = getattr(value, step)
        except ObjectDoesNotExist:  # a parent deleted in the same cascade
            return None
        if value is None:
            return None
    return value


def record_change(*, instance: models.Model, operation: int, changes: dict | None, log_entry) -> None:
    if log_entry is None or instance._meta.label_lower not in GOVERNANCE_MODELS:
        return
    record(
        action=Action.RECORD_CHANGED,
        actor=log_entry.actor,
        organisation=organisation_id_of(instance),
        target=instance,
        details={
            "operation": OPERATIONS.get(operation, str(operation)),
            "changes": changes or {},
            "log_entry": log_entry.pk,
        },
    )
