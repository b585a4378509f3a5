"""Every page any role can reach, in zh and en, read as a person reads it: no English sentence
or untranslated message on a 中文 page, no engine code, no raw data, no server error.

The pages are found by following links from each role's home (no list of pages to keep up to
date), plus the error states a link cut short or a guessed URL reaches."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from importlib import resources
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from fastapi.testclient import TestClient
from tests.db_fixtures import SQLITE_ONLY
from tests.web.test_pages import csrf_of, sign_in, start_plan
from tests.web.test_sign_in_mfa import enrol

ROLES = ("clinician", "patient", "caregiver", "researcher", "admin")
USERNAMES = (*ROLES, "clinician_b")
MAX_PAGES = 120  # per role and language: every kind of page, fast enough for CI
VARIANTS = 2  # query-string variants of one path (sort links, pages) worth reading
SKIP = ("/logout", "/static/", "/api/", "/openapi.json")
ENGINE_CODE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
RAW = re.compile(r"\{'|\{\"|^None$|[:=(] ?None\b|\[\]|Traceback|File \"")
ENGLISH_RUN = re.compile(r"\b[A-Za-z][a-z']*(?:[ ,]+[A-Za-z][a-z']*){2,}\b")
# Names, units and scale names that stay as they are in Chinese text.
ALLOWED_WORDS = {
    "alsfrs", "fvc", "mitos", "king's", "kings", "bpm", "cmh2o", "mrc", "cpet", "vo2peak",
    "alsrx", "borg", "mep", "mip", "snip", "hrr", "rpe", "ml", "kg", "min", "cm", "mins",
    "english", "totp", "ics", "pdf", "id", "l", "m", "w",
}  # fmt: skip
# Pages whose findings are listed but not failed (none: every page must read in words).
ALLOWANCE: tuple[str, ...] = ()
CITATION = re.compile(r"\bet al\b|doi:|PMID|ClinicalTrials\.gov|\b(?:19|20)\d\d;")
READ_ATTRS = ("title", "aria-label", "alt", "placeholder")


class Visible(HTMLParser):
    """The text people read, and the links they can follow."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.links: list[str] = []
        self._skip = 0
        self._cites: list[bool] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag in ("script", "style"):
            self._skip += 1
        # A citation marked as English (<cite lang="en">) keeps its source's language.
        if tag == "cite":
            self._cites.append(a.get("lang") == "en")
            self._skip += self._cites[-1]
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        if tag == "input" and a.get("type") == "hidden":
            return
        self.texts += [a[k] for k in READ_ATTRS if a.get(k)]
        if tag == "input" and a.get("type") in ("submit", "button") and a.get("value"):
            self.texts.append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style"):
            self._skip -= 1
        if tag == "cite" and self._cites:
            self._skip -= self._cites.pop()

    def handle_data(self, data: str) -> None:
        if not self._skip and data.strip():
            self.texts.append(" ".join(data.split()))


def translated_msgids() -> set[str]:
    po = resources.files("alsrx") / "locale" / "zh_CN" / "LC_MESSAGES" / "alsrx.po"
    with po.open("rb") as f:
        catalog = read_po(f)
    # A msgid kept as it is in Chinese ("ALSFRS-R", "MiToS") is not an untranslated one.
    return {m.id for m in catalog if isinstance(m.id, str) and m.string and m.string != m.id}


def findings(text: str, lang: str, english: set[str], names: set[str]) -> list[str]:
    found = []
    codes = [c for c in ENGINE_CODE.findall(text) if c not in names]
    if codes:
        found.append(f"engine code {codes[0]!r} in {text!r}")
    if RAW.search(text):
        found.append(f"raw data in {text!r}")
    # A bibliographic reference keeps its original language (authors, titles, journals).
    if lang == "zh" and not CITATION.search(text):
        if text in english:
            found.append(f"untranslated message {text!r}")
        for run in ENGLISH_RUN.findall(text):
            words = {w.lower().strip(",") for w in run.split()}
            if not words <= ALLOWED_WORDS | names:
                found.append(f"English words {run!r} in {text!r}")
                break
    return found


def world_with_everything(world):
    """A patient with an assessment, an approved plan and a draft proposal, a red-flag session
    with notes (so an alert), and the world's caregiver, researcher and admin."""
    start_plan(world)
    h = world.as_("clinician")
    world.client.post(f"/api/v1/patients/{world.patient_a}/prescriptions", headers=h)
    c = world.client
    sign_in(c, "patient")
    token = csrf_of(c.get("/today").text)
    form = {"csrf": token, "patient": world.patient_a, "component": "aerobic"}
    c.post(
        "/today/details",
        data=form | {"symptoms": "dizziness", "completed": "partial", "notes": "felt dizzy"},
    )


