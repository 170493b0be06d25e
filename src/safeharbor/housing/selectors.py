"""Reads of the housing area: visible placements and the outcome measures of a program.

Outcomes are computed from statistical fields only (dates, destination, income amounts)
and never carry a person, an address or a landlord.
"""

from __future__ import annotations

import datetime
import statistics
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from .choices import Destination, DestinationGroup, destination_group
from .models import HousingProgram, Placement
from .services import add_months
from .suppression import is_small, suppress

RETURN_WINDOWS = (6, 12, 24)
STAY_BUCKETS = (
    (7, "7 days or less"),
    (30, "8 to 30 days"),
    (90, "31 to 90 days"),
    (180, "91 to 180 days"),
    (365, "181 to 365 days"),
    (730, "366 to 730 days"),
    (None, "731 days or more"),
)
WAIT_BUCKETS = (
    (7, "7 days or less"),
    (30, "8 to 30 days"),
    (60, "31 to 60 days"),
    (90, "61 to 90 days"),
    (None, "91 days or more"),
)
OUTCOME_FIELDS = (
    "id",
    "person_id",
    "referral_on",
    "start_on",
    "move_in_on",
    "exit_on",
    "destination",
    "returned_homeless_on",
    "income_start",
    "income_annual",
    "income_exit",
)


def visible_placements(membership: Any, action: str = "view") -> QuerySet[Placement]:
    """The one way this area lists placements: through the permission engine."""
    return Placement.objects.visible_to(membership, action)


def programs() -> QuerySet[HousingProgram]:
    return HousingProgram.objects.select_related("program", "program__agency").prefetch_related(
        "partners"
    )


@dataclass
class Outcomes:
    """The measures of one program for one period (``start`` to ``end``, inclusive)."""

    start: datetime.date
    end: datetime.date
    housed: int = 0
    housed_at_end: int = 0
    days_to_move_in: list[int] = field(default_factory=list)
    stays: list[int] = field(default_factory=list)
    exits_by_destination: Counter = field(default_factory=Counter)
    permanent_exits: int = 0
    returns: dict[int, int] = field(default_factory=dict)
    income_with_change: int = 0
    income_up: int = 0
    income_same: int = 0
    income_down: int = 0
    income_changes: list[Decimal] = field(default_factory=list)
    move_ins_by_month: Counter = field(default_factory=Counter)

    @property
    def exits(self) -> int:
        return sum(self.exits_by_destination.values())

    @property
    def exits_by_group(self) -> dict[str, int]:
        groups = dict.fromkeys(DestinationGroup.values, 0)
        for code, count in self.exits_by_destination.items():
            groups[destination_group(code)] += count
        return groups


def _between(day: datetime.date | None, start: datetime.date, end: datetime.date) -> bool:
    return day is not None and start <= day <= end


def outcomes(
    placements: QuerySet[Placement], *, start: datetime.date, end: datetime.date
) -> Outcomes:
    """Measures over ``placements`` (already narrowed to one program and to what the viewer
    may count) for the period."""
    result = Outcomes(start=start, end=end)
    housed_people: set[int] = set()
    for row in placements.order_by().values(*OUTCOME_FIELDS):
        move_in, exit_on = row["move_in_on"], row["exit_on"]
        if _between(move_in, start, end):
            housed_people.add(row["person_id"])
            result.days_to_move_in.append((move_in - row["referral_on"]).days)
            result.move_ins_by_month[move_in.strftime("%Y-%m")] += 1
        if move_in and move_in <= end and (exit_on is None or exit_on > end):
            result.housed_at_end += 1
        if _between(exit_on, start, end):
            result.exits_by_destination[row["destination"]] += 1
            result.stays.append((exit_on - (move_in or row["start_on"])).days)
            if destination_group(row["destination"]) == DestinationGroup.PERMANENT:
                result.permanent_exits += 1
                returned = row["returned_homeless_on"]
                for months in RETURN_WINDOWS:
                    if returned is not None and returned <= add_months(exit_on, months):
                        result.returns[months] = result.returns.get(months, 0) + 1
        active = row["start_on"] <= end and (exit_on is None or exit_on >= start)
        later = row["income_exit"] if exit_on is not None else row["income_annual"]
        if active and row["income_start"] is not None and later is not None:
            change = later - row["income_start"]
            result.income_with_change += 1
            result.income_changes.append(change)
            if change > 0:
                result.income_up += 1
            elif change < 0:
                result.income_down += 1
            else:
                result.income_same += 1
    result.housed = len(housed_people)
    for months in RETURN_WINDOWS:
        result.returns.setdefault(months, 0)
    return result


# Presenting: exact figures for what the viewer may see, suppressed ones for aggregates ------


@dataclass(frozen=True)
class Row:
    label: str
    value: Any
    note: str = ""


