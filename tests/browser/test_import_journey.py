"""A program manager checks an HR export, imports it, follows the background job to its report and
downloads the people back: in Chromium, against the live server, with the tasks run at once."""

import pytest
from django.urls import reverse

from mentora.people.models import Person
from tests.browser.journey import Screenshots, sign_in

EXPORT = (
    "employee_id,email,full_name,job_title\n"
    'N1,nina@acme.test,Nina New,=HYPERLINK("http://evil.test")\n'
    "N2,omar@acme.test,Omar Old,Engineer\n"
)


@pytest.fixture
def run_tasks_at_once(settings):
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def test_a_manager_checks_imports_follows_and_exports_the_people(
    live_server, browser_page, pam, org, tmp_path, run_tasks_at_once
):
    page, shot = browser_page, Screenshots("import")
    path = tmp_path / "people.csv"
    path.write_text(EXPORT)
    sign_in(page, live_server, pam)

    page.goto(live_server.url + reverse("people:import"))
    page.get_by_label("HR export").set_input_files(str(path))
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="The file is ready to import").wait_for()
    shot(page, "checked")
    assert not Person.objects.filter(organisation=org, employee_id="N1").exists()

    page.get_by_label("Check without importing").uncheck()
    page.get_by_role("button", name="Upload").click()
    page.get_by_role("heading", name="Imported").wait_for()
    shot(page, "imported")
    assert Person.objects.get(organisation=org, employee_id="N1").job_title.startswith("=HYPERLINK")

    page.goto(live_server.url + reverse("people:list"))
    with page.expect_download() as download:
        page.get_by_role("link", name="Export CSV").click()
    content = download.value.path().read_text(encoding="utf-8-sig")
    assert "'=HYPERLINK" in content and "nina@acme.test" in content
