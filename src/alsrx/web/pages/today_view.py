"""Today's words: what each card says, this week's count, the day choice; from the day's plan
(services/today.py), in the reader's language. The page handlers are in patient.py."""

from __future__ import annotations

import datetime as dt
from typing import Any

from alsrx.domain.followup import plan as plan_mod
from alsrx.domain.followup import today as today_mod
from alsrx.i18n import N_, translator
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
# How effort is judged, from the component's constraints: by talking, or, when speech is
# impaired, on the charts (the engine's rule; the page only words it).
EFFORT = {
    "talk_test": N_("You should still be able to talk."),
    "rpe_pointing_chart": N_(
        "Point to your effort on the chart: stay between 'light' and 'somewhat hard' (11–13)."
    ),
}
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
    target = plan_mod.planned(component, week)
    names = _modalities(component, lang)
    minutes = int(target.minutes_max or 10)
    template = WHAT[component["type"]]
    what = _(template) % {
        "modalities": names,
        "minutes": minutes,
        "sets": int(target.sets or 1),
        "reps": int(target.repetitions or 8),
    }
    # One heart-rate number, the phase's ceiling: the same as the stop rule's (plan.hr_ceiling).
    aerobic = component["type"] == "aerobic"
    heart = _(HR_CEILING) % {"high": ceiling.bpm} if aerobic and ceiling else None
    effort = [_(EFFORT[k]) for k in component.get("constraints", ()) if k in EFFORT]
    # Chinese sentences run on without a space after "。".
    what = ("" if lang == "zh" else " ").join([what[:1].upper() + what[1:], *effort])
    kind = component["type"]
    title = labels.COMPONENTS[kind]
    return {
        "type": kind,
        "title": _(title),
        "what": what,
        "heart_rate": heart,
        "week": _(WEEK) % {"week": week},
    }


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
    logged = [k for k, c in state.counts.items() if c.on_day]
    after = today_mod.next_after([p["type"] for p in planned], saved or None, logged)
    return {
        "entries": planned,
        "others": [card(kind) for kind in state.day.not_planned],
        "next": after if saved else None,
        "stop": state.stop,
        "stop_rules": [_(template).format(**params) for template, params in templates],
        "paused": bool(content.get("paused")),
        "days": day_choices(state.loggable, state.shown, lang),
        "yesterday": yesterday,
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
