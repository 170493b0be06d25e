"""What a dashboard is made of, and the registry other areas add their sections to.

An area registers a section in its ``AppConfig.ready``::

    from safeharbor.reports.registry import DashboardSection, register_dashboard_section

    register_dashboard_section(
        DashboardSection(slug="housing", title=_("Housing outcomes"), build=housing_figures)
    )

``build(scope)`` gets a ``ReportScope`` (period, agencies, whether to suppress) and returns
``Figure`` objects: a table of counts already passed through ``reports.suppression`` (or
``money_table`` for amounts), with a chart kind. The dashboard page draws the chart from the
figures it may show, puts the table beside it, and offers each as CSV; the PDF and the API
use the same figures. Sections return aggregates only, never rows about people.

Protected records are counted through the permission engine's statistical read
(``core.permissions.statistical_read``): ``with scope.statistics("purpose") as read`` and
``read.rows(Model)``, which reads statistical fields only, gives counts and never rows, and
audits the read once (a whole dashboard is one read). A single-column table of counts and
its figure are ``count_table``/``count_input`` and ``count_figure``.
"""

from __future__ import annotations

import dataclasses
import datetime
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from safeharbor.core.permissions import SYSTEM, StatisticalRead, statistical_read

from .suppression import Cell, CellState, SuppressedTable, TableInput, suppress_table

__all__ = [
    "COUNT",
    "DashboardSection",
    "Figure",
    "ReportScope",
    "count_figure",
    "count_input",
    "count_table",
    "dashboard_sections",
    "money_table",
    "register_dashboard_section",
    "sections_for",
]

# The one column of a table of counts by row.
COUNT = "n"


@dataclass(frozen=True)
class ReportScope:
    """What a report covers and for whom: the period (inclusive), the agencies (None: every
    agency), and whether the reader is outside the owning agencies (small cells hidden)."""

    start: datetime.date
    end: datetime.date
    agency_ids: tuple[int, ...] | None
    suppress: bool
    membership: Any = None
    read: StatisticalRead | None = field(default=None, compare=False, repr=False)

    def agency_filter(self, field_name: str = "agency_id") -> dict[str, Any]:
        if self.agency_ids is None:
            return {}
        return {f"{field_name}__in": self.agency_ids}

    def audit_filters(self) -> dict[str, str]:
        """What the report covers, as the audit records it (no person's id or value)."""
        return {
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "agencies": "all" if self.agency_ids is None else ",".join(map(str, self.agency_ids)),
            "suppressed": "yes" if self.suppress else "no",
        }

    @contextmanager
    def statistics(self, purpose: str) -> Iterator[StatisticalRead]:
        """The statistical read that counts for this report: the one already open for the
        whole report (``counting``), else a new one audited when the block ends. Reads as the
        system actor on behalf of the reader: ``reports.access`` has already narrowed the
        agencies to what the reader's role may count."""
        if self.read is not None:
            yield self.read
            return
        with statistical_read(
            SYSTEM, purpose=purpose, on_behalf_of=self.membership, filters=self.audit_filters()
        ) as read:
            yield read

    @contextmanager
    def counting(self, purpose: str) -> Iterator[ReportScope]:
        """This scope with one statistical read open for everything counted inside the
        block (a whole dashboard is one audited read, not one per section)."""
        with self.statistics(purpose) as read:
            yield dataclasses.replace(self, read=read)


@dataclass
class Figure:
    """One table of a section, with the chart drawn from it.

    ``chart`` is "bar" (one bar per row, or stacked by column), "line" (rows are periods) or
    "" for a table alone. ``unit`` is "count" or "money".
    """

    slug: str
    title: str
    table: SuppressedTable
    row_header: str
    column_labels: Mapping[Any, str] = field(default_factory=dict)
    row_labels: Mapping[Any, str] = field(default_factory=dict)
    chart: str = "bar"
    unit: str = "count"
    note: str = ""

    def column_label(self, column: Any) -> str:
        return str(self.column_labels.get(column, column))

    def row_label(self, row: Any) -> str:
        return str(self.row_labels.get(row, row))

    def fmt(self, cell: Cell | None) -> str:
        if cell is None:
            return ""
        if self.unit == "money" and cell.value is not None:
            return f"${Decimal(cell.value):,.2f}"
        return cell.display

    @property
    def headers(self) -> list[str]:
        heads = [self.column_label(c) for c in self.table.columns]
        if self.table.row_totals:
            heads.append(_("Total"))
        return heads

    def display_rows(self) -> list[tuple[str, list[str], str | None]]:
        rows = []
        for row, cells, total in self.table.table_rows():
            rows.append(
                (
                    self.row_label(row),
                    [self.fmt(c) for c in cells],
                    self.fmt(total) if total is not None else None,
                )
            )
        return rows

    def display_totals(self) -> list[str] | None:
        if not self.table.column_totals:
            return None
        line = [self.fmt(self.table.column_totals.get(c)) for c in self.table.columns]
        if self.table.row_totals and self.table.grand_total is not None:
            line.append(self.fmt(self.table.grand_total))
        return line

    @property
    def any_hidden(self) -> bool:
        return self.table.any_hidden

    def chart_columns(self) -> list[Any]:
        """The series a chart draws: the columns whose every cell is shown. A column with a
        hidden cell is left out whole (a missing bar reads as zero), so a chart never reveals a
        hidden figure and never draws one as nothing."""
        rows = self.table.rows
        return [
            column
            for column in self.table.columns
            if all(self.table.cells[(row, column)].state == CellState.SHOWN for row in rows)
        ]

    def chart_left_out(self) -> list[str]:
        """Labels of the series the chart leaves out because some of their figures are hidden."""
        drawn = set(self.chart_columns())
        return [self.column_label(c) for c in self.table.columns if c not in drawn]

    def shown_points(self) -> list[dict[str, Any]]:
        """The chart's data: the cells of ``chart_columns``; none when all of them are zero
        (a flat line at zero says less than the table does)."""
        points = [
            {
                "row": self.row_label(row),
                "series": self.column_label(column),
                "value": float(self.table.cells[(row, column)].value or 0),
            }
            for row in self.table.rows
            for column in self.chart_columns()
        ]
        return points if any(point["value"] for point in points) else []

    def export_header(self) -> list[str]:
        return [self.row_header, *self.headers]

    def export_rows(self) -> list[list[Any]]:
        """CSV rows: numbers stay numbers; hidden cells say why."""

        def value(cell: Cell | None) -> Any:
            if cell is None:
                return ""
            if self.unit == "money" and cell.value is not None:
                return Decimal(cell.value).quantize(Decimal("0.01"))
            return cell.export_value

        lines: list[list[Any]] = []
        for row, cells, total in self.table.table_rows():
            line = [self.row_label(row), *[value(c) for c in cells]]
            if total is not None:
                line.append(value(total))
            lines.append(line)
        if self.table.column_totals:
            line = [
                _("Total"),
                *[value(self.table.column_totals.get(c)) for c in self.table.columns],
            ]
            if self.table.row_totals and self.table.grand_total is not None:
                line.append(value(self.table.grand_total))
            lines.append(line)
        return lines


