"""King's clinical stage estimated from the ALSFRS-R.

Staging system: Roche JC et al. A proposed staging system for amyotrophic lateral sclerosis.
Brain 2012;135:847-852. Estimation from ALSFRS-R items: Balendra R et al. Estimating clinical
stage of amyotrophic lateral sclerosis from the ALS Functional Rating Scale. Amyotroph Lateral
Scler Frontotemporal Degener 2014;15:279-284. doi:10.3109/21678421.2014.897357.

Rules as specified for alsrx (issue 2; clinical-facts 3, where two public R implementations
agree):
- regions involved: bulbar when any of items 1-3 is below 4; upper limb when item 4 or item 5a
  is below 4; lower limb when item 8 is below 4. Stage = number of regions, at least 1 (a person
  with ALS has at least one region involved by definition).
- 4A (gastrostomy) when item 5b is answered; 4B (respiratory: NIV) when item 10 is 0 or item 12
  is below 4; "4A+4B" when both. The published algorithm returns plain 4 for both; showing the
  two together is our explicit choice (clinical-facts 3, open item 3).
Stage 5 (death) is never derived from a scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alsrx.domain.scales import alsfrs_r as frs

NORMAL = 4
MIN_REGIONS = 1


class Region(StrEnum):
    BULBAR = "bulbar"
    UPPER_LIMB = "upper_limb"
    LOWER_LIMB = "lower_limb"


@dataclass(frozen=True)
class KingsStage:
    stage: str
    regions: tuple[Region, ...]
    gastrostomy: bool
    niv: bool

    @property
    def rank(self) -> int:
        """An order for monotonicity checks: 1 < 2 < 3 < 4A, 4B < 4A+4B."""
        return {"4A": 4, "4B": 4, "4A+4B": 5}.get(self.stage) or int(self.stage)


def regions_involved(scale: frs.AlsfrsR) -> tuple[Region, ...]:
    regions: list[Region] = []
    if any(scale[item] < NORMAL for item in (frs.Q1, frs.Q2, frs.Q3)):
        regions.append(Region.BULBAR)
    # With a gastrostomy item 5a is not answered; item 4 alone then speaks for the upper limb.
    upper_items = (frs.Q4,) if scale.gastrostomy else (frs.Q4, frs.Q5A)
    if any(scale[item] < NORMAL for item in upper_items):
        regions.append(Region.UPPER_LIMB)
    if scale[frs.Q8] < NORMAL:
        regions.append(Region.LOWER_LIMB)
    return tuple(regions)


def needs_niv(scale: frs.AlsfrsR) -> bool:
    return scale[frs.Q10] == 0 or scale[frs.Q12] < NORMAL


def stage(scale: frs.AlsfrsR) -> KingsStage:
    regions = regions_involved(scale)
    gastrostomy, niv = scale.gastrostomy, needs_niv(scale)
    if gastrostomy and niv:
        label = "4A+4B"
    elif gastrostomy:
        label = "4A"
    elif niv:
        label = "4B"
    else:
        label = str(max(len(regions), MIN_REGIONS))
    return KingsStage(label, regions, gastrostomy, niv)
