"""The alsrx command line: load settings, parse input, call the core, print.

Exit codes: 0 success; 1 invalid input or data (every message names the field); 2 usage
errors (unknown option, missing file). Errors print without a traceback.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer

from alsrx import settings as settings_mod
from alsrx.domain import assessment
from alsrx.errors import AlsrxError, FieldError, InvalidInput
from alsrx.i18n import translator
from alsrx.intake import assessment_input
from alsrx.render import assessment_json, assessment_text
from alsrx.render.messages import INPUT_ERROR, field_error_message

EXIT_INVALID = 1
EXIT_USAGE = 2

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="alsrx: exercise therapy for ALS."
)


class Lang(StrEnum):
    en = "en"
    zh = "zh"


class AssessFormat(StrEnum):
    json = "json"
    text = "text"


def _settings() -> settings_mod.Settings:
    try:
        return settings_mod.from_env(os.environ)
    except InvalidInput as exc:
        _print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None


def error_document(exc: AlsrxError, lang: str) -> dict[str, Any]:
    """The one error shape of alsrx: {"error": {code, message, fields: [{path, message}]}}."""
    _ = translator(lang)
    fields = exc.errors if isinstance(exc, InvalidInput) else ()
    return {
        "error": {
            "code": exc.code,
            "message": _(INPUT_ERROR) if isinstance(exc, InvalidInput) else str(exc),
            "fields": [{"path": f.path, "message": field_error_message(f, lang)} for f in fields],
        }
    }


def _print_error(exc: AlsrxError, lang: str, *, prefix: str = "") -> None:
    doc = error_document(exc, lang)["error"]
    lines = [f"{prefix}{doc['message']}:"] + [
        f"  {f['path']}: {f['message']}" for f in doc["fields"]
    ]
    typer.echo("\n".join(lines), err=True)


def _read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _load_json(text: str) -> object:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        detail = f"line {exc.lineno} column {exc.colno}: {exc.msg}"
        raise InvalidInput([FieldError("(document)", "bad_json", {"detail": detail})]) from None


def _dump(doc: object) -> str:
    return json.dumps(doc, ensure_ascii=False, sort_keys=False)


def _assess_one(document: object, cfg: settings_mod.Settings, today: dt.date) -> dict[str, Any]:
    parsed = assessment_input.parse(document, today=today)
    result = assessment.assess(parsed.patient, parsed.visit, cfg.assessment_options())
    return assessment_json.to_json(result, lang=cfg.lang)


def run_batch(path: Path, handle: Callable[[object], dict[str, Any]], *, lang: str) -> int:
    """One JSON line in, one JSON line out, in order; a bad line yields an error object."""
    failures = 0
    for number, line in enumerate(_read_text(path).splitlines(), start=1):
        try:
            out = handle(_load_json(line))
        except AlsrxError as exc:
            failures += 1
            out = error_document(exc, lang)
            _print_error(exc, lang, prefix=f"line {number}: ")
        typer.echo(_dump(out))
    return EXIT_INVALID if failures else 0


@app.command()
def assess(
    file: Annotated[
        Path | None, typer.Argument(help="Assessment input JSON file ('-' for stdin).")
    ] = None,
    batch: Annotated[Path | None, typer.Option(help="JSON Lines file: one case per line.")] = None,
    format: Annotated[
        AssessFormat, typer.Option("--format", help="Output format.")
    ] = AssessFormat.json,
    lang: Annotated[Lang | None, typer.Option(help="Language of messages and reports.")] = None,
    cutoffs: Annotated[
        str | None, typer.Option(help="Progression cut-offs: labra2016 | kimura2006.")
    ] = None,
    hrmax: Annotated[
        str | None, typer.Option(help="HRmax equation: tanaka | gellish | fox.")
    ] = None,
) -> None:
    """Assess one patient visit: ALSFRS-R, ΔFRS, King's and MiToS stages, HR, 6MWT, FVC, BMI."""
    env = dict(os.environ)
    for name, value in (
        ("ALSRX_LANG", lang),
        ("ALSRX_PROGRESSION_CUTOFFS", cutoffs),
        ("ALSRX_HRMAX_EQUATION", hrmax),
    ):
        if value is not None:
            env[name] = str(value)
    try:
        cfg = settings_mod.from_env(env)
    except InvalidInput as exc:
        _print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None
    today = dt.date.today()
    if (file is None) == (batch is None):
        typer.echo("give exactly one of FILE or --batch FILE", err=True)
        raise typer.Exit(EXIT_USAGE)
    if batch is not None:
        if format is AssessFormat.text:
            typer.echo("--batch writes JSON Lines; --format text is for one case", err=True)
            raise typer.Exit(EXIT_USAGE)
        raise typer.Exit(run_batch(batch, lambda doc: _assess_one(doc, cfg, today), lang=cfg.lang))
    assert file is not None
    try:
        doc = _assess_one(_load_json(_read_text(file)), cfg, today)
    except AlsrxError as exc:
        _print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    if format is AssessFormat.text:
        typer.echo(assessment_text.render(doc, lang=cfg.lang), nl=False)
    else:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


@app.command()
def schema() -> None:
    """Print the JSON Schema of the assessment input."""
    from alsrx.intake.schema import assessment_input_schema

    typer.echo(json.dumps(assessment_input_schema(), ensure_ascii=False, indent=2))


def main() -> None:
    app()
