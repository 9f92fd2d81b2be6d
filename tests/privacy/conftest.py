"""Bob mentors Alice in Program P (tests/workspace/fixtures.py); `history` gives their pair a full
history: intake answers, an agreement, a goal with a milestone, progress and comments, meetings with
preparation, notes of both sides, answered check-ins, advocacy, a reflection and notifications."""

import datetime

import pytest
from django.utils import timezone

from mentora.advocacy.models import AdvocacyAction
from mentora.agreements.models import Agreement, Reflection
from mentora.checkins.models import Checkin, CheckinAnswer, CheckinStatus, EndSurveyAnswer
from mentora.goals.models import Goal, GoalComment, Milestone, ProgressUpdate
from mentora.meetings.models import CalendarFeed, Meeting, MeetingPrep, MeetingStatus
from mentora.notes.models import Note, NoteVisibility
from mentora.notifications.models import DeliveryStatus, NotificationPreference, SentNotification
from mentora.organisations.models import Role
from mentora.programs.models import Enrolment, IntakeAnswer
from tests.factories import (
    DemographicProfileFactory,
    OfferedSkillFactory,
    PersonFactory,
    SelfAssessmentFactory,
)
from tests.programs.factories import IntakeQuestionFactory
from tests.workspace.fixtures import (  # noqa: F401
    dora,
    other_relationship,
    outsiders,
    program,
    relationship,
)


@pytest.fixture
def olga2(org):
    """A second org admin, so that Olga may be erased."""
    return PersonFactory(organisation=org, full_name="Otto Other-Admin", roles=[Role.ORG_ADMIN])


def pair_history(pair, *, tag: str = "") -> dict:
    """Rows of every kind for one pair; `tag` marks its texts."""
    mentor, mentee = pair.mentor, pair.mentee
    now = timezone.now()
    question = IntakeQuestionFactory(program=pair.program, prompt=f"What do you hope for?{tag}")
    enrolment = Enrolment.objects.get(program=pair.program, person=mentee)
    IntakeAnswer.objects.create(enrolment=enrolment, question=question, value=f"mentee hope{tag}")
    Agreement.objects.create(
        relationship=pair, expectations=f"agreed expectations{tag}", confidentiality="c", ending="e"
    )
    goal = Goal.objects.create(
        relationship=pair,
        title=f"goal title{tag}",
        measure="m",
        plan=f"goal plan{tag}",
        relevance="r",
        target_date=now.date() + datetime.timedelta(days=60),
    )
    Milestone.objects.create(goal=goal, title=f"milestone{tag}", position=1)
    ProgressUpdate.objects.create(goal=goal, author=mentee, percent=40, text=f"progress text{tag}")
    GoalComment.objects.create(goal=goal, author=mentor, text=f"mentor comment{tag}")
    held = Meeting.objects.create(
        relationship=pair,
        starts_at=now - datetime.timedelta(days=10),
        duration_minutes=60,
        status=MeetingStatus.HAPPENED,
        actual_duration_minutes=55,
        topics=f"meeting topics{tag}",
        mentor_rating=4,
        mentee_rating=5,
        place="Room 1",
    )
    MeetingPrep.objects.create(meeting=held, agenda=f"agenda{tag}", questions=f"questions{tag}")
    Note.objects.create(
        relationship=pair,
        author=mentee,
        visibility=NoteVisibility.PRIVATE,
        body=f"mentee private{tag}",
    )
    Note.objects.create(
        relationship=pair, author=mentee, visibility=NoteVisibility.SHARED, body=f"mentee shared{tag}"
    )
    Note.objects.create(
        relationship=pair,
        author=mentor,
        visibility=NoteVisibility.PRIVATE,
        body=f"mentor private{tag}",
    )
    pulse = Checkin.objects.create(
        relationship=pair,
        respondent=mentee,
        kind="pulse",
        due_on=now.date() - datetime.timedelta(days=7),
        status=CheckinStatus.ANSWERED,
        answered_at=now,
    )
    CheckinAnswer.objects.create(
        checkin=pulse, usefulness=4, meeting_frequency="fortnightly", blockers=f"mentee blockers{tag}"
    )
    end = Checkin.objects.create(
        relationship=pair,
        respondent=mentor,
        kind="end",
        due_on=now.date() - datetime.timedelta(days=1),
        status=CheckinStatus.ANSWERED,
        answered_at=now,
    )
    EndSurveyAnswer.objects.create(
        checkin=end,
        usefulness=5,
        goals_achieved="yes",
        would_recommend=True,
        what_helped=f"mentor helped{tag}",
    )
    AdvocacyAction.objects.create(
        relationship=pair, kind="introduction", occurred_on=now.date(), description=f"introduced{tag}"
    )
    Reflection.objects.create(relationship=pair, author=mentor, learned=f"mentor learned{tag}")
    return {"goal": goal, "meeting": held, "pulse": pulse}


@pytest.fixture
def history(request, alice):
    """Alice's (the mentee's) own records besides the pair's."""
    pair = request.getfixturevalue("relationship")
    SelfAssessmentFactory(person=alice, reflection="I find public speaking hard")
    DemographicProfileFactory(person=alice)
    OfferedSkillFactory(person=alice)
    NotificationPreference.objects.create(person=alice, meeting_reminder=False)
    SentNotification.objects.create(
        kind="meeting_reminder",
        object_id=1,
        recipient=alice,
        period="p",
        status=DeliveryStatus.SENT,
        claimed_at=timezone.now(),
        sent_at=timezone.now(),
    )
    CalendarFeed.objects.create(person=alice, lookup="a" * 16, secret="s" * 43)
    return pair_history(pair)
