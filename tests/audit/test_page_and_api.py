"""The org admin's audit log: page, download and API; strictly per organisation; every other role
refused; bad filters answered with the field's error, never a 500; a constant number of queries."""

import csv
import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from freezegun import freeze_time

from mentora.audit.models import Action, AuditEvent
from mentora.audit.services import record
from mentora.organisations.models import Role
from tests.factories import PersonFactory, api_headers

pytestmark = pytest.mark.django_db

PAGE = reverse("audit:log")
API = "/api/audit/events"


@pytest.fixture
def gina(other_org):
    """Globex's org admin."""
    return PersonFactory(organisation=other_org, full_name="Gina Globex", roles=[Role.ORG_ADMIN])


@pytest.fixture
def trail(olga, alice, gina):
    """Acme's events, and one of Globex's that Acme must never see."""
    record(action=Action.ROLES_CHANGED, actor=olga, target=alice, details={"added": ["program_manager"]})
    record(action=Action.SIGN_IN, actor=alice)
    record(action=Action.SIGN_IN, actor=gina)


def _acme_actions(olga):
    return list(
        AuditEvent.objects.filter(organisation_id=olga.organisation_id).values_list("action", flat=True)
    )


def test_olga_sees_her_organisations_events_newest_first(client, olga, trail):
    client.force_login(olga.user)
    page = client.get(PAGE)

    assert page.status_code == 200
    shown = [event.action for event, _lines in page.context["rows"]]
    assert shown == _acme_actions(olga)
    assert Action.ROLES_CHANGED in shown and Action.SIGN_IN in shown
    body = page.content.decode()
    assert "Gina Globex" not in body
    assert "added: program_manager" in body


def test_the_audit_log_is_in_the_org_admins_navigation_only(client, olga, alice):
    client.force_login(olga.user)
    assert PAGE in client.get(reverse("home")).content.decode()
    client.force_login(alice.user)
    assert PAGE not in client.get(reverse("home")).content.decode()


def test_filters_by_action_actor_target_and_dates(client, olga, alice, trail):
    client.force_login(olga.user)

    def shown(**query):
        page = client.get(PAGE, query)
        assert page.status_code == 200
        return [(event.action, event.actor_label) for event, _lines in page.context["rows"]]

    assert shown(action=Action.ROLES_CHANGED) == [(Action.ROLES_CHANGED, "Olga Owner")]
    assert shown(action=Action.SIGN_IN) == [(Action.SIGN_IN, "Olga Owner"), (Action.SIGN_IN, "Alice Archer")]
    assert shown(actor="alice", action=Action.SIGN_IN) == [(Action.SIGN_IN, "Alice Archer")]
    assert shown(actor_id=olga.pk, action=Action.ROLES_CHANGED) == [(Action.ROLES_CHANGED, "Olga Owner")]
    assert shown(target_type="people.person", target_id=alice.pk, action=Action.ROLES_CHANGED) == [
        (Action.ROLES_CHANGED, "Olga Owner")
    ]
    today = timezone.localdate()
    assert shown(until=(today - timedelta(days=2)).isoformat()) == []
    assert len(shown(since=today.isoformat(), until=today.isoformat())) == len(_acme_actions(olga))


def test_date_filters_read_days_in_the_viewers_time_zone(client, olga, alice):
    olga.time_zone = "Pacific/Auckland"  # UTC+13 in December
    olga.save()
    with freeze_time("2026-12-01T12:30:00Z"):  # 2 December, 01:30 in Auckland
        record(action=Action.SIGN_IN, actor=alice)
    client.force_login(olga.user)

    def count(day):
        page = client.get(PAGE, {"action": Action.SIGN_IN, "actor": "Alice", "since": day, "until": day})
        return page.context["page"].paginator.count

    assert (count("2026-12-01"), count("2026-12-02")) == (0, 1)


@pytest.mark.parametrize(
    "query, field",
    [
        ({"action": "people.teleported"}, "action"),
        ({"since": "yesterday"}, "since"),
        ({"until": "2026-02-30"}, "until"),
        ({"since": "2026-05-02", "until": "2026-05-01"}, "until"),
        ({"actor_id": "abc"}, "actor_id"),
        ({"actor_id": "99999999999999999999"}, "actor_id"),
        ({"target_id": "5"}, "target_type"),
        ({"actor": "x" * 300}, "actor"),
    ],
)
def test_bad_filters_are_refused_with_the_fields_error(client, olga, trail, query, field):
    client.force_login(olga.user)

    page = client.get(PAGE, query)
    assert page.status_code == 400
    assert page.context["form"].errors[field]

    download = client.get(reverse("audit:export", args=["csv"]), query)
    assert download.status_code == 400
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()

    answer = client.get(API, query, headers=api_headers(olga))
    assert answer.status_code == 422
    assert field in [detail["field"] for detail in answer.json()["error"]["details"]]


