"""Small-count disclosure control: one policy applied to every aggregate a research output shows.

Two published policies are offered as named constants:

- ``OPENSAFELY``: the OpenSAFELY output-checking rules ("Statistical disclosure control"
  guidance for OpenSAFELY outputs): every count of 7 or fewer is redacted to 0, then every count
  is rounded to the nearest multiple of 5 (midpoint rounding). The rule applies to numerators
  and denominators alike, and ratios are recomputed from the disclosed values, never from the
  true ones (otherwise the ratio would leak the true counts).
- ``CMS``: the CMS cell-size suppression policy (Centers for Medicare & Medicaid Services, as
  applied to research data use agreements): no cell of 1 to 10 may be shown; 0 may be shown;
  every other value is shown as it is.

Values in, values out: a suppressed value is ``None``; the caller renders it (e.g. as "<11" or
"[REDACTED]") in the reader's language.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import TypeVar

K = TypeVar("K", bound=Hashable)


class SmallCount(StrEnum):
    """What a policy does with a small (1..threshold) count."""

    REDACT_TO_ZERO = "redact_to_zero"  # shown as 0 (OpenSAFELY)
    SUPPRESS = "suppress"  # not shown at all (CMS)


@dataclass(frozen=True)
class Policy:
    """A small-count disclosure policy.

    name: the code a caller names the policy by (see ``policy_named``).
    threshold: counts from 1 up to and including this value are small.
    small_count: what happens to a small count.
    rounding_multiple: every count that survives is rounded to the nearest multiple of this
        (1 = no rounding); an exact midpoint rounds up.
    """

    name: str
    threshold: int
    small_count: SmallCount
    rounding_multiple: int

    def __post_init__(self) -> None:
        if self.threshold < 0:
            raise ValueError(f"threshold must be >= 0, got {self.threshold}")
        if self.rounding_multiple < 1:
            raise ValueError(f"rounding_multiple must be >= 1, got {self.rounding_multiple}")


# OpenSAFELY output checking: "redact counts <= 7, then round to the nearest 5".
OPENSAFELY = Policy(
    name="opensafely", threshold=7, small_count=SmallCount.REDACT_TO_ZERO, rounding_multiple=5
)
# CMS cell-size suppression policy: cells of 1-10 are not displayed; no rounding.
CMS = Policy(name="cms", threshold=10, small_count=SmallCount.SUPPRESS, rounding_multiple=1)

POLICIES: Mapping[str, Policy] = MappingProxyType({p.name: p for p in (OPENSAFELY, CMS)})


@dataclass(frozen=True)
class Disclosed:
    """A ratio as it may be shown.

    numerator, denominator: the disclosed counts (None = suppressed).
    ratio: numerator / denominator recomputed from the disclosed counts; None when either is
        suppressed or the disclosed denominator is 0.
    """

    numerator: int | None
    denominator: int | None
    ratio: float | None


def policy_named(name: str) -> Policy:
    """The policy with this code; ValueError naming the allowed codes for any other."""
    try:
        return POLICIES[name]
    except KeyError:
        allowed = ", ".join(sorted(POLICIES))
        raise ValueError(f"unknown disclosure policy {name!r}; allowed: {allowed}") from None


def count(n: int, policy: Policy) -> int | None:
    """The count as the policy lets it be shown; None when it is suppressed."""
    _check_count(n, "n")
    if 1 <= n <= policy.threshold:
        return 0 if policy.small_count is SmallCount.REDACT_TO_ZERO else None
    return _round_to_multiple(n, policy.rounding_multiple)


def ratio(numerator: int, denominator: int, policy: Policy) -> Disclosed:
    """Disclose both counts, then recompute the ratio from what is disclosed.

    The recomputed ratio is what a reader could compute from the shown counts anyway; showing
    the true ratio beside rounded counts would let the true counts be recovered.
    """
    _check_count(numerator, "numerator")
    _check_count(denominator, "denominator")
    if numerator > denominator:
        raise ValueError(f"numerator ({numerator}) must not exceed denominator ({denominator})")
    shown_numerator = count(numerator, policy)
    shown_denominator = count(denominator, policy)
    if shown_numerator is None or shown_denominator is None or shown_denominator == 0:
        return Disclosed(shown_numerator, shown_denominator, None)
    return Disclosed(shown_numerator, shown_denominator, shown_numerator / shown_denominator)


def table(counts: Mapping[K, int], policy: Policy) -> Mapping[K, int | None]:
    """Every cell of a frequency table disclosed under the policy, keys and order kept.

    A total must be disclosed from the true total with ``count``, never summed from the
    disclosed cells. Under a suppress-only policy (CMS) a single suppressed cell beside a shown
    total can be recovered by subtraction; complementary suppression is the caller's choice.
    """
    return MappingProxyType({key: count(n, policy) for key, n in counts.items()})


def _round_to_multiple(n: int, multiple: int) -> int:
    # Integer arithmetic: nearest multiple, an exact midpoint rounds up (only possible for an
    # even multiple; with 5 an integer is never at a midpoint).
    return (n + multiple // 2) // multiple * multiple


def _check_count(n: int, field: str) -> None:
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise ValueError(f"{field} must be a whole number >= 0, got {n!r}")
