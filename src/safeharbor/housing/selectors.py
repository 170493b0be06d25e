"""Reads of the housing area: visible placements and the outcome measures of a program.

Outcomes are computed from statistical fields (dates, destination, the direction of the
income change) and never carry a person, an address or a landlord. Over a statistical read
(``read.rows(Placement)``, for aggregate-only readers and the dashboard) that is all they
read; over placements the viewer may see they also read the income amounts, for the average
change in dollars.
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

from safeharbor.core.permissions import StatisticalQuerySet, statistical_read
from safeharbor.reports.suppression import Cell, is_small, suppressed_number
from safeharbor.reports.suppression import suppress as suppress_cells

from .choices import Destination, DestinationGroup, IncomeChange, destination_group
from .models import HousingProgram, Placement
from .services import add_months

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
# What outcomes read: statistical fields (and the person key, to count people once) ...
OUTCOME_FIELDS = (
    "person_id",
    "referral_on",
    "start_on",
    "move_in_on",
    "exit_on",
    "destination",
    "returned_homeless_on",
    "income_change",
)
# ... and, for a viewer who may see the placements, the amounts (case data).
INCOME_AMOUNT_FIELDS = ("income_start", "income_annual", "income_exit")


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
    may count) for the period. ``placements`` from a statistical read (``read.rows``) are
    counted from statistical fields only, with no average change in income; placements
    the viewer may see (``visible_placements``) give that average too."""
    with_amounts = not isinstance(placements, StatisticalQuerySet)
    fields = OUTCOME_FIELDS + (INCOME_AMOUNT_FIELDS if with_amounts else ())
    result = Outcomes(start=start, end=end)
    housed_people: set[int] = set()
    for row in placements.order_by().values(*fields):
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
        change = row["income_change"]
        if active and change:
            result.income_with_change += 1
            if change == IncomeChange.UP:
                result.income_up += 1
            elif change == IncomeChange.DOWN:
                result.income_down += 1
            else:
                result.income_same += 1
            if with_amounts:
                later = row["income_exit"] if exit_on is not None else row["income_annual"]
                if row["income_start"] is not None and later is not None:
                    result.income_changes.append(later - row["income_start"])
    result.housed = len(housed_people)
    for months in RETURN_WINDOWS:
        result.returns.setdefault(months, 0)
    return result


def counted_outcomes(
    subject: Any,
    *,
    housing: HousingProgram,
    start: datetime.date,
    end: datetime.date,
    purpose: str,
    on_behalf_of: Any = None,
) -> Outcomes:
    """A program's outcomes through one statistical read (audited once, with the program
    and the period): every placement ``subject`` may count (``SYSTEM``: all of them),
    statistical fields only, so no average change in income."""
    filters = {"program": housing.pk, "start": start.isoformat(), "end": end.isoformat()}
    with statistical_read(
        subject, purpose=purpose, filters=filters, on_behalf_of=on_behalf_of
    ) as read:
        return outcomes(read.rows(Placement).filter(program=housing), start=start, end=end)


# Presenting: exact figures for what the viewer may see, suppressed ones for aggregates ------
#
# Aggregates use the shared small-cell rule with complementary suppression
# (``safeharbor.reports.suppression``): counts from 1 to 10 read "fewer than 11", and more
# cells are hidden where a total and the other cells would give a small one away (exits by
# group add up to the exits, destinations to their group, stay buckets to the exits).


@dataclass(frozen=True)
class Row:
    label: str
    value: Any
    note: str = ""


def _bucket_key(kind: str, label: str) -> str:
    return f"{kind}:{label}"


def aggregate_cells(result: Outcomes) -> dict[str, Cell]:
    """Every count the aggregates show, suppressed together."""
    waits = _bucketed(result.days_to_move_in, WAIT_BUCKETS)
    stays = _bucketed(result.stays, STAY_BUCKETS)
    values: dict[str, int] = {
        "housed": result.housed,
        "housed_at_end": result.housed_at_end,
        "exits": result.exits,
        "permanent_exits": result.permanent_exits,
        "income_up": result.income_up,
        "income_same": result.income_same,
        "income_down": result.income_down,
    }
    values.update({f"group:{g}": n for g, n in result.exits_by_group.items()})
    values.update({f"dest:{c}": result.exits_by_destination.get(c, 0) for c in Destination.values})
    values.update({_bucket_key("wait", label): n for label, n in waits})
    values.update({_bucket_key("stay", label): n for label, n in stays})
    values.update({f"return:{m}": result.returns[m] for m in RETURN_WINDOWS})
    equations: list[tuple[str, list[str]]] = [
        ("exits", [f"group:{g}" for g in DestinationGroup.values]),
        ("exits", [_bucket_key("stay", label) for label, _n in stays]),
        ("permanent_exits", [f"group:{DestinationGroup.PERMANENT}"]),
    ]
    for group in DestinationGroup.values:
        codes = [c for c in Destination.values if destination_group(c) == group]
        equations.append((f"group:{group}", [f"dest:{c}" for c in codes]))
    if len(result.days_to_move_in) == result.housed:  # one move-in per person: same total
        equations.append(("housed", [_bucket_key("wait", label) for label, _n in waits]))
    return suppress_cells(values, equations)


