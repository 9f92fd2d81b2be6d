"""Factories for the Django tests: build exactly the people a test needs."""

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from mentora.api.services import api_token_create
from mentora.organisations.models import Department, Organisation, RoleMembership
from mentora.people.models import (
    DemographicProfile,
    Language,
    OfferedSkill,
    Person,
    SelfAssessment,
    Skill,
    SkillCategory,
    WantedSkill,
)

PASSWORD = "correct-horse-battery-staple"


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Organisation {n}")
    slug = factory.Sequence(lambda n: f"org-{n}")


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Department {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.com")
    email = factory.SelfAttribute("username")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    user = factory.SubFactory(UserFactory)
    email = factory.SelfAttribute("user.email")
    full_name = factory.Sequence(lambda n: f"Person {n}")
    employee_id = factory.Sequence(lambda n: f"E{n:05d}")
    time_zone = "Europe/London"

    @factory.post_generation
    def roles(obj, create, extracted, **kwargs):
        for role in extracted or ():
            RoleMembership.objects.create(person=obj, role=role)


class SkillCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SkillCategory

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Category {n}")


class SkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Skill

    organisation = factory.SubFactory(OrganisationFactory)
    category = factory.SubFactory(SkillCategoryFactory, organisation=factory.SelfAttribute("..organisation"))
    name = factory.Sequence(lambda n: f"Skill {n}")
    slug = factory.Sequence(lambda n: f"skill-{n}")


class OfferedSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OfferedSkill

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory, organisation=factory.SelfAttribute("..person.organisation"))
    level = 4


class WantedSkillFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WantedSkill

    person = factory.SubFactory(PersonFactory)
    skill = factory.SubFactory(SkillFactory, organisation=factory.SelfAttribute("..person.organisation"))
    priority = 1


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Language
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"x{n}")
    name = factory.Sequence(lambda n: f"Language {n}")


class SelfAssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SelfAssessment

    person = factory.SubFactory(PersonFactory)
    reflection = "I freeze when I have to present to executives."


class DemographicProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DemographicProfile

    person = factory.SubFactory(PersonFactory)
    consented_at = factory.LazyFunction(timezone.now)
    gender = "woman"
    age_band = "35-44"
    ethnicity = "prefer to self-describe: Martian"


def api_headers(person) -> dict[str, str]:
    """A fresh personal API token for this person, as request headers."""
    _token, raw = api_token_create(user=person.user, name="tests")
    return {"Authorization": f"Bearer {raw}"}
