"""REST API of housing (/api/v1/housing/): programs and their outcomes, units, placements
and months of rental assistance. Reads go through the engine; writes call the services."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.models import Agency, User
from safeharbor.core import permissions as engine
from safeharbor.core.protected_views import ProtectedViewSetMixin, api_membership

from .. import selectors, services
from ..models import AssistancePayment, HousingProgram, Placement, Unit
from . import serializers as s


def _role(membership: Any, *codes: str) -> None:
    if membership is None or not any(engine.role_allows(membership, c) for c in codes):
        raise PermissionDenied


class HousingProgramViewSet(viewsets.ReadOnlyModelViewSet):
    """Housing programs (project type, partners). ``outcomes/`` gives the measures: exact
    for the placements the caller can see, or (aggregate-only roles) the whole program with
    small numbers suppressed."""

    queryset = HousingProgram.objects.select_related("program").prefetch_related("partners")
    serializer_class = s.HousingProgramSerializer
    lookup_value_regex = r"[0-9]+"

    def get_queryset(self) -> Any:
        _role(api_membership(self.request), "housing.housingprogram.view")
        return super().get_queryset()

    @extend_schema(
        parameters=[
            OpenApiParameter("start", datetime.date),
            OpenApiParameter("end", datetime.date),
        ],
        responses=s.OutcomesSerializer,
    )
    @action(detail=True, methods=["get"])
    def outcomes(self, request: Request, pk: str) -> Response:
        housing = self.get_object()
        membership = api_membership(request)
        today = timezone.localdate()
        try:
            start = datetime.date.fromisoformat(request.query_params.get("start", ""))
        except ValueError:
            start = today.replace(year=today.year - 2, day=1)
        try:
            end = datetime.date.fromisoformat(request.query_params.get("end", ""))
        except ValueError:
            end = today
        if end < start:
            start, end = end, start
        if engine.role_allows(membership, "housing.placement.view"):
            placements = selectors.visible_placements(membership).filter(program=housing)
            result, suppressed = selectors.outcomes(placements, start=start, end=end), False
        elif engine.role_allows(membership, "housing.placement.aggregate"):
            # Aggregate-only roles count the whole program through a statistical read.
            result = selectors.counted_outcomes(
                membership, housing=housing, start=start, end=end, purpose="housing.api.outcomes"
            )
            suppressed = True
        else:
            raise PermissionDenied
        rows = selectors.summary_rows(result, suppressed=suppressed)
        return Response(
            {
                "start": start,
                "end": end,
                "suppressed": suppressed,
                "measures": [{"label": r.label, "value": str(r.value)} for r in rows],
            }
        )


class UnitViewSet(
    ProtectedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Apartments. The address and landlord are shown only to those who may see them."""

    queryset = Unit.objects.all()
    serializer_class = s.UnitSerializer
    lookup_value_regex = r"[0-9]+"

    @extend_schema(request=s.UnitInputSerializer, responses={201: s.UnitSerializer})
    def create(self, request: Request) -> Response:
        data = s.UnitInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        membership = api_membership(request)
        if membership is None:
            raise PermissionDenied
        unit = services.unit_create(
            membership=membership, agency=membership.agency, **data.validated_data
        )
        return Response(self.get_serializer(unit).data, status=status.HTTP_201_CREATED)


