"""The API documentation page works offline: every asset it names is served by alsrx itself."""

from __future__ import annotations

import re

from tests.db_fixtures import SQLITE_ONLY

TYPES = {".js": "javascript", ".css": "text/css"}


@SQLITE_ONLY
def test_the_api_docs_page_names_only_same_origin_assets_and_they_are_served(world):
    page = world.client.get("/api/docs")
    assert page.status_code == 200
    assert "script-src 'self'" in page.headers["content-security-policy"]
    assert "<script>" not in page.text  # no inline script: the CSP would refuse it
    assets = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert len(assets) == 3 and all(a.startswith("/static/swagger/") for a in assets)
    for asset in assets:
        r = world.client.get(asset)
        kind = TYPES[asset[asset.rindex(".") :]]
        assert r.status_code == 200 and kind in r.headers["content-type"] and r.content
    init = world.client.get("/static/swagger/init.js").text
    assert "/openapi.json" in init and world.client.get("/openapi.json").status_code == 200


@SQLITE_ONLY
def test_swagger_ui_ships_with_its_licence(world):
    licence = world.client.get("/static/swagger/LICENSE")
    assert licence.status_code == 200 and "Apache License" in licence.text