def test_a_nul_byte_in_a_filter_is_refused_not_a_500(client, olga, trail):
    client.force_login(olga.user)
    assert client.get(PAGE, {"actor": "a\x00b"}).status_code in (200, 400)
    assert client.get(API, {"actor": "a\x00b"}, headers=api_headers(olga)).status_code in (200, 400, 422)


def test_the_csv_download_holds_the_filtered_events_and_is_recorded(client, olga, alice, trail):
    client.force_login(olga.user)

    response = client.get(reverse("audit:export", args=["csv"]), {"action": Action.ROLES_CHANGED})

    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0][:3] == ["time_utc", "action", "actor"]
    assert [row[1] for row in rows[1:]] == [Action.ROLES_CHANGED]
    assert rows[1][2] == "Olga Owner" and rows[1][5] == str(alice.pk)
    assert rows[1][0].endswith("+00:00")
    exported = AuditEvent.objects.get(action=Action.AUDIT_EXPORTED)
    assert (exported.actor_person_id, exported.details) == (
        olga.pk,
        {"format": "csv", "filters": {"action": Action.ROLES_CHANGED}},
    )


def test_an_unknown_download_format_is_not_found(client, olga):
    client.force_login(olga.user)
    assert client.get(reverse("audit:export", args=["pdf"])).status_code == 404


def test_the_api_lists_filters_and_pages(client, olga, alice, trail):
    headers = api_headers(olga)
    answer = client.get(API, {"action": Action.ROLES_CHANGED}, headers=headers)

    assert answer.status_code == 200
    body = answer.json()
    assert body["count"] == 1
    (event,) = body["results"]
    assert (event["action"], event["actor"], event["target_id"], event["details"]) == (
        Action.ROLES_CHANGED,
        "Olga Owner",
        str(alice.pk),
        {"added": ["program_manager"]},
    )
    everything = client.get(API, {"page_size": 1, "page": 2}, headers=headers).json()
    assert everything["count"] == len(_acme_actions(olga))
    assert len(everything["results"]) == 1


@pytest.mark.parametrize("who", ["alice", "pam", "lou", "leo", "mentor", "gina_sees_acme"])
def test_no_other_role_sees_acmes_audit_log(client, request, olga, alice, pam, lou, leo, gina, trail, who):
    if who == "mentor":
        viewer = PersonFactory(
            organisation=olga.organisation, full_name="Mo Mentor", roles=[Role.PARTICIPANT]
        )
    elif who == "gina_sees_acme":
        viewer = gina
    else:
        viewer = request.getfixturevalue(who)
    client.force_login(viewer.user)

    if who == "gina_sees_acme":
        page = client.get(PAGE)
        assert page.status_code == 200
        assert "Olga Owner" not in page.content.decode()
        assert all(event.organisation_id == gina.organisation_id for event, _lines in page.context["rows"])
        answer = client.get(API, headers=api_headers(gina)).json()
        assert all(row["actor"] != "Olga Owner" for row in answer["results"])
        return
    assert client.get(PAGE).status_code == 403
    assert client.get(reverse("audit:export", args=["csv"])).status_code == 403
    assert client.get(API, headers=api_headers(viewer)).status_code == 403
    assert not AuditEvent.objects.filter(action=Action.AUDIT_EXPORTED).exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, trail):
    assert client.get(PAGE).status_code == 302
    assert client.get(API).status_code == 401


def test_the_page_and_the_api_take_the_same_queries_however_many_events(client, olga, alice):
    client.force_login(olga.user)
    headers = api_headers(olga)

    def queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as page:
            assert client.get(PAGE).status_code == 200
        with CaptureQueriesContext(connection) as answer:
            assert client.get(API, headers=headers).status_code == 200
        return len(page), len(answer)

    for _ in range(3):
        record(action=Action.SIGN_IN, actor=alice, target=olga, details={"n": 1})
    few = queries()
    for _ in range(40):
        record(action=Action.SIGN_IN, actor=alice, target=olga, details={"n": 1})
    assert queries() == few


def test_the_django_admin_shows_events_read_only_and_staff_only_their_organisations(
    client, django_user_model, olga, gina, trail
):
    superuser = django_user_model.objects.create_superuser("root@example.com", "root@example.com", "pw")
    client.force_login(superuser)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert "Gina Globex" in listing.content.decode() and "Olga Owner" in listing.content.decode()
    assert client.get(reverse("admin:audit_auditevent_add")).status_code == 403

    olga.user.is_staff = True
    olga.user.save()
    olga.user.user_permissions.set(Permission.objects.filter(content_type__app_label="audit"))
    client.force_login(olga.user)
    listing = client.get(reverse("admin:audit_auditevent_changelist"))
    assert listing.status_code == 200
    assert "Gina Globex" not in listing.content.decode()
