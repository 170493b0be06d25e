"""The public statistics page: quarterly aggregates, always suppressed, as CSV and PDF."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.csv_export import csv_response
from safeharbor.core.pdf import pdf_response

from .charts import chart_item
from .public import PublicCounting, public_statistics, public_years, quarter_label


def statistics(request: HttpRequest) -> HttpResponse:
    """The page, a table as CSV or the whole as PDF. The counts come from the cache or from
    one statistical read for the render (audited once, see ``public``); a CSV or PDF
    download is also audited as an export."""
    with PublicCounting() as counting:
        years = public_years(counting=counting)
        try:
            year = int(request.GET.get("year") or years[0])
        except ValueError:
            year = years[0]
        stats = public_statistics(year, counting=counting) if year in years else None
    if stats is None:
        raise Http404(_("There are no statistics for that year."))
    if request.GET.get("format") == "csv":
        slug = request.GET.get("table", "")
        figure = next((f for f in stats.figures if f.slug == slug), None)
        if figure is None:
            raise Http404(_("There is no such table."))
        audit_record(
            action=AuditAction.EXPORT,
            actor=None,
            object_type="reports.public_statistics",
            object_id=f"{year}:{figure.slug}",
            reason="public download",
        )
        return csv_response(
            f"statistics-{year}-{figure.slug}.csv", figure.export_header(), figure.export_rows()
        )
    if request.GET.get("format") == "pdf":
        audit_record(
            action=AuditAction.EXPORT,
            actor=None,
            object_type="reports.public_statistics",
            object_id=f"{year}:pdf",
            reason="public download",
        )
        items = [chart_item(f) for f in stats.figures]
        return pdf_response(
            "reports/pdf/report.html",
            {
                "title": _("Statistics for %(year)s") % {"year": year},
                "subtitle": ", ".join(quarter_label(q) for q in stats.quarters),
                "generated_at": timezone.now(),
                "scope": {"suppress": True},
                "sections": [{"title": "", "figures": items}],
            },
            filename=f"statistics-{year}",
        )
    items = [chart_item(figure) for figure in stats.figures]
    return render(
        request,
        "reports/public/statistics.html",
        {"stats": stats, "items": items, "years": years},
    )
