"""Issue 9 §3.14: the people list sorts by a whitelisted column (?sort=), with aria-sort on the sorted
header; seniority, which is not public, sorts only for those who curate the people database."""

from django.urls import reverse

from mentora.organisations.models import Role
from tests.factories import PersonFactory


def names_in_order(text, names):
    return sorted(names, key=lambda name: text.index(f"><bdi>{name}</bdi></a>"))


def people(org):
    for name, location, seniority in (
        ("Cy Cole", "Berlin", 3),
        ("Ada Ames", "Zurich", 1),
        ("Bo Bell", "Austin", 9),
    ):
        PersonFactory(
            organisation=org, full_name=name, location=location, seniority=seniority, roles=[Role.PARTICIPANT]
        )
    return ["Ada Ames", "Bo Bell", "Cy Cole"]


def test_a_colleague_sorts_by_a_public_column_but_not_by_seniority(client, org, alice):
    names = people(org)
    client.force_login(alice.user)
    url = reverse("people:list")
    text = client.get(url, {"sort": "-location"}).content.decode()
    assert names_in_order(text, names) == ["Ada Ames", "Cy Cole", "Bo Bell"]
    assert '<th scope="col" aria-sort="descending"><a href="?sort=location">Location</a></th>' in text
    text = client.get(url, {"sort": "-seniority"}).content.decode()
    assert names_in_order(text, names) == ["Ada Ames", "Bo Bell", "Cy Cole"]  # the default: by name
    assert "?sort=seniority" not in text and "?sort=-seniority" not in text


def test_a_program_manager_sorts_by_seniority_and_bad_values_are_ignored(client, org, pam):
    names = people(org)
    client.force_login(pam.user)
    url = reverse("people:list")
    text = client.get(url, {"sort": "-seniority", "q": "", "page": "1"}).content.decode()
    assert names_in_order(text, names) == ["Bo Bell", "Cy Cole", "Ada Ames"]
    assert 'aria-sort="descending"><a href="?sort=seniority&amp;q=">Seniority</a>' in text
    for bad in ("user__password", "-email", "--name", "\x00"):
        response = client.get(url, {"sort": bad})
        assert response.status_code == 200
        assert names_in_order(response.content.decode(), names) == names


def test_the_search_keeps_the_sort_and_the_sort_links_keep_the_search(client, org, alice):
    names = people(org)
    client.force_login(alice.user)
    url = reverse("people:list")
    text = client.get(url, {"sort": "-location"}).content.decode()
    search_form = text[text.index('role="search"') :].split("</form>")[0]
    assert '<input type="hidden" name="sort" value="-location">' in search_form
    # What the search form sends as you type: the search and the sort it holds.
    fragment = client.get(url, {"q": "e", "sort": "-location"}, headers={"HX-Request": "true"})
    text = fragment.content.decode()
    assert names_in_order(text, names) == ["Ada Ames", "Cy Cole", "Bo Bell"]
    assert '<a href="?q=e&amp;sort=location">Location</a>' in text
