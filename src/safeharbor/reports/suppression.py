"""The small-cell rule, with complementary suppression.

Any count from 1 to 10 shown to someone outside the agencies that own the records reads
"fewer than 11" (a *primary* suppression). Hiding it is not enough when a total and the other
cells of its row, column or period are shown: the hidden value is then a subtraction away.
So more cells are hidden (*complementary* suppression, shown as "hidden") until no hidden cell
can be worked out from what is shown:

- by one equation (a row, a column or a period adding up to its total);
- by several equations together (linear algebra over all of them, in exact fractions);
- by the bounds a reader knows: a cell reading "fewer than 11" is between 1 and 10, and a
  cell hidden as a complement is 0 or at least 11 (it would read "fewer than 11" otherwise).

Complements are the smallest positive cells available, so as little as possible is hidden and
a hidden zero never carries the protection alone. Tables that share totals (the same months,
the same grand total) are suppressed together with ``suppress_tables`` so that one table
cannot give away what another hides.

Plain Python, no Django models: the dashboard, the public statistics page, the performance
report, CSV and PDF exports and other areas' report sections all call it.
"""

from __future__ import annotations

import enum
from collections.abc import Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _

__all__ = [
    "SMALL_CELL_MAX",
    "Cell",
    "CellState",
    "SuppressedTable",
    "TableInput",
    "is_small",
    "suppress",
    "suppress_table",
    "suppress_tables",
    "suppressed_number",
]

# DESIGN: aggregates shown outside the owning agencies suppress cells of 1 to 10 (the same
# constant as linkage.counts.SMALL_CELL_MAX).
SMALL_CELL_MAX = 10

Key = Hashable
Equation = tuple[Key, Sequence[Key]]  # (total, parts): sum(parts) == total


class CellState(enum.StrEnum):
    SHOWN = "shown"
    SMALL = "small"  # 1 to 10: reads "fewer than 11"
    COMPLEMENT = "complement"  # hidden so that a small cell cannot be worked out


def is_small(value: int) -> bool:
    return 1 <= value <= SMALL_CELL_MAX


@dataclass(frozen=True)
class Cell:
    """One figure as it may be shown. A hidden cell does not carry its value at all."""

    state: CellState
    value: int | None

    @property
    def hidden(self) -> bool:
        return self.state != CellState.SHOWN

    @property
    def display(self) -> str:
        if self.state == CellState.SMALL:
            return _("fewer than %(n)d") % {"n": SMALL_CELL_MAX + 1}
        if self.state == CellState.COMPLEMENT:
            return _("hidden")
        # Grouped as the reader's language writes numbers (1,234 in English, 1 234 in
        # Spanish); CSV files and the API take ``export_value``, a plain number.
        return number_format(self.value, use_l10n=True, force_grouping=True)

    @property
    def export_value(self) -> int | str:
        """For CSV: the number when shown, the words otherwise."""
        return self.value if self.value is not None else self.display

    def __str__(self) -> str:
        return self.display


def suppressed_number(value: int, *, suppress: bool = True) -> Cell:
    """A figure that stands alone (no total or other cell reveals it): the primary rule only."""
    if suppress and is_small(value):
        return Cell(CellState.SMALL, None)
    return Cell(CellState.SHOWN, value)


# The solver ----------------------------------------------------------------------------------


# A large prime: ranks over the integers mod P equal ranks over the rationals except with
# negligible probability for these small 0/±1 matrices, and stay fast (no growing fractions).
_P = (1 << 61) - 1


