"""Today's words: what each card says, this week's count, the day choice; from the day's plan
(services/today.py), in the reader's language. The page handlers are in patient.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from markupsafe import Markup

from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup import today as today_mod
from alsrx.i18n import N_, translator
from alsrx.render import effort_words, exercise_view
from alsrx.render import prescription_labels as labels
from alsrx.services import today as today_svc
from alsrx.web.pages import render

WHAT = {
    "aerobic": N_("%(modalities)s for %(minutes)s minutes."),
    "resistance": N_(
        "Strength exercises: %(sets)s set(s) of %(reps)s for the muscles your therapist "
        "showed you. Stop well before exhaustion."
    ),
    "respiratory_muscle": N_("Breathing trainer: %(sets)s sets of %(reps)s breaths."),
    "flexibility": N_(
        "Gentle stretches and moving each joint through its range, %(minutes)s minutes; "
        "ask for help where needed."
    ),
    "balance_functional": N_(
        "Balance and everyday movements (%(modalities)s), %(minutes)s minutes, "
        "with support within reach."
    ),
    "breathing": N_(
        "Breathing exercises and positions that make breathing easier, %(minutes)s minutes."
    ),
}
# With the exercises named on their own cards, the component's line keeps only what holds for
# all of them (the dose is on each card).
WITH_EXERCISES = {
    "resistance": N_("Stop each exercise well before exhaustion."),
    "flexibility": N_(
        "Gentle stretches and moving each joint through its range; ask for help where needed."
    ),
    "balance_functional": N_("Keep support within reach."),
}
# How effort is judged, from the component's constraints: by talking, or, when speech is
# impaired, on the charts (the engine's rule; the page only words it, in our own effort words).
TALK_TEST = N_("You should still be able to talk.")
POINTING = "rpe_pointing_chart"
DEFAULT_RPE = (11, 13)  # a component stored without its RPE span: the engine's target
DOSE_SIDE = N_("{dose}, {side}")
WHO_HELPS = N_("Who helps: {helper}")
YOU_NEED = N_("You need: {needs}")
POSITION = N_("Position: {position}")
EASIER = N_("Too hard today? Do “{name}” instead.")
HR_CEILING = N_("Keep your heart rate below %(high)s.")
WEEK = N_("Plan week %(week)s.")
THIS_WEEK = N_("This week: %(done)s of %(planned)s done")
THIS_WEEK_UNPLANNED = N_("This week: %(done)s done")
THIS_WEEK_MORE = N_("This week: %(done)s done, %(planned)s planned")
TWICE = N_("Planned twice today")
TWICE_YESTERDAY = N_("Planned twice that day")
EITHER = N_("%(first)s or %(second)s")
DAY_NAMES = {0: N_("Today"), 1: N_("Yesterday")}


def item(
    component: dict[str, Any], week: int, lang: str, *, ceiling: plan_mod.Ceiling | None
) -> dict[str, Any]:
    _ = translator(lang)
    kind = component["type"]
    exercises = exercise_entries(component, lang)
    heart = _(HR_CEILING) % {"high": ceiling.bpm} if kind == "aerobic" and ceiling else None
    # Chinese sentences run on without a space after "。".
    lines = [_what(component, week, lang, named=bool(exercises)), *_effort(component, lang)]
    what = ("" if lang == "zh" else " ").join(line for line in lines if line)
    return {
        "type": kind,
        "title": _(labels.COMPONENTS[kind]),
        "what": what[:1].upper() + what[1:],
        "exercises": exercises,
        "heart_rate": heart,  # one number, the phase's ceiling: the stop rule's (plan.hr_ceiling)
        "week": _(WEEK) % {"week": week},
    }


def _what(component: dict[str, Any], week: int, lang: str, *, named: bool) -> str:
    """The component's sentence; with its exercises on cards, only what holds for all."""
    _ = translator(lang)
    kind = component["type"]
    if named:
        return _(WITH_EXERCISES[kind]) if kind in WITH_EXERCISES else ""
    target = plan_mod.planned(component, week)
    return _(WHAT[kind]) % {
        "modalities": _modalities(component, lang),
        "minutes": int(target.minutes_max or 10),
        "sets": int(target.sets or 1),
        "reps": int(target.repetitions or 8),
    }


def _effort(component: dict[str, Any], lang: str) -> list[str]:
    _ = translator(lang)
    constraints = component.get("constraints", ())
    out = [_(TALK_TEST)] if "talk_test" in constraints else []
    if POINTING in constraints:
        span = (component.get("intensity") or {}).get("rpe") or {}
        low, high = int(span.get("min") or DEFAULT_RPE[0]), int(span.get("max") or DEFAULT_RPE[1])
        out.append(effort_words.target_range(low, high, _))
    return out