class PlacementViewSet(
    ProtectedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Placements your agency owns or works on as a partner."""

    queryset = Placement.objects.select_related("person", "program")
    serializer_class = s.PlacementSerializer
    lookup_value_regex = r"[0-9]+"

    @property
    def membership(self) -> Any:
        return api_membership(self.request)

    def _one(self, pk: str, engine_action: str = "change") -> Placement:
        return get_object_or_404(
            Placement.objects.visible_to(self.membership, engine_action), pk=pk
        )

    def _respond(self, placement: Placement, code: int = status.HTTP_200_OK) -> Response:
        fresh = get_object_or_404(Placement.objects.visible_to(self.membership), pk=placement.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(request=s.PlacementInputSerializer, responses={201: s.PlacementSerializer})
    def create(self, request: Request) -> Response:
        from safeharbor.survivors.models import Person

        data = s.PlacementInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = dict(data.validated_data)
        membership = self.membership
        person = get_object_or_404(Person.objects.visible_to(membership), pk=v.pop("person"))
        program = get_object_or_404(HousingProgram.objects.all(), pk=v.pop("program"))
        partner = get_object_or_404(
            Agency.objects.filter(is_active=True), pk=v.pop("partner_agency")
        )
        worker_id = v.pop("partner_caseworker", None)
        worker = get_object_or_404(User.objects.all(), pk=worker_id) if worker_id else None
        unit_id = v.pop("unit", None)
        unit = (
            get_object_or_404(Unit.objects.visible_to(membership), pk=unit_id) if unit_id else None
        )
        placement = services.placement_create(
            membership=membership,
            person=person,
            program=program,
            partner_agency=partner,
            partner_caseworker=worker,
            unit=unit,
            **v,
        )
        return self._respond(placement, status.HTTP_201_CREATED)

    @extend_schema(request=s.PlacementUpdateSerializer, responses=s.PlacementSerializer)
    def partial_update(self, request: Request, pk: str) -> Response:
        data = s.PlacementUpdateSerializer(data=request.data, partial=True)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        if values.get("unit"):
            values["unit"] = get_object_or_404(
                Unit.objects.visible_to(self.membership), pk=values["unit"]
            )
        placement = services.placement_update(
            membership=self.membership, placement=self._one(pk), values=values
        )
        return self._respond(placement)

    @extend_schema(request=s.ExitSerializer, responses=s.PlacementSerializer)
    @action(detail=True, methods=["post"], url_path="exit")
    def exit_placement(self, request: Request, pk: str) -> Response:
        data = s.ExitSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        placement = services.placement_exit(
            membership=self.membership, placement=self._one(pk), **data.validated_data
        )
        return self._respond(placement)

    @extend_schema(request=None, responses=s.AssistancePaymentSerializer(many=True))
    @action(detail=True, methods=["post"])
    def schedule(self, request: Request, pk: str) -> Response:
        """Schedule the plan's months of rent help."""
        placement = self._one(pk, "view")
        new = services.assistance_schedule(membership=self.membership, placement=placement)
        context = {"membership": self.membership}
        return Response(
            s.AssistancePaymentSerializer(new, many=True, context=context).data,
            status=status.HTTP_201_CREATED,
        )


class AssistancePaymentViewSet(
    ProtectedViewSetMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Months of rent help. ``approve/`` then ``pay/`` (posts to the fund ledger)."""

    queryset = AssistancePayment.objects.all()
    serializer_class = s.AssistancePaymentSerializer
    lookup_value_regex = r"[0-9]+"

    def _done(self, payment: AssistancePayment) -> Response:
        fresh = AssistancePayment.objects.get(pk=payment.pk)
        context = {"membership": api_membership(self.request)}
        return Response(s.AssistancePaymentSerializer(fresh, context=context).data)

    @extend_schema(request=None, responses=s.AssistancePaymentSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str) -> Response:
        payment = self.get_object()
        return self._done(
            services.assistance_approve(membership=api_membership(request), payment=payment)
        )

    @extend_schema(request=s.PaySerializer, responses=s.AssistancePaymentSerializer)
    @action(detail=True, methods=["post"])
    def pay(self, request: Request, pk: str) -> Response:
        from safeharbor.funds.models import Allocation

        payment = self.get_object()
        data = s.PaySerializer(data=request.data)
        data.is_valid(raise_exception=True)
        allocation = get_object_or_404(
            Allocation.objects.all(), pk=data.validated_data["allocation"]
        )
        return self._done(
            services.assistance_pay(
                membership=api_membership(request),
                payment=payment,
                allocation=allocation,
                paid_on=data.validated_data["paid_on"],
            )
        )
