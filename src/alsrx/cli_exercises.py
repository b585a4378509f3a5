"""`alsrx exercises list|show`: the exercise library, validated as it loads."""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Annotated

import typer

from alsrx.domain.exercises import library
from alsrx.i18n import N_, translator
from alsrx.render import exercise_listing

EXIT_INVALID = 1
NO_SUCH_EXERCISE = N_("No exercise {id} in the library (alsrx exercises list shows them).")
exercises_app = typer.Typer(no_args_is_help=True, help="The exercise library.")


class Lang(StrEnum):
    en = "en"
    zh = "zh"


class Format(StrEnum):
    json = "json"
    text = "text"


def _library() -> library.Library:
    try:
        return library.default()
    except library.LibraryError as exc:  # a broken data file: say where, never a traceback
        typer.echo(f"the exercise library is invalid: {exc}", err=True)
        raise typer.Exit(EXIT_INVALID) from None


@exercises_app.command("list")
def exercises_list(
    format: Annotated[Format, typer.Option("--format")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language of the names.")] = Lang.en,
    component: Annotated[
        str | None, typer.Option(help="Only those serving this component, e.g. resistance.")
    ] = None,
) -> None:
    """List every exercise: id, name, kind and the parts of the plan it serves."""
    entries = [
        e for e in _library() if component is None or component in {c.value for c in e.components}
    ]
    records = [exercise_listing.summary(e, lang.value) for e in entries]
    if format is Format.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for r in records:
        typer.echo(f"{r['id']:<42} {r['category']:<16} {r['name']}")


@exercises_app.command("show")
def exercises_show(
    exercise_id: Annotated[str, typer.Argument(help="Exercise id, from `alsrx exercises list`.")],
    format: Annotated[Format, typer.Option("--format")] = Format.text,
    lang: Annotated[Lang, typer.Option(help="Language.")] = Lang.en,
) -> None:
    """Show one exercise in full: steps, dose, what it needs, variants, sources."""
    entry = _library().get(exercise_id)
    if entry is None:
        typer.echo(translator(lang.value)(NO_SUCH_EXERCISE).format(id=exercise_id), err=True)
        raise typer.Exit(EXIT_INVALID)
    record = exercise_listing.detail(entry, lang.value)
    if format is Format.json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
        return
    typer.echo(exercise_listing.as_text(record, lang.value))


def register(app: typer.Typer) -> None:
    app.add_typer(exercises_app, name="exercises")
