"""Charts drawn on the server: a Vega-Lite specification built with Altair, rendered to SVG
by vl-convert. Pages show the SVG as an image with the figure's table beside it (the table is
what screen readers use); PDF reports embed the same SVG. No JavaScript anywhere.

Only a figure's shown cells are drawn, so a chart can never reveal a hidden figure.
Rendering takes tens of milliseconds, so SVGs are cached by their specification.
"""

from __future__ import annotations

import base64
import functools
import json
from typing import Any

from .registry import Figure

__all__ = ["chart_item", "chart_note", "chart_spec", "chart_svg", "svg_data_uri"]

# USWDS palette colours with enough contrast against white.
PALETTE = ["#005ea2", "#d83933", "#008817", "#8168b3", "#c05600", "#1a4480", "#5c5c5c"]


def chart_spec(figure: Figure) -> dict[str, Any] | None:
    """The Vega-Lite specification of ``figure``'s chart, or None when it has none."""
    if not figure.chart:
        return None
    points = figure.shown_points()
    if not points:
        return None
    several = len(figure.table.columns) > 1
    y_title = ""
    if figure.unit == "money":
        y_title = str(figure.column_labels.get("amount", "")) or "$"
    spec = dict(_template(figure.chart, several, figure.unit, str(figure.row_header), y_title))
    spec["data"] = {"values": points}
    return spec


def chart_note(figure: Figure) -> str:
    """What a reader should know about a figure's chart: why there is none, or which series
    it leaves out. Empty when the chart shows everything (or the figure has no chart)."""
    from django.utils.translation import gettext as _

    if not figure.chart:
        return ""
    left_out = figure.chart_left_out()
    if not figure.shown_points():
        if left_out:
            return _(
                "No chart: some of these figures are hidden to protect privacy, and a chart "
                "without them would mislead. The table shows every figure that can be shown."
            )
        return _("No chart: every figure here is zero.")
    if left_out:
        return _("The chart leaves out %(series)s, because some of those figures are hidden.") % {
            "series": ", ".join(left_out)
        }
    return ""


@functools.lru_cache(maxsize=64)
def _template(kind: str, several: bool, unit: str, x_title: str, y_title: str) -> dict[str, Any]:
    """The chart without its data, built (and validated) by Altair once per shape: Altair's
    schema validation costs far more than drawing, so the data goes in afterwards."""
    import altair as alt

    base = alt.Chart(alt.Data(values=[{"row": "", "series": "", "value": 0}]))
    x = alt.X("row:N", title=x_title, sort=None, axis=alt.Axis(labelAngle=-40))
    y = alt.Y("value:Q", title=y_title)
    encoding: dict[str, Any] = {"x": x, "y": y}
    if several:
        encoding["color"] = alt.Color(
            "series:N",
            title=None,
            sort=None,
            scale=alt.Scale(range=PALETTE),
            legend=alt.Legend(orient="bottom", columns=2, labelLimit=240),
        )
        if unit == "money":
            encoding["xOffset"] = alt.XOffset("series:N", sort=None)
        mark = base.mark_line(point=True) if kind == "line" else base.mark_bar()
    else:
        mark = base.mark_bar(color=PALETTE[0])
    chart = (
        mark.encode(**encoding)
        .properties(width=420, height=200)
        .configure_view(stroke=None)
        .configure_axis(labelFontSize=11, titleFontSize=12)
    )
    spec = chart.to_dict()
    spec.pop("datasets", None)
    spec.pop("data", None)
    return spec


@functools.lru_cache(maxsize=512)
def _render(spec_json: str) -> str:
    import vl_convert as vlc

    return vlc.vegalite_to_svg(spec_json)


def chart_svg(figure: Figure) -> str | None:
    spec = chart_spec(figure)
    if spec is None:
        return None
    return _render(json.dumps(spec, sort_keys=True))


def svg_data_uri(svg: str) -> str:
    """The SVG as a data: URL for an <img> (allowed by the CSP; scripts in it cannot run)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def chart_item(figure: Figure) -> dict[str, Any]:
    """A figure as the page and PDF templates show it: the figure, its chart drawn in (SVG and
    a data: URL for an <img>) and the note about the chart."""
    svg = chart_svg(figure)
    return {
        "figure": figure,
        "svg": svg,
        "chart_src": svg_data_uri(svg) if svg else None,
        "chart_note": chart_note(figure),
    }
