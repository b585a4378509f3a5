"""The clinician's exercise page of a draft component, in English and Chinese: every field
labelled, the dose changed and saved, operations answered unsaved, refusals at the field in
words, a stale page said so, other roles and centres kept out, CSRF checked."""

import html
import re

import pytest
from tests.db_fixtures import SQLITE_ONLY
from tests.web import test_exercise_edit_api as api
from tests.web.test_exercise_edit_api import KNEE, exercises_of, set_language, stored
from tests.web.test_pages import csrf_of, sign_in

# Pages and documents rendered from stored data: the services they call run on both backends
# in their own tests.
pytestmark = [SQLITE_ONLY]

NAME = {"en": "Seated knee straightening", "zh": "坐位伸膝"}


def drafted(world, visit=api.VISIT_KNEES_3):
    """A draft whose resistance session holds the knee exercise alone (the engine adds a
    warm-up before it), so the page's first row is that exercise."""
    rx = api.drafted(world, visit)
    knee = next(d for d in exercises_of({"prescription": rx["prescription"]}) if d["id"] == KNEE)
    only = api.put(world, rx, [knee])
    assert only.status_code == 200, only.text
    return only.json()


def page_url(rx, component="resistance"):
    return f"/clinic/prescriptions/{rx['id']}/exercises/{component}"


def opened(world, rx, lang="en"):
    if lang != "en":
        set_language(world, lang)
    sign_in(world.client, "clinician")
    page = world.client.get(page_url(rx))
    assert page.status_code == 200, page.text
    return page


def form_of(page, **changes):
    """The form's fields as the browser would post them, with the changes typed in."""
    text = page.text
    fields = dict(
        re.findall(
            r'<input (?:type="hidden" )?(?:id="[^"]*" )?name="([^"]+)"[^>]*?value="([^"]*)"', text
        )
    )
    for name, options in re.findall(
        r'<select id="[^"]*" name="([^"]+)"[^>]*>(.*?)</select>', text, re.S
    ):
        chosen = re.search(r'<option value="([^"]*)" selected', options) or re.search(
            r'<option value="([^"]*)"', options
        )
        fields[name] = chosen.group(1) if chosen else ""
    fields = {k: html.unescape(v) for k, v in fields.items()}
    fields["csrf"] = csrf_of(text)
    return fields | changes


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_shows_each_exercise_by_name_with_a_label_on_every_field(world, lang):
    rx = drafted(world)
    page = opened(world, rx, lang).text
    assert NAME[lang] in page
    assert f'lang="{"zh-CN" if lang == "zh" else "en"}"' in page
    ids = re.findall(r'<(?:input|select) id="([^"]+)"(?![^>]*type="hidden")', page)
    ids = [i for i in ids if i.startswith(("ex-", "add-"))]
    assert {"ex-0-sets", "ex-0-repetitions", "ex-0-side"} <= set(ids)
    for field in ids:
        assert f'<label for="{field}">' in page, field
    words = {
        "en": ("Sets", "Repetitions", "Side", "Remove", "Save"),
        "zh": ("组数", "每组次数", "侧别", "移除", "保存"),
    }
    assert all(w in page for w in words[lang])


def test_enter_in_a_field_saves_rather_than_pressing_another_button(world):
    page = opened(world, drafted(world)).text
    form = page[page.index('<form method="post" action="/clinic/prescriptions/') :]
    assert re.search(r'<button[^>]*name="op" value="([^"]+)"', form).group(1) == "save"


