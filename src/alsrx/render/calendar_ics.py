"""The patient's week as an iCalendar feed (RFC 5545), written here, in the reader's language.

One weekly recurring event (RRULE:FREQ=WEEKLY) per planned day of the approved plan's week:
day 1 is the plan's first day and the week repeats (domain/followup/today.py decides what each
day holds, as for the Today page). The event names the day's components and, under each, its
exercises by name (render/exercise_view.py); it lasts the day's planned minutes. Nothing else:
no patient name or code and no free text, only plan content, since a calendar app may sync the
feed to places the clinic does not control.

alsrx defaults: the events start at 10:00 as a floating time (RFC 5545 3.3.5 form 1), that is
10:00 wherever the phone is, without a time zone to keep right; a patient moves them in the
calendar app. No end date: the feed is re-read by the app (REFRESH-INTERVAL, RFC 7986) and shows
the plan in force, and a new plan replaces each day's event by its UID, which stays the same for
the patient and the day of the week.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.domain.followup import today as today_mod
from alsrx.i18n import N_, translator
from alsrx.render import exercise_view, words
from alsrx.render import prescription_labels as labels

START = dt.time(10, 0)  # alsrx default: floating local time, see the module docstring
REFRESH = "PT12H"  # alsrx default: how often a subscribed app re-reads the feed
LINE_OCTETS = 75  # RFC 5545 3.1: lines longer than this are folded
CALENDAR_NAME = N_("Exercise plan")
SUMMARY = N_("Exercises: {components}")
TWICE = N_("(twice)")
COMPONENT_HEADING = N_("{component}:")
BULLET = "• "  # one exercise a line: names may hold commas ("..., lying on the side")


@dataclass(frozen=True)
class Event:
    uid: str
    day: int  # 1..7 of the plan's week
    starts: dt.datetime  # floating (no tzinfo)
    minutes: int
    summary: str
    description: str


def events(
    content: Mapping[str, Any], *, started_on: dt.date, uid_key: str, lang: str
) -> list[Event]:
    """One event per planned day of the plan's week, day 1 first; rest days have none."""
    by_type = {c["type"]: c for c in content.get("components", ())}
    schedule = {d["day"]: d for d in content.get("weekly_schedule") or ()}
    found = []
    for offset in range(today_mod.DAYS):
        date = started_on + dt.timedelta(days=offset)
        plan = today_mod.for_day(content, started_on=started_on, day=date)
        if not plan.planned:
            continue
        planned = [(by_type[p.component], p.times) for p in plan.planned]
        minutes = schedule.get(plan.day, {}).get("minutes_max") or _minutes(planned)
        found.append(
            Event(
                uid=_uid(uid_key, plan.day),
                day=plan.day,
                starts=dt.datetime.combine(date, START),
                minutes=int(minutes),
                summary=_summary(planned, lang),
                description=_description(planned, lang),
            )
        )
    return found


def _minutes(planned: Sequence[tuple[Mapping[str, Any], int]]) -> float:
    """A plan stored without a week: the components' longest sessions, added up."""
    spans = ((c.get("minutes_per_session") or {}, times) for c, times in planned)
    return sum(float(span.get("max") or 0) * times for span, times in spans) or 30


def _uid(uid_key: str, day: int) -> str:
    # The patient's id hashed: the feed names no one, not even by a database key.
    digest = hashlib.sha256(f"alsrx-calendar:{uid_key}".encode()).hexdigest()[:32]
    return f"{digest}-day{day}@alsrx"


def _component_name(component: Mapping[str, Any], times: int, lang: str) -> str:
    _ = translator(lang)
    kind = str(component["type"])
    name = _(labels.COMPONENTS[kind]) if kind in labels.COMPONENTS else kind
    return f"{name} {_(TWICE)}" if times > 1 else name


def _summary(planned: Sequence[tuple[Mapping[str, Any], int]], lang: str) -> str:
    _ = translator(lang)
    names = words.separator(lang).join(_component_name(c, t, lang) for c, t in planned)
    return _(SUMMARY).format(components=names)


def _description(planned: Sequence[tuple[Mapping[str, Any], int]], lang: str) -> str:
    """Each component, then its exercises one a line; a blank line between components."""
    _ = translator(lang)
    blocks = []
    for component, times in planned:
        name = _component_name(component, times, lang)
        cards = exercise_view.cards(component, lang=lang)
        if not cards:
            blocks.append(name)
            continue
        lines = [_(COMPONENT_HEADING).format(component=name)]
        blocks.append("\n".join(lines + [BULLET + card.name for card in cards]))
    return "\n\n".join(blocks)


def feed(
    content: Mapping[str, Any],
    *,
    started_on: dt.date,
    uid_key: str,
    stamp: dt.datetime,
    lang: str,
) -> str:
    """The whole VCALENDAR, CRLF line ends, folded; `stamp` (the plan's approval) is each
    event's DTSTAMP, so that the same plan gives the same feed."""
    _ = translator(lang)
    head = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//alsrx//Exercise plan//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
        f"X-WR-CALNAME:{escape_text(_(CALENDAR_NAME))}",
        f"NAME:{escape_text(_(CALENDAR_NAME))}",
        f"REFRESH-INTERVAL;VALUE=DURATION:{REFRESH}",
        f"X-PUBLISHED-TTL:{REFRESH}",
    ]
    body = [
        line
        for event in events(content, started_on=started_on, uid_key=uid_key, lang=lang)
        for line in _event_lines(event, stamp, lang)
    ]
    return "".join(fold(line) + "\r\n" for line in [*head, *body, "END:VCALENDAR"])


def _event_lines(event: Event, stamp: dt.datetime, lang: str) -> Iterable[str]:
    return (
        "BEGIN:VEVENT",
        f"UID:{event.uid}",
        f"DTSTAMP:{_utc(stamp)}",
        f"DTSTART:{event.starts:%Y%m%dT%H%M%S}",
        f"DURATION:PT{max(1, event.minutes)}M",
        "RRULE:FREQ=WEEKLY",
        f"SUMMARY;LANGUAGE={_language(lang)}:{escape_text(event.summary)}",
        f"DESCRIPTION;LANGUAGE={_language(lang)}:{escape_text(event.description)}",
        "TRANSP:TRANSPARENT",
        "END:VEVENT",
    )


def _language(lang: str) -> str:
    return "zh-CN" if lang == "zh" else "en"


def _utc(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")


def escape_text(text: str) -> str:
    """A TEXT value (RFC 5545 3.3.11): backslash, semicolon and comma escaped, line ends as \\n."""
    out = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return out.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")


def fold(line: str) -> str:
    """Lines of at most 75 octets (RFC 5545 3.1), continued after CRLF and one space, never
    inside a character's UTF-8 bytes (a Chinese character is three)."""
    parts: list[str] = []
    current, size = "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = LINE_OCTETS if not parts else LINE_OCTETS - 1  # the space counts
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)
