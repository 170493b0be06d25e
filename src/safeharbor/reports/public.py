"""Public statistics: quarterly aggregates for one calendar year, always suppressed.

Only quarters that have ended are shown: a running quarter would change from one day to the
next, and comparing two days' pages would show a single new case. Each table counts one
thing (identifications, screenings, referrals) and is suppressed with its quarter totals and
its year total, so no cell of 1 to 10 can be read or worked out from the page.

The counts are read through the permission engine's statistical read, as the system actor
(``core.permissions.statistical_read``, purpose ``reports.public_statistics``: statistical
fields only, counts never rows), and kept in the Django cache for ``CACHE_SECONDS``: a page
render whose counts are all cached reads nothing and writes no audit event; one that has to
count opens one read for everything it counts (``PublicCounting``) and writes one audit
event. So a busy public page costs at most one count and one audit event per few minutes
per year shown (per server process with the default local-memory cache), not one per visitor.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Min
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from safeharbor.core.permissions import (
    SYSTEM,
    StatisticalQuerySet,
    StatisticalRead,
    statistical_read,
)

from .registry import Figure
from .suppression import suppress_table

__all__ = [
    "CACHE_SECONDS",
    "PURPOSE",
    "PublicCounting",
    "PublicStatistics",
    "public_statistics",
    "public_years",
    "quarter_label",
]

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]
PURPOSE = "reports.public_statistics"
# How long computed public counts are kept: new records of an ended quarter show within this.
CACHE_SECONDS = 300
_CACHE_PREFIX = "reports:public-statistics"


class PublicCounting:
    """The one statistical read of a public page render, opened at the first count that is
    not cached and audited once when the render is done (``with PublicCounting() as c``).
    A render whose counts are all cached opens no read and writes no audit event."""

    def __init__(self) -> None:
        self._stack = ExitStack()
        self.read: StatisticalRead | None = None

    def __enter__(self) -> PublicCounting:
        return self

    def __exit__(self, *exc: Any) -> None:
        self._stack.__exit__(*exc)

    def rows(self, model: Any) -> StatisticalQuerySet:
        if self.read is None:
            self.read = self._stack.enter_context(
                statistical_read(
                    SYSTEM, purpose=PURPOSE, filters={"audience": "public", "suppressed": "yes"}
                )
            )
        return self.read.rows(model)

    def covers(self, name: str, value: Any) -> None:
        """Name what the read counted for (a year, its quarters) in its audit event."""
        if self.read is not None:
            self.read.filters[name] = str(value)

    def cached(self, key: str, compute: Any) -> Any:
        """The cached value of ``key``, else ``compute(self)`` counted now and cached."""
        full_key = f"{_CACHE_PREFIX}:{key}"
        value = cache.get(full_key)
        if value is None:
            value = compute(self)
            cache.set(full_key, value, CACHE_SECONDS)
        return value


@dataclass
class PublicStatistics:
    year: int
    quarters: list[str]
    figures: list[Figure]


def quarter_label(quarter: str) -> str:
    """A quarter, Q1 to Q4, as the page's language writes it (Spanish: T1 to T4)."""
    labels = {
        "Q1": pgettext("first quarter of the year, short", "Q1"),
        "Q2": pgettext("second quarter of the year, short", "Q2"),
        "Q3": pgettext("third quarter of the year, short", "Q3"),
        "Q4": pgettext("fourth quarter of the year, short", "Q4"),
    }
    return labels[quarter]


