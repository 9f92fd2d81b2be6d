"""Factories for programs, questions and enrolments."""

import datetime

import factory

from mentora.programs.models import (
    Enrolment,
    EnrolmentRole,
    EnrolmentStatus,
    IntakeQuestion,
    Program,
    ProgramManager,
    ProgramStatus,
    QuestionKind,
)
from tests.factories import OrganisationFactory


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Program
        skip_postgeneration_save = True

    organisation = factory.SubFactory(OrganisationFactory)
    name = factory.Sequence(lambda n: f"Program {n}")
    strategic_objective = "Grow our next leaders"
    purpose = "Help people grow into leadership."
    goals = "Confidence, a network, a plan."
    starts_on = datetime.date(2031, 1, 1)
    ends_on = datetime.date(2031, 12, 31)
    status = ProgramStatus.OPEN

    @factory.post_generation
    def managers(obj, create, extracted, **kwargs):
        for person in extracted or ():
            ProgramManager.objects.create(program=obj, person=person)


class IntakeQuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IntakeQuestion

    program = factory.SubFactory(ProgramFactory)
    position = factory.Sequence(lambda n: n + 1)
    prompt = factory.Sequence(lambda n: f"Question {n}?")
    kind = QuestionKind.SHORT_TEXT
    required = True


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    program = factory.SubFactory(ProgramFactory)
    person = factory.SubFactory(
        "tests.factories.PersonFactory", organisation=factory.SelfAttribute("..program.organisation")
    )
    role = EnrolmentRole.MENTEE
    status = EnrolmentStatus.APPROVED
    capacity = factory.LazyAttribute(lambda o: 2 if o.role == EnrolmentRole.MENTOR else None)