def exercise_entries(component: dict[str, Any], lang: str) -> list[dict[str, Any]]:
    """Each exercise of the component as Today's card shows it, from its card
    (render/exercise_view.py): the page joins the card's words, it words nothing itself."""
    return [_entry(card, lang) for card in exercise_view.cards(component, lang=lang)]


def dose_line(card: exercise_view.Card, lang: str) -> str:
    """ "2 × 10 times, each side": the card's dose, then its side when it has one."""
    _ = translator(lang)
    return _(DOSE_SIDE).format(dose=card.dose, side=card.side) if card.side else card.dose


def _entry(card: exercise_view.Card, lang: str) -> dict[str, Any]:
    _ = translator(lang)
    return {
        "id": card.id,
        "name": card.name,
        "dose": dose_line(card, lang),
        "load": card.load,
        "breathing": card.breathing,
        "helper": _(WHO_HELPS).format(helper=card.helper) if card.helper else "",
        "position": _(POSITION).format(position=card.position) if card.position else "",
        "needs": _(YOU_NEED).format(needs=exercise_view.separator(lang).join(card.needs))
        if card.needs
        else "",
        "steps": card.steps,
        "cautions": card.cautions,
        "easier": _(EASIER).format(name=card.easier) if card.easier else "",
        # Drawn by render/figures.py from the library's key poses, its title escaped there.
        "figure": Markup(card.figure_svg),
        "credit": card.figure_credit,
    }


def handout_url(prescription_id: str, *, lang: str, audience: str) -> str:
    """The plan's printable handout, a PDF built by the handout API."""
    return f"/api/v1/prescriptions/{prescription_id}/handout.pdf?lang={lang}&audience={audience}"


def _modalities(component: dict[str, Any], lang: str) -> str:
    """The first two ways of doing it: alternatives for aerobic exercise ("walking or cycling"),
    a list for the others."""
    _ = translator(lang)
    names = [_(labels.MODALITIES.get(m, m)) for m in component["modalities"][:2]]
    if component["type"] == "aerobic" and len(names) == 2:
        return _(EITHER) % {"first": names[0], "second": names[1]}
    return ("、" if lang == "zh" else ", ").join(names)


def _count_line(count: today_svc.Count | None, lang: str) -> str | None:
    if count is None:
        return None
    _ = translator(lang)
    done = render.format_number(count.done, lang)
    if not count.planned:
        return _(THIS_WEEK_UNPLANNED) % {"done": done}
    if count.done > count.planned:  # more than the plan's least: both numbers, neither hidden
        return _(THIS_WEEK_MORE) % {"done": done, "planned": count.planned}
    return _(THIS_WEEK) % {"done": done, "planned": count.planned}


def plan_view(state: today_svc.Today, lang: str, *, saved: str) -> dict[str, Any]:
    _ = translator(lang)
    content = state.prescription.content
    rules_now = plan_mod.stop_rules_for_week(content, state.week)
    templates = [(labels.STOP_RULES[r["code"]], r["params"]) for r in rules_now]
    ceiling = plan_mod.hr_ceiling(content, state.week)
    by_type = {c["type"]: c for c in content["components"]}
    yesterday = state.shown != state.loggable[0]
    twice = _(TWICE_YESTERDAY) if yesterday else _(TWICE)

    def card(kind: str, times: int = 1) -> dict[str, Any]:
        entry = item(by_type[kind], state.week, lang, ceiling=ceiling)
        entry["count"] = _count_line(state.counts.get(kind), lang)
        entry["twice"] = twice if times > 1 else None
        return entry

    planned = [card(p.component, p.times) for p in state.day.planned]
    on_day = {k: c.on_day for k, c in state.counts.items()}
    return {
        "entries": planned,
        "others": [card(kind) for kind in state.day.not_planned],
        # The card to log next: where the page moves after a tap, where switch scanning starts.
        "next": today_mod.next_after(state.day.planned, saved or None, on_day),
        "stop": state.stop,
        "stop_rules": [_(template).format(**params) for template, params in templates],
        "paused": bool(content.get("paused")),
        "days": day_choices(state.loggable, state.shown, lang),
        "yesterday": yesterday,
        "handout": handout_url(state.prescription.id, lang=lang, audience="patient"),
    }


def day_choices(days: tuple[dt.date, ...], chosen: dt.date, lang: str) -> list[dict[str, Any]]:
    """Today and yesterday (when the plan covers it), each with its date, for the day choice.
    Today is sent as no date at all: a page left open overnight then logs for the day the
    session was done, not the day the page was drawn; an earlier day is sent as its date, and a
    stale one is refused in words (patient._log_day)."""
    _ = translator(lang)
    return [
        {
            "code": "today" if n == 0 else "yesterday",
            "value": "" if n == 0 else d.isoformat(),
            "date": d,
            "label": f"{_(DAY_NAMES[n])} · {render.format_day(d, lang)}",
            "chosen": d == chosen,
        }
        for n, d in enumerate(days)
    ]
