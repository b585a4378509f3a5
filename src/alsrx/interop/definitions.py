"""alsrx's StructureDefinitions (extensions and profiles), shipped beside this module."""

from __future__ import annotations

import functools
import json
from importlib import resources
from typing import Any


@functools.cache
def _loaded() -> tuple[dict[str, Any], ...]:
    folder = resources.files("alsrx.interop") / "definitions"
    if not folder.is_dir():
        return ()
    files = sorted(f for f in folder.iterdir() if f.name.endswith(".json"))
    return tuple(json.loads(f.read_text(encoding="utf-8")) for f in files)


def all() -> list[dict[str, Any]]:
    return [dict(d) for d in _loaded()]
