"""What a dashboard chart draws when some figures are hidden: a series with a hidden cell is
left out whole (a missing bar would read as zero) and the page says so; a chart with nothing
left to draw, or only zeros, is not drawn and the page says why."""

from __future__ import annotations

from safeharbor.reports.charts import chart_note, chart_spec
from safeharbor.reports.registry import Figure
from safeharbor.reports.suppression import suppress_table

MONTHS = ["2026-01", "2026-02", "2026-03"]


def _figure(counts: dict[tuple[str, str], int], columns: list[str]) -> Figure:
    return Figure(
        slug="by-month",
        title="Identifications by month",
        table=suppress_table(counts, MONTHS, columns),
        row_header="Month",
        column_labels={
            "suspected": "Suspected",
            "confirmed": "Confirmed",
            "ruled_out": "Ruled out",
        },
        row_labels={},
        chart="bar",
    )


def test_a_series_with_a_hidden_figure_is_left_out_and_the_page_says_so():
    columns = ["suspected", "confirmed", "ruled_out"]
    counts = {(m, c): 40 + i for i, m in enumerate(MONTHS) for c in columns}
    counts[("2026-01", "ruled_out")] = 3  # hidden, and a second cell with it (row and column)
    figure = _figure(counts, columns)
    cells = figure.table.cells
    hidden = {c for c in columns if any(cells[(m, c)].state != "shown" for m in MONTHS)}
    assert "ruled_out" in hidden and len(hidden) < len(columns)

    drawn = chart_spec(figure)["data"]["values"]
    labels = {"suspected": "Suspected", "confirmed": "Confirmed", "ruled_out": "Ruled out"}
    assert {point["series"] for point in drawn} == {labels[c] for c in columns if c not in hidden}
    assert 3.0 not in [point["value"] for point in drawn]
    left_out = ", ".join(labels[c] for c in columns if c in hidden)
    assert chart_note(figure) == (
        f"The chart leaves out {left_out}, because some of those figures are hidden."
    )


def test_no_chart_when_every_series_has_a_hidden_figure():
    counts = {(m, "suspected"): 2 for m in MONTHS}
    figure = _figure(counts, ["suspected"])
    assert chart_spec(figure) is None
    assert chart_note(figure).startswith("No chart: some of these figures are hidden")


def test_no_chart_of_zeros():
    figure = _figure({}, ["suspected", "confirmed"])
    assert chart_spec(figure) is None
    assert chart_note(figure) == "No chart: every figure here is zero."


def test_a_chart_with_everything_shown_has_no_note():
    counts = {(m, c): 20 + i for i, m in enumerate(MONTHS) for c in ("suspected", "confirmed")}
    figure = _figure(counts, ["suspected", "confirmed"])
    assert len(chart_spec(figure)["data"]["values"]) == 6
    assert chart_note(figure) == ""
