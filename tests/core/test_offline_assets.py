"""Mentora must work offline and behind firewalls: no page loads a script, stylesheet or icon
from another host."""

import re

import pytest

ASSET = re.compile(r'<(?:script|link|img)\b[^>]*\b(?:src|href)="([^"]+)"')


@pytest.mark.parametrize("path", ["/accounts/login/", "/api/docs"])
def test_pages_load_every_asset_from_this_server(client, db, path):
    response = client.get(path)
    assert response.status_code == 200
    assets = ASSET.findall(response.content.decode())
    assert assets, "the page should load at least one asset"
    assert [a for a in assets if "//" in a] == []


def test_a_signed_in_home_page_loads_every_asset_from_this_server(client, alice):
    client.force_login(alice.user)
    assets = ASSET.findall(client.get("/").content.decode())
    assert assets
    assert [a for a in assets if "//" in a] == []
