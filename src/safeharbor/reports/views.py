"""Staff pages of the reports: the program dashboard and the performance measures, each
with a CSV per table and the whole report as PDF. Thin: check the role, read the filter,
build the figures, render. Every download is audited."""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import quote

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.csv_export import csv_response
from safeharbor.core.http import StaffRequest
from safeharbor.core.pdf import pdf_response

from .access import allowed, report_scope, sees_all_agencies
from .charts import chart_item, chart_note, chart_spec, chart_svg
from .forms import DashboardFilterForm, PerformanceForm, fiscal_year_bounds
from .performance import performance_report
from .registry import Figure, ReportScope, sections_for

__all__ = ["build_dashboard", "chart", "dashboard", "performance"]

logger = logging.getLogger(__name__)


def _require(request: StaffRequest, code: str) -> None:
    if not allowed(request.membership, code):
        raise PermissionDenied


def build_dashboard(
    scope: ReportScope, *, chart_url: str | None = None, only: str | None = None
) -> list[dict[str, Any]]:
    """Every registered section's figures for ``scope`` (or just section ``only``).

    With ``chart_url`` (the page), charts are not drawn here: each is an <img> whose address
    is ``chart_url`` plus the section and figure, so the page is ready as soon as the figures
    are counted and the browser fetches the charts alongside. Without it (PDF), the SVG is
    drawn inline.

    Everything the sections count is one statistical read, audited once.
    """
    purpose = "reports.dashboard" + (f".{only}" if only else "")
    with scope.counting(purpose) as counting:
        return _build_sections(counting, chart_url=chart_url, only=only)


def _build_sections(
    scope: ReportScope, *, chart_url: str | None, only: str | None
) -> list[dict[str, Any]]:
    sections = []
    for section in sections_for(scope.membership):
        if only is not None and section.slug != only:
            continue
        try:
            figures = list(section.build(scope))
        except Exception:  # one area's failing section must not take the dashboard down
            logger.exception("dashboard section %s failed", section.slug)
            sections.append(
                {
                    "slug": section.slug,
                    "title": section.title,
                    "description": _("These figures could not be counted just now."),
                    "figures": [],
                    "failed": True,
                }
            )
            continue
        items = []
        for figure in figures:
            if chart_url is None:
                items.append(chart_item(figure))
            else:
                has_chart = chart_spec(figure) is not None
                src = (
                    f"{chart_url}&section={quote(section.slug)}&figure={quote(figure.slug)}"
                    if has_chart
                    else None
                )
                items.append(
                    {
                        "figure": figure,
                        "svg": None,
                        "chart_src": src,
                        "chart_note": chart_note(figure),
                    }
                )
        sections.append(
            {
                "slug": section.slug,
                "title": section.title,
                "description": section.description,
                "figures": items,
            }
        )
    return sections


def _audit_export(request: StaffRequest, report: str, what: str, scope: ReportScope) -> None:
    audit_record(
        action=AuditAction.EXPORT,
        actor=request.user,
        agency_id=request.membership.agency_id if request.membership else None,
        object_type=f"reports.{report}",
        object_id=what,
        fields=[f"{key}={value}" for key, value in scope.audit_filters().items()],
        reason="export",
    )


def _figure_csv(request: StaffRequest, report: str, figure: Figure, scope: ReportScope):
    _audit_export(request, report, f"csv:{figure.slug}", scope)
    return csv_response(
        f"{report}-{figure.slug}-{scope.start.isoformat()}-{scope.end.isoformat()}.csv",
        figure.export_header(),
        figure.export_rows(),
    )


def _agency_name(scope: ReportScope) -> str:
    from safeharbor.accounts.models import Agency

    if scope.agency_ids is None:
        return _("All agencies")
    return ", ".join(
        Agency.objects.filter(pk__in=scope.agency_ids)
        .order_by("name")
        .values_list("name", flat=True)
    )


def _dashboard_scope(request: StaffRequest) -> tuple[DashboardFilterForm, ReportScope | None]:
    choose = sees_all_agencies(request.membership)
    form = DashboardFilterForm(request.GET or {}, choose_agency=choose)
    if not form.is_valid():
        return form, None
    data = form.cleaned_data
    agency = data.get("agency")
    scope = report_scope(
        request.membership,
        start=data["start"],
        end=data["end"],
        agency_id=agency.pk if agency else None,
    )
    return form, scope


