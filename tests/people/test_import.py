"""The bulk import service: every failure kind, all or nothing, idempotency, upsert, formats."""

import io

import pytest
from django.contrib.auth import get_user_model
from openpyxl import Workbook

from mentora.organisations.models import Department, Role, RoleMembership
from mentora.people.importing import IMPORTED_SKILL_CATEGORY, people_import
from mentora.people.models import Language, OfferedSkill, Person, Skill, SkillAlias, WantedSkill
from tests.factories import PersonFactory, SkillFactory

HEADER = "employee_id,email,full_name,manager"


def run(org, text: str, *, dry_run: bool = False, filename: str = "people.csv", encoding: str = "utf-8"):
    return people_import(
        organisation=org, file=io.BytesIO(text.encode(encoding)), filename=filename, dry_run=dry_run
    )


def csv_text(header: str, *rows: str) -> str:
    return "\n".join([header, *rows]) + "\n"


def problems(report) -> list[tuple[int, str]]:
    return [(issue.line, issue.column) for issue in report.errors]


def messages(report) -> str:
    return " | ".join(issue.message for issue in report.errors)


TEAM = csv_text(
    "employee_id,email,full_name,job_title,department,manager,seniority,time_zone,languages,"
    "availability_hours_per_month,meeting_mode,offered_skills,wanted_skills,goals,purpose",
    "E1,ceo@acme.test,Cleo Chief,CEO,Executive,,10,Europe/London,en;fr,4,either,Python:5; SQL:4,,Grow,Lead",
    'E2,dev@acme.test,Dev Eloper,Engineer,Engineering,E1,4,Europe/Paris,"en, fr",2,video,Python:3,'
    '"Kubernetes:high; Public speaking:2",Learn k8s,Staff engineer',
    "E3,new@acme.test,Nia Newcomer,Junior Engineer,Engineering,dev@acme.test,1,America/New_York,en,2,"
    "in_person,,SQL:low,,",
)


@pytest.fixture
def skills(org):
    python = SkillFactory(organisation=org, name="Python", slug="python")
    kubernetes = SkillFactory(organisation=org, name="Kubernetes", slug="kubernetes")
    SkillAlias.objects.create(organisation=org, skill=kubernetes, alias="k8s")
    SkillFactory(organisation=org, name="SQL", slug="sql")
    SkillFactory(organisation=org, name="Public speaking", slug="public-speaking")
    return python


# ---- what a good file does -------------------------------------------------------------------


def test_it_creates_people_with_accounts_profiles_and_the_participant_role(org, skills):
    report = run(org, TEAM)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (3, 0, 0)
    dev = Person.objects.get(organisation=org, employee_id="E2")
    assert dev.user.username == "dev@acme.test"
    assert not dev.user.has_usable_password()
    assert dev.manager.employee_id == "E1"
    assert dev.department.name == "Engineering"
    assert (dev.seniority, dev.time_zone, dev.meeting_mode) == (4, "Europe/Paris", "video")
    assert sorted(dev.languages.values_list("code", flat=True)) == ["en", "fr"]
    assert dict(dev.offered_skills.values_list("skill__name", "level")) == {"Python": 3}
    assert dict(dev.wanted_skills.values_list("skill__name", "priority")) == {
        "Kubernetes": 1,
        "Public speaking": 2,
    }
    assert list(dev.role_memberships.values_list("role", flat=True)) == [Role.PARTICIPANT]
    newcomer = Person.objects.get(organisation=org, employee_id="E3")
    assert newcomer.manager == dev  # manager given by email
    assert newcomer.meeting_mode == "in_person"


def test_importing_the_same_file_twice_changes_nothing(org, skills):
    run(org, TEAM)
    before = list(Person.objects.filter(organisation=org).order_by("id").values())

    report = run(org, TEAM)

    assert report.ok
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(Person.objects.filter(organisation=org).order_by("id").values()) == before
    assert OfferedSkill.objects.filter(person__organisation=org).count() == 3
    assert WantedSkill.objects.filter(person__organisation=org).count() == 3


