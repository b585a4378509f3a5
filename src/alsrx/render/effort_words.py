"""How an effort on the 6-20 perceived-exertion scale is put into words: our own wording, once.

The numbers 6-20 are the scale's (Borg's rating of perceived exertion, used by the plan's effort
rules: rec-moderate-not-strenuous); the verbal anchors published with it are licensed wording,
so no page, chart or handout shows them. These
descriptions are the alsrx project's own (an alsrx default, docs/clinical-rules.md): what a
person notices at that effort (breathing, talking), so that a patient who can no longer speak
can still point at a line, and a caregiver can read it aloud. Every page takes its words from
here: the session details form, Today's pointing-chart sentence, the handouts.
"""

from __future__ import annotations

from collections.abc import Callable

from alsrx.i18n import N_

Gettext = Callable[[str], str]

SCALE_MIN = 6
SCALE_MAX = 20
WORDS = {
    6: N_("resting, no effort"),
    7: N_("almost nothing"),
    9: N_("easy, breathing calm"),
    11: N_("comfortable, could keep going a long time"),
    13: N_("working, breathing faster, can still talk"),
    15: N_("tough, only short sentences"),
    17: N_("too much, slow down or stop"),
    19: N_("close to the most you could do"),
    20: N_("the most you could do"),
}
# The choices the session details form offers (a patient taps one; the scale's every number
# need not be a button): the low-to-moderate target and one step either side, and beyond.
FORM_CHOICES = (9, 11, 13, 15, 17)
LABEL = N_("{number} · {words}")
RANGE = N_(
    "Point to your effort on the chart: stay between {low} ({low_words}) and {high} ({high_words})."
)


def words_for(number: int, _: Gettext) -> str:
    """The words at a number of the scale; a number between two described ones takes the
    lower one's words (12 reads as 11's)."""
    if not SCALE_MIN <= number <= SCALE_MAX:
        raise ValueError(f"{number} is not on the 6-20 scale")
    described = max(n for n in WORDS if n <= number)
    return _(WORDS[described])


def label(number: int, _: Gettext) -> str:
    """ "13 · working, breathing faster, can still talk": a choice as a person reads it."""
    return _(LABEL).format(number=number, words=words_for(number, _))


def choices(_: Gettext) -> list[tuple[int, str]]:
    """(number, label) for each choice of the session details form."""
    return [(n, label(n, _)) for n in FORM_CHOICES]


def target_range(low: int, high: int, _: Gettext) -> str:
    """The sentence for a patient who judges effort on the chart, between two numbers."""
    return _(RANGE).format(
        low=low, high=high, low_words=words_for(low, _), high_words=words_for(high, _)
    )