def _average(values: list[int], *, suppressed: bool) -> Any:
    if not values:
        return "—"
    if suppressed:
        cell = suppressed_number(len(values))
        if cell.hidden:
            return cell.display
    return _("%(mean)s days (median %(median)s)") % {
        "mean": round(statistics.fmean(values)),
        "median": round(statistics.median(values)),
    }


def _share(part: int, whole: int, *, cells: dict[str, Cell] | None, keys: tuple[str, str]) -> Any:
    if not whole:
        return "—"
    if cells is not None:
        part_cell, whole_cell = cells[keys[0]], cells[keys[1]]
        if part_cell.hidden:
            return part_cell.display
        if whole_cell.hidden:
            return whole_cell.display
    return f"{round(100 * part / whole)}% ({part} / {whole})"


def summary_rows(result: Outcomes, *, suppressed: bool) -> list[Row]:
    """The outcome table of the program page (and the API's measures)."""
    cells = aggregate_cells(result) if suppressed else None

    def count(key: str, value: int) -> Any:
        return cells[key].display if cells is not None else value

    rows = [
        Row(_("People who moved in"), count("housed", result.housed)),
        Row(_("Housed at the end of the period"), count("housed_at_end", result.housed_at_end)),
        Row(
            _("Days from referral to move-in"),
            _average(result.days_to_move_in, suppressed=suppressed),
        ),
        Row(_("Exits"), count("exits", result.exits)),
        Row(_("Length of stay of those who exited"), _average(result.stays, suppressed=suppressed)),
        Row(
            _("Exits to permanent housing"),
            _share(
                result.permanent_exits, result.exits, cells=cells, keys=("permanent_exits", "exits")
            ),
        ),
    ]
    for months in RETURN_WINDOWS:
        rows.append(
            Row(
                _("Returned to homelessness within %(n)d months of a permanent exit")
                % {"n": months},
                _share(
                    result.returns[months],
                    result.permanent_exits,
                    cells=cells,
                    keys=(f"return:{months}", "permanent_exits"),
                ),
                _("Follow-up may still be under way for recent exits."),
            )
        )
    with_change = result.income_with_change
    up = _share(result.income_up, with_change, cells=None, keys=("", ""))
    if suppressed and with_change:
        shown = suppressed_number(with_change)
        up = cells["income_up"].display if cells["income_up"].hidden else up
        up = shown.display if shown.hidden else up
    rows.append(Row(_("Income went up (start to latest assessment)"), up))
    if result.income_changes and not (suppressed and is_small(len(result.income_changes))):
        mean = sum(result.income_changes) / len(result.income_changes)
        rows.append(Row(_("Average change in monthly income"), f"${mean:,.2f}"))
    return rows


def group_rows(result: Outcomes, *, suppressed: bool) -> list[tuple[str, Any]]:
    """Exits by destination group, for the table beside (or instead of) the chart."""
    cells = aggregate_cells(result) if suppressed else None
    return [
        (
            str(DestinationGroup(g).label),
            cells[f"group:{g}"].display if cells is not None else n,
        )
        for g, n in result.exits_by_group.items()
    ]


def chart_rows(result: Outcomes) -> dict[str, list[dict[str, Any]]]:
    """Data of the two charts (only drawn with exact figures)."""
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
    """The funder export (HUD comparable-database style): counts only, small cells and
    their complements suppressed. No person, date, address or landlord."""
    cells = aggregate_cells(result)
    spec: list[tuple[str, str, str]] = [
        ("Persons", "Moved in during the period", "housed"),
        ("Persons", "Housed at the end of the period", "housed_at_end"),
        ("Exits", "Total exits", "exits"),
    ]
    spec += [
        ("Exits by destination group", str(DestinationGroup(g).label), f"group:{g}")
        for g in DestinationGroup.values
    ]
    spec += [
        ("Exits by destination", f"{code} {label}", f"dest:{code}")
        for code, label in Destination.choices
    ]
    spec += [
        ("Days from referral to move-in", label, _bucket_key("wait", label))
        for _upper, label in WAIT_BUCKETS
    ]
    spec += [
        ("Length of stay", label, _bucket_key("stay", label)) for _upper, label in STAY_BUCKETS
    ]
    spec.append(("Returns to homelessness", "Exits to permanent destinations", "permanent_exits"))
    spec += [
        ("Returns to homelessness", f"Within {m} months", f"return:{m}") for m in RETURN_WINDOWS
    ]
    spec += [
        ("Income change", "Income increased", "income_up"),
        ("Income change", "Income the same", "income_same"),
        ("Income change", "Income decreased", "income_down"),
    ]
    return [(section, category, cells[key].export_value) for section, category, key in spec]


def _bucketed(values: list[int], buckets: Any) -> list[tuple[str, int]]:
    counts = []
    lower = -1
    for upper, label in buckets:
        counts.append(
            (label, sum(1 for v in values if v > lower and (upper is None or v <= upper)))
        )
        lower = upper if upper is not None else lower
    return counts
