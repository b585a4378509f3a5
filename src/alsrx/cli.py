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
from alsrx.cli_common import print_error
from alsrx.domain import assessment
from alsrx.domain.prescription import engine, params
from alsrx.domain.prescription.params import EngineSettings
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.i18n import translator
from alsrx.intake import assessment_input, prescription_input, wire
from alsrx.render import (
    assessment_json,
    assessment_text,
    evidence_views,
    prescription_json,
    prescription_md,
)
from alsrx.render.evidence_views import NO_SUCH_RECORD
from alsrx.render.messages import error_document

EXIT_INVALID = 1
EXIT_USAGE = 2

app = typer.Typer(
    no_args_is_help=True, add_completion=False, help="alsrx: exercise therapy for ALS."
)
evidence_app = typer.Typer(no_args_is_help=True, help="The evidence base behind every rule.")
app.add_typer(evidence_app, name="evidence")


class Lang(StrEnum):
    en = "en"
    zh = "zh"


class AssessFormat(StrEnum):
    json = "json"
    text = "text"


def _cfg(lang: Lang | None, cutoffs: str | None, hrmax: str | None) -> settings_mod.Settings:
    """Settings from the environment, command-line options taking precedence."""
    env = dict(os.environ)
    for name, value in (
        ("ALSRX_LANG", lang),
        ("ALSRX_PROGRESSION_CUTOFFS", cutoffs),
        ("ALSRX_HRMAX_EQUATION", hrmax),
    ):
        if value is not None:
            env[name] = str(value)
    try:
        return settings_mod.from_env(env)
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None


def _check_one_source(file: Path | None, batch: Path | None, *, text_format: bool) -> None:
    if (file is None) == (batch is None):
        typer.echo("give exactly one of FILE or --batch FILE", err=True)
        raise typer.Exit(EXIT_USAGE)
    if batch is not None and text_format:
        typer.echo("--batch writes JSON Lines; text formats are for one case", err=True)
        raise typer.Exit(EXIT_USAGE)