def _determined_by_algebra(
    hidden: Sequence[Key], equations: Sequence[Equation], hidden_set: set[Key]
) -> list[Key]:
    """Hidden keys whose value follows exactly from the equations (whatever the shown values).

    A variable is determined when every vector of the null space of the equations' matrix
    (restricted to hidden variables) is zero at it: in reduced row echelon form, it is a pivot
    whose row has no other entry. Sparse Gauss-Jordan elimination modulo a large prime.
    """
    index = {key: i for i, key in enumerate(hidden)}
    pivots: dict[int, dict[int, int]] = {}  # pivot column -> its row (pivot entry 1)
    for total, parts in equations:
        row: dict[int, int] = {}
        for key in parts:
            if key in hidden_set:
                col = index[key]
                row[col] = (row.get(col, 0) + 1) % _P
        if total in hidden_set:
            col = index[total]
            row[col] = (row.get(col, 0) - 1) % _P
        row = {c: v for c, v in row.items() if v}
        # Reduce by the pivots found so far.
        for col in [c for c in row if c in pivots]:
            factor = row.get(col, 0)
            if not factor:
                continue
            for c2, v2 in pivots[col].items():
                value = (row.get(c2, 0) - factor * v2) % _P
                if value:
                    row[c2] = value
                else:
                    row.pop(c2, None)
        if not row:
            continue
        lead = min(row)
        inverse = pow(row[lead], _P - 2, _P)
        row = {c: v * inverse % _P for c, v in row.items()}
        # Keep every pivot row free of the new pivot column (reduced echelon form).
        for other in pivots.values():
            factor = other.get(lead, 0)
            if factor:
                for c2, v2 in row.items():
                    value = (other.get(c2, 0) - factor * v2) % _P
                    if value:
                        other[c2] = value
                    else:
                        other.pop(c2, None)
        pivots[lead] = row
    return [hidden[col] for col, row in pivots.items() if len(row) == 1]


_BIG = 10**15


def _domain(state: CellState) -> tuple[int, int]:
    if state == CellState.SMALL:
        return 1, SMALL_CELL_MAX
    return 0, _BIG


def _tighten_complement(lo: int, hi: int) -> tuple[int, int]:
    """A complement is 0 or at least 11: narrow an interval to that set's hull."""
    if hi <= SMALL_CELL_MAX:
        return max(lo, 0), min(hi, 0)  # only 0 is possible (lo > 0 makes it empty)
    if lo >= 1:
        lo = max(lo, SMALL_CELL_MAX + 1)
    return lo, hi


def _determined_by_bounds(
    values: Mapping[Key, int],
    equations: Sequence[Equation],
    states: Mapping[Key, CellState],
) -> list[Key]:
    """Hidden keys a reader can pin to one value by interval reasoning over the equations."""
    bounds = {k: _domain(s) for k, s in states.items() if s != CellState.SHOWN}
    for _round in range(50):
        changed = False
        for total, parts in equations:
            # sum(parts) - total == 0, as sum(coef * x) == constant over hidden x.
            terms = [(1, k) for k in parts] + [(-1, total)]
            known = sum(c * values[k] for c, k in terms if k not in bounds)
            unknown = [(c, k) for c, k in terms if k in bounds]
            if not unknown:
                continue
            target = -known
            for c, k in unknown:
                rest_lo = sum(
                    c2 * (bounds[k2][0] if c2 > 0 else bounds[k2][1])
                    for c2, k2 in unknown
                    if k2 != k
                )
                rest_hi = sum(
                    c2 * (bounds[k2][1] if c2 > 0 else bounds[k2][0])
                    for c2, k2 in unknown
                    if k2 != k
                )
                # c * x == target - rest  ->  x in [(target - rest_hi), (target - rest_lo)] / c
                a, b = target - rest_hi, target - rest_lo
                lo, hi = (a, b) if c > 0 else (-b, -a)
                lo, hi = max(lo, bounds[k][0]), min(hi, bounds[k][1])
                if states[k] == CellState.COMPLEMENT:
                    lo, hi = _tighten_complement(lo, hi)
                if (lo, hi) != bounds[k] and lo <= hi:
                    bounds[k] = (lo, hi)
                    changed = True
        if not changed:
            break
    return [k for k, (lo, hi) in bounds.items() if lo == hi]


def _complement_for(
    equation: Equation, values: Mapping[Key, int], states: Mapping[Key, CellState]
) -> Key | None:
    """The member of ``equation`` to hide next: the smallest positive shown cell (parts before
    the total), else a shown zero, else None."""
    total, parts = equation
    shown = [k for k in [*parts, total] if states[k] == CellState.SHOWN]
    if not shown:
        return None
    positive = [k for k in shown if values[k] > 0]
    pool = positive or shown
    return min(pool, key=lambda k: (values[k], k == total))


