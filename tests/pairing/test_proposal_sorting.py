"""Issue 9 §3.14: a run's proposed pairs sort by mentor, mentee or score (?sort=, whitelisted), with
aria-sort on the sorted header; by default the locked pairs first, then by score."""

from django.urls import reverse

from mentora.organisations.models import Role
from mentora.pairing.models import MatchRun, Proposal, RunStatus
from tests.factories import PersonFactory


def proposals(program):
    run = MatchRun.objects.create(program=program, status=RunStatus.SUCCEEDED)

    def person(name):
        return PersonFactory(organisation=program.organisation, full_name=name, roles=[Role.PARTICIPANT])

    for mentor, mentee, score, locked in (
        ("Zoe Mentor", "Abe Mentee", 0.9, False),
        ("Amy Mentor", "Cat Mentee", 0.2, True),
        ("Max Mentor", "Bea Mentee", 0.5, False),
    ):
        Proposal.objects.create(
            run=run, mentor=person(mentor), mentee=person(mentee), score=score, locked=locked
        )
    return run


def mentees_in_order(text):
    names = ["Abe Mentee", "Bea Mentee", "Cat Mentee"]
    return sorted(names, key=lambda name: text.index(f"<td><bdi>{name}</bdi><br>"))


def test_the_run_page_sorts_its_pairs(client, pam, program):
    run = proposals(program)
    client.force_login(pam.user)
    url = reverse("pairing:run", args=[run.pk])
    text = client.get(url).content.decode()
    assert mentees_in_order(text) == ["Cat Mentee", "Abe Mentee", "Bea Mentee"]  # locked first, then score
    assert '<th scope="col" aria-sort="descending"><a href="?sort=score">Score</a></th>' in text
    text = client.get(url, {"sort": "mentor"}).content.decode()
    assert mentees_in_order(text) == ["Cat Mentee", "Bea Mentee", "Abe Mentee"]
    assert '<th scope="col" aria-sort="ascending"><a href="?sort=-mentor">Mentor</a></th>' in text
    fragment = client.get(url, {"sort": "-mentee"}, headers={"HX-Request": "true", "HX-Target": "proposals"})
    assert mentees_in_order(fragment.content.decode()) == ["Cat Mentee", "Bea Mentee", "Abe Mentee"]
    for bad in ("reasons", "mentor__user__password", "-"):
        response = client.get(url, {"sort": bad})
        assert response.status_code == 200
        assert mentees_in_order(response.content.decode()) == ["Cat Mentee", "Abe Mentee", "Bea Mentee"]


def test_the_pair_filters_keep_the_sort_and_the_sort_links_keep_the_filters(client, pam, program):
    run = proposals(program)
    client.force_login(pam.user)
    url = reverse("pairing:run", args=[run.pk])
    text = client.get(url, {"sort": "mentor"}).content.decode()
    filter_form = text[text.index('role="search"') :].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="mentor">' in filter_form
    # What the filter form sends when a filter changes: the filters and the sort it holds.
    filters = {"name": "", "department": "", "min_score": "0.3", "sort": "mentor"}
    fragment = client.get(url, filters, headers={"HX-Request": "true", "HX-Target": "proposals"})
    text = fragment.content.decode()
    assert "Cat Mentee" not in text
    # Max before Zoe
    assert text.index("<td><bdi>Bea Mentee</bdi><br>") < text.index("<td><bdi>Abe Mentee</bdi><br>")
    assert '<a href="?name=&amp;department=&amp;min_score=0.3&amp;sort=-mentor">Mentor</a>' in text
