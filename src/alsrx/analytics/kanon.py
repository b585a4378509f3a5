"""k-anonymity over quasi-identifiers.

A data set is k-anonymous over a set of quasi-identifiers when every combination of their values
that occurs is shared by at least k rows (Sweeney L. k-anonymity: a model for protecting
privacy. Int J Uncertain Fuzziness Knowl-Based Syst 2002;10:557-570). This module only measures;
whether to coarsen, drop or refuse an export is the caller's decision.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType


@dataclass(frozen=True)
class SmallGroup:
    """One combination of quasi-identifier values (key -> value) and how many rows share it."""

    values: Mapping[str, object]
    size: int


@dataclass(frozen=True)
class KAnonymity:
    """The result of a k-anonymity check.

    k: the k that was asked for.
    keys: the quasi-identifiers, in the order given.
    n_rows: rows examined.
    smallest_group: the size of the smallest group; None when there are no rows.
    below_k: every group smaller than k, smallest first (ties in order of first appearance).
    """

    k: int
    keys: tuple[str, ...]
    n_rows: int
    smallest_group: int | None
    below_k: tuple[SmallGroup, ...]

    @property
    def satisfied(self) -> bool:
        """True when no group is smaller than k (vacuously true for no rows)."""
        return not self.below_k


def smallest_groups(
    rows: Iterable[Mapping[str, object]], keys: Sequence[str], k: int
) -> KAnonymity:
    """Group the rows by the values of ``keys`` and report the groups smaller than k.

    Every row must carry every key (a missing quasi-identifier would otherwise silently form
    its own group); values must be hashable. ValueError for k < 1 or a missing key.
    """
    if isinstance(k, bool) or not isinstance(k, int) or k < 1:
        raise ValueError(f"k must be a whole number >= 1, got {k!r}")
    key_tuple = tuple(keys)
    if len(set(key_tuple)) != len(key_tuple):
        raise ValueError(f"keys must not repeat, got {list(key_tuple)}")
    sizes = _group_sizes(rows, key_tuple)
    # Counter keeps first-appearance order; sorted() is stable, so ties keep that order.
    small = sorted(((combo, n) for combo, n in sizes.items() if n < k), key=lambda item: item[1])
    return KAnonymity(
        k=k,
        keys=key_tuple,
        n_rows=sum(sizes.values()),
        smallest_group=min(sizes.values()) if sizes else None,
        below_k=tuple(
            SmallGroup(MappingProxyType(dict(zip(key_tuple, combo, strict=True))), n)
            for combo, n in small
        ),
    )


def _group_sizes(
    rows: Iterable[Mapping[str, object]], keys: tuple[str, ...]
) -> Counter[tuple[object, ...]]:
    sizes: Counter[tuple[object, ...]] = Counter()
    for index, row in enumerate(rows):
        missing = [key for key in keys if key not in row]
        if missing:
            raise ValueError(f"row {index} lacks quasi-identifier(s) {missing}")
        sizes[tuple(row[key] for key in keys)] += 1
    return sizes