def _read_text(path: Path) -> str:
    if str(path) == "-":
        return sys.stdin.read()
    try:
        return path.read_text(encoding="utf-8")
    except OSError as exc:
        typer.echo(f"cannot read {path}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _load_json(document: str) -> object:
    return wire.loads(document, path="(document)")


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
            print_error(exc, lang, prefix=f"line {number}: ")
        typer.echo(_dump(out))
    return EXIT_INVALID if failures else 0


def _run_cases(
    file: Path | None,
    batch: Path | None,
    handle: Callable[[object], dict[str, Any]],
    *,
    lang: str,
    text: Callable[[dict[str, Any]], str] | None,
) -> None:
    """One case from FILE (JSON, or `text` for a readable form) or a JSON Lines batch."""
    _check_one_source(file, batch, text_format=text is not None)
    if batch is not None:
        raise typer.Exit(run_batch(batch, handle, lang=lang))
    assert file is not None
    try:
        doc = handle(_load_json(_read_text(file)))
    except AlsrxError as exc:
        print_error(exc, lang)
        raise typer.Exit(EXIT_INVALID) from None
    if text is not None:
        typer.echo(text(doc), nl=False)
    else:
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


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
    cfg = _cfg(lang, cutoffs, hrmax)
    today = dt.date.today()
    text = (
        (lambda doc: assessment_text.render(doc, lang=cfg.lang))
        if format is AssessFormat.text
        else None
    )
    _run_cases(file, batch, lambda doc: _assess_one(doc, cfg, today), lang=cfg.lang, text=text)


@app.command()
def schema() -> None:
    """Print the JSON Schema of the assessment input."""
    from alsrx.intake.schema import assessment_input_schema

    typer.echo(json.dumps(assessment_input_schema(), ensure_ascii=False, indent=2))


class PrescribeFormat(StrEnum):
    json = "json"
    md = "md"


def _engine_settings(pairs: list[str] | None) -> EngineSettings:
    overrides: dict[str, object] = {}
    for pair in pairs or []:
        name, _, value = pair.partition("=")
        overrides[name.strip()] = wire.form_number(value) if value.strip() else None
    return params.with_overrides(EngineSettings(), overrides)


def _prescribe_one(
    document: object, cfg: settings_mod.Settings, engine_settings: EngineSettings, today: dt.date
) -> dict[str, Any]:
    case = prescription_input.parse(document, today=today, options=cfg.assessment_options())
    result = engine.prescribe(case, engine_settings)
    return prescription_json.to_json(result, settings=engine_settings, lang=cfg.lang)


@app.command()
def prescribe(
    file: Annotated[
        Path | None, typer.Argument(help="Prescription input JSON ('-' for stdin).")
    ] = None,
    batch: Annotated[Path | None, typer.Option(help="JSON Lines file: one case per line.")] = None,
    format: Annotated[
        PrescribeFormat, typer.Option("--format", help="Output format.")
    ] = PrescribeFormat.json,
    lang: Annotated[Lang | None, typer.Option(help="Language of messages and the handout.")] = None,
    set_: Annotated[
        list[str] | None,
        typer.Option(
            "--set", help="Engine parameter NAME=VALUE (may only tighten evidence bounds)."
        ),
    ] = None,
) -> None:
    """Draft an individual exercise prescription for clinician review, citing its evidence."""
    cfg = _cfg(lang, None, None)
    today = dt.date.today()
    try:
        engine_settings = _engine_settings(set_)
    except InvalidInput as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    text = (
        (lambda doc: prescription_md.render(doc, lang=cfg.lang))
        if format is PrescribeFormat.md
        else None
    )
    handle = lambda doc: _prescribe_one(doc, cfg, engine_settings, today)  # noqa: E731
    _run_cases(file, batch, handle, lang=cfg.lang, text=text)


class Audience(StrEnum):
    patient = "patient"
    clinician = "clinician"


@app.command()
def handout(
    file: Annotated[Path, typer.Argument(help="Prescription input JSON ('-' for stdin).")],
    output: Annotated[Path, typer.Option("--output", "-o", help="The PDF file to write.")],
    lang: Annotated[Lang | None, typer.Option(help="Language of the handout.")] = None,
    audience: Annotated[
        Audience, typer.Option(help="The patient's handout or the clinician's sheet.")
    ] = Audience.patient,
    centre: Annotated[str | None, typer.Option(help="Centre name to print.")] = None,
    clinic_phone: Annotated[str | None, typer.Option(help="The clinic's phone number.")] = None,
    emergency_number: Annotated[
        str | None, typer.Option(help="Emergency number (default: 'your local number').")
    ] = None,
) -> None:
    """Print a drafted prescription as PDF, from a prescribe input file; no database. The
    sheet says it is a draft: no clinician has approved it."""
    # Imported here: WeasyPrint takes a while to load, and the other commands never need it.
    from alsrx.render import programme_view
    from alsrx.reports import handout as handout_pdf
    from alsrx.services import accounts

    cfg = _cfg(lang, None, None)
    try:
        emergency_number = accounts.check_emergency_number(emergency_number)
        document = _load_json(_read_text(file))
        content = _prescribe_one(document, cfg, EngineSettings(), dt.date.today())
    except AlsrxError as exc:
        print_error(exc, cfg.lang)
        raise typer.Exit(EXIT_INVALID) from None
    context = programme_view.HandoutContext(
        centre_name=centre,
        clinic_phone=clinic_phone,
        emergency_number=emergency_number,
        assessed_on=_assessment_date(document),
    )
    programme = programme_view.build(
        content, lang=cfg.lang, audience=audience.value, context=context
    )
    try:
        output.write_bytes(handout_pdf.pdf(programme))
    except OSError as exc:
        typer.echo(f"cannot write {output}: {exc.strerror}", err=True)
        raise typer.Exit(EXIT_USAGE) from None


def _assessment_date(document: object) -> dt.date | None:
    """The input's assessment date (the parse above has checked it)."""
    assert isinstance(document, dict)
    return dt.date.fromisoformat(str(document["assessment"]["date"]))


def main() -> None:
    from alsrx import (
        cli_exercises,
        cli_fhir,
        cli_followup,
        cli_jobs,
        cli_platform,
        cli_research,
    )

    os.umask(0o077)  # the database, its -wal/-shm, backups: the service's user reads them alone
    cli_platform.register(app)
    cli_followup.register(app)
    cli_jobs.register(app)
    cli_exercises.register(app)
    cli_research.register(app)
    cli_fhir.register(app)
    app()


class ListFormat(StrEnum):
    json = "json"
    text = "text"


@evidence_app.command("list")
def evidence_list(
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    lang: Annotated[Lang | None, typer.Option(help="Language of summaries.")] = None,
) -> None:
    """List every evidence record: the review's references, guidance, recommendations."""
    cfg = _cfg(lang, None, None)
    records = evidence_views.all_records(cfg.lang)
    if format is ListFormat.json:
        typer.echo(json.dumps(records, ensure_ascii=False, indent=2))
        return
    for r in records:
        typer.echo(f"{r['id']:<22} {r['kind']:<17} {r['summary']}")


@evidence_app.command("show")
def evidence_show(
    record_id: Annotated[str, typer.Argument(help="Record id, e.g. R30 or rec-aerobic-intensity.")],
    format: Annotated[ListFormat, typer.Option("--format")] = ListFormat.text,
    lang: Annotated[Lang | None, typer.Option(help="Language of summaries.")] = None,
) -> None:
    """Show one evidence record in full."""
    cfg = _cfg(lang, None, None)
    record = evidence_views.one_record(record_id, cfg.lang)
    if record is None:
        typer.echo(translator(cfg.lang)(NO_SUCH_RECORD).format(id=record_id), err=True)
        raise typer.Exit(EXIT_INVALID)
    if format is ListFormat.json:
        typer.echo(json.dumps(record, ensure_ascii=False, indent=2))
    else:
        typer.echo(evidence_views.as_text(record))
