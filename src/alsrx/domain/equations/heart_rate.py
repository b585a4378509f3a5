"""Maximal heart rate, heart-rate reserve and Karvonen training targets.

- Measured HRmax: the peak heart rate of a cardiopulmonary exercise test (CPET) is preferred
  when given (the review's synthesis: set aerobic intensity from CPET; Braga et al. 2018).
- Age-predicted HRmax (clinical-facts 7.1):
  Tanaka H, Monahan KD, Seals DR. Age-predicted maximal heart rate revisited. J Am Coll Cardiol
  2001;37:153-156: 208 - 0.7 x age (default).
  Gellish RL et al. Longitudinal modeling of the relationship between age and maximal heart
  rate. Med Sci Sports Exerc 2007;39:822-829: 207 - 0.7 x age.
  Fox SM, Naughton JP, Haskell WL. Physical activity and the prevention of coronary heart
  disease. Ann Clin Res 1971;3:404-432: 220 - age (no original data behind it; Robergs &
  Landwehr 2002).
- Karvonen MJ, Kentala E, Mustala O. The effects of training on heart rate. Ann Med Exp Biol Fenn
  1957;35:307-315: target = HRrest + fraction x (HRmax - HRrest); HRR = HRmax - HRrest.
- Beta-blockers blunt the heart-rate response, so age-predicted and even measured HR targets
  are unreliable; intensity then goes by perceived exertion (ACSM; clinical-facts 7.1).
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alsrx.domain.unavailable import Unavailable


class MaxSource(StrEnum):
    MEASURED = "measured"
    TANAKA = "tanaka"
    GELLISH = "gellish"
    FOX = "fox"


PREDICTED_SOURCES = (MaxSource.TANAKA, MaxSource.GELLISH, MaxSource.FOX)


def predicted_max_bpm(age_years: float, equation: MaxSource = MaxSource.TANAKA) -> float:
    """Age-predicted maximal heart rate by the chosen equation."""
    if equation is MaxSource.TANAKA:
        return 208.0 - 0.7 * age_years
    if equation is MaxSource.GELLISH:
        return 207.0 - 0.7 * age_years
    if equation is MaxSource.FOX:
        return 220.0 - age_years
    raise ValueError(f"not an age-predicted equation: {equation}")


def karvonen_bpm(*, rest_bpm: float, max_bpm: float, fraction: float) -> float:
    """Heart rate at `fraction` of the heart-rate reserve above rest."""
    return rest_bpm + fraction * (max_bpm - rest_bpm)


@dataclass(frozen=True)
class HeartRate:
    max_bpm: float
    max_source: MaxSource
    rest_bpm: float | None
    reserve_bpm: float | None
    targets_reliable: bool
    warnings: tuple[str, ...]
    unavailable: Unavailable | None = None

    def target_bpm(self, fraction: float) -> float | None:
        """Karvonen target, or None when the reserve is unknown."""
        if self.rest_bpm is None or self.reserve_bpm is None:
            return None
        return karvonen_bpm(rest_bpm=self.rest_bpm, max_bpm=self.max_bpm, fraction=fraction)


def assess(
    *,
    age_years: float,
    rest_bpm: float | None,
    measured_max_bpm: float | None = None,
    equation: MaxSource = MaxSource.TANAKA,
    beta_blocker: bool = False,
) -> HeartRate:
    """HRmax (measured before predicted), reserve and whether HR targets can be trusted."""
    if measured_max_bpm is not None:
        max_bpm, source = float(measured_max_bpm), MaxSource.MEASURED
    else:
        max_bpm, source = predicted_max_bpm(age_years, equation), equation
    warnings = _warnings(beta_blocker=beta_blocker, measured=measured_max_bpm is not None)
    if rest_bpm is None:
        missing = Unavailable("not_measured", "assessment.resting_hr_bpm")
        return HeartRate(max_bpm, source, None, None, not beta_blocker, warnings, missing)
    if rest_bpm >= max_bpm:
        bad = Unavailable("rest_not_below_max", "assessment.resting_hr_bpm", {"max_bpm": max_bpm})
        return HeartRate(max_bpm, source, float(rest_bpm), None, False, warnings, bad)
    return HeartRate(
        max_bpm, source, float(rest_bpm), max_bpm - rest_bpm, not beta_blocker, warnings
    )


def _warnings(*, beta_blocker: bool, measured: bool) -> tuple[str, ...]:
    if not beta_blocker:
        return ()
    if measured:
        return ("beta_blocker_measured_max",)
    return ("beta_blocker_predicted_max",)
