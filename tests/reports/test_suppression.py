"""The small-cell rule and complementary suppression, attacked the way a reader would:
subtracting shown cells from shown totals across rows, columns and periods, combining
equations, and using what "fewer than 11" and "hidden" tell about a value."""

from __future__ import annotations

import itertools

from hypothesis import example, given, settings
from hypothesis import strategies as st

from safeharbor.reports.suppression import (
    CellState,
    SuppressedTable,
    TableInput,
    suppress,
    suppress_table,
    suppress_tables,
    suppressed_number,
)

SMALL = range(1, 11)


def _domain(cell, limit: int) -> list[int]:
    if cell.state == CellState.SHOWN:
        return [cell.value]
    if cell.state == CellState.SMALL:
        return list(SMALL)
    return [0, *range(11, limit + 1)]


def feasible_tables(table: SuppressedTable, limit: int) -> list[dict]:
    """Every table of interior values consistent with everything the reader sees (row by
    row, then the columns and the grand total)."""
    rows, cols = table.rows, table.columns
    per_row = []
    for r in rows:
        options = []
        domains = [_domain(table.cells[(r, c)], limit) for c in cols]
        for combo in itertools.product(*domains):
            if table.row_totals and sum(combo) not in _domain(table.row_totals[r], limit * 10):
                continue
            options.append(combo)
        per_row.append(options)
    # Rows one at a time; shown column totals and grand total cut the search short.
    big = 10**9
    col_max = [
        table.column_totals[c].value
        if table.column_totals and not table.column_totals[c].hidden
        else big
        for c in cols
    ]
    grand_max = (
        table.grand_total.value
        if table.grand_total is not None and not table.grand_total.hidden
        else big
    )
    solutions = []

    def search(i: int, chosen: list, sums: list[int]) -> None:
        if i == len(rows):
            for j, c in enumerate(cols):
                if table.column_totals and sums[j] not in _domain(
                    table.column_totals[c], limit * 10
                ):
                    return
            grand = sum(sums)
            if table.grand_total is not None and grand not in _domain(
                table.grand_total, limit * 50
            ):
                return
            solutions.append(
                {(r, c): chosen[a][b] for a, r in enumerate(rows) for b, c in enumerate(cols)}
            )
            return
        for option in per_row[i]:
            new = [a + b for a, b in zip(sums, option, strict=True)]
            if any(v > m for v, m in zip(new, col_max, strict=True)) or sum(new) > grand_max:
                continue
            search(i + 1, [*chosen, option], new)

    search(0, [], [0] * len(cols))
    return solutions


def assert_no_hidden_cell_recoverable(table: SuppressedTable, truth: dict, limit: int) -> None:
    solutions = feasible_tables(table, limit)
    assert truth in solutions  # the reader's model is right about the real table
    # Every cell of 1 to 10 keeps at least two possible values. (A complement may be pinned:
    # it is 0 or 11 and more, which the rule would have shown anyway.)
    for key, cell in table.cells.items():
        if cell.state == CellState.SMALL:
            seen = {s[key] for s in solutions}
            assert len(seen) >= 2, f"cell {key} can be worked out as {seen}"


def test_a_small_cell_reads_fewer_than_eleven():
    assert suppressed_number(7).display == "fewer than 11"
    assert suppressed_number(0).display == "0"
    assert suppressed_number(11).display == "11"
    assert suppressed_number(10, suppress=False).display == "10"
    assert suppressed_number(7).value is None


def test_row_total_minus_the_other_cells_does_not_give_the_small_one_away():
    counts = {("Q1", "a"): 3, ("Q1", "b"): 40, ("Q1", "c"): 25}
    table = suppress_table(counts, ["Q1"], ["a", "b", "c"])
    assert table.cell("Q1", "a").state == CellState.SMALL
    # The smallest positive other cell is hidden too; the total stays.
    assert table.cell("Q1", "c").state == CellState.COMPLEMENT
    assert table.cell("Q1", "b").value == 40
    assert table.row_totals["Q1"].value == 68


def test_two_small_cells_adding_to_two_are_not_left_to_bounds():
    # 1 + 1 = 2 with both "fewer than 11" would mean both are 1.
    counts = {("r", "a"): 1, ("r", "b"): 1, ("r", "c"): 30}
    table = suppress_table(counts, ["r"], ["a", "b", "c"], column_totals=False)
    assert table.cell("r", "c").hidden or table.row_totals["r"].hidden
    truth = {("r", "a"): 1, ("r", "b"): 1, ("r", "c"): 30}
    assert_no_hidden_cell_recoverable(table, truth, limit=45)