def _filter_query(request: StaffRequest) -> str:
    """The page's filter as a query string (without format, figure or section)."""
    params = request.GET.copy()
    for key in ("format", "figure", "section"):
        params.pop(key, None)
    return params.urlencode()


def dashboard(request: StaffRequest) -> HttpResponse:
    _require(request, "reports.dashboard.view")
    form, scope = _dashboard_scope(request)
    if scope is None:
        return render(request, "reports/dashboard.html", {"form": form, "sections": []}, status=400)
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf"):
        _require(request, "reports.dashboard.export")
    query = _filter_query(request)
    if wanted == "csv":
        slug = request.GET.get("figure", "")
        for section in build_dashboard(scope, chart_url=""):
            for item in section["figures"]:
                if item["figure"].slug == slug:
                    return _figure_csv(request, "dashboard", item["figure"], scope)
        return HttpResponse(_("There is no such table."), status=404, content_type="text/plain")
    chart_url = None if wanted == "pdf" else f"{reverse('reports:chart')}?{query}"
    sections = build_dashboard(scope, chart_url=chart_url)
    context = {
        "form": form,
        "scope": scope,
        "sections": sections,
        "agency_name": _agency_name(scope),
        "can_export": allowed(request.membership, "reports.dashboard.export"),
        "can_performance": allowed(request.membership, "reports.performance.view"),
        "query": query,
        "title": _("Program dashboard"),
        "subtitle": f"{scope.start.isoformat()} – {scope.end.isoformat()} · {_agency_name(scope)}",
        "generated_at": timezone.now(),
    }
    if wanted == "pdf":
        _audit_export(request, "dashboard", "pdf", scope)
        return pdf_response(
            "reports/pdf/report.html",
            context,
            filename=f"dashboard-{scope.start.isoformat()}-{scope.end.isoformat()}",
        )
    return render(request, "reports/dashboard.html", context)


def chart(request: StaffRequest) -> HttpResponse:
    """One dashboard chart as SVG, for the reader's own scope (the figures are counted again
    with the same filter and the same suppression, so an address shows nobody more)."""
    _require(request, "reports.dashboard.view")
    _form, scope = _dashboard_scope(request)
    if scope is None:
        return HttpResponse(status=400)
    slug = request.GET.get("figure", "")
    for section in build_dashboard(scope, chart_url="", only=request.GET.get("section", "")):
        for item in section["figures"]:
            if item["figure"].slug == slug:
                svg = chart_svg(item["figure"])
                if svg is None:
                    break
                response = HttpResponse(svg, content_type="image/svg+xml")
                response["Cache-Control"] = "private, no-store"
                return response
    return HttpResponse(status=404)


def performance(request: StaffRequest) -> HttpResponse:
    _require(request, "reports.performance.view")
    choose = sees_all_agencies(request.membership)
    form = PerformanceForm(request.GET or {}, choose_agency=choose)
    if not form.is_valid():
        return render(request, "reports/performance.html", {"form": form}, status=400)
    year = form.cleaned_data["fiscal_year"]
    agency = form.cleaned_data.get("agency")
    start, end = fiscal_year_bounds(year)
    scope = report_scope(
        request.membership, start=start, end=end, agency_id=agency.pk if agency else None
    )
    wanted = request.GET.get("format")
    if wanted in ("csv", "pdf"):
        _require(request, "reports.performance.export")
    report = performance_report(scope)
    figures = [chart_item(f) for f in report.figures]
    if wanted == "csv":
        slug = request.GET.get("figure", "")
        for item in figures:
            if item["figure"].slug == slug:
                return _figure_csv(request, "performance", item["figure"], scope)
        return HttpResponse(_("There is no such table."), status=404, content_type="text/plain")
    context = {
        "form": form,
        "scope": scope,
        "year": year,
        "report": report,
        "sections": [{"slug": "measures", "title": "", "figures": figures}],
        "agency_name": _agency_name(scope),
        "can_export": allowed(request.membership, "reports.performance.export"),
        "can_performance": True,
        "query": request.GET.urlencode(),
        "title": _("Performance measures, fiscal year %(year)s") % {"year": year},
        "subtitle": f"{start.isoformat()} – {end.isoformat()} · {_agency_name(scope)}",
        "generated_at": timezone.now(),
    }
    if wanted == "pdf":
        _audit_export(request, "performance", "pdf", scope)
        return pdf_response("reports/pdf/report.html", context, filename=f"performance-fy{year}")
    return render(request, "reports/performance.html", context)
