"""What every command shares: printing an error in the one error shape, without a traceback,
and the settings of a command that writes the audit trail."""

from __future__ import annotations

import os
from enum import StrEnum

import typer

from alsrx import settings as settings_mod
from alsrx.errors import AlsrxError, InvalidInput
from alsrx.render.messages import file_error_lines

EXIT_INVALID = 1


class Lang(StrEnum):
    en = "en"
    zh = "zh"


def print_error(exc: AlsrxError, lang: str, *, prefix: str = "") -> None:
    message, *fields = file_error_lines(exc, lang)
    typer.echo("\n".join([f"{prefix}{message}:", *[f"  {line}" for line in fields]]), err=True)


def audited_settings(lang: Lang | None) -> settings_mod.Settings:
    """Settings from the environment (`--lang` first) for a command that writes the audit
    trail, which needs its key; a setting refused exits 1 with the error in words."""
    env = dict(os.environ)
    if lang is not None:
        env["ALSRX_LANG"] = lang.value
    try:
        return settings_mod.from_env(env, needs_audit_key=True)
    except InvalidInput as exc:
        print_error(exc, "en")
        raise typer.Exit(EXIT_INVALID) from None
