"""Row locks for posting, taken in one fixed order so concurrent postings cannot deadlock:
first the fund, then allocations by primary key. Every posting goes through here."""

from __future__ import annotations

from collections.abc import Iterable

from .models import Allocation, Fund


def lock_for_posting(*, fund_id: int, allocation_ids: Iterable[int] = ()) -> Fund:
    """Lock the fund row (which serialises numbering and balance checks of that fund) and
    then the allocations touched, in ascending id order. Call inside a transaction."""
    fund = Fund.objects.select_for_update().get(pk=fund_id)
    ids = sorted(set(allocation_ids))
    if ids:
        list(Allocation.objects.select_for_update().filter(pk__in=ids).order_by("pk"))
    return fund
