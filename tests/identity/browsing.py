"""A plain HTTP client's view of a page's form: what a browser would submit."""

from html.parser import HTMLParser
from urllib.parse import urljoin

import requests


class _Forms(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag in {"input", "button", "textarea"} and self.forms and attrs.get("name"):
            if attrs.get("type") in {"checkbox", "radio"} and "checked" not in attrs:
                return
            self.forms[-1]["fields"].setdefault(attrs["name"], attrs.get("value") or "")


def submit_form(
    session: requests.Session, page: requests.Response, index: int = -1, **values
) -> requests.Response:
    """Submit the page's form (the last by default) with its hidden fields and `values`."""
    parser = _Forms()
    parser.feed(page.text)
    form = parser.forms[index]
    data = form["fields"] | values
    return session.post(
        urljoin(page.url, form["action"] or page.url), data=data, headers={"Referer": page.url}
    )
