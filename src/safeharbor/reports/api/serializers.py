"""Serializers of the reports API: figures as tables of cells, hidden cells without values."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..registry import Figure
from ..suppression import Cell, CellState


class CellSerializer(serializers.Serializer):
    value = serializers.CharField(
        allow_null=True,
        help_text="The figure (a number, or an amount for money) when shown; null when hidden.",
    )
    display = serializers.CharField(help_text='As shown: "12", "fewer than 11" or "hidden".')
    state = serializers.ChoiceField(choices=[s.value for s in CellState])


class RowSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    cells = CellSerializer(many=True)
    total = CellSerializer(allow_null=True)


class ColumnSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    total = CellSerializer(allow_null=True, help_text="The column's total; null without one.")


class FigureSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    unit = serializers.ChoiceField(choices=["count", "money"])
    row_header = serializers.CharField()
    columns = ColumnSerializer(many=True)
    rows = RowSerializer(many=True)
    grand_total = CellSerializer(allow_null=True)
    note = serializers.CharField()


class SectionSerializer(serializers.Serializer):
    slug = serializers.CharField()
    title = serializers.CharField()
    figures = FigureSerializer(many=True)


class DashboardSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    agency_ids = serializers.ListField(
        child=serializers.IntegerField(), allow_null=True, help_text="null: every agency."
    )
    suppressed = serializers.BooleanField(help_text="Small cells hidden for this reader.")
    sections = SectionSerializer(many=True)


class PerformanceSerializer(serializers.Serializer):
    fiscal_year = serializers.IntegerField()
    start = serializers.DateField()
    end = serializers.DateField()
    agency_ids = serializers.ListField(child=serializers.IntegerField(), allow_null=True)
    suppressed = serializers.BooleanField()
    clients_served = serializers.CharField()
    figures = FigureSerializer(many=True)


def cell_data(cell: Cell | None, figure: Figure) -> dict[str, Any] | None:
    if cell is None:
        return None
    value = None if cell.value is None else str(cell.value)
    if figure.unit == "money" and cell.value is not None:
        value = f"{cell.value:.2f}"
    return {"value": value, "display": figure.fmt(cell), "state": cell.state.value}


def figure_data(figure: Figure) -> dict[str, Any]:
    table = figure.table
    return {
        "slug": figure.slug,
        "title": str(figure.title),
        "unit": figure.unit,
        "row_header": str(figure.row_header),
        "columns": [
            {
                "key": str(c),
                "label": figure.column_label(c),
                "total": cell_data(table.column_totals.get(c), figure),
            }
            for c in table.columns
        ],
        "rows": [
            {
                "key": str(row),
                "label": figure.row_label(row),
                "cells": [cell_data(c, figure) for c in cells],
                "total": cell_data(total, figure),
            }
            for row, cells, total in table.table_rows()
        ],
        "grand_total": cell_data(table.grand_total, figure),
        "note": str(figure.note),
    }
