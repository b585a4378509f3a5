"""Settings, read once from the environment at the edge and passed down.

    ALSRX_LANG                   en | zh (default en): language of messages and reports
    ALSRX_PROGRESSION_CUTOFFS    labra2016 | kimura2006 (default labra2016)
    ALSRX_HRMAX_EQUATION         tanaka | gellish | fox (default tanaka)

A value outside its allowed set is refused with a message naming the variable; a silent
fallback could change a clinical result without anyone noticing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from alsrx.domain.assessment import Options
from alsrx.domain.equations.heart_rate import PREDICTED_SOURCES, MaxSource
from alsrx.domain.scales.progression import CUTOFF_SETS
from alsrx.errors import FieldError, InvalidInput
from alsrx.i18n import LANGUAGES


@dataclass(frozen=True)
class Settings:
    lang: str = "en"
    progression_cutoffs: str = "labra2016"
    hr_max_equation: str = "tanaka"

    def assessment_options(self) -> Options:
        return Options(
            progression_cutoffs=CUTOFF_SETS[self.progression_cutoffs],
            hr_max_equation=MaxSource(self.hr_max_equation),
        )


def _choice(env: Mapping[str, str], name: str, allowed: tuple[str, ...], default: str) -> str:
    value = env.get(name, default)
    if value not in allowed:
        raise InvalidInput([FieldError(name, "not_one_of", {"allowed": allowed})])
    return value


def from_env(env: Mapping[str, str]) -> Settings:
    return Settings(
        lang=_choice(env, "ALSRX_LANG", ("en", "zh"), "en"),
        progression_cutoffs=_choice(
            env, "ALSRX_PROGRESSION_CUTOFFS", tuple(CUTOFF_SETS), "labra2016"
        ),
        hr_max_equation=_choice(
            env, "ALSRX_HRMAX_EQUATION", tuple(s.value for s in PREDICTED_SOURCES), "tanaka"
        ),
    )


assert set(LANGUAGES) >= {"en", "zh"}
