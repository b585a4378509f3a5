"""The installable patient app: the service worker at the site's root and the web app manifest.

The worker (static/sw.js) is served from /sw.js so that its scope is the whole site (a script
under /static/ could only control /static/); `no-cache` so that a new version is seen at the
next visit. What it caches and why: docs/offline.md. The manifest is in the language of the
page that links it (`?lang=`), since browsers fetch it without cookies.
"""

from __future__ import annotations

import functools
import hashlib
from importlib import resources

from fastapi import APIRouter
from fastapi.responses import JSONResponse, Response

from alsrx.i18n import N_, translator

router = APIRouter(include_in_schema=False)
NAME = N_("alsrx home exercise")
SHORT_NAME = N_("alsrx exercise")
DESCRIPTION = N_("Your exercise plan for today: log each session with one tap, even offline.")
THEME = "#0b57d0"  # app.css --accent
ICONS = (
    ("/static/icons/icon-192.png", "192x192", "any"),
    ("/static/icons/icon-512.png", "512x512", "any"),
    ("/static/icons/icon-maskable-512.png", "512x512", "maskable"),
)


@functools.cache
def _script() -> str:
    """sw.js with the version of the assets it caches: a digest of the static files, so that
    any change of one makes a new worker, which drops the old cache."""
    static = resources.files("alsrx.web").joinpath("static")
    digest = hashlib.sha256()
    for item in sorted(static.iterdir(), key=lambda i: i.name):
        if item.is_file():
            digest.update(item.name.encode() + b"\0" + item.read_bytes())
    script = static.joinpath("sw.js").read_text("utf-8")
    return script.replace("%ASSETS_VERSION%", digest.hexdigest()[:16])


@router.get("/sw.js")
def service_worker() -> Response:
    return Response(
        _script(),
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


@router.get("/manifest.webmanifest")
def manifest(lang: str = "en") -> Response:
    lang = lang if lang in ("en", "zh") else "en"
    _ = translator(lang)
    document = {
        "name": _(NAME),
        "short_name": _(SHORT_NAME),
        "description": _(DESCRIPTION),
        "lang": "zh-CN" if lang == "zh" else "en",
        "start_url": "/today",
        "scope": "/",
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": THEME,
        "icons": [{"src": s, "sizes": z, "type": "image/png", "purpose": p} for s, z, p in ICONS],
    }
    return JSONResponse(
        document,
        media_type="application/manifest+json",
        headers={"Cache-Control": "max-age=3600"},
    )
