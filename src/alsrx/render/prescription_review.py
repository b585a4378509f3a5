"""The clinician's review page of one prescription version, as one view-model in one language.

The plan itself is the clinician's printed sheet (render/programme_view.build, audience
"clinician"): the page and the paper say the same words, ranges and rounded numbers. This
module adds what only the page shows: the proposal and its changes against the active plan,
the points to acknowledge before approval, the assessment the plan is based on (and whether a
newer one exists), and the version history, each version with its own date, its changes in
sentences (render/prescription_diff.py) and, when rejected, its reason.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from alsrx.i18n import N_, translator
from alsrx.render import prescription_diff, programme_clinician, programme_parts, programme_view
from alsrx.render import prescription_labels as labels
from alsrx.render.programme_parts import Gettext

# Why a follow-up proposal was made: the signals and checks domain/followup/proposals.decide
# names in `because`.
BECAUSE = {
    "planned_week_reached": N_("the planned week of the next phase has come"),
    "good_tolerance": N_("sessions were well tolerated"),
    "adherence_met": N_("enough of the planned sessions were done"),
    "reassessment": N_("a new assessment"),
    "red_flag": N_("a red flag reported"),
    "fall_reported": N_("a fall"),
    "falls_repeated": N_("repeated falls"),
    "fatigue_prolonged": N_("fatigue that lasted long after exercise"),
    "fatigue_repeated": N_("prolonged fatigue more than once"),
    "fatigue_overwork": N_("fatigue into the next day"),
    "dyspnea_reported": N_("breathlessness during exercise"),
    "dyspnea_repeated": N_("repeated breathlessness"),
    "cramps_persisting": N_("cramps that did not settle"),
    "cramps_repeated": N_("repeated cramps"),
    "muscle_pain_next_day": N_("muscle pain the next day"),
    "muscle_pain_repeated": N_("repeated muscle pain the next day"),
    "new_weakness_next_day": N_("new weakness the day after exercise"),
    "unusual_fatigue": N_("unusual tiredness"),
    "unusual_fatigue_repeated": N_("repeated unusual tiredness"),
    "hr_above_ceiling": N_("heart rate above the ceiling"),
    "rpe_above_target": N_("effort above the target"),
    "walking_lost": N_("walking lost"),
    "mrc_below_antigravity": N_("a trained muscle group below antigravity strength"),
    "alsfrs_r_decline": N_("a fall in the ALSFRS-R"),
    "fvc_low": N_("a low FVC"),
    "fvc_decline": N_("a fall in FVC"),
}
OTHER_SIGNAL = N_("another follow-up finding")
SAID = {
    "proposal": N_("Proposal: {kind}, because of: {because}"),
    "drafted": N_("drafted {date}"),
    "approved": N_("approved {date}"),
    "rejected": N_("rejected {date}"),
    "based_on": N_("The assessment of {date}"),
    "newer": N_(
        "A newer assessment exists ({date}): this plan does not take it into account. Draft "
        "a new plan from it, or approve this one knowing that."
    ),
    "corrected": N_(
        "The assessment this plan is based on was corrected since: draft a new plan from the "
        "corrected assessment, or approve this one knowing that."
    ),
    "no_basis": N_("The assessment this plan is based on is not recorded."),
}


def _say(key: str, _: Gettext) -> str:
    """A sentence of SAID in the reader's language (looked up by a variable: the catalog
    holds the sentences, not their keys)."""
    template = SAID[key]
    return _(template)


@dataclass(frozen=True)
class Point:
    code: str  # what the approval form sends back (services/prescriptions.points)
    text: str  # the point in words, with its evidence ids
    missing: bool = False  # an approval was refused because this point was not acknowledged


@dataclass(frozen=True)
class Version:
    id: str
    status: str  # a code: the page words it with the clinic's status labels
    date: str  # "approved 3 October 2026": the version's own event
    changes: tuple[str, ...]
    reason: str | None  # a rejected version's reason
    current: bool  # the version this page shows


@dataclass(frozen=True)
class Basis:
    line: str
    url: str
    warning: str | None


@dataclass(frozen=True)
class Assessed:
    """An assessment as the review needs it: id, date, whether it is the current version."""

    id: str
    date: dt.date
    current: bool = True


@dataclass(frozen=True)
class Review:
    programme: programme_view.Programme
    engine_status: str
    proposal: str | None
    changes: tuple[str, ...] | None  # None: no active plan to compare with
    points: tuple[Point, ...]
    basis: Basis
    history: tuple[Version, ...]


def build(
    row: Any,
    context: programme_view.HandoutContext,
    *,
    versions: Sequence[Any],
    rejections: Mapping[str, tuple[str | None, dt.date | None]],
    basis: Assessed | None,
    newest: Assessed | None,
    patient_url: str,
    lang: str,
    missing: Sequence[str] = (),
) -> Review:
    """The review of `row` (a stored prescription) among the patient's `versions`; `newest`:
    the newest assessment a draft may be based on; `missing`: points an approval lacked."""
    _ = translator(lang)
    content = row.content
    active = next((v for v in versions if v.status == "active" and v.id != row.id), None)
    return Review(
        programme=programme_view.build(content, lang=lang, audience="clinician", context=context),
        engine_status=programme_parts.label(labels.STATUS, str(content.get("status")), _),
        proposal=_proposal(row.proposal, lang),
        changes=(
            prescription_diff.sentences(prescription_diff.changes(active.content, content), lang)
            if active is not None and row.status == "draft"
            else None
        ),
        points=points(content, lang, missing),
        basis=_basis(basis, newest, patient_url, lang),
        history=history(versions, rejections, row.id, lang),
    )


def _proposal(proposal: Mapping[str, Any] | None, lang: str) -> str | None:
    if not proposal:
        return None
    _, sep = translator(lang), programme_parts.comma(lang)
    kind = programme_parts.label(labels.PROPOSAL_KINDS, str(proposal.get("kind")), _)
    because = [_(BECAUSE.get(str(c), OTHER_SIGNAL)) for c in proposal.get("because") or ()]
    return _say("proposal", _).format(kind=kind, because=sep.join(dict.fromkeys(because)))


def points(content: Mapping[str, Any], lang: str, missing: Sequence[str] = ()) -> tuple[Point, ...]:
    """One point per code (what an approval acknowledges), its notes in words."""
    _ = translator(lang)
    by_code: dict[str, list[str]] = {}
    for r in content.get("reasons") or ():
        text = programme_clinician.with_ids(
            programme_parts.note_text(r, lang), r.get("evidence") or (), _
        )
        by_code.setdefault(str(r["code"]), []).append(text)
    return tuple(Point(code, " ".join(texts), code in missing) for code, texts in by_code.items())


def _basis(basis: Assessed | None, newest: Assessed | None, patient_url: str, lang: str) -> Basis:
    _ = translator(lang)
    if basis is None:
        return Basis(_say("no_basis", _), patient_url, None)
    line = _say("based_on", _).format(date=programme_parts.date_text(basis.date, lang))
    warning = None
    if not basis.current:
        warning = _say("corrected", _)
    elif newest is not None and newest.id != basis.id and newest.date >= basis.date:
        warning = _say("newer", _).format(date=programme_parts.date_text(newest.date, lang))
    return Basis(line, patient_url, warning)


def history(
    versions: Sequence[Any],
    rejections: Mapping[str, tuple[str | None, dt.date | None]],
    current_id: str,
    lang: str,
) -> tuple[Version, ...]:
    """Newest first; each version's changes against the approved plan before it (drafts and
    rejected versions are never a base: two proposals drafted against one plan each show
    their own changes against it)."""
    ordered = sorted(versions, key=lambda r: r.created_at)
    found: list[Version] = []
    base: Any = None
    for r in ordered:
        diff: list[dict[str, Any]] = []
        if base is not None:
            diff = prescription_diff.changes(base.content, r.content)
        reason, rejected_on = rejections.get(r.id, (None, None))
        found.append(
            Version(
                id=r.id,
                status=r.status,
                date=_date(r, rejected_on, lang),
                changes=prescription_diff.sentences(diff, lang),
                reason=reason if r.status == "rejected" else None,
                current=r.id == current_id,
            )
        )
        if r.status in ("active", "superseded"):
            base = r
    return tuple(reversed(found))


def _date(row: Any, rejected_on: dt.date | None, lang: str) -> str:
    """The version's own event: approved versions by their first day (the day of approval),
    rejected ones by the day of rejection, drafts by the day they were drafted."""
    _ = translator(lang)
    if row.status in ("active", "superseded") and (row.starts_on or row.approved_at):
        day = row.starts_on or row.approved_at.date()
        return _say("approved", _).format(date=programme_parts.date_text(day, lang))
    if row.status == "rejected" and rejected_on is not None:
        return _say("rejected", _).format(date=programme_parts.date_text(rejected_on, lang))
    drafted = programme_parts.date_text(row.created_at.date(), lang)
    return _say("drafted", _).format(date=drafted)