def test_differencing_across_periods_quarters_against_the_year():
    # Rows are quarters, the column totals are the year: Q3's 4 cannot be the year less Q1,
    # Q2 and Q4.
    counts = {
        ("Q1", "sex"): 30,
        ("Q2", "sex"): 22,
        ("Q3", "sex"): 4,
        ("Q4", "sex"): 18,
        ("Q1", "labor"): 12,
        ("Q2", "labor"): 15,
        ("Q3", "labor"): 13,
        ("Q4", "labor"): 20,
    }
    table = suppress_table(counts, ["Q1", "Q2", "Q3", "Q4"], ["sex", "labor"])
    hidden_in_column = [q for q in table.rows if table.cell(q, "sex").hidden]
    assert "Q3" in hidden_in_column and len(hidden_in_column) >= 2
    hidden_in_row = [c for c in table.columns if table.cell("Q3", c).hidden]
    assert len(hidden_in_row) >= 2 or table.row_totals["Q3"].hidden


def test_a_hidden_total_is_protected_by_the_other_totals():
    # Row total 5 is small; the grand total and the other row total would give it away.
    counts = {("a", "x"): 2, ("a", "y"): 3, ("b", "x"): 40, ("b", "y"): 50}
    table = suppress_table(counts, ["a", "b"], ["x", "y"])
    assert table.row_totals["a"].state == CellState.SMALL
    assert table.row_totals["b"].hidden or table.grand_total.hidden
    truth = dict(counts)
    assert_no_hidden_cell_recoverable(table, truth, limit=60)


def test_tables_suppressed_together_share_their_totals():
    # The same months in two tables: one table may not reveal a month total the other hides.
    months = ["Jan", "Feb"]
    by_agency = {("Jan", "A"): 3, ("Jan", "B"): 20, ("Feb", "A"): 15, ("Feb", "B"): 25}
    by_status = {("Jan", "s"): 12, ("Jan", "c"): 11, ("Feb", "s"): 30, ("Feb", "c"): 10}
    a, s = suppress_tables(
        [
            TableInput("agency", months, ["A", "B"], by_agency, row_dimension="month"),
            TableInput("status", months, ["s", "c"], by_status, row_dimension="month"),
        ]
    )
    for month in months:
        assert a.row_totals[month].display == s.row_totals[month].display
    assert a.grand_total.display == s.grand_total.display
    assert a.cell("Jan", "A").state == CellState.SMALL
    assert s.cell("Feb", "c").state == CellState.SMALL


def test_without_suppression_everything_is_shown():
    counts = {("a", "x"): 2, ("a", "y"): 3}
    table = suppress_table(counts, ["a"], ["x", "y"], enabled=False)
    assert not table.any_hidden
    assert [c.value for c in table.cells.values()] == [2, 3]


def test_hidden_cells_never_carry_their_value():
    cells = suppress({"t": 12, "a": 5, "b": 7}, [("t", ["a", "b"])])
    assert all(c.value is None for c in cells.values() if c.hidden)
    # Two cells of 1 to 10 adding to 12 leave each anywhere from 2 to 10: the total may stay.
    assert cells["t"].value == 12


def test_zero_stays_zero_and_exports_say_what_is_hidden():
    table = suppress_table({("r", "a"): 0, ("r", "b"): 4, ("r", "c"): 20}, ["r"], ["a", "b", "c"])
    assert table.cell("r", "a").display == "0"
    assert table.cell("r", "c").state == CellState.COMPLEMENT
    rows = list(table.export_rows())
    assert rows[0] == ["r", 0, "fewer than 11", "hidden", 24]
    assert rows[-1][0] == "Total"


value = st.sampled_from([0, 0, 1, 2, 3, 5, 8, 10, 11, 12, 15, 20])


@settings(max_examples=120, deadline=None)
@given(st.lists(value, min_size=4, max_size=4))
def test_property_no_hidden_cell_of_a_two_by_two_table_can_be_recovered(values):
    rows, cols = ["r1", "r2"], ["c1", "c2"]
    keys = [(r, c) for r in rows for c in cols]
    counts = dict(zip(keys, values, strict=True))
    table = suppress_table(counts, rows, cols)
    # No shown cell is 1 to 10.
    every = [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values()]
    assert not any(c.state == CellState.SHOWN and 1 <= c.value <= 10 for c in every)
    assert_no_hidden_cell_recoverable(table, counts, limit=45)


@settings(max_examples=40, deadline=None)
@given(st.lists(value, min_size=6, max_size=6))
@example([20, 1, 3, 11, 15, 11])  # safe only because the reader cannot rule out 26 / 0
def test_property_no_hidden_cell_of_a_three_period_table_can_be_recovered(values):
    # Three periods (rows) by two categories, with the year as the column totals.
    rows, cols = ["p1", "p2", "p3"], ["a", "b"]
    keys = [(r, c) for r in rows for c in cols]
    counts = dict(zip(keys, values, strict=True))
    table = suppress_table(counts, rows, cols)
    every = [*table.cells.values(), *table.row_totals.values(), *table.column_totals.values()]
    assert not any(c.state == CellState.SHOWN and 1 <= c.value <= 10 for c in every)
    # Only the hidden cells vary; keep the search small by bounding complements.
    # Another table the reader cannot rule out may need a cell up to 11 above the largest.
    assert_no_hidden_cell_recoverable(table, counts, limit=max(values) + 22)
