"""Translations: gettext catalogs (.po) for zh-CN and en, loaded once per language.

The catalogs are read from the .po files with Babel at first use, so a fresh checkout needs no
compile step and a stale .mo can never shadow an edited .po. Code marks text with `_()` (or
`N_()` where the text is translated later); source strings are English.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Callable
from importlib import resources

from babel.messages import mofile, pofile

DOMAIN = "alsrx"
LANGUAGES = {"en": "en", "zh": "zh_CN", "zh_CN": "zh_CN", "zh-CN": "zh_CN"}
DEFAULT_LANGUAGE = "en"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "translate later"
    return message


def locale_for(lang: str) -> str:
    try:
        return LANGUAGES[lang]
    except KeyError:
        raise ValueError(f"unsupported language {lang!r}; choose one of en, zh") from None


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    locale = locale_for(lang)
    po_path = resources.files(__package__).joinpath("locale", locale, "LC_MESSAGES", f"{DOMAIN}.po")
    with po_path.open("rb") as handle:
        catalog = pofile.read_po(handle, locale=locale, domain=DOMAIN)
    buffer = io.BytesIO()
    mofile.write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def translator(lang: str) -> Callable[[str], str]:
    """The `_` function for one language."""
    return translations(lang).gettext
