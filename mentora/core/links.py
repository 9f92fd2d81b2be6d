"""Links that leave the site: e-mails and calendar files carry absolute addresses."""

from django.conf import settings
from django.urls import reverse


def site_url(name: str, *args: object) -> str:
    """The absolute address of a named URL on this site, built on SITE_URL."""
    return settings.SITE_URL.rstrip("/") + reverse(name, args=args)