def test_it_updates_changed_fields_of_people_matched_by_employee_id(
    org, skills, django_capture_on_commit_callbacks
):
    run(org, TEAM)
    changed = TEAM.replace("Dev Eloper,Engineer,", "Dev Eloper,Senior Engineer,").replace(
        "Europe/Paris", "Europe/Berlin"
    )
    changed = changed.replace(
        "E3,new@acme.test,Nia Newcomer,Junior Engineer,Engineering,dev@acme.test",
        "E3,nia@acme.test,Nia Newcomer,Junior Engineer,Engineering,E1",
    )

    with django_capture_on_commit_callbacks(execute=True):
        report = run(org, changed)

    assert report.ok, report.errors
    assert (report.created, report.updated, report.unchanged) == (0, 2, 1)
    dev = Person.objects.get(organisation=org, employee_id="E2")
    assert (dev.job_title, dev.time_zone) == ("Senior Engineer", "Europe/Berlin")
    nia = Person.objects.get(organisation=org, employee_id="E3")
    # A new sign-in e-mail waits for its owner's confirmation (tests/accounts/test_import_rules.py).
    assert (nia.email, nia.user.username) == ("new@acme.test", "new@acme.test")
    assert report.pending_email_changes == ["nia@acme.test"]
    assert nia.manager.employee_id == "E1"
    assert Person.objects.filter(organisation=org).count() == 3


def test_it_replaces_skill_lists_and_clears_empty_text_cells(org, skills):
    run(org, TEAM)
    changed = TEAM.replace("Python:3,", "SQL:2,").replace("Learn k8s,Staff engineer", ",")

    assert run(org, changed).updated == 1

    dev = Person.objects.get(organisation=org, employee_id="E2")
    assert dict(dev.offered_skills.values_list("skill__name", "level")) == {"SQL": 2}
    assert (dev.goals, dev.purpose) == ("", "")


def test_columns_left_out_of_the_file_are_left_as_they_are(org, skills):
    run(org, TEAM)

    report = run(org, csv_text("employee_id,email,job_title", "E2,dev@acme.test,Architect"))

    assert (report.updated, report.unchanged) == (1, 0)
    dev = Person.objects.get(organisation=org, employee_id="E2")
    assert dev.job_title == "Architect"
    assert dev.manager.employee_id == "E1"
    assert dev.offered_skills.count() == 1
    assert dev.time_zone == "Europe/Paris"


def test_a_dry_run_counts_like_an_import_and_writes_nothing(org, skills):
    report = run(org, TEAM, dry_run=True)

    assert report.ok
    assert report.dry_run
    assert report.created == 3
    assert not Person.objects.filter(organisation=org).exists()
    assert not get_user_model().objects.filter(username="dev@acme.test").exists()
    assert not Department.objects.filter(organisation=org).exists()


def test_it_adds_the_roles_given_and_never_removes_any(org):
    text = csv_text("employee_id,email,roles", "E1,pm@acme.test,program manager; participant")
    run(org, text)
    person = Person.objects.get(employee_id="E1", organisation=org)
    RoleMembership.objects.create(person=person, role=Role.ORG_ADMIN)

    report = run(org, text)

    assert report.unchanged == 1
    assert set(person.role_memberships.values_list("role", flat=True)) == {
        Role.PROGRAM_MANAGER,
        Role.PARTICIPANT,
        Role.ORG_ADMIN,
    }


def test_managers_can_be_existing_people_given_by_employee_id_or_email(org, alice, bob):
    text = csv_text(
        HEADER, f"N1,n1@acme.test,N One,{alice.employee_id}", f"N2,n2@acme.test,N Two,{bob.email.upper()}"
    )

    assert run(org, text).ok

    assert Person.objects.get(employee_id="N1", organisation=org).manager == alice
    assert Person.objects.get(employee_id="N2", organisation=org).manager == bob


def test_a_person_added_in_the_app_without_employee_id_is_matched_by_email(org):
    existing = PersonFactory(organisation=org, employee_id="", email="sam@acme.test", full_name="Sam")

    report = run(org, csv_text("employee_id,email,full_name", "E9,SAM@acme.test,Sam Smith"))

    assert (report.created, report.updated) == (0, 1)
    existing.refresh_from_db()
    assert (existing.employee_id, existing.full_name) == ("E9", "Sam Smith")