def test_the_prescription_page_links_each_draft_component_to_its_exercises(world):
    rx = drafted(world)
    sign_in(world.client, "clinician")
    page = world.client.get(f"/clinic/prescriptions/{rx['id']}").text
    assert f'href="{page_url(rx)}"' in page and "Change exercises" in page


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_changed_dose_is_saved_and_said_so(world, lang):
    rx = drafted(world)
    page = opened(world, rx, lang)
    form = form_of(page, **{"ex-0-sets": "2", "ex-0-repetitions": "12", "ex-0-side": "left"})
    saved = world.client.post(page_url(rx), data=form | {"op": "save"}, follow_redirects=False)
    assert saved.status_code == 303 and saved.headers["location"].endswith("?saved=1")
    after = world.client.get(saved.headers["location"]).text
    assert {"en": "Exercises saved.", "zh": "训练动作已保存。"}[lang] in after
    (dose,) = exercises_of(stored(world, rx))
    assert (dose["id"], dose["sets"], dose["repetitions"], dose["side"]) == (KNEE, 2, 12, "left")
    assert stored(world, rx)["version"] == rx["version"] + 1


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "must be a whole number from 1 to 2"),
        ("zh", "必须是1 至 2 之间的整数"),
    ],
)
def test_a_dose_outside_the_bounds_is_shown_at_its_field_in_words(world, lang, message):
    rx = drafted(world)
    before = stored(world, rx)
    page = opened(world, rx, lang)
    refused = world.client.post(
        page_url(rx), data=form_of(page, **{"ex-0-sets": "3", "op": "save"})
    )
    assert refused.status_code == 422
    assert f'<p class="error" id="err-ex-0-sets">{message}</p>' in refused.text
    assert 'aria-describedby="err-ex-0-sets"' in refused.text
    after = stored(world, rx)  # read in the page's language now: compare what is stored
    assert (after["version"], exercises_of(after)) == (before["version"], exercises_of(before))


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("en", "Seated knee straightening needs MRC 3 for knee extension (left); graded 2"),
        ("zh", "坐位伸膝要求伸膝（左）肌力达到 MRC 3 级；评定为 2 级"),
    ],
)
def test_an_exercise_on_a_side_too_weak_for_it_is_refused_in_words(world, lang, message):
    from tests.web.test_api_basics import VISIT

    rx = drafted(world, dict(VISIT, mrc={"knee_extension_left": 2, "knee_extension_right": 3}))
    page = opened(world, rx, lang)
    refused = world.client.post(
        page_url(rx), data=form_of(page, **{"ex-0-side": "both", "op": "save"})
    )
    assert refused.status_code == 422
    assert message in html.unescape(refused.text)


def test_remove_and_add_answer_the_changed_list_unsaved_until_save(world):
    rx = drafted(world)
    before = stored(world, rx)
    page = opened(world, rx)
    removed = world.client.post(page_url(rx), data=form_of(page, op="remove:0"))
    assert removed.status_code == 200
    assert "Not saved yet" in removed.text and 'name="count" value="0"' in removed.text
    assert "must name at least one exercise" in removed.text
    assert stored(world, rx) == before
    assert f'<option value="{KNEE}">{NAME["en"]}</option>' in removed.text
    assert '<label for="add-id">' in removed.text
    added = world.client.post(page_url(rx), data=form_of(removed, op="add", add_id=KNEE))
    assert 'name="count" value="1"' in added.text and NAME["en"] in added.text
    assert stored(world, rx) == before
    saved = world.client.post(page_url(rx), data=form_of(added, op="save"), follow_redirects=False)
    assert saved.status_code == 303
    assert [d["id"] for d in exercises_of(stored(world, rx))] == [KNEE]


def test_a_page_older_than_the_draft_is_refused_and_says_so(world):
    rx = drafted(world)
    page = opened(world, rx)
    form = form_of(page, op="save")
    assert world.client.post(page_url(rx), data=form, follow_redirects=False).status_code == 303
    stale = world.client.post(page_url(rx), data=form | {"ex-0-sets": "2"})
    assert stale.status_code == 409 and "Someone changed this draft" in stale.text
    assert exercises_of(stored(world, rx))[0]["sets"] == 1


def test_a_post_without_the_csrf_token_changes_nothing(world):
    rx = drafted(world)
    before = stored(world, rx)
    page = opened(world, rx)
    forged = form_of(page, op="save", **{"ex-0-sets": "2"}) | {"csrf": "forged"}
    assert world.client.post(page_url(rx), data=forged).status_code == 403
    assert stored(world, rx) == before


@pytest.mark.parametrize(
    ("who", "status"), [("patient", 403), ("caregiver", 403), ("clinician_b", 404)]
)
def test_only_the_patients_own_clinicians_open_the_page(world, who, status):
    rx = drafted(world)
    sign_in(world.client, who)
    assert world.client.get(page_url(rx)).status_code == status


def test_an_approved_plan_has_no_exercise_form(world):
    rx = drafted(world)
    h = world.as_("clinician") | {"If-Match": f'"{rx["version"]}"'}
    ack = {"acknowledge": [r["code"] for r in rx["prescription"]["reasons"]]}
    assert world.client.post(
        f"/api/v1/prescriptions/{rx['id']}/approve", headers=h, json=ack
    ).is_success
    sign_in(world.client, "clinician")
    page = world.client.get(page_url(rx))
    assert page.status_code == 409 and "no longer a draft" in page.text
    assert "Change exercises" not in world.client.get(f"/clinic/prescriptions/{rx['id']}").text
