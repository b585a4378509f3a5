"""MiToS functional stage from the ALSFRS-R.

Source: Chiò A, Hammond ER, Mora G, Bonito V, Filippini G. Development and evaluation of a
clinical staging system for amyotrophic lateral sclerosis. J Neurol Neurosurg Psychiatry
2015;86:38-44 (Table 1). A domain is lost when:
- walking/self-care: item 8 (walking) <= 1 OR item 6 (dressing and hygiene) <= 1;
- swallowing: item 3 <= 1;
- communicating: item 1 (speech) <= 1 AND item 4 (handwriting) <= 1 (AND, as in the JNNP table;
  one public script wrongly uses OR, clinical-facts 4);
- breathing: item 10 (dyspnea) <= 1 OR item 12 (respiratory insufficiency) <= 2.
Stage = number of domains lost, 0-4; stage 5 (death) is never derived from a scale.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from alsrx.domain.scales import alsfrs_r as frs

LOST_AT_OR_BELOW = 1
BREATHING_ITEM12_LOST_AT_OR_BELOW = 2


class Domain(StrEnum):
    WALKING_SELF_CARE = "walking_self_care"
    SWALLOWING = "swallowing"
    COMMUNICATING = "communicating"
    BREATHING = "breathing"


@dataclass(frozen=True)
class MitosStage:
    stage: int
    domains_lost: tuple[Domain, ...]


def domains_lost(scale: frs.AlsfrsR) -> tuple[Domain, ...]:
    lost: list[Domain] = []
    if scale[frs.Q8] <= LOST_AT_OR_BELOW or scale[frs.Q6] <= LOST_AT_OR_BELOW:
        lost.append(Domain.WALKING_SELF_CARE)
    if scale[frs.Q3] <= LOST_AT_OR_BELOW:
        lost.append(Domain.SWALLOWING)
    if scale[frs.Q1] <= LOST_AT_OR_BELOW and scale[frs.Q4] <= LOST_AT_OR_BELOW:
        lost.append(Domain.COMMUNICATING)
    if scale[frs.Q10] <= LOST_AT_OR_BELOW or scale[frs.Q12] <= BREATHING_ITEM12_LOST_AT_OR_BELOW:
        lost.append(Domain.BREATHING)
    return tuple(lost)


def stage(scale: frs.AlsfrsR) -> MitosStage:
    lost = domains_lost(scale)
    return MitosStage(len(lost), lost)
