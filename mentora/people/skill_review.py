"""Writes for the organisation's skill list, by its org admins (docs/import.md, "New skills").

A skill an import introduced is *pending*: the people the file gave it keep it, but nobody else is
offered it until an org admin approves it, merges it into a skill in use, or retires it. Merging
moves everyone's offered, wanted and self-assessed rows to the target (keeping the stronger level
and the higher priority where a person had both), keeps the old name as an alias so that the next
import maps it to the target, and retires the old skill rather than deleting it, so that answers
that named it still read.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from mentora.core.refusals import Refusal
from mentora.core.roles import Viewer
from mentora.core.text import check_texts, too_long_error
from mentora.organisations.services import organisation_figures_changed
from mentora.people.models import (
    OfferedSkill,
    SelfAssessedSkill,
    Skill,
    SkillAlias,
    SkillStatus,
    WantedSkill,
)

ALIAS_MAX = SkillAlias._meta.get_field("alias").max_length


def require_skill_admin(viewer: Viewer) -> None:
    if viewer.person is None or not viewer.is_org_admin:
        raise PermissionDenied(_("Only organisation admins review the skill list."))


def _set_status(skill: Skill, status: str, allowed_from: tuple[str, ...], message: str) -> Skill:
    if skill.status not in allowed_from or skill.merged_into_id is not None:
        raise ValidationError(message)
    skill.status = status
    skill.save(update_fields=["status"])
    return skill


def skill_approve(*, viewer: Viewer, skill: Skill) -> Skill:
    """A pending skill joins the list everyone picks from."""
    require_skill_admin(viewer)
    return _set_status(
        skill, SkillStatus.ACTIVE, (SkillStatus.PENDING,), _("Only a new skill can be approved.")
    )


def skill_retire(*, viewer: Viewer, skill: Skill) -> Skill:
    """Nobody is offered the skill any more; the people who hold it keep it."""
    require_skill_admin(viewer)
    return _set_status(
        skill,
        SkillStatus.RETIRED,
        (SkillStatus.ACTIVE, SkillStatus.PENDING),
        _("This skill is already retired."),
    )


def skill_restore(*, viewer: Viewer, skill: Skill) -> Skill:
    require_skill_admin(viewer)
    return _set_status(
        skill,
        SkillStatus.ACTIVE,
        (SkillStatus.RETIRED,),
        _("Only a retired skill that was not merged can be restored."),
    )


def _move_rows(model, owner: str, value: str, source: Skill, target: Skill, better) -> None:
    """Move a skill's rows to the target; where an owner has both, keep one with the better value."""
    rows = model.objects.filter(skill=source)
    both = {
        getattr(row, owner): row
        for row in model.objects.filter(skill=target, **{f"{owner}__in": rows.values(owner)})
    }
    for row in rows.filter(**{f"{owner}__in": list(both)}):
        kept = both[getattr(row, owner)]
        setattr(kept, value, better(getattr(kept, value), getattr(row, value)))
        kept.save(update_fields=[value])
    rows.filter(**{f"{owner}__in": list(both)}).delete()
    rows.update(skill=target)


@transaction.atomic
def skill_merge(*, viewer: Viewer, skill: Skill, into: Skill) -> Skill:
    """Merge `skill` into `into`, a skill in use of the same organisation; returns the target."""
    require_skill_admin(viewer)
    if into.organisation_id != skill.organisation_id:
        raise Refusal(_("Choose a skill of your organisation."), code="other_organisation", field="into_id")
    if into.pk == skill.pk:
        raise Refusal(_("A skill cannot be merged into itself."), code="invalid_value", field="into_id")
    if into.status != SkillStatus.ACTIVE:
        raise Refusal(_("Merge into a skill in use."), code="already_merged", field="into_id")
    # Lock both rows: two admins merging at once must not cross.
    locked = {s.pk: s for s in Skill.objects.select_for_update().filter(pk__in=[skill.pk, into.pk])}
    if locked[skill.pk].merged_into_id is not None:
        raise Refusal(_("This skill was already merged."), code="already_merged")
    _move_rows(OfferedSkill, "person_id", "level", skill, into, max)
    _move_rows(WantedSkill, "person_id", "priority", skill, into, min)  # 1 is the highest priority
    _move_rows(SelfAssessedSkill, "assessment_id", "level", skill, into, max)
    SkillAlias.objects.filter(skill=skill).update(skill=into)
    SkillAlias.objects.get_or_create(
        organisation_id=skill.organisation_id, alias=skill.name[:ALIAS_MAX], defaults={"skill": into}
    )
    # Skills merged into this one earlier now point at the target too: no chains.
    Skill.objects.filter(merged_into=skill).update(merged_into=into)
    Skill.objects.filter(pk=skill.pk).update(status=SkillStatus.RETIRED, merged_into=into)
    organisation_figures_changed(organisation_id=skill.organisation_id)
    skill.refresh_from_db()
    return into


def skill_alias_add(*, viewer: Viewer, skill: Skill, alias: str) -> SkillAlias:
    """Another name for a skill, which the import maps to it ("k8s" for Kubernetes)."""
    require_skill_admin(viewer)
    alias = (alias or "").strip()
    check_texts(single_line={"alias": alias})
    if not alias:
        raise Refusal(_("Give the other name."), code="required", field="alias")
    if too_long := too_long_error(alias, limit=ALIAS_MAX):
        raise Refusal(too_long, code="too_long", field="alias")
    if skill.merged_into_id is not None:
        raise Refusal(
            _("This skill was merged: give the alias to the skill it was merged into."), code="already_merged"
        )
    taken = Skill.objects.filter(organisation_id=skill.organisation_id, name__iexact=alias).exclude(
        pk=skill.pk
    )
    if taken.exists():
        raise Refusal(_("Another skill has this name: merge it instead."), code="taken", field="alias")
    try:
        with transaction.atomic():
            return SkillAlias.objects.create(organisation_id=skill.organisation_id, skill=skill, alias=alias)
    except IntegrityError:
        raise Refusal(_("This alias is already in use."), code="taken", field="alias") from None


def skill_alias_delete(*, viewer: Viewer, alias: SkillAlias) -> None:
    require_skill_admin(viewer)
    alias.delete()
