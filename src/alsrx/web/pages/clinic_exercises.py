"""The clinician's page for one component's exercises in a draft: change a dose or a side, swap
an exercise for its easier or harder variant, add one, remove one, save.

The page holds the list being edited in its own form fields: every button posts the whole form,
an operation (variant, add, remove) answers with the changed list, checked but not saved, and
Save stores it through the same service and domain check as the API's PUT. Works with the
keyboard alone; without a script.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from alsrx.db import models
from alsrx.domain.exercises import edit_ops, edits, frames
from alsrx.domain.exercises.library import Exercise
from alsrx.errors import AlsrxError, Conflict, FieldError, InvalidInput, PreconditionFailed
from alsrx.i18n import N_, translator
from alsrx.intake import wire
from alsrx.render import exercise_view
from alsrx.render import prescription_labels as labels
from alsrx.render.messages import error_lines, field_error_message
from alsrx.services import access, prescription_exercises, prescriptions
from alsrx.web import deps
from alsrx.web.pages import render, session

router = APIRouter(include_in_schema=False)
PATH = "/clinic/prescriptions/{prescription_id}/exercises/{component}"
SIDES = {
    "both": N_("Both sides"),
    "left": N_("Left side only"),
    "right": N_("Right side only"),
}
STALE = N_(
    "Someone changed this draft since you opened it. Nothing was saved: reload the page to "
    "see the draft as it is now."
)
NOT_DRAFT = N_("Only a draft can be changed; this prescription is no longer a draft.")
UNSAVED = N_("Not saved yet: check the list, then press Save.")
SAVED = N_("Exercises saved.")
NUMBERS = ("sets", "repetitions", "hold_seconds")


def _url(prescription_id: str, component: str) -> str:
    return PATH.format(prescription_id=prescription_id, component=component)


def _context(
    request: Request, prescription_id: str, component: str
) -> tuple[prescription_exercises.Context, models.Patient]:
    actor = session.current(request, "clinician")
    with deps.read(request) as s:
        ctx = prescription_exercises.context(
            s,
            actor,
            prescription_id,
            component,
            today=deps.today(),
            options=deps.settings(request).assessment_options(),
        )
        patient = access.patient(s, actor, ctx.row.patient_id)
    return ctx, patient


@router.get(PATH, response_class=HTMLResponse)
def exercises_page(
    request: Request, prescription_id: str, component: str, saved: int = 0
) -> Response:
    ctx, patient = _context(request, prescription_id, component)
    lang = render.preferences(request)["lang"]
    if ctx.row.status != prescriptions.DRAFT:
        return _not_draft(request, prescription_id, lang)
    notice = translator(lang)(SAVED) if saved else None
    rows = list(ctx.component.get("exercises") or ())
    return _page(request, ctx, patient, rows, version=ctx.row.version, notice=notice)


@router.post(PATH)
async def exercises_post(request: Request, prescription_id: str, component: str) -> Response:
    form, actor = await session.posted(request, "clinician")
    ctx, patient = _context(request, prescription_id, component)
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    if ctx.row.status != prescriptions.DRAFT:
        return _not_draft(request, prescription_id, lang)
    rows = _rows(form)
    version = _version(form)
    op, _sep, arg = str(form.get("op", "save")).partition(":")
    if op != "save":
        changed = _operate(ctx, rows, op, arg, form)
        return _page(request, ctx, patient, changed, version=version, notice=_(UNSAVED), check=True)
    try:
        with deps.write(request) as s:
            prescription_exercises.edit(
                s,
                actor,
                prescription_id,
                component,
                rows,
                if_match=version,
                today=deps.today(),
                options=deps.settings(request).assessment_options(),
            )
    except InvalidInput as exc:
        return _page(request, ctx, patient, rows, version=version, errors=exc.errors, status=422)
    except PreconditionFailed:
        return _page(request, ctx, patient, rows, version=version, alarm=_(STALE), status=409)
    except Conflict:
        return _page(request, ctx, patient, rows, version=version, alarm=_(NOT_DRAFT), status=409)
    except AlsrxError as exc:
        alarm = "; ".join(error_lines(exc, lang))
        return _page(request, ctx, patient, rows, version=version, alarm=alarm, status=422)
    return session.redirect(_url(prescription_id, component) + "?saved=1")


def _not_draft(request: Request, prescription_id: str, lang: str) -> Response:
    back = f"/clinic/prescriptions/{prescription_id}"
    refused = Conflict(translator(lang)(NOT_DRAFT))
    return render.error_page(request, refused, status=409, back=back, message=str(refused))


def _version(form: Mapping[str, Any]) -> int | None:
    raw = str(form.get("version", ""))
    return int(raw) if raw.isascii() and raw.isdigit() and len(raw) < 10 else None


def _rows(form: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The list as the form holds it; numbers that are not numbers stay text, to be named."""
    raw = str(form.get("count", "0"))
    count = min(int(raw), edits.MAX_EXERCISES + 1) if raw.isascii() and raw.isdigit() else 0
    rows = []
    for i in range(count):
        row: dict[str, Any] = {"id": str(form.get(f"ex-{i}-id", ""))}
        for name in (*NUMBERS, "minutes"):
            text = str(form.get(f"ex-{i}-{name}", "")).strip()
            if text:
                row[name] = wire.form_number(text, integer=name != "minutes")
        side = str(form.get(f"ex-{i}-side", "")).strip()
        if side:
            row["side"] = side
        rows.append(row)
    return rows