def set_language(client, lang):
    home = client.get("/account")
    found = re.search(r'name="csrf" value="([^"]+)"', home.text)
    assert found, home.url
    token = found.group(1)
    client.post("/prefs", data={"csrf": token, "next": "/", "lang": lang})


def crawl(world, role, lang):
    """Every same-origin page reachable from the role's home, plus the error states."""
    # A browser of its own for each role (the world's lifespan is already running).
    c = TestClient(world.client.app, raise_server_exceptions=False)
    if role == "admin":  # admins always set up two-step sign-in first
        enrol(c, role)
    else:
        sign_in(c, role)
    set_language(c, lang)
    # User names and patient codes are names, whatever they look like.
    english, names = translated_msgids(), {*USERNAMES, "a-001", "b-001"}
    start = ["/", "/no/such/page", "/clinic?page=abc", f"/clinic/patients/{world.patient_b}"]
    start += ["/clinic/alerts?status=resolved", "/today?patient=abc"]
    seen, queue, report = set(), list(start), {}
    variants: dict[str, int] = {}
    while queue and len(seen) < MAX_PAGES:
        url = urldefrag(queue.pop(0))[0]
        if url in seen or not url.startswith("/") or url.startswith(SKIP):
            continue
        path = urlsplit(url).path
        if variants.get(path, 0) >= VARIANTS and url not in start:
            continue
        variants[path] = variants.get(path, 0) + 1
        seen.add(url)
        r = c.get(url)
        page = urlsplit(str(r.url)).path
        problems = [f"status {r.status_code}"] if r.status_code >= 500 else []
        if "text/html" not in r.headers.get("content-type", ""):
            if r.headers.get("content-type", "").startswith("application/json"):
                problems.append("JSON instead of a page")
            report[url] = problems
            continue
        parser = Visible()
        parser.feed(r.text)
        for text in parser.texts:
            problems += findings(text, lang, english, names)
        if problems:
            report[f"{url} ({page})"] = problems
        queue += [link for link in parser.links if link.startswith("/")]
    return seen, report


def _readable(report):
    return "\n".join(f"{page}:\n  " + "\n  ".join(sorted(set(p))) for page, p in report.items())


@SQLITE_ONLY
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_of_every_role_reads_in_words_in_the_users_language(world, lang):
    world_with_everything(world)
    failed, allowed = {}, {}
    for role in ROLES:
        seen, report = crawl(world, role, lang)
        assert len(seen) > 3, f"{role} reached only {seen}"
        for page, problems in report.items():
            if not problems:
                continue
            target = allowed if ALLOWANCE and page.startswith(ALLOWANCE) else failed
            target[f"{role} {lang} {page}"] = problems
    if allowed:
        print("Findings on pages other branches are rewriting:\n" + _readable(allowed))
    assert not failed, "\n" + _readable(failed)


@SQLITE_ONLY
def test_unknown_urls_and_wrong_methods_are_pages_in_the_users_language(world):
    c = world.client
    sign_in(c, "clinician")
    set_language(c, "zh")
    missing = c.get("/no/such/page")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]
    assert "不存在" in missing.text and 'href="/clinic"' in missing.text
    wrong = c.delete("/clinic")
    assert wrong.status_code == 405 and "text/html" in wrong.headers["content-type"]
    other = c.get(f"/clinic/patients/{world.patient_b}")
    assert other.status_code == 404 and "患者" in other.text
    api = c.get("/api/v1/no/such/thing", headers=world.as_("clinician"))
    assert api.status_code == 404 and api.json()["error"]["code"] == "not_found"


@SQLITE_ONLY
def test_a_page_in_one_language_does_not_leave_its_words_on_the_next_readers_page(world):
    """Imported macros are cached with the globals of their first render: an English admin
    page rendered first once left its English menu on every 中文 admin page."""
    from alsrx.web.pages import render

    render.environment.cache_clear()
    c = TestClient(world.client.app, raise_server_exceptions=False)
    enrol(c, "admin")
    set_language(c, "en")
    assert "Audit trail" in c.get("/admin/users").text
    set_language(c, "zh")
    chinese = c.get("/admin/users").text
    assert "审计记录" in chinese and "Audit trail" not in chinese