@dataclass(frozen=True)
class DashboardSection:
    """A section of the program dashboard, built by the area that owns the data."""

    slug: str
    title: Any  # a lazy translation string
    build: Callable[[ReportScope], Sequence[Figure]]
    order: int = 100
    description: Any = ""
    summary: Callable[[ReportScope], Sequence[tuple[str, str]]] | None = None
    # Who the section is for, beyond ``reports.dashboard.view``: called with the reader's
    # membership; None shows it to every reader of the dashboard. The dashboard counts as
    # the system actor, so a section about one area's records says here whose role may
    # count them (for example ``statistical_access(membership, Model) is not None``).
    shown_to: Callable[[Any], bool] | None = None


_sections: dict[str, DashboardSection] = {}


def register_dashboard_section(section: DashboardSection) -> None:
    _sections[section.slug] = section


def dashboard_sections() -> list[DashboardSection]:
    return sorted(_sections.values(), key=lambda s: (s.order, s.slug))


def sections_for(membership: Any) -> list[DashboardSection]:
    """The registered sections this reader is shown (``DashboardSection.shown_to``)."""
    return [s for s in dashboard_sections() if s.shown_to is None or s.shown_to(membership)]


def count_input(
    name: str, counts: Mapping[Any, int], rows: Sequence[Any], *, column_dimension: str = ""
) -> TableInput:
    """One column of counts by row, to suppress together with other tables (no row totals;
    tables with the same ``column_dimension`` count the same population)."""
    return TableInput(
        name,
        list(rows),
        [COUNT],
        {(row, COUNT): n for row, n in counts.items()},
        column_dimension=column_dimension,
        row_totals=False,
    )


def count_table(
    counts: Mapping[Any, int],
    rows: Sequence[Any],
    *,
    enabled: bool,
    column_totals: bool = True,
    name: str = "counts",
) -> SuppressedTable:
    """One column of counts by row, suppressed on its own (``enabled``: small cells hidden).
    Without ``column_totals`` each row is a separate figure (nothing adds up)."""
    return suppress_table(
        {(row, COUNT): n for row, n in counts.items()},
        list(rows),
        [COUNT],
        enabled=enabled,
        row_totals=False,
        column_totals=column_totals,
        name=name,
    )


def count_figure(
    *,
    slug: str,
    title: str,
    table: SuppressedTable,
    row_header: str,
    counted: str,
    row_labels: Mapping[Any, str] | None = None,
    chart: str = "bar",
    note: str = "",
) -> Figure:
    """The figure of a ``count_table``: ``counted`` heads the column (People, Clients)."""
    return Figure(
        slug=slug,
        title=title,
        table=table,
        row_header=row_header,
        column_labels={COUNT: counted},
        row_labels=row_labels or {},
        chart=chart,
        note=note,
    )


def money_table(
    amounts: Mapping[tuple[Any, Any], Decimal],
    rows: Sequence[Any],
    columns: Sequence[Any],
    *,
    row_totals: bool = False,
    column_totals: bool = True,
    name: str = "money",
) -> SuppressedTable:
    """A table of amounts, all shown (money is not a count of people)."""
    cells = {
        (r, c): Cell(CellState.SHOWN, amounts.get((r, c), Decimal(0)))  # type: ignore[arg-type]
        for r in rows
        for c in columns
    }
    table = SuppressedTable(name=name, rows=list(rows), columns=list(columns), cells=cells)
    if row_totals:
        table.row_totals = {
            r: Cell(CellState.SHOWN, sum((cells[(r, c)].value for c in columns), Decimal(0)))  # type: ignore[misc]
            for r in rows
        }
    if column_totals:
        table.column_totals = {
            c: Cell(CellState.SHOWN, sum((cells[(r, c)].value for r in rows), Decimal(0)))  # type: ignore[misc]
            for c in columns
        }
        if row_totals:
            table.grand_total = Cell(
                CellState.SHOWN,
                sum((t.value for t in table.column_totals.values()), Decimal(0)),  # type: ignore[misc]
            )
    return table