def test_skills_resolve_by_name_slug_or_alias_whatever_the_case(org, skills):
    text = csv_text("employee_id,email,offered_skills", "E1,a@acme.test,PYTHON:2; K8S:4; public-speaking:1")

    assert run(org, text).ok

    offered = OfferedSkill.objects.filter(person__employee_id="E1", person__organisation=org)
    assert dict(offered.values_list("skill__name", "level")) == {
        "Python": 2,
        "Kubernetes": 4,
        "Public speaking": 1,
    }
    assert not Skill.objects.filter(organisation=org, category__name=IMPORTED_SKILL_CATEGORY).exists()


def test_unknown_skills_are_created_in_the_imported_category_and_reported(org, skills):
    text = csv_text(
        "employee_id,email,offered_skills,wanted_skills",
        "E1,a@acme.test,Rust:4; Python,Event storming:high",
        "E2,b@acme.test,rust:2,",
    )

    report = run(org, text)

    assert report.ok
    assert report.new_skills == ["Event storming", "Rust"]
    imported = Skill.objects.filter(organisation=org, category__name=IMPORTED_SKILL_CATEGORY)
    assert sorted(imported.values_list("name", flat=True)) == ["Event storming", "Rust"]
    assert OfferedSkill.objects.get(person__employee_id="E1", skill__name="Python").level == 3  # default
    assert run(org, text).unchanged == 2


def test_it_accepts_bcp47_tags_with_a_region_or_script_of_a_known_language(org):
    text = csv_text(
        "employee_id,email,languages",
        "E1,a@acme.test,zh-CN; de_ch",
        "E2,b@acme.test,sr-Latn-RS;es-419;zh-CN",
    )

    report = run(org, text)

    assert report.ok, report.errors
    assert set(report.new_languages) == {"zh-CN", "de-CH", "sr-Latn-RS", "es-419"}
    assert Language.objects.get(code="de-CH").name == "German (CH)"
    assert Language.objects.get(code="sr-Latn-RS").name == "Serbian (Latn-RS)"
    person = Person.objects.get(employee_id="E1", organisation=org)
    assert sorted(person.languages.values_list("code", flat=True)) == ["de-CH", "zh-CN"]


@pytest.mark.parametrize("tag", ["xx-CH", "de-Switzerland", "de-CH-1901-extra"])
def test_it_still_refuses_a_region_of_an_unknown_language_or_a_malformed_tag(org, tag):
    report = run(org, csv_text("employee_id,email,languages", f"E1,a@acme.test,{tag}"))

    assert problems(report) == [(2, "languages")]


def test_it_creates_known_languages_and_nested_departments(org):
    text = csv_text(
        "employee_id,email,languages,department",
        "E1,a@acme.test,pt_br; Japanese,Engineering > Platform",
        "E2,b@acme.test,EN,Engineering",
    )

    report = run(org, text)

    assert report.ok, report.errors
    assert set(report.new_languages) == {"pt-BR", "ja", "en"}
    assert Language.objects.get(code="pt-BR").name == "Portuguese (Brazil)"
    platform = Department.objects.get(organisation=org, name="Platform")
    assert platform.parent.name == "Engineering"
    assert Person.objects.get(employee_id="E2", organisation=org).department == platform.parent


def test_it_reads_semicolon_separated_csv_with_a_byte_order_mark(org):
    text = "employee_id;email;full_name;languages\nE1;zoe@acme.test;Zoé Zeller;en,fr\n"

    report = run(org, text, encoding="utf-8-sig")

    assert report.ok, report.errors
    zoe = Person.objects.get(organisation=org, employee_id="E1")
    assert zoe.full_name == "Zoé Zeller"
    assert zoe.languages.count() == 2


def test_it_reads_xlsx_the_same_as_csv(org, skills):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Employee ID", "Email", "Full name", "Manager", "Seniority", "Offered skills"])
    sheet.append([1001, "boss@acme.test", "Bo Boss", None, 9, "Python:5"])
    sheet.append([1002, "rep@acme.test", "Re Port", 1001, 3.0, "SQL:2"])
    buffer = io.BytesIO()
    workbook.save(buffer)

    def import_xlsx():
        buffer.seek(0)
        return people_import(organisation=org, file=buffer, filename="export.XLSX")

    report = import_xlsx()

    assert report.ok, report.errors
    rep = Person.objects.get(organisation=org, employee_id="1002")
    assert rep.manager.employee_id == "1001"
    assert rep.seniority == 3
    assert import_xlsx().unchanged == 2


