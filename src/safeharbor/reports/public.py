"""Public statistics: quarterly aggregates for one calendar year, always suppressed.

Only quarters that have ended are shown: a running quarter would change from one day to the
next, and comparing two days' pages would show a single new case. Each table counts one
thing (identifications, screenings, referrals) and is suppressed with its quarter totals and
its year total, so no cell of 1 to 10 can be read or worked out from the page.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from .registry import Figure
from .suppression import suppress_table

__all__ = ["PublicStatistics", "public_statistics", "public_years", "quarter_label"]

QUARTERS = ["Q1", "Q2", "Q3", "Q4"]


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


def public_years(today: datetime.date | None = None) -> list[int]:
    """Years with at least one ended quarter, newest first (back to the first data)."""
    from safeharbor.survivors.models import Identification

    today = today or timezone.localdate()
    first = (
        Identification.objects.order_by("identified_on")
        .values_list("identified_on", flat=True)
        .first()
    )
    start_year = first.year if first else today.year
    years = [y for y in range(today.year, start_year - 1, -1) if _ended_quarters(y, today)]
    return years or [today.year - 1]


def public_statistics(year: int, *, today: datetime.date | None = None) -> PublicStatistics:
    from safeharbor.referrals.models import Referral
    from safeharbor.survivors.choices import ScreeningBand
    from safeharbor.survivors.models import Identification, Screening

    today = today or timezone.localdate()
    quarters = _ended_quarters(year, today)
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
        Identification.objects.filter(
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
        Screening.objects.filter(screened_on__gte=start, screened_on__lte=end)
        .order_by()
        .values_list("screened_on", "band")
        .annotate(n=Count("pk"))
    ):
        screenings[(_quarter(day), band)] += n

    referrals: dict[tuple[str, str], int] = defaultdict(int)
    for sent, state, n in (
        Referral.objects.filter(sent_at__date__gte=start, sent_at__date__lte=end)
        .order_by()
        .values_list("sent_at__date", "state")
        .annotate(n=Count("pk"))
    ):
        outcome = "accepted" if state in ("accepted", "completed") else "other"
        referrals[(_quarter(sent), outcome)] += n

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
