"""REST API of the linkage area (/api/v1/linkage/): runs (list, start), unduplicated counts
for any filter, and the review queue with the supervisor's decisions. Writes call the
services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from safeharbor.core import permissions as engine
from safeharbor.core.protected_views import ProtectedViewSetMixin, api_membership

from .. import selectors, services
from ..choices import PairStatus, StatusFilter
from ..counts import SMALL_CELL_MAX
from ..models import DuplicatePair, LinkageRun
from . import serializers as s


class LinkageRunViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Linkage runs of the caller's agency, newest first; POST starts one."""

    queryset = LinkageRun.objects.all()
    serializer_class = s.LinkageRunSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(request=s.StartRunSerializer, responses={202: s.LinkageRunSerializer})
    def create(self, request: Request) -> Response:
        """Start a run in the background; follow ``job`` for progress."""
        data = s.StartRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        run = services.linkage_run_start(
            membership=api_membership(request), retrain=data.validated_data["retrain"]
        )
        return Response(self.get_serializer(run).data, status=status.HTTP_202_ACCEPTED)


def _shown(value: int, suppressed: bool) -> int | None:
    return None if suppressed and 1 <= value <= SMALL_CELL_MAX else value


class UniqueCountView(APIView):
    """Unique people among the records matching a filter, with the interval."""

    @extend_schema(
        parameters=[
            OpenApiParameter("juveniles", bool, description="Only under 18 when identified"),
            OpenApiParameter("status", str, enum=StatusFilter.values),
            OpenApiParameter("year", int),
            OpenApiParameter("start", datetime.date),
            OpenApiParameter("end", datetime.date),
            OpenApiParameter("agency", int, many=True, description="Agency ids; none: all"),
        ],
        responses=s.CountSerializer,
    )
    def get(self, request: Request) -> Response:
        membership = api_membership(request)
        if membership is None or not engine.role_allows(membership, "linkage.linkagerun.view"):
            raise PermissionDenied
        query = s.CountQuerySerializer(
            data={**request.query_params.dict(), "agency": request.query_params.getlist("agency")}
        )
        query.is_valid(raise_exception=True)
        values = query.validated_data
        start, end = values.get("start"), values.get("end")
        if values.get("year"):
            start = datetime.date(values["year"], 1, 1)
            end = datetime.date(values["year"], 12, 31)
        filters = selectors.CountFilter(
            juveniles=values["juveniles"],
            status=values["status"],
            start=start,
            end=end,
            agency_ids=tuple(sorted(set(values.get("agency") or []))),
        )
        result = selectors.count_result(
            filters, viewer_agency_id=membership.agency_id, on_behalf_of=membership
        )
        count, hidden = result.count, result.suppressed
        engine.record_list(membership, LinkageRun, count=1)
        return Response(
            s.CountSerializer(
                {
                    "label": result.label,
                    "text": result.text,
                    "point": _shown(count.point, hidden),
                    "lower": _shown(count.lower, hidden),
                    "upper": _shown(count.upper, hidden),
                    "linked_records": _shown(count.linked_records, hidden),
                    "unlinkable_records": _shown(count.unlinkable_records, hidden),
                    "suppressed": hidden,
                    "run": result.run.pk if result.run else None,
                }
            ).data
        )


class DuplicatePairViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Possible duplicates inside the caller's agency. ``?status=pending`` (default: all)."""

    queryset = DuplicatePair.objects.select_related("person_a", "person_b")
    serializer_class = s.DuplicatePairSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> Any:
        pairs = super().get_queryset()
        wanted = self.request.query_params.get("status")
        if self.action == "list" and wanted in PairStatus.values:
            pairs = pairs.filter(status=wanted)
        return pairs

    @extend_schema(parameters=[OpenApiParameter("status", str, enum=PairStatus.values)])
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    def _decide(self, same_person: bool) -> Response:
        pair = self.get_object()  # visible for "review" (the action's engine verb)
        pair = services.duplicate_pair_decide(
            membership=api_membership(self.request), pair=pair, same_person=same_person
        )
        return Response(self.get_serializer(pair).data)

    def engine_action(self) -> str:
        if self.action in {"confirm", "reject"}:
            return "review"
        return super().engine_action()

    @extend_schema(request=None, responses=s.DuplicatePairSerializer)
    @action(detail=True, methods=["post"])
    def confirm(self, request: Request, pk: str) -> Response:
        """The two records are the same person: joined in every later run."""
        return self._decide(True)

    @extend_schema(request=None, responses=s.DuplicatePairSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str) -> Response:
        """Different people: kept apart in every later run."""
        return self._decide(False)
