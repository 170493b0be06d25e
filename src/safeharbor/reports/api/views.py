"""REST API of the reports (/api/v1/reports/): the dashboard's and the performance
measures' aggregates, suppressed exactly as on the pages. Never rows about people."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeharbor.core.protected_views import api_membership

from ..access import allowed, report_scope, sees_all_agencies
from ..forms import DashboardFilterForm, PerformanceForm, fiscal_year_bounds
from ..performance import performance_report
from ..registry import sections_for
from . import serializers as s

PERIOD_PARAMS = [
    OpenApiParameter("start", str, description="First day (YYYY-MM-DD); default a year ago."),
    OpenApiParameter("end", str, description="Last day (YYYY-MM-DD); default today."),
    OpenApiParameter(
        "agency", int, description="One agency's id (coordinators and analysts only)."
    ),
]


def _membership(request: Request) -> Any:
    membership = api_membership(request)
    if membership is None:
        raise PermissionDenied
    return membership


class DashboardView(APIView):
    """The program dashboard's figures for a period and, optionally, one agency."""

    @extend_schema(parameters=PERIOD_PARAMS, responses=s.DashboardSerializer)
    def get(self, request: Request) -> Response:
        membership = _membership(request)
        if not allowed(membership, "reports.dashboard.view"):
            raise PermissionDenied
        form = DashboardFilterForm(
            request.query_params, choose_agency=sees_all_agencies(membership)
        )
        if not form.is_valid():
            raise drf_serializers.ValidationError(form.errors)
        agency = form.cleaned_data.get("agency")
        scope = report_scope(
            membership,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            agency_id=agency.pk if agency else None,
        )
        with scope.counting("reports.dashboard") as counting:
            sections = [
                {
                    "slug": section.slug,
                    "title": str(section.title),
                    "figures": [s.figure_data(f) for f in section.build(counting)],
                }
                for section in sections_for(membership)
            ]
        return Response(
            {
                "start": scope.start,
                "end": scope.end,
                "agency_ids": list(scope.agency_ids) if scope.agency_ids is not None else None,
                "suppressed": scope.suppress,
                "sections": sections,
            }
        )


class PerformanceView(APIView):
    """The performance measures (OVC TIMS shape) for a federal fiscal year."""

    @extend_schema(
        parameters=[
            OpenApiParameter("fiscal_year", int, description="E.g. 2026 (Oct 2025 to Sep 2026)."),
            OpenApiParameter(
                "agency", int, description="One agency's id (coordinators and analysts only)."
            ),
        ],
        responses=s.PerformanceSerializer,
    )
    def get(self, request: Request) -> Response:
        membership = _membership(request)
        if not allowed(membership, "reports.performance.view"):
            raise PermissionDenied
        form = PerformanceForm(request.query_params, choose_agency=sees_all_agencies(membership))
        if not form.is_valid():
            raise drf_serializers.ValidationError(form.errors)
        year = form.cleaned_data["fiscal_year"]
        agency = form.cleaned_data.get("agency")
        start, end = fiscal_year_bounds(year)
        scope = report_scope(
            membership, start=start, end=end, agency_id=agency.pk if agency else None
        )
        report = performance_report(scope)
        return Response(
            {
                "fiscal_year": year,
                "start": start,
                "end": end,
                "agency_ids": list(scope.agency_ids) if scope.agency_ids is not None else None,
                "suppressed": scope.suppress,
                "clients_served": report.clients_served,
                "figures": [s.figure_data(f) for f in report.figures],
            }
        )
