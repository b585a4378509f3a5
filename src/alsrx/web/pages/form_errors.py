"""Field errors for a form page: each message in the reader's language, and the other fields
a message names (such as "must not be earlier than ...") in the form's own words."""

from __future__ import annotations

from collections.abc import Mapping

from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import translator
from alsrx.render.messages import field_error_message

# Parameters that hold field names (intake/assessment_input.py, services/patients.py).
NAMED = ("other", "fields")


def messages(exc: InvalidInput, lang: str, names: Mapping[str, str]) -> dict[str, str]:
    """{path: message}; `names` maps a field's code (its path's last part) to its label,
    untranslated (the N_ tables)."""
    _ = translator(lang)
    out: dict[str, str] = {}
    for e in exc.errors:
        params = dict(e.params)
        for key in NAMED:
            if key in params:
                params[key] = _label(params[key], names, lang)
        if isinstance(params.get("detail"), str):  # free text: in words where the catalog knows it
            params["detail"] = _(str(params["detail"]))
        text = field_error_message(FieldError(e.path, e.code, params), lang)
        out[e.path] = f"{out[e.path]}; {text}" if e.path in out else text
    return out


def _label(value: object, names: Mapping[str, str], lang: str) -> str:
    _ = translator(lang)
    codes = value if isinstance(value, tuple | list) else (value,)
    words = [_(names[str(c)]) if str(c) in names else str(c) for c in codes]
    return " / ".join(words)


def label_of(path: str, names: Mapping[str, str], lang: str) -> str:
    """The words for a field path ("assessment.cpet.peak_hr_bpm" -> its label)."""
    _ = translator(lang)
    for key in (path, path.removeprefix("assessment."), path.rsplit(".", 1)[-1]):
        if key in names:
            return _(names[key])
    return _("This form")