def suppress(
    values: Mapping[Key, int], equations: Sequence[Equation], *, enabled: bool = True
) -> dict[Key, Cell]:
    """Apply the small-cell rule and complementary suppression to ``values`` (every key that
    appears in ``equations`` must be in ``values``). Returns every key's ``Cell``."""
    states: dict[Key, CellState] = dict.fromkeys(values, CellState.SHOWN)
    if enabled:
        for key, value in values.items():
            if value < 0:
                raise ValueError("counts cannot be negative")
            if is_small(value):
                states[key] = CellState.SMALL
        _complete(values, equations, states)
    return {k: Cell(s, values[k] if s == CellState.SHOWN else None) for k, s in states.items()}


def _complete(
    values: Mapping[Key, int], equations: Sequence[Equation], states: dict[Key, CellState]
) -> None:
    def hide(key: Key) -> None:
        states[key] = CellState.COMPLEMENT

    def equation_with(key: Key) -> Iterator[Equation]:
        for eq in equations:
            if eq[0] == key or key in eq[1]:
                yield eq

    # Guarded: each pass hides at least one more cell, so this ends.
    for _pass in range(len(values) + 1):
        progressed = False
        # 1. One equation with a single hidden member gives it away.
        for eq in equations:
            members = [eq[0], *eq[1]]
            hidden_members = [k for k in members if states[k] != CellState.SHOWN]
            if len(hidden_members) == 1:
                extra = _complement_for(eq, values, states)
                if extra is not None:
                    hide(extra)
                    progressed = True
        if progressed:
            continue
        # 2. Several equations together, then what the bounds give away.
        hidden = [k for k, s in states.items() if s != CellState.SHOWN]
        if not hidden:
            return
        # Only a cell of 1 to 10 needs protecting: a complement worked out is a value the
        # rule would have shown anyway (0, or 11 and more).
        exposed = [
            k
            for k in _determined_by_algebra(hidden, equations, set(hidden))
            if states[k] == CellState.SMALL
        ]
        if not exposed:
            exposed = [
                k
                for k in _determined_by_bounds(values, equations, states)
                if states[k] == CellState.SMALL
            ]
        for key in exposed:
            for eq in equation_with(key):
                extra = _complement_for(eq, values, states)
                if extra is not None:
                    hide(extra)
                    progressed = True
                    break
            if progressed:
                break
        if exposed and not progressed:
            # Every equation of the exposed cell is hidden already: what pins it comes from
            # further away (a grand total, a shown zero). Hide the smallest shown figure that
            # takes part in any equation and look again.
            members = {k for eq in equations for k in (eq[0], *eq[1])}
            shown = [k for k in members if states[k] == CellState.SHOWN]
            if shown:
                hide(min(shown, key=lambda k: (values[k] == 0, values[k])))
                progressed = True
        if not progressed:
            return


# Tables --------------------------------------------------------------------------------------


@dataclass
class TableInput:
    """A two-way table of counts to suppress, possibly together with others.

    Tables that share ``row_dimension`` share their row totals (e.g. two tables by month);
    all tables suppressed together share one grand total, so only group tables that count the
    same things.
    """

    name: str
    rows: Sequence[Any]
    columns: Sequence[Any]
    counts: Mapping[tuple[Any, Any], int]
    row_dimension: str = ""
    column_dimension: str = ""
    row_totals: bool = True
    column_totals: bool = True


@dataclass
class SuppressedTable:
    """A table ready to show: cells, row and column totals and the grand total as ``Cell``."""

    name: str
    rows: list[Any]
    columns: list[Any]
    cells: dict[tuple[Any, Any], Cell]
    row_totals: dict[Any, Cell] = field(default_factory=dict)
    column_totals: dict[Any, Cell] = field(default_factory=dict)
    grand_total: Cell | None = None

    @property
    def any_hidden(self) -> bool:
        every = [*self.cells.values(), *self.row_totals.values(), *self.column_totals.values()]
        if self.grand_total is not None:
            every.append(self.grand_total)
        return any(c.hidden for c in every)

    def cell(self, row: Any, column: Any) -> Cell:
        return self.cells[(row, column)]

    def table_rows(self) -> Iterator[tuple[Any, list[Cell], Cell | None]]:
        for row in self.rows:
            yield row, [self.cells[(row, c)] for c in self.columns], self.row_totals.get(row)

    def export_rows(self, *, total_label: str | None = None) -> Iterable[list[Any]]:
        """Rows for CSV: the label, each cell (number or words), the row total."""
        total_label = total_label or _("Total")
        for row, cells, total in self.table_rows():
            line = [str(row), *[c.export_value for c in cells]]
            if total is not None:
                line.append(total.export_value)
            yield line
        if self.column_totals:
            line = [total_label, *[self.column_totals[c].export_value for c in self.columns]]
            if self.grand_total is not None and self.row_totals:
                line.append(self.grand_total.export_value)
            yield line


