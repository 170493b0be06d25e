"""Unduplicated counts with an honest interval, and the small-cell rule for showing them.

Records that may be linked (consent allows it, or the agency is not VAWA-covered) are
clustered; records that may not be linked still count. The answer is an interval:

- lower bound: as if every unlinkable record were someone already counted;
- upper bound: as if no unlinkable record were;
- point estimate: the linked part's own rate of distinct people per record, applied to the
  unlinkable records.

Plain Python (no database); the database side feeds it cluster ids and flags.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from dataclasses import dataclass

__all__ = ["SMALL_CELL_MAX", "UniqueCount", "format_count", "unduplicated_count"]

# DESIGN: aggregates shown outside the owning agencies suppress cells of 1 to 10.
SMALL_CELL_MAX = 10


@dataclass(frozen=True)
class UniqueCount:
    """Unique people among some records: point estimate and interval, and what it rests on."""

    point: int
    lower: int
    upper: int
    linked_records: int
    unlinkable_records: int

    @property
    def exact(self) -> bool:
        """True when every record could be linked, so the interval is a single number."""
        return self.lower == self.upper


def unduplicated_count(
    linked_clusters: Iterable[Hashable], *, unlinkable_records: int = 0
) -> UniqueCount:
    """Count unique people from the cluster ids of the linkable records (one id per record,
    already filtered) and the number of records that may not be linked."""
    clusters = list(linked_clusters)
    linked = len(clusters)
    people = len(set(clusters))
    if unlinkable_records < 0:
        raise ValueError("unlinkable_records cannot be negative")
    upper = people + unlinkable_records
    # Someone is there if any record is, even when none of them may be linked.
    lower = max(people, 1 if unlinkable_records else 0)
    point = round(people + unlinkable_records * people / linked) if linked else upper
    point = min(max(point, lower), upper)
    return UniqueCount(
        point=point,
        lower=lower,
        upper=upper,
        linked_records=linked,
        unlinkable_records=unlinkable_records,
    )


def _shown(value: int, suppress: bool) -> str:
    """A count as words for a page: grouped the way the reader's language writes numbers.
    (The API gives plain numbers, never these words.)"""
    from django.utils.formats import number_format
    from django.utils.translation import gettext as _

    if suppress and 1 <= value <= SMALL_CELL_MAX:
        return _("fewer than %(n)d") % {"n": SMALL_CELL_MAX + 1}
    return number_format(value, use_l10n=True, force_grouping=True)


def format_count(label: str, count: UniqueCount, *, suppress_small_cells: bool) -> str:
    """Format as in "Unique young people suspected or confirmed, 2011: 112 (between 101 and 130)".

    ``suppress_small_cells`` is true whenever the reader is outside the owning agencies:
    every figure from 1 to 10 then reads "fewer than 11".
    """
    from django.utils.translation import gettext as _

    point = _shown(count.point, suppress_small_cells)
    if count.exact:
        return _("%(label)s: %(point)s") % {"label": label, "point": point}
    return _("%(label)s: %(point)s (between %(lower)s and %(upper)s)") % {
        "label": label,
        "point": point,
        "lower": _shown(count.lower, suppress_small_cells),
        "upper": _shown(count.upper, suppress_small_cells),
    }
