"""Reads of the linkage area: the latest run and unduplicated counts for any filter.

A count takes the person records with an identification matching the filter (status,
juvenile at identification, the period, the agencies), looks up each record's cluster in the
latest finished run and counts unique people with the interval of ``counts.unduplicated_count``:
records that could not take part (no consent to statistical linkage, or added since the run)
still count, unlinked. Reads statistical fields only, through the permission engine's
statistical read (``core.permissions.statistical_read``, as the system actor, audited once per
count with the filter), and never returns rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.core.permissions import SYSTEM, StatisticalRead, statistical_read

from .choices import PairStatus, RunStatus, StatusFilter
from .counts import UniqueCount, format_count, unduplicated_count
from .models import ClusterMembership, DuplicatePair, LinkageRun

__all__ = [
    "CountFilter",
    "CountResult",
    "count_result",
    "count_results",
    "default_count_lines",
    "default_filters",
    "latest_run",
    "review_queue",
    "unique_count",
    "unique_counts",
]

STATUSES = {
    StatusFilter.SUSPECTED_OR_CONFIRMED: ("suspected", "confirmed"),
    StatusFilter.CONFIRMED: ("confirmed",),
    StatusFilter.SUSPECTED: ("suspected",),
}


@dataclass(frozen=True)
class CountFilter:
    """Which records a count takes in. Empty ``agency_ids``: every agency."""

    juveniles: bool = True
    status: str = StatusFilter.SUSPECTED_OR_CONFIRMED
    start: datetime.date | None = None
    end: datetime.date | None = None
    agency_ids: tuple[int, ...] = ()

    @classmethod
    def year(cls, year: int, **kwargs: Any) -> CountFilter:
        return cls(start=datetime.date(year, 1, 1), end=datetime.date(year, 12, 31), **kwargs)

    def label(self, agency_names: list[str] | None = None) -> str:
        """E.g. "Unique young people suspected or confirmed, 2011"."""
        who = _("Unique young people") if self.juveniles else _("Unique people")
        what = {
            StatusFilter.SUSPECTED_OR_CONFIRMED: _("suspected or confirmed"),
            StatusFilter.CONFIRMED: _("confirmed"),
            StatusFilter.SUSPECTED: _("suspected"),
        }[StatusFilter(self.status)]
        text = f"{who} {what}"
        if self.start and self.end and (self.start.month, self.start.day) == (1, 1):
            if (self.end.month, self.end.day) == (12, 31) and self.start.year == self.end.year:
                text += f", {self.start.year}"
            else:
                text += ", " + _("%(start)s to %(end)s") % {
                    "start": self.start.isoformat(),
                    "end": self.end.isoformat(),
                }
        elif self.start or self.end:
            text += ", " + _("%(start)s to %(end)s") % {
                "start": self.start.isoformat() if self.start else "…",
                "end": self.end.isoformat() if self.end else "…",
            }
        if agency_names:
            text += " " + _("(%(agencies)s)") % {"agencies": ", ".join(agency_names)}
        return text


@dataclass(frozen=True)
class CountResult:
    """A count, its label and whether small cells were suppressed for the reader."""

    filters: CountFilter
    label: str
    count: UniqueCount
    suppressed: bool
    run: LinkageRun | None
    text: str = field(default="")


def latest_run() -> LinkageRun | None:
    """The most recent finished run (across the platform: counts cover every agency)."""
    return (
        LinkageRun.objects.visible_to(SYSTEM)
        .filter(status=RunStatus.SUCCEEDED)
        .order_by("-finished_at", "-id")
        .first()
    )


def _matching_person_ids(filters: CountFilter, read: StatisticalRead) -> set[int]:
    from safeharbor.survivors.models import Identification

    identifications = read.rows(Identification).filter(
        status__in=STATUSES[StatusFilter(filters.status)]
    )
    if filters.juveniles:
        identifications = identifications.filter(juvenile_at_identification=True)
    if filters.start:
        identifications = identifications.filter(identified_on__gte=filters.start)
    if filters.end:
        identifications = identifications.filter(identified_on__lte=filters.end)
    if filters.agency_ids:
        identifications = identifications.filter(person__agency_id__in=filters.agency_ids)
    return set(identifications.values_list("person_id", flat=True).distinct())


def audit_filters(filters: CountFilter) -> dict[str, str]:
    """A count's filter as the audit records it (no person's id or value)."""
    return {
        "juveniles": "yes" if filters.juveniles else "no",
        "status": str(filters.status),
        "start": filters.start.isoformat() if filters.start else "",
        "end": filters.end.isoformat() if filters.end else "",
        "agencies": ",".join(map(str, filters.agency_ids)) or "all",
    }


def unique_count(
    filters: CountFilter,
    *,
    run: LinkageRun | None = None,
    read: StatisticalRead | None = None,
    on_behalf_of: Any = None,
) -> UniqueCount:
    """Unique people among the records matching ``filters``, with the interval. Counted
    within ``read`` (a report's statistical read) or a read of its own, audited as done on
    behalf of ``on_behalf_of`` (a membership) when given."""
    if read is None:
        with statistical_read(
            SYSTEM,
            purpose="linkage.unique_count",
            filters=audit_filters(filters),
            on_behalf_of=on_behalf_of,
        ) as own:
            return unique_count(filters, run=run, read=own)
    person_ids = _matching_person_ids(filters, read)
    run = run or latest_run()
    clusters: list[int] = []
    if run is not None and person_ids:
        clusters = list(
            read.rows(ClusterMembership)
            .filter(run=run, linked=True, person_id__in=person_ids)
            .values_list("cluster", flat=True)
        )
    return unduplicated_count(clusters, unlinkable_records=len(person_ids) - len(clusters))


def unique_counts(
    filters_list: Sequence[CountFilter],
    *,
    run: LinkageRun | None = None,
    on_behalf_of: Any = None,
    purpose: str = "linkage.unique_count",
) -> list[UniqueCount]:
    """Unique people for each filter, all counted in **one** statistical read (one audit
    event naming every filter: ``filter:1.status=...``, ``filter:2.start=...``; a single
    filter's keys are not numbered)."""
    if len(filters_list) == 1:
        audit = audit_filters(filters_list[0])
    else:
        audit = {
            f"{number}.{key}": value
            for number, filters in enumerate(filters_list, 1)
            for key, value in audit_filters(filters).items()
        }
    run = run or latest_run()
    with statistical_read(
        SYSTEM, purpose=purpose, filters=audit, on_behalf_of=on_behalf_of
    ) as read:
        return [unique_count(filters, run=run, read=read) for filters in filters_list]


def count_results(
    filters_list: Sequence[CountFilter],
    *,
    viewer_agency_id: int | None,
    run: LinkageRun | None = None,
    on_behalf_of: Any = None,
    purpose: str = "linkage.unique_count",
) -> list[CountResult]:
    """Counts as a reader sees them, in one audited statistical read: small cells
    suppressed unless a filter covers only the reader's own agency's records.
    ``on_behalf_of``: the reader's membership, named in the audit."""
    from safeharbor.accounts.models import Agency

    run = run or latest_run()
    counts = unique_counts(filters_list, run=run, on_behalf_of=on_behalf_of, purpose=purpose)
    wanted = {pk for filters in filters_list for pk in filters.agency_ids}
    agency_names = (
        dict(Agency.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    )
    results = []
    for filters, count in zip(filters_list, counts, strict=True):
        names = sorted(agency_names[pk] for pk in filters.agency_ids if pk in agency_names)
        suppress = not (
            viewer_agency_id is not None and set(filters.agency_ids) == {viewer_agency_id}
        )
        label = filters.label(names or None)
        results.append(
            CountResult(
                filters=filters,
                label=label,
                count=count,
                suppressed=suppress,
                run=run,
                text=format_count(label, count, suppress_small_cells=suppress),
            )
        )
    return results


def count_result(
    filters: CountFilter,
    *,
    viewer_agency_id: int | None,
    run: LinkageRun | None = None,
    on_behalf_of: Any = None,
) -> CountResult:
    """One count as a reader sees it (see ``count_results``)."""
    return count_results(
        [filters], viewer_agency_id=viewer_agency_id, run=run, on_behalf_of=on_behalf_of
    )[0]


def default_filters(today: datetime.date | None = None) -> list[CountFilter]:
    """What the home page and ``safeharbor link run`` show: young people suspected or
    confirmed, all time and this year."""
    today = today or timezone.localdate()
    return [CountFilter(), CountFilter.year(today.year)]


def default_count_lines(*, suppress_small_cells: bool) -> list[str]:
    """The default counts as lines of text (one audited read for all of them)."""
    filters_list = default_filters()
    counts = unique_counts(filters_list)
    return [
        format_count(filters.label(), count, suppress_small_cells=suppress_small_cells)
        for filters, count in zip(filters_list, counts, strict=True)
    ]


def review_queue(membership: Any, *, status: str = PairStatus.PENDING) -> QuerySet:
    """The possible duplicates the membership may see, waiting first."""
    pairs = DuplicatePair.objects.visible_to(membership, "view").select_related(
        "person_a", "person_b"
    )
    if status:
        pairs = pairs.filter(status=status)
    return pairs.order_by("-match_probability", "id")
