from django.urls import reverse

from tests.factories import PASSWORD, DepartmentFactory, OfferedSkillFactory, SelfAssessmentFactory


def test_it_redirects_anonymous_visitors_to_sign_in(client, db):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_participant_signs_in_and_lands_on_home(client, alice):
    response = client.post(
        reverse("login"), {"login": alice.user.username, "password": PASSWORD}, follow=True
    )
    assert response.status_code == 200
    assert "Alice Archer" in response.content.decode()


def test_a_wrong_password_is_refused(client, alice):
    response = client.post(reverse("login"), {"login": alice.user.username, "password": "nope"})
    assert response.status_code == 200
    assert not response.wsgi_request.user.is_authenticated


def home(client, person):
    client.force_login(person.user)
    return client.get(reverse("home"))


def test_a_participant_sees_profile_completeness_and_quick_links(client, alice):
    response = home(client, alice)
    body = response.content.decode()
    assert response.context["completeness"].percent < 100
    assert "Skills you can offer" in body
    assert reverse("people:profile_edit") in body and reverse("people:self_assessment") in body
    assert "overview" not in response.context and "departments" not in response.context


def test_a_program_manager_sees_people_counts_departments_and_the_import_link(client, org, pam, alice, bob):
    DepartmentFactory(organisation=org, name="Research")
    alice.department = DepartmentFactory(organisation=org, name="Sales")
    alice.save()
    response = home(client, pam)
    body = response.content.decode()
    overview = response.context["overview"]
    assert (overview.people, overview.participants, overview.departments) == (3, 2, 2)
    assert "Research" in body and "Sales" in body
    assert reverse("people:list") in body
    assert "/people/import/" in body
    assert "completeness" not in response.context


def test_an_org_admin_sees_the_people_database_panel(client, olga):
    assert "departments" in home(client, olga).context


def test_a_line_manager_sees_their_direct_reports(client, alice, lou, leo, bob):
    response = home(client, lou)
    assert [p.full_name for p in response.context["reports"]] == ["Alice Archer"]
    assert "Bob Baker" not in response.content.decode()
    # Leo sees only his direct report, Lou, on the home page.
    assert [p.full_name for p in home(client, leo).context["reports"]] == ["Lou Lead"]


def test_a_leader_sees_the_organisation_overview(client, leo, alice, python_skill):
    OfferedSkillFactory(person=alice, skill=python_skill)
    response = home(client, leo)
    assert response.context["overview"].mentors == 1
    assert "Python" in response.content.decode()
    assert "departments" not in response.context


def test_the_overview_has_no_private_data(client, pam, alice):
    SelfAssessmentFactory(person=alice, reflection="PRIVATE-MARKER")
    assert "PRIVATE-MARKER" not in home(client, pam).content.decode()


def test_charlie_sees_no_acme_counts(client, charlie, alice, bob, pam):
    assert home(client, charlie).context["overview"].people == 1


def test_the_navigation_fits_the_role(client, alice, pam):
    participant_nav = home(client, alice).content.decode()
    assert "/people/import/" not in participant_nav
    assert "Colleagues" in participant_nav
    assert "/people/import/" in home(client, pam).content.decode()


def test_sign_out_and_password_change(client, alice):
    client.force_login(alice.user)
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "a-new-long-passphrase",
            "new_password2": "a-new-long-passphrase",
        },
    )
    assert response.status_code == 302
    assert client.post(reverse("logout")).status_code == 302
    assert client.get(reverse("home")).status_code == 302
    assert client.login(username=alice.user.username, password="a-new-long-passphrase")
