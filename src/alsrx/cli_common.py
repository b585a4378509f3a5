"""What every command shares: printing an error in the one error shape, without a traceback."""

from __future__ import annotations

import typer

from alsrx.errors import AlsrxError
from alsrx.render.messages import file_error_lines


def print_error(exc: AlsrxError, lang: str, *, prefix: str = "") -> None:
    message, *fields = file_error_lines(exc, lang)
    typer.echo("\n".join([f"{prefix}{message}:", *[f"  {line}" for line in fields]]), err=True)