def test_the_same_employee_id_in_two_organisations_is_fine(org, other_org):
    run(other_org, csv_text("employee_id,email,full_name", "E1,someone@globex.test,Globex Person"))

    report = run(org, csv_text("employee_id,email,full_name", "E1,someone@acme.test,Acme Person"))

    assert (report.created, report.updated) == (1, 0)
    assert Person.objects.get(organisation=other_org, employee_id="E1").full_name == "Globex Person"
    assert Person.objects.get(organisation=org, employee_id="E1").full_name == "Acme Person"


def test_it_never_reads_or_changes_another_organisations_people(org, charlie):
    text = csv_text(HEADER, f"N1,n1@acme.test,N One,{charlie.employee_id}")

    report = run(org, text)

    assert problems(report) == [(2, "manager")]


def test_it_uses_a_constant_number_of_queries_whatever_the_size(org, skills, django_assert_max_num_queries):
    rows = [
        f"E{n},p{n}@acme.test,P {n},{'E0' if n else ''},Python:3,SQL:high,en;fr,Dept {n % 5}"
        for n in range(300)
    ]
    text = csv_text(
        "employee_id,email,full_name,manager,offered_skills,wanted_skills,languages,department", *rows
    )

    # Twenty of these fingerprint the organisation (before the check, and when the writes begin); one
    # bumps the organisation figures' version.
    with django_assert_max_num_queries(66):
        report = run(org, text)

    assert report.created == 300


# ---- all or nothing, and every problem reported -----------------------------------------------


def test_one_bad_row_imports_nothing_and_is_reported_with_its_line(org, skills):
    good = [f"E{n},p{n}@acme.test,Person {n},,Europe/Paris" for n in range(1, 50)]
    text = csv_text(
        "employee_id,email,full_name,manager,time_zone", *good, "E50,p50@acme.test,Bad,,Mars/Olympus"
    )

    report = run(org, text)

    assert not report.ok
    assert problems(report) == [(51, "time_zone")]
    assert report.errors[0].value == "Mars/Olympus"
    assert not Person.objects.filter(organisation=org).exists()
    assert not get_user_model().objects.filter(username__endswith="@acme.test").exists()


def test_it_reports_every_bad_row_not_only_the_first(org):
    text = csv_text(
        "employee_id,email,seniority,meeting_mode",
        "E1,not-an-email,3,video",
        "E2,b@acme.test,eleven,video",
        "E3,c@acme.test,3,carrier pigeon",
        ",d@acme.test,3,video",
    )

    report = run(org, text)

    assert problems(report) == [(2, "email"), (3, "seniority"), (4, "meeting_mode"), (5, "employee_id")]


@pytest.mark.parametrize(
    ("header", "row", "column", "fragment"),
    [
        ("employee_id,email", ",a@acme.test", "employee_id", "required"),
        ("employee_id,email", "E1,", "email", "required"),
        ("employee_id,email", "E1,nope", "email", "valid email"),
        ("employee_id,email,time_zone", "E1,a@acme.test,Europe/Atlantis", "time_zone", "time zone"),
        ("employee_id,email,seniority", "E1,a@acme.test,11", "seniority", "between 1 and 10"),
        ("employee_id,email,seniority", "E1,a@acme.test,senior", "seniority", "whole number"),
        (
            "employee_id,email,availability_hours_per_month",
            "E1,a@acme.test,500",
            "availability_hours_per_month",
            "between",
        ),
        ("employee_id,email,meeting_mode", "E1,a@acme.test,telepathy", "meeting_mode", "in_person"),
        ("employee_id,email,offered_skills", "E1,a@acme.test,Python:6", "offered_skills", "level"),
        ("employee_id,email,offered_skills", "E1,a@acme.test,Python:expert", "offered_skills", "level"),
        ("employee_id,email,offered_skills", "E1,a@acme.test,Python:2;python:3", "offered_skills", "twice"),
        ("employee_id,email,wanted_skills", "E1,a@acme.test,Python:urgent", "wanted_skills", "priority"),
        ("employee_id,email,languages", "E1,a@acme.test,en;klingon", "languages", "Unknown language"),
        ("employee_id,email,roles", "E1,a@acme.test,superhero", "roles", "Unknown role"),
        ("employee_id,email,manager", "E1,a@acme.test,E404", "manager", "Unknown manager"),
        ("employee_id,email,manager", "E1,a@acme.test,E1", "manager", "own manager"),
        ("employee_id,email,full_name", "E1,a@acme.test," + "x" * 201, "full_name", "200"),
    ],
)
def test_it_rejects_a_bad_value(org, header, row, column, fragment):
    report = run(org, csv_text(header, row))

    assert problems(report) == [(2, column)]
    assert fragment in report.errors[0].message
    assert not Person.objects.filter(organisation=org).exists()


