"""Access modes for the patient pages: off, switch scanning, or dwell (gaze), and read aloud.

People with ALS lose the hands that a touch screen or a mouse needs; many go on with one
switch (a button pressed with the head, a foot or a cheek) or with eye gaze. The settings here
are the ones the platforms' own switch and gaze tools offer, under the same names:

- Apple Switch Control (iPhone/iPad User Guide, "Adjust Switch Control settings"): Auto
  Scanning Time, Pause on First Item, Loops, Hold Duration (a press shorter than it is not a
  switch action), Long Press, Ignore Repeat, Speech.
- Android Switch Access (Switch Access settings): auto-scan delay, extra delay on the first
  scan item, key debounce.
- Gaze dwell (Tobii Dwell, Windows Eye Control): a dwell time after which the item looked at is
  activated, shown as a filling ring.

The numbers are alsrx defaults (not the platforms'): a slower scan than an experienced user
chooses, because a patient early in switch use and tired after exercise needs the time; the
therapist changes them with the patient on the account page. The issue set the scan time
(1.5 s), the loops (3) and the dwell span (0.8-2 s). Each bound is stored once here; the
service (services/access_settings.py), the page and scan.js read them from here.

A stored value out of its bounds (an older version, a hand-edited row) is clamped when read, so
a page always gets settings it can use; a form value out of bounds is refused in words.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from alsrx.errors import FieldError, InvalidInput


class Mode(StrEnum):
    OFF = "off"
    SCAN = "scan"  # automatic linear scanning, one switch (Space/Enter or a tap anywhere)
    DWELL = "dwell"  # resting the pointer (a gaze cursor) on an action activates it


@dataclass(frozen=True)
class Bound:
    """One setting's default and span, in milliseconds (or a count); `seconds`: the form
    shows and takes it in seconds."""

    name: str
    default: int
    low: int
    high: int
    seconds: bool = True


# Scan time: how long each action stays highlighted. alsrx default 1.5 s (the issue); 0.5-5 s.
SCAN = Bound("scan_ms", 1500, 500, 5000)
# Pause on the first item: the first highlight of a scan (and of a group) lasts this many
# times the scan time, for the user to get ready (Apple's Pause on First Item, Android's
# first-item delay). alsrx default 1.5 (a factor, tenths: 15 = 1.5); 1-3.
FIRST_FACTOR = Bound("first_factor_tenths", 15, 10, 30, seconds=False)
# Loops: how many times the scan goes round without a selection before it stops and shows
# "Start scanning" (Apple's Loops). alsrx default 3 (the issue); 1-10.
LOOPS = Bound("loops", 3, 1, 10, seconds=False)
# Acceptance (hold) time: a press shorter than it is ignored, to filter tremor and spasm
# presses (Apple's Hold Duration, Android's debounce). alsrx default 0 = off; up to 2 s.
ACCEPT = Bound("accept_ms", 0, 0, 2000)
# Long hold: a press held this long goes back (to the previous action, or out of a group)
# instead of selecting (Apple's Long Press). alsrx default 2 s; 1-5 s, always longer than the
# acceptance time (checked with the other fields).
LONG_HOLD = Bound("long_hold_ms", 2000, 1000, 5000)
# Dwell time: how long the pointer rests on an action before it is activated. alsrx default
# 1.2 s, within the issue's 0.8-2 s.
DWELL = Bound("dwell_ms", 1200, 800, 2000)
# After a dwell activation nothing fires again under a still pointer for this long (alsrx
# default; not a setting): the pointer must leave and come back, or wait.
DWELL_REFRACTORY_MS = 1000

BOUNDS = (SCAN, FIRST_FACTOR, LOOPS, ACCEPT, LONG_HOLD, DWELL)
# The scan's first highlight is the first exercise's Done button (today.html marks it): one
# scan step, zero moves, and it stays for scan time x first-item factor.
STEPS_TO_FIRST_DONE = 1


@dataclass(frozen=True)
class AccessPrefs:
    mode: Mode = Mode.OFF
    scan_ms: int = SCAN.default
    first_factor_tenths: int = FIRST_FACTOR.default
    loops: int = LOOPS.default
    accept_ms: int = ACCEPT.default
    long_hold_ms: int = LONG_HOLD.default
    dwell_ms: int = DWELL.default
    read_aloud: bool = False

    def first_item_ms(self) -> int:
        """How long the first highlight lasts."""
        return self.scan_ms * self.first_factor_tenths // 10

    def stored(self) -> dict[str, object]:
        """The JSON kept in users.access_prefs."""
        out: dict[str, object] = {b.name: getattr(self, b.name) for b in BOUNDS}
        return {"mode": self.mode.value, **out, "read_aloud": self.read_aloud}


DEFAULTS = AccessPrefs()


def from_stored(raw: Mapping[str, object] | None) -> AccessPrefs:
    """The settings as stored (None: never set), clamped into bounds; unknown keys ignored."""
    if not raw:
        return DEFAULTS
    mode = raw.get("mode")
    values = {b.name: _clamped(raw.get(b.name), b) for b in BOUNDS}
    return AccessPrefs(
        mode=Mode(str(mode)) if mode in tuple(Mode) else Mode.OFF,
        read_aloud=raw.get("read_aloud") is True,
        **values,
    )


def _clamped(value: object, bound: Bound) -> int:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        return bound.default
    return min(bound.high, max(bound.low, int(value)))


def from_form(form: Mapping[str, str]) -> AccessPrefs:
    """The account page's form (times in seconds as people write them, "1.5"; loops a whole
    number; the factor as "1.5") as settings, or InvalidInput naming each field and its range.
    Field paths are the form's: mode, scan_s, first_factor, loops, accept_s, long_hold_s,
    dwell_s, read_aloud."""
    errors: list[FieldError] = []
    mode_raw = form.get("mode", Mode.OFF.value)
    if mode_raw not in tuple(Mode):
        errors.append(FieldError("mode", "not_one_of", {"allowed": tuple(m.value for m in Mode)}))
    values = {b.name: _parsed(form, b, errors) for b in BOUNDS}
    # A long hold shorter than the acceptance time could never select: at least 0.1 s more.
    if not errors and values["long_hold_ms"] < values["accept_ms"] + 100:
        low = max(LONG_HOLD.low, values["accept_ms"] + 100)
        params = {"min": shown(low, LONG_HOLD), "max": shown(LONG_HOLD.high, LONG_HOLD)}
        errors.append(FieldError("long_hold_s", "out_of_range", {**params, "unit": "s"}))
    if errors:
        raise InvalidInput(errors)
    return AccessPrefs(
        mode=Mode(mode_raw), read_aloud=form.get("read_aloud") in ("on", "true", "1"), **values
    )


def form_field(bound: Bound) -> str:
    """The form's name for a setting: seconds for times, the plain word for the others."""
    return {
        "scan_ms": "scan_s",
        "first_factor_tenths": "first_factor",
        "loops": "loops",
        "accept_ms": "accept_s",
        "long_hold_ms": "long_hold_s",
        "dwell_ms": "dwell_s",
    }[bound.name]


