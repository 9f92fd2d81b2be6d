"""A program manager opens the evidence from the navigation, reads the program dashboard (charts
beside their tables), looks at the at-risk pair's summary and messages the pair: in a real browser,
every page checked by axe-core and the Content-Security-Policy; then asks for the PDF report from the
dashboard's "To a PDF report" link, follows its progress on the Exports page and downloads it.

Screenshots go to test-artifacts/.
"""

from django.urls import reverse

from mentora.audit.models import AuditEvent
from mentora.reports.models import Export
from mentora.reports.services import export_build
from tests.browser.journey import Screenshots, sign_in
from tests.evidence.scenario import build_scenario


def test_a_manager_goes_from_the_dashboard_to_an_at_risk_pairs_action(
    live_server, browser_page, org, pam, olga
):
    scenario = build_scenario(org=org, managers=[pam])
    erin = scenario.pairs["erin"]
    page = browser_page
    shot = Screenshots("evidence")
    sign_in(page, live_server, pam)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Evidence").click()
    page.get_by_role("link", name="Program P").click()
    page.get_by_role("heading", name="Program dashboard").wait_for()
    assert page.get_by_role("img", name="From invitation to completion").is_visible()
    assert page.get_by_role("table", name="Pair health").is_visible()
    shot(page, "dashboard")

    page.get_by_role("link", name="Erin Eve with Mo Moss").click()
    page.get_by_role("heading", name="Erin Eve, mentored by Mo Moss").wait_for()
    page.go_back()

    page.get_by_label("Action", exact=True).select_option("message")
    page.get_by_label("Message (for “Message the pair”)").fill("Shall we find a time to talk?")
    page.get_by_role("button", name="Send to Erin Eve's pair").click()
    page.get_by_text("Your message is on its way to both.").wait_for()
    shot(page, "messaged")
    event = AuditEvent.objects.get(action="evidence.pair_action")
    assert event.target_id == str(erin.pk) and event.details["action"] == "message"
    assert page.url.endswith(reverse("evidence:program", args=[scenario.program.pk]))

    page.get_by_role("link", name="To a PDF report").click()
    page.get_by_role("heading", name="Reports and exports").wait_for()
    shot(page, "reports")
    page.get_by_role("button", name="PDF report").click()
    page.get_by_role("heading", name="Exports", exact=True).wait_for()
    export = Export.objects.get(requested_by=pam)
    assert page.locator(f"#export-{export.pk} progress").is_visible()
    export_build(export_id=export.pk)  # what the task worker does (bin/demo runs one)
    download_link = page.locator(f"#export-{export.pk}").get_by_role("link", name="Download")
    download_link.wait_for()  # the row polls itself until the file is ready
    shot(page, "exported")
    with page.expect_download() as download:
        download_link.click()
    assert download.value.suggested_filename.endswith(".pdf")
    assert AuditEvent.objects.filter(action="reports.export_downloaded", actor_person=pam).exists()
