"""An org admin connects an identity provider on the Single sign-on page, and a person finds
"Sign in with your organisation" from the sign-in page: in a real browser (axe-core and 320 px
checks on every page visited)."""

from django.urls import reverse

from mentora.identity.models import IdentityProvider
from tests.browser.journey import Screenshots, new_page, sign_in


def test_olga_connects_her_organisations_identity_provider(live_server, browser, olga):
    page = new_page(browser)
    shot = Screenshots("sso")

    page.goto(live_server.url + reverse("login"))
    page.get_by_role("link", name="Sign in with your organisation (single sign-on)").click()
    page.get_by_role("heading", name="Sign in with your organisation").wait_for()
    page.get_by_label("Work e-mail").fill("someone@acme.example")
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Single sign-on is not set up for this address's domain.").wait_for()
    shot(page, "start-not-set-up")

    sign_in(page, live_server, olga)
    page.get_by_role("link", name="Single sign-on").first.click()
    page.get_by_role("heading", name="Single sign-on", exact=True).wait_for()
    page.get_by_text("Single sign-on is not configured").wait_for()
    shot(page, "not-configured")
    page.get_by_role("radio", name="OpenID Connect").check()
    page.get_by_label("E-mail domains").fill("acme.example")
    page.get_by_label("Issuer (OpenID Connect)").fill("https://login.acme.example")
    page.get_by_label("Client id (OpenID Connect)").fill("mentora")
    page.get_by_label("Client secret (OpenID Connect)").fill("browser-secret")
    page.get_by_role("button", name="Save").click()

    page.get_by_text("Single sign-on settings saved.").wait_for()
    page.get_by_text("A client secret is stored").wait_for()
    shot(page, "configured")
    assert "browser-secret" not in page.content()
    assert IdentityProvider.objects.get().app.secret == "browser-secret"