def _average(values: list[int], *, suppressed: bool) -> Any:
    if not values:
        return "—"
    if suppressed and is_small(len(values)):
        return suppress(len(values))
    return _("%(mean)s days (median %(median)s)") % {
        "mean": round(statistics.fmean(values)),
        "median": round(statistics.median(values)),
    }


def _share(part: int, whole: int, *, suppressed: bool) -> Any:
    if not whole:
        return "—"
    if suppressed and (is_small(whole) or is_small(part)):
        return suppress(part) if is_small(part) else suppress(whole)
    return f"{round(100 * part / whole)}% ({part} / {whole})"


def _count(n: int, *, suppressed: bool) -> Any:
    return suppress(n) if suppressed else n


def summary_rows(result: Outcomes, *, suppressed: bool) -> list[Row]:
    """The outcome table of the program page."""
    rows = [
        Row(_("People who moved in"), _count(result.housed, suppressed=suppressed)),
        Row(
            _("Housed at the end of the period"),
            _count(result.housed_at_end, suppressed=suppressed),
        ),
        Row(
            _("Days from referral to move-in"),
            _average(result.days_to_move_in, suppressed=suppressed),
        ),
        Row(_("Exits"), _count(result.exits, suppressed=suppressed)),
        Row(_("Length of stay of those who exited"), _average(result.stays, suppressed=suppressed)),
        Row(
            _("Exits to permanent housing"),
            _share(result.permanent_exits, result.exits, suppressed=suppressed),
        ),
    ]
    for months in RETURN_WINDOWS:
        rows.append(
            Row(
                _("Returned to homelessness within %(n)d months of a permanent exit")
                % {"n": months},
                _share(result.returns[months], result.permanent_exits, suppressed=suppressed),
                _("Follow-up may still be under way for recent exits."),
            )
        )
    rows.append(
        Row(
            _("Income went up (start to latest assessment)"),
            _share(result.income_up, result.income_with_change, suppressed=suppressed),
        )
    )
    if result.income_changes and not (suppressed and is_small(len(result.income_changes))):
        mean = sum(result.income_changes) / len(result.income_changes)
        rows.append(Row(_("Average change in monthly income"), f"${mean:,.2f}"))
    return rows


def chart_rows(result: Outcomes, *, suppressed: bool) -> dict[str, list[dict[str, Any]]]:
    """Data of the two charts; with suppression, cells of 1 to 10 are left out of the chart
    (their table shows "fewer than 11")."""
    moves = []
    month = result.start.replace(day=1)
    while month <= result.end:
        key = month.strftime("%Y-%m")
        moves.append({"month": key, "people": result.move_ins_by_month.get(key, 0)})
        month = add_months(month, 1)
    groups = [
        {"group": str(DestinationGroup(g).label), "exits": n}
        for g, n in result.exits_by_group.items()
    ]
    return {"move_ins": moves, "exits": groups}


def funder_rows(result: Outcomes) -> list[tuple[str, str, Any]]:
    """The funder export (HUD comparable-database style): counts only, every cell of 1 to
    10 suppressed. No person, date, address or landlord."""
    rows: list[tuple[str, str, Any]] = [
        ("Persons", "Moved in during the period", suppress(result.housed)),
        ("Persons", "Housed at the end of the period", suppress(result.housed_at_end)),
        ("Exits", "Total exits", suppress(result.exits)),
    ]
    for group, count in result.exits_by_group.items():
        rows.append(
            ("Exits by destination group", str(DestinationGroup(group).label), suppress(count))
        )
    for code, label in Destination.choices:
        count = result.exits_by_destination.get(code, 0)
        rows.append(("Exits by destination", f"{code} {label}", suppress(count)))
    for name, values, buckets in (
        ("Days from referral to move-in", result.days_to_move_in, WAIT_BUCKETS),
        ("Length of stay", result.stays, STAY_BUCKETS),
    ):
        for label, count in _bucketed(values, buckets):
            rows.append((name, label, suppress(count)))
    rows.append(
        (
            "Returns to homelessness",
            "Exits to permanent destinations",
            suppress(result.permanent_exits),
        )
    )
    for months in RETURN_WINDOWS:
        rows.append(
            ("Returns to homelessness", f"Within {months} months", suppress(result.returns[months]))
        )
    rows += [
        ("Income change", "Income increased", suppress(result.income_up)),
        ("Income change", "Income the same", suppress(result.income_same)),
        ("Income change", "Income decreased", suppress(result.income_down)),
    ]
    return rows


def _bucketed(values: list[int], buckets: Any) -> list[tuple[str, int]]:
    counts = []
    lower = -1
    for upper, label in buckets:
        counts.append(
            (label, sum(1 for v in values if v > lower and (upper is None or v <= upper)))
        )
        lower = upper if upper is not None else lower
    return counts
