"""A prescription as a printed PDF: the patient's handout or the clinician's sheet.

HTML from the Jinja2 templates beside this module (patient.html, clinician.html, print.css),
laid out by WeasyPrint on A4 with the page number and the emergency number in every footer.
Fonts are the system's Noto Sans CJK (Debian's fonts-noto-cjk), named in print.css on the
body and in the page-margin boxes, so that neither the text nor the footers fall back to a font
without Chinese. Nothing is fetched: the figures are inline SVG, the stylesheet is read from the
package, and the URL fetcher refuses every URL that is not a `data:` URI.

A version's content never changes, so a rendered PDF is kept in a small in-process LRU cache
under the programme's key (prescription id, version, language, audience, and a digest of the
context: a centre's new phone number makes a new copy).
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from importlib import resources

import jinja2
import markupsafe
import weasyprint
from weasyprint import urls as weasy_urls

from alsrx.render import programme_view

CACHE_SIZE = 64  # copies; a handout is about 100-300 kB with its font subsets
HTML_LANG = {"en": "en", "zh": "zh-CN"}


class OfflineFetcher(weasy_urls.URLFetcher):  # type: ignore[misc]
    """Refuses every URL but inline `data:` URIs: a handout never loads anything."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1)


class _Cache:
    """A bounded, thread-safe LRU of rendered PDFs (the web app renders in worker threads)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[object, ...], bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[object, ...]) -> bytes | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[object, ...], value: bytes) -> None:
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()

    def __len__(self) -> int:
        return len(self._items)


CACHE = _Cache(CACHE_SIZE)


def pdf(programme: programme_view.Programme) -> bytes:
    """The programme as PDF bytes; the same version's copy from the cache when there is one."""
    if programme.key is None:
        return render(programme)
    found = CACHE.get(programme.key)
    if found is None:
        found = render(programme)
        CACHE.put(programme.key, found)
    return found


def render(programme: programme_view.Programme) -> bytes:
    """Lay the programme out and write the PDF, without the cache."""
    document = weasyprint.HTML(string=html(programme), url_fetcher=OfflineFetcher())
    out: bytes = document.write_pdf(stylesheets=[_stylesheet()])
    return out


def html(programme: programme_view.Programme) -> str:
    template = _environment().get_template(f"{programme.audience}.html")
    safe = markupsafe.Markup  # CSS inside <style>: HTML escaping would corrupt it
    return template.render(
        p=programme,
        html_lang=HTML_LANG.get(programme.lang, programme.lang),
        footer=safe(css_string(programme.footer)),
        page_of=safe(page_counter(programme.page_of)),
    )


@functools.cache
def _environment() -> jinja2.Environment:
    folder = resources.files("alsrx.reports") / "templates"
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(folder)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["svg"] = markupsafe.Markup  # render/figures.py's own markup, escaped there
    return env


@functools.cache
def _stylesheet() -> weasyprint.CSS:
    """print.css, parsed once: parsing it was a sixth of a render."""
    text = (resources.files("alsrx.reports") / "templates" / "print.css").read_text("utf-8")
    return weasyprint.CSS(string=text, url_fetcher=OfflineFetcher())


def css_string(text: str) -> str:
    """A CSS string literal: quotes, backslashes, line breaks and "<" escaped (so that no
    text, a clinic's phone field included, can close the <style> element)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\a ")
    escaped = escaped.replace("<", "\\3c ")
    return f'"{escaped}"'


def page_counter(template: str) -> str:
    """ "Page {page} of {pages}" as a CSS `content` value with the page counters."""
    out, rest = [], template
    while rest:
        cut = min((i for i in (rest.find("{page}"), rest.find("{pages}")) if i >= 0), default=-1)
        if cut < 0:
            out.append(css_string(rest))
            break
        if cut:
            out.append(css_string(rest[:cut]))
        name = "pages" if rest.startswith("{pages}", cut) else "page"
        out.append(f"counter({name})")
        rest = rest[cut + len(name) + 2 :]
    return " ".join(out)
