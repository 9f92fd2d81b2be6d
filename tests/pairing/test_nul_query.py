"""Text with NUL in a page's query string is a 400, not PostgreSQL's 500."""

from django.urls import reverse

from tests.pairing.test_pages_and_api import login, run  # noqa: F401


def test_a_swap_search_with_nul_is_a_bad_request(client, run, pam):  # noqa: F811
    login(client, pam)
    first = run.proposals.order_by("id").first()
    response = client.get(reverse("pairing:swap", args=[run.pk]), {"first": first.pk, "name": "El\x00la"})
    assert response.status_code == 400