def test_it_rejects_an_unknown_column_and_still_checks_the_rows(org):
    report = run(org, csv_text("employee_id,email,shoe_size,seniority", "E1,a@acme.test,42,99"))

    assert problems(report) == [(1, "shoe_size"), (2, "seniority")]
    assert "Unknown column" in report.errors[0].message


def test_it_rejects_a_file_without_a_required_column(org):
    report = run(org, csv_text("email,full_name", "a@acme.test,A"))

    assert problems(report) == [(1, "employee_id")]


def test_it_rejects_a_column_given_twice(org):
    report = run(org, csv_text("employee_id,email,name,full_name", "E1,a@acme.test,A,B"))

    assert problems(report) == [(1, "full_name")]


def test_it_rejects_duplicate_employee_ids_in_the_file(org):
    report = run(org, csv_text(HEADER, "E1,a@acme.test,A,", "E1,b@acme.test,B,"))

    assert problems(report) == [(3, "employee_id")]
    assert "line 2" in messages(report)


def test_it_rejects_duplicate_emails_in_the_file_whatever_the_case(org):
    report = run(org, csv_text(HEADER, "E1,a@acme.test,A,", "E2,A@Acme.test,B,"))

    assert problems(report) == [(3, "email")]


def test_it_rejects_an_email_that_belongs_to_another_employee_of_the_organisation(org, alice):
    report = run(org, csv_text(HEADER, f"NEW1,{alice.email},Not Alice,"))

    assert problems(report) == [(2, "email")]
    assert alice.employee_id in report.errors[0].message


def test_it_rejects_an_email_that_already_signs_in_to_another_organisation(org, charlie):
    report = run(org, csv_text(HEADER, f"E1,{charlie.email},Charlie Again,"))

    assert problems(report) == [(2, "email")]
    assert not Person.objects.filter(organisation=org).exists()


def test_it_rejects_a_cycle_in_the_reporting_line_of_the_file(org):
    report = run(
        org,
        csv_text(
            HEADER, "E1,a@acme.test,A,E3", "E2,b@acme.test,B,E1", "E3,c@acme.test,C,E2", "E4,d@acme.test,D,E1"
        ),
    )

    assert problems(report) == [(2, "manager"), (3, "manager"), (4, "manager")]
    assert "Cycle" in report.errors[0].message


def test_it_rejects_a_cycle_through_people_already_in_the_organisation(org, alice, lou, leo):
    # Leo manages Lou who manages Alice; making Leo report to Alice closes the loop.
    report = run(org, csv_text(HEADER, f"{leo.employee_id},{leo.email},Leo Leader,{alice.email}"))

    assert problems(report) == [(2, "manager")]
    assert "Cycle" in report.errors[0].message
    leo.refresh_from_db()
    assert leo.manager is None


def test_it_rejects_a_file_that_is_not_utf8(org):
    report = run(org, csv_text(HEADER, "E1,a@acme.test,Zoé,"), encoding="latin-1")

    assert problems(report) == [(1, "")]
    assert "UTF-8" in report.errors[0].message


def test_it_rejects_a_broken_xlsx_and_an_empty_file(org):
    assert "XLSX" in run(org, "not a workbook", filename="people.xlsx").errors[0].message
    assert "empty" in run(org, "").errors[0].message


def test_an_account_nobody_uses_yet_is_linked_but_never_a_staff_one(org):
    User = get_user_model()
    spare = User.objects.create(username="spare@acme.test", email="spare@acme.test")
    User.objects.create(username="ops@acme.test", email="ops@acme.test", is_staff=True)

    assert run(org, csv_text("employee_id,email", "E1,spare@acme.test")).ok
    assert Person.objects.get(organisation=org, employee_id="E1").user == spare

    report = run(org, csv_text("employee_id,email", "E2,ops@acme.test"))
    assert problems(report) == [(2, "email")]