def form_value(prefs: AccessPrefs, bound: Bound) -> str:
    """A stored value as the form shows it: "1.5" (seconds, or the factor), "3" (loops)."""
    return shown(int(getattr(prefs, bound.name)), bound)


def shown(value: int, bound: Bound) -> str:
    """A value in the form's unit: seconds ("1.5"), the factor ("1.5") or a count ("3")."""
    if bound.name == "loops":
        return str(value)
    number = value / (1000 if bound.seconds else 10)
    return f"{number:g}"


def _parsed(form: Mapping[str, str], bound: Bound, errors: list[FieldError]) -> int:
    """One field: blank keeps the default; a number outside the span is refused, its range in
    the form's unit (seconds, or a plain number)."""
    name = form_field(bound)
    raw = str(form.get(name, "")).strip().replace(",", ".").replace("，", ".")
    if not raw:
        return bound.default
    params: dict[str, object] = {"min": shown(bound.low, bound), "max": shown(bound.high, bound)}
    if bound.seconds:
        params["unit"] = "s"
    if bound.name == "loops":
        params["integer"] = True
    try:
        number = float(raw)
    except ValueError:
        number = math.nan
    scale = 1000 if bound.seconds else (10 if bound.name != "loops" else 1)
    value = round(number * scale) if math.isfinite(number) else bound.low - 1
    if value != number * scale and bound.name == "loops":  # 2.5 loops: not a whole number
        value = bound.low - 1
    if not bound.low <= value <= bound.high:
        errors.append(FieldError(name, "out_of_range", params))
        return bound.default
    return value
