"""The account page's "Access: switch, gaze, read aloud" form: its fields in words, their values
and what a refusal says. The route is common.py's POST /account/access; the rules and bounds are
domain/access_modes.py, the write services/access_settings.py."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from alsrx.domain import access_modes as am
from alsrx.errors import InvalidInput
from alsrx.i18n import N_, translator

ROLES = ("patient", "caregiver")  # the patient pages are theirs; the settings act there
MODES = (
    (am.Mode.OFF, N_("Off: touch, mouse or keyboard as usual")),
    (am.Mode.SCAN, N_("Switch scanning: the actions are highlighted in turn; press your switch")),
    (am.Mode.DWELL, N_("Dwell: look at an action (or rest the pointer on it) to choose it")),
)
SECONDS = N_("seconds")
TIMES = N_("times the scan time")
ROUNDS = N_("rounds")
# Each setting: its label, the unit shown after the box, and the hint with its span.
FIELDS: tuple[tuple[am.Bound, str, str, str], ...] = (
    (am.SCAN, N_("Scan time: how long each action stays highlighted"), SECONDS,
     N_("From %(min)s to %(max)s seconds; usually %(default)s seconds.")),
    (am.FIRST_FACTOR, N_("The first action stays longer"), TIMES,
     N_("From %(min)s to %(max)s times; usually %(default)s times.")),
    (am.LOOPS, N_("Rounds before the scan stops and waits"), ROUNDS,
     N_("From %(min)s to %(max)s; usually %(default)s.")),
    (am.ACCEPT, N_("Ignore presses shorter than (for tremor or spasms)"), SECONDS,
     N_("From %(min)s (off) to %(max)s seconds; usually %(default)s (off).")),
    (am.LONG_HOLD, N_("Hold the switch this long to go back"), SECONDS,
     N_("From %(min)s to %(max)s seconds; usually %(default)s seconds.")),
    (am.DWELL, N_("Dwell time: how long to look at an action to choose it"), SECONDS,
     N_("From %(min)s to %(max)s seconds; usually %(default)s seconds.")),
)  # fmt: skip
READ_ALOUD = N_("Read the highlighted action aloud (the device's voice, in the page's language)")
RANGE = N_("%(field)s: must be a number from %(min)s to %(max)s %(unit)s")
WHOLE_RANGE = N_("%(field)s: must be a whole number from %(min)s to %(max)s")
CHOOSE_MODE = N_("Choose one of the ways to use the pages.")
SAVED = N_("Access settings saved. They apply on the Today, details and history pages.")


def shown_to(role: str) -> bool:
    return role in ROLES


def view(
    prefs: am.AccessPrefs, lang: str, *, values: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """What the template shows: the modes, each setting with its box's value (what was posted,
    after a refusal), its words, unit and span."""
    _ = translator(lang)
    posted = values or {}
    fields = []
    for bound, label, unit, hint in FIELDS:
        name = am.form_field(bound)
        span = {
            "min": am.shown(bound.low, bound),
            "max": am.shown(bound.high, bound),
            "default": am.shown(bound.default, bound),
        }
        fields.append(
            {
                "name": name,
                "label": _(label),
                "unit": _(unit),
                "hint": _(hint) % span,
                "value": posted.get(name, am.form_value(prefs, bound)),
            }
        )
    mode = posted.get("mode", prefs.mode.value)
    return {
        "modes": [(m.value, _(words), m.value == mode) for m, words in MODES],
        "fields": fields,
        "read_aloud": posted.get("read_aloud") == "on" if values else prefs.read_aloud,
        "read_aloud_label": _(READ_ALOUD),
        "steps_to_first_done": am.STEPS_TO_FIRST_DONE,
    }


def errors(exc: InvalidInput, lang: str) -> list[str]:
    """Each refused field by its label, with its range in words and units."""
    _ = translator(lang)
    labels = {am.form_field(b): (label, unit) for b, label, unit, _h in FIELDS}
    out = []
    for e in exc.errors:
        if e.path not in labels:
            out.append(_(CHOOSE_MODE))
            continue
        label, unit = labels[e.path]
        params = {"field": _(label), "min": e.params["min"], "max": e.params["max"]}
        template = WHOLE_RANGE if e.params.get("integer") else RANGE
        out.append(_(template) % {**params, "unit": _(unit)})
    return out
