"""Links that leave the site: e-mails and calendar files carry absolute addresses."""

from collections.abc import Mapping
from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse


def site_url(name: str, *args: object, query: Mapping[str, str] | None = None) -> str:
    """The absolute address of a named URL on this site, built on SITE_URL (the address people
    reach it at, which a request behind a proxy may not know), with an optional query string."""
    url = settings.SITE_URL.rstrip("/") + reverse(name, args=args)
    return f"{url}?{urlencode(query)}" if query else url
