"""Every role's pages, read as assistive technology and a right-to-left reader would: each table sits in
its own named scroll box put there by the server (without JavaScript too, a wide table never makes the
page scroll sideways at 320 CSS pixels), landmark names are unique, and names and texts people wrote in
Arabic or Hebrew are laid out in their own direction (dir="auto" or <bdi>) inside the English page."""

import datetime
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from mentora.goals import services as goal_services
from mentora.meetings import services as meeting_services
from mentora.notes import services as note_services
from mentora.notes.models import NoteVisibility
from mentora.organisations.models import Role
from mentora.programs.models import EnrolmentStatus
from tests.factories import DepartmentFactory, PersonFactory
from tests.markup import duplicate_landmark_names, tables_outside_scroll_box, text_without_own_direction
from tests.programs.factories import EnrolmentFactory
from tests.workspace.fixtures import program, relationship  # noqa: F401

MENTEE_NAME = "ليلى حداد"  # Arabic
MENTOR_NAME = "דוד לוי"  # Hebrew
GOAL_TITLE = "أن أقدم عرضاً أمام الفريق"
APPLICANT_NAME = "نور الهدى"
NOTE_TEXT = "נדבר על התוכנית בשבוע הבא"
PERSONAL_GOALS = "أريد أن أقود فريقاً صغيراً"
MEETING_PLACE = "חדר הישיבות"
PROGRAM_NAME = "برنامج القيادة"
DEPARTMENT_NAME = "הנדסה"
DEPARTMENT_WITHOUT_MENTORS = "قسم المبيعات"
WRITTEN = (
    MENTEE_NAME,
    MENTOR_NAME,
    GOAL_TITLE,
    APPLICANT_NAME,
    PROGRAM_NAME,
    DEPARTMENT_NAME,
    DEPARTMENT_WITHOUT_MENTORS,
    NOTE_TEXT,
    PERSONAL_GOALS,
    MEETING_PLACE,
)


@pytest.fixture
def world(relationship, program, alice, bob, pam, olga, lou, leo, org):  # noqa: F811
    """Alice (Arabic name) is mentored by Bob (Hebrew name) in a program with an Arabic name; Nour has
    applied and waits, from a department without mentors; Alice and Bob meet in a room with a Hebrew
    name; Lou is Alice's line manager, Leo his leader."""
    alice.full_name, bob.full_name, alice.goals = MENTEE_NAME, MENTOR_NAME, PERSONAL_GOALS
    alice.department = bob.department = DepartmentFactory(organisation=org, name=DEPARTMENT_NAME)
    alice.save()
    bob.save()
    program.name = PROGRAM_NAME
    program.save()
    applicant = PersonFactory(
        organisation=org,
        full_name=APPLICANT_NAME,
        department=DepartmentFactory(organisation=org, name=DEPARTMENT_WITHOUT_MENTORS),
        roles=[Role.PARTICIPANT],
    )
    EnrolmentFactory(program=program, person=applicant, role="mentee", status=EnrolmentStatus.APPLIED)
    goal = goal_services.goal_create(
        relationship=relationship,
        person=alice,
        title=GOAL_TITLE,
        measure="Talk given",
        plan="Two rehearsals",
        relevance="I want to lead",
        target_date=datetime.date.today() + datetime.timedelta(days=365),
    )
    note_services.note_create(
        relationship=relationship, person=alice, visibility=NoteVisibility.SHARED, body=NOTE_TEXT
    )
    meeting_services.meeting_schedule(
        relationship=relationship,
        person=alice,
        starts_at=timezone.now() + datetime.timedelta(days=2),
        duration_minutes=60,
        place=MEETING_PLACE,
    )
    return {
        "relationship": relationship,
        "program": program,
        "goal": goal,
        "alice": alice,
        "applicant": applicant,
    }


def _pages(world) -> dict[str, list[str]]:
    pair, program_id = world["relationship"].pk, world["program"].pk
    return {
        "alice": [
            reverse("home"),
            reverse("workspace:pair", args=[pair]),
            reverse("goals:detail", args=[pair, world["goal"].pk]),
            reverse("relationships:mine"),
            reverse("programs:detail", args=[program_id]),
            reverse("people:me"),
        ],
        "bob": [
            reverse("home"),
            reverse("workspace:pair", args=[pair]),
            reverse("relationships:mine"),
            reverse("notes:list", args=[pair]),
        ],
        "pam": [
            reverse("home"),
            reverse("programs:list"),
            reverse("programs:manage", args=[program_id]),
            reverse("programs:enrolments", args=[program_id]),
            reverse("pairing:home", args=[program_id]),
            reverse("programs:enrolment", args=[program_id, world["applicant"].enrolments.get().pk]),
        ],
        "lou": [reverse("home")],
        "leo": [reverse("home")],
        "olga": [
            reverse("home"),
            reverse("people:list"),
            reverse("people:skills"),
            reverse("people:detail", args=[world["alice"].pk]),
        ],
    }


@pytest.fixture
def rendered(client, world, request):
    """Each role's pages, as {(person, address): html}."""
    pages = {}
    for name, addresses in _pages(world).items():
        client.force_login(request.getfixturevalue(name).user)
        for address in addresses:
            response = client.get(address)
            assert response.status_code == 200, (name, address)
            pages[name, address] = response.content.decode()
    return pages


def test_every_table_of_every_role_sits_in_its_own_named_scroll_box(rendered):
    tables = sum(page.count("<table") for page in rendered.values())
    assert tables >= 8  # the check reads real tables: people, enrolments, relationships, programs, reports
    for (name, address), page in rendered.items():
        assert tables_outside_scroll_box(page) == [], (name, address)
        assert duplicate_landmark_names(page) == [], (name, address)


def test_names_and_texts_people_wrote_run_in_their_own_direction_on_every_role_page(rendered):
    shown = set()
    for (name, address), page in rendered.items():
        for written in WRITTEN:
            shown |= {written} if written in page else set()
            assert text_without_own_direction(page, written=written) == [], (name, address, written)
    assert shown == set(WRITTEN)


TEMPLATE_DIRECTORIES = [
    Path(settings.BASE_DIR) / "templates",
    *Path(settings.BASE_DIR).glob("mentora/*/templates"),
]


def test_every_table_in_the_templates_opens_inside_a_table_scroll_tag():
    """Pages the test above does not render are held to the same rule at the source."""
    unboxed = [
        f"{path.relative_to(settings.BASE_DIR)}: {line}"
        for directory in TEMPLATE_DIRECTORIES
        for path in directory.rglob("*.html")
        for line in path.read_text().splitlines()
        if re.search(r"<table\b", line) and not re.search(r"{% table_scroll [^%]+%}\s*<table\b", line)
    ]
    assert unboxed == []
