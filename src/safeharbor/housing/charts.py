"""Charts rendered on the server: Vega-Lite specs built with Altair, turned into SVG by
vl-convert, so pages need no JavaScript and PDF reports can reuse them. Every chart is
shown with a data table beside it for screen readers."""

from __future__ import annotations

from typing import Any


def bar_chart_svg(rows: list[dict[str, Any]], *, x: str, y: str, x_title: str, y_title: str) -> str:
    """A bar chart of ``rows`` as an SVG document (text)."""
    import altair as alt
    import vl_convert as vlc

    chart = (
        alt.Chart(alt.Data(values=rows))
        .mark_bar(color="#005ea2")
        .encode(
            x=alt.X(f"{x}:N", title=x_title, sort=None, axis=alt.Axis(labelAngle=-40)),
            y=alt.Y(f"{y}:Q", title=y_title, axis=alt.Axis(tickMinStep=1)),
        )
        .properties(width=360, height=180)
    )
    return vlc.vegalite_to_svg(chart.to_json())
