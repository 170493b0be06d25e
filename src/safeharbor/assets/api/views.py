"""REST API of seized property (/api/v1/assets/). Every queryset starts from the permission
engine; reads are audited; writes call the same services as the staff pages."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.models import User
from safeharbor.core import permissions as engine
from safeharbor.core.protected_views import ProtectedViewSetMixin, api_membership
from safeharbor.enforcement.models import Contact, Investigation, Operation, Subject

from .. import selectors, services
from ..models import CustodyEvent, SeizedAsset
from . import serializers as s

PERIOD = [
    OpenApiParameter("start", str, required=True, description="First day (YYYY-MM-DD)."),
    OpenApiParameter("end", str, required=True, description="Last day (YYYY-MM-DD)."),
]


class SeizedAssetViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Seized property you can see. Custody, forfeiture steps and the disposition are
    recorded with the actions below; the custody chain and steps are never changed."""

    lookup_value_regex = r"[0-9]+"
    queryset = SeizedAsset.objects.all()
    serializer_class = s.SeizedAssetSerializer
    engine_actions = {
        "custody": "view",
        "forfeiture": "view",
        "disposition": "view",
        "seizure_report": "view",
        "judgment_report": "view",
    }

    def engine_action(self) -> str:
        return self.engine_actions.get(self.action or "", super().engine_action())

    def get_queryset(self) -> Any:
        return selectors.assets_for(api_membership(self.request), self.engine_action()).order_by(
            "-seized_at", "-id"
        )

    def get_serializer_class(self) -> Any:
        return s.AssetDetailSerializer if self.action == "retrieve" else s.SeizedAssetSerializer

    @property
    def membership(self) -> Any:
        return api_membership(self.request)

    def _own(self, model: type, pk: int | None) -> Any:
        """A record of the caller's agency that they may see, or None for no id."""
        if pk is None:
            return None
        return get_object_or_404(model.objects.visible_to(self.membership), pk=pk)

    @extend_schema(request=s.SeizureInputSerializer, responses={201: s.AssetDetailSerializer})
    def create(self, request: Request) -> Response:
        """Record seized property (a buyer's or exploiter's, never a victim's)."""
        data = s.SeizureInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        membership = self.membership
        values["subject"] = get_object_or_404(
            Subject.objects.visible_to(membership),
            pk=values.pop("subject"),
            agency_id=membership.agency_id,
        )
        values["investigation"] = self._own(Investigation, values.pop("investigation", None))
        values["operation"] = self._own(Operation, values.pop("operation", None))
        contact_id = values.pop("contact", None)
        values["contact"] = (
            get_object_or_404(Contact, pk=contact_id, operation__agency_id=membership.agency_id)
            if contact_id
            else None
        )
        for field in ("seized_by", "counted_by", "witnessed_by"):
            user_id = values.pop(field, None)
            values[field] = get_object_or_404(User, pk=user_id) if user_id else None
        values["lienholders"] = [
            (lien["name"], lien.get("amount_owed")) for lien in values.pop("lienholders", [])
        ]
        asset = services.asset_seize(membership=membership, **values)
        return Response(
            s.AssetDetailSerializer(
                self.get_queryset().get(pk=asset.pk), context=self.get_serializer_context()
            ).data,
            status=status.HTTP_201_CREATED,
        )

    def _asset(self, pk: str) -> SeizedAsset:
        asset = get_object_or_404(selectors.assets_for(self.membership), pk=pk)
        return asset

    @extend_schema(
        methods=["GET"],
        responses=s.CustodyEventSerializer(many=True),
        operation_id="assets_custody_list",
    )
    @extend_schema(
        methods=["POST"],
        request=s.CustodyInputSerializer,
        responses={201: s.CustodyEventSerializer},
        operation_id="assets_custody_create",
    )
    @action(detail=True, methods=["get", "post"])
    def custody(self, request: Request, pk: str) -> Response:
        """The custody chain; POST appends a hand-over or a correction."""
        asset = self._asset(pk)
        if request.method == "GET":
            engine.record_view(self.membership, asset)
            return Response(s.CustodyEventSerializer(asset.custody_events.all(), many=True).data)
        data = s.CustodyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        corrects_id = values.pop("corrects", None)
        values["corrects"] = (
            get_object_or_404(CustodyEvent, pk=corrects_id, asset=asset) if corrects_id else None
        )
        event = services.custody_transfer(membership=self.membership, asset=asset, **values)
        return Response(s.CustodyEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        methods=["GET"],
        responses=s.ForfeitureEventSerializer(many=True),
        operation_id="assets_forfeiture_list",
    )
    @extend_schema(
        methods=["POST"],
        request=s.StepInputSerializer,
        responses={201: s.ForfeitureEventSerializer},
        operation_id="assets_forfeiture_advance",
    )
    @action(detail=True, methods=["get", "post"])
    def forfeiture(self, request: Request, pk: str) -> Response:
        """The forfeiture steps; POST moves the proceeding one step. An illegal step is a
        400 naming the allowed ones."""
        asset = self._asset(pk)
        if request.method == "GET":
            engine.record_view(self.membership, asset)
            return Response(
                s.ForfeitureEventSerializer(asset.forfeiture_events.all(), many=True).data
            )
        data = s.StepInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        event = services.forfeiture_advance(
            membership=self.membership, asset=asset, **data.validated_data
        )
        return Response(s.ForfeitureEventSerializer(event).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=s.DispositionInputSerializer,
        responses={201: s.DispositionSerializer},
        operation_id="assets_dispose",
    )
    @action(detail=True, methods=["post"])
    def disposition(self, request: Request, pk: str) -> Response:
        """Dispose of forfeited or settled property; net proceeds go to the fund."""
        asset = self._asset(pk)
        data = s.DispositionInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        disposition = services.asset_dispose(
            membership=self.membership, asset=asset, **data.validated_data
        )
        return Response(s.DispositionSerializer(disposition).data, status=status.HTTP_201_CREATED)

    def _period(self, request: Request) -> dict[str, Any]:
        if not engine.role_allows(self.membership, "assets.report.view"):
            from rest_framework.exceptions import PermissionDenied

            raise PermissionDenied
        period = s.PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        return dict(period.validated_data)

    @extend_schema(parameters=PERIOD, responses=s.SeizureReportSerializer)
    @action(detail=False, methods=["get"], url_path="reports/seizures")
    def seizure_report(self, request: Request) -> Response:
        """Every seizure of a period, with totals by kind of property."""
        report = selectors.seizure_report(self.membership, **self._period(request))
        engine.record_list(self.membership, SeizedAsset, count=report.count)
        return Response(
            s.SeizureReportSerializer(report, context=self.get_serializer_context()).data
        )

    @extend_schema(parameters=PERIOD, responses=s.JudgmentReportSerializer)
    @action(detail=False, methods=["get"], url_path="reports/judgments")
    def judgment_report(self, request: Request) -> Response:
        """Judgments of a period, dispositions, costs, net proceeds and their split."""
        report = selectors.judgment_report(self.membership, **self._period(request))
        engine.record_list(self.membership, SeizedAsset, count=len(report.rows))
        return Response(s.JudgmentReportSerializer(report).data)
