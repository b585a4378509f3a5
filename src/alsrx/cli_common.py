"""What every command shares: printing an error in the one error shape, without a traceback."""

from __future__ import annotations

import typer

from alsrx.errors import AlsrxError
from alsrx.render.messages import error_document


def print_error(exc: AlsrxError, lang: str, *, prefix: str = "") -> None:
    doc = error_document(exc, lang)["error"]
    lines = [f"{prefix}{doc['message']}:"] + [
        f"  {f['path']}: {f['message']}" for f in doc["fields"]
    ]
    typer.echo("\n".join(lines), err=True)