def _operate(
    ctx: prescription_exercises.Context,
    rows: list[dict[str, Any]],
    op: str,
    arg: str,
    form: Mapping[str, Any],
) -> list[dict[str, Any]]:
    index = int(arg) if arg.isascii() and arg.isdigit() and len(arg) < 4 else -1
    if op in edits.DIRECTIONS:
        return edit_ops.swap(ctx.kind, rows, index, op, library=ctx.library, limits=ctx.limits)
    if op == "remove":
        return edit_ops.remove(rows, index)
    chosen = ctx.library.get(str(form.get("add_id", "")))
    if op == "add" and chosen is not None:
        side = edit_ops.fitting_side(chosen, ctx.case, ctx.settings) or "both"
        return edit_ops.add(
            ctx.kind,
            rows,
            chosen.id,
            side=side if chosen.sided else "none",
            library=ctx.library,
            limits=ctx.limits,
            session_minutes=ctx.session_minutes,
        )
    return rows


def _frame(ctx: prescription_exercises.Context, exercise_id: str) -> bool:
    e = ctx.library.get(exercise_id)
    return e is not None and e.category in frames.FRAMES


@dataclasses.dataclass(frozen=True)
class Row:
    index: int
    id: str
    name: str
    summary: str  # the dose as the handout says it
    minutes: float
    uses: str  # repetitions, hold_seconds or minutes
    sided: bool
    values: Mapping[str, str]
    errors: Mapping[str, str]
    variants: Sequence[tuple[str, str, str]]  # (direction, variant's name, why it does not fit)


def _row(
    ctx: prescription_exercises.Context,
    i: int,
    raw: Mapping[str, Any],
    errors: Mapping[str, str],
    lang: str,
) -> Row:
    e = ctx.library.get(str(raw.get("id")))
    values = {k: "" if raw.get(k) is None else str(raw.get(k)) for k in edits.KEYS}
    if e is None:
        return Row(i, values["id"], values["id"], "", 0.0, "", False, values, errors, ())
    dose = dataclasses.asdict(edits.dose_of(e, raw, ctx.kind))
    card = exercise_view.card(dose, lang=lang)
    summary = f"{card.dose} {card.side}".strip() if card else ""
    return Row(
        index=i,
        id=e.id,
        name=card.name if card else e.words(lang).name,
        summary=summary,
        minutes=float(dose["minutes"]),
        uses=edits.uses(e, ctx.kind),
        sided=e.sided,
        values=values,
        errors=errors,
        variants=_variants(ctx, e, str(dose["side"]), lang),
    )


def _variants(
    ctx: prescription_exercises.Context, e: Exercise, side: str, lang: str
) -> list[tuple[str, str, str]]:
    """Each variant the library has, with the reason it does not fit (empty: it fits)."""
    found = []
    for direction in edits.DIRECTIONS:
        target = edit_ops.variant(e, direction, ctx.library)
        if target is None:
            continue
        on = (side if side in edits.SIDED else "both") if target.sided else "none"
        why = edits.misfit_errors("", target, on, case=ctx.case, settings=ctx.settings)
        reason = "; ".join(field_error_message(f, lang) for f in why)
        found.append((direction, target.words(lang).name, reason))
    return found


def _field_errors(
    errors: Sequence[FieldError], lang: str
) -> tuple[dict[int, dict[str, str]], list[str]]:
    """Messages by row and field ({3: {"sets": ...}}) and those of the list as a whole."""
    at: dict[int, dict[str, str]] = {}
    whole: list[str] = []
    for f in errors:
        message = field_error_message(f, lang)
        head, _sep, field = f.path.partition("].")
        index = head.removeprefix("exercises[")
        if f.path.startswith("exercises[") and field and index.isdigit():
            row = at.setdefault(int(index), {})
            row[field] = f"{row[field]} {message}" if field in row else message
        else:
            whole.append(f"{f.path}: {message}" if f.path != "exercises" else message)
    return at, whole


def _choices(
    ctx: prescription_exercises.Context, shown: Sequence[Row], lang: str
) -> list[tuple[str, str]]:
    """The exercises that may be added: they serve the component and fit the patient, and
    are not already in the list for both sides; by name in the reader's language."""
    present = {(r.id, r.values.get("side") or ("both" if r.sided else "none")) for r in shown}
    fitting = edit_ops.addable(ctx.kind, case=ctx.case, settings=ctx.settings, library=ctx.library)
    found = [
        (e.id, e.words(lang).name)
        for e in fitting
        if (e.id, "both") not in present and (e.id, "none") not in present
    ]
    return sorted(found, key=lambda pair: pair[1])


def _page(
    request: Request,
    ctx: prescription_exercises.Context,
    patient: models.Patient,
    rows: list[dict[str, Any]],
    *,
    version: int | None,
    notice: str | None = None,
    alarm: str | None = None,
    errors: Sequence[FieldError] = (),
    check: bool = False,
    status: int = 200,
) -> HTMLResponse:
    lang = render.preferences(request)["lang"]
    _ = translator(lang)
    found = ctx.check(rows) if check else list(errors)
    at, whole = _field_errors(found, lang)
    shown = [_row(ctx, i, r, at.get(i, {}), lang) for i, r in enumerate(rows)]
    return render.page(
        request,
        "exercise_edit.html",
        status=status,
        rx=ctx.row,
        patient=patient,
        component=ctx.kind.value,
        component_name=_(labels.COMPONENTS.get(ctx.kind.value, ctx.kind.value)),
        action=_url(ctx.row.id, ctx.kind.value),
        version=version,
        rows=shown,
        # What the session's own time holds: a warm-up or cool-down may go beside it.
        total=round(sum(r.minutes for r in shown if not _frame(ctx, r.id)), 1),
        session_minutes=ctx.session_minutes,
        choices=_choices(ctx, shown, lang),
        sides=[(k, _(v)) for k, v in SIDES.items()],
        notice=notice,
        alarm=alarm,
        whole_errors=whole,
        unsaved=check,
    )