def _quarter(value: datetime.date) -> str:
    return QUARTERS[(value.month - 1) // 3]


def _ended_quarters(year: int, today: datetime.date) -> list[str]:
    ends = {
        "Q1": datetime.date(year, 3, 31),
        "Q2": datetime.date(year, 6, 30),
        "Q3": datetime.date(year, 9, 30),
        "Q4": datetime.date(year, 12, 31),
    }
    return [q for q in QUARTERS if ends[q] < today]


def _first_year(counting: PublicCounting) -> int:
    """The year of the first identification (0: none yet), counted for the year list."""
    from safeharbor.survivors.models import Identification

    first = counting.rows(Identification).aggregate(first=Min("identified_on"))["first"]
    counting.covers("first_year", "yes")
    return first.year if first else 0


def public_years(
    today: datetime.date | None = None, *, counting: PublicCounting | None = None
) -> list[int]:
    """Years with at least one ended quarter, newest first (back to the first data).
    Counted within ``counting`` (a page's one read) or a read of its own."""
    if counting is None:
        with PublicCounting() as own:
            return public_years(today, counting=own)
    today = today or timezone.localdate()
    start_year = counting.cached("first-year", _first_year) or today.year
    years = [y for y in range(today.year, start_year - 1, -1) if _ended_quarters(y, today)]
    return years or [today.year - 1]


@dataclass(frozen=True)
class _Counts:
    """The public counts of a year's ended quarters (what the cache keeps): plain numbers by
    (quarter, column), no labels (those follow the page's language)."""

    people: dict[tuple[str, str], int]
    screenings: dict[tuple[str, str], int]
    referrals: dict[tuple[str, str], int]


def _count_year(year: int, quarters: list[str], counting: PublicCounting) -> _Counts:
    from safeharbor.referrals.models import Referral
    from safeharbor.survivors.models import Identification, Screening

    start = datetime.date(year, 1, 1)
    last_end = {
        "Q1": datetime.date(year, 3, 31),
        "Q2": datetime.date(year, 6, 30),
        "Q3": datetime.date(year, 9, 30),
        "Q4": datetime.date(year, 12, 31),
    }
    end = last_end[quarters[-1]] if quarters else start - datetime.timedelta(days=1)

    people: dict[tuple[str, str], int] = defaultdict(int)
    for day, juvenile, n in (
        counting.rows(Identification)
        .filter(
            status__in=("suspected", "confirmed"),
            identified_on__gte=start,
            identified_on__lte=end,
        )
        .order_by()
        .values_list("identified_on", "juvenile_at_identification")
        .annotate(n=Count("pk"))
    ):
        group = "minor" if juvenile else ("adult" if juvenile is False else "unknown")
        people[(_quarter(day), group)] += n

    screenings: dict[tuple[str, str], int] = defaultdict(int)
    for day, band, n in (
        counting.rows(Screening)
        .filter(screened_on__gte=start, screened_on__lte=end)
        .order_by()
        .values_list("screened_on", "band")
        .annotate(n=Count("pk"))
    ):
        screenings[(_quarter(day), band)] += n

    referrals: dict[tuple[str, str], int] = defaultdict(int)
    for sent, state, n in (
        counting.rows(Referral)
        .filter(sent_at__date__gte=start, sent_at__date__lte=end)
        .order_by()
        .values_list("sent_at__date", "state")
        .annotate(n=Count("pk"))
    ):
        outcome = "accepted" if state in ("accepted", "completed") else "other"
        referrals[(_quarter(sent), outcome)] += n
    counting.covers("year", year)
    counting.covers("quarters", ",".join(quarters) or "none")
    return _Counts(people=dict(people), screenings=dict(screenings), referrals=dict(referrals))


def public_statistics(
    year: int, *, today: datetime.date | None = None, counting: PublicCounting | None = None
) -> PublicStatistics:
    """The year's public figures, suppressed, from cached counts or counted now within
    ``counting`` (a page's one read) or a read of its own."""
    from safeharbor.survivors.choices import ScreeningBand

    if counting is None:
        with PublicCounting() as own:
            return public_statistics(year, today=today, counting=own)
    today = today or timezone.localdate()
    quarters = _ended_quarters(year, today)
    counts = counting.cached(
        f"{year}:{','.join(quarters)}", lambda c: _count_year(year, quarters, c)
    )
    people = defaultdict(int, counts.people)
    screenings = defaultdict(int, counts.screenings)
    referrals = defaultdict(int, counts.referrals)

    row_labels = {q: quarter_label(q) for q in quarters}
    figures = [
        Figure(
            slug="identifications",
            title=_("Identifications of trafficking (suspected or confirmed), %(year)s")
            % {"year": year},
            table=suppress_table(people, quarters, ["minor", "adult", "unknown"]),
            row_header=_("Quarter"),
            row_labels=row_labels,
            column_labels={
                "minor": _("Under 18"),
                "adult": _("18 or older"),
                "unknown": _("Age not known"),
            },
        ),
        Figure(
            slug="screenings",
            title=_("Screenings, %(year)s") % {"year": year},
            table=suppress_table(screenings, quarters, [b.value for b in ScreeningBand]),
            row_header=_("Quarter"),
            row_labels=row_labels,
            column_labels={b.value: str(b.label) for b in ScreeningBand},
        ),
        Figure(
            slug="referrals",
            title=_("Referrals to services, %(year)s") % {"year": year},
            table=suppress_table(referrals, quarters, ["accepted", "other"]),
            row_header=_("Quarter"),
            row_labels=row_labels,
            column_labels={
                "accepted": pgettext("referrals counted", "Accepted"),
                "other": _("Not accepted or still waiting"),
            },
        ),
    ]
    return PublicStatistics(year=year, quarters=quarters, figures=figures)