def suppress_tables(tables: Sequence[TableInput], *, enabled: bool = True) -> list[SuppressedTable]:
    """Suppress several tables over the same population together (shared totals)."""
    values: dict[Key, int] = {}
    equations: list[Equation] = []
    grand = ("grand",)
    any_grand = False
    for t in tables:
        row_dim = t.row_dimension or f"rows:{t.name}"
        col_dim = t.column_dimension or f"cols:{t.name}"

        def cell_key(r: Any, c: Any, t: TableInput = t) -> Key:
            return ("cell", t.name, r, c)

        for r in t.rows:
            for c in t.columns:
                values[cell_key(r, c)] = int(t.counts.get((r, c), 0))
        if t.row_totals:
            for r in t.rows:
                key = ("rowtotal", row_dim, r)
                total = sum(values[cell_key(r, c)] for c in t.columns)
                _set_consistent(values, key, total)
                equations.append((key, [cell_key(r, c) for c in t.columns]))
        if t.column_totals:
            for c in t.columns:
                key = ("coltotal", col_dim, c)
                total = sum(values[cell_key(r, c)] for r in t.rows)
                _set_consistent(values, key, total)
                equations.append((key, [cell_key(r, c) for r in t.rows]))
        if t.row_totals or t.column_totals:
            total = sum(values[cell_key(r, c)] for r in t.rows for c in t.columns)
            _set_consistent(values, grand, total)
            any_grand = True
            if t.row_totals:
                equations.append((grand, [("rowtotal", row_dim, r) for r in t.rows]))
            if t.column_totals:
                equations.append((grand, [("coltotal", col_dim, c) for c in t.columns]))
    equations = list({(k, tuple(parts)): None for k, parts in equations})
    cells = suppress(values, equations, enabled=enabled)
    result = []
    for t in tables:
        row_dim = t.row_dimension or f"rows:{t.name}"
        col_dim = t.column_dimension or f"cols:{t.name}"
        has_grand = any_grand and (t.row_totals or t.column_totals)
        result.append(
            SuppressedTable(
                name=t.name,
                rows=list(t.rows),
                columns=list(t.columns),
                cells={(r, c): cells[("cell", t.name, r, c)] for r in t.rows for c in t.columns},
                row_totals={r: cells[("rowtotal", row_dim, r)] for r in t.rows}
                if t.row_totals
                else {},
                column_totals={c: cells[("coltotal", col_dim, c)] for c in t.columns}
                if t.column_totals
                else {},
                grand_total=cells[grand] if has_grand else None,
            )
        )
    return result


def _set_consistent(values: dict[Key, int], key: Key, total: int) -> None:
    if key in values and values[key] != total:
        raise ValueError(f"Tables suppressed together disagree on the total {key!r}.")
    values[key] = total


def suppress_table(
    counts: Mapping[tuple[Any, Any], int],
    rows: Sequence[Any],
    columns: Sequence[Any],
    *,
    enabled: bool = True,
    row_totals: bool = True,
    column_totals: bool = True,
    name: str = "table",
) -> SuppressedTable:
    """One table with its totals, suppressed (or, with ``enabled=False``, all shown)."""
    return suppress_tables(
        [
            TableInput(
                name=name,
                rows=rows,
                columns=columns,
                counts=counts,
                row_totals=row_totals,
                column_totals=column_totals,
            )
        ],
        enabled=enabled,
    )[0]
