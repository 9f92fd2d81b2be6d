"""A program run many times: its matching page lists the runs a page at a time."""

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mentora.pairing.models import MatchRun, RunStatus
from mentora.pairing.selectors import RUNS_PER_PAGE


def runs(program, count, status=RunStatus.FAILED):
    MatchRun.objects.bulk_create(MatchRun(program=program, status=status) for _ in range(count))


def rows(text: str) -> int:
    return text.count('<a href="/pairing/runs/')


def test_the_matching_page_shows_one_page_of_runs_and_a_link_to_the_next(client, pam, program):
    runs(program, RUNS_PER_PAGE + 2)
    client.force_login(pam.user)
    text = client.get(reverse("pairing:home", args=[program.pk])).content.decode()
    assert rows(text) == RUNS_PER_PAGE
    assert '<nav class="pager" aria-label="Pages of matching runs">' in text
    assert 'href="?page=2" rel="next"' in text
    fragment = client.get(reverse("pairing:runs", args=[program.pk]), {"page": "2"}).content.decode()
    assert rows(fragment) == 2


def test_the_run_list_polls_only_while_a_run_on_its_page_runs(client, pam, program):
    runs(program, 1, status=RunStatus.QUEUED)
    runs(program, RUNS_PER_PAGE)
    client.force_login(pam.user)
    url = reverse("pairing:runs", args=[program.pk])
    assert "hx-trigger" not in client.get(url).content.decode()  # the newest page: all finished
    assert 'hx-get="/pairing/programs/' in client.get(url, {"page": "2"}).content.decode()


def test_the_run_list_needs_the_same_queries_for_more_runs(client, pam, program):
    client.force_login(pam.user)
    url = reverse("pairing:runs", args=[program.pk])
    runs(program, 2)
    client.get(url)
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    runs(program, 40)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
