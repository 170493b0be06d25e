"""REST API of referrals (/api/v1/referrals/): the referrals the caller's agency sent or
received (through the engine), sending, and the answers. Writes call the services."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.generics import GenericAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.models import Agency, Program
from safeharbor.core import permissions as engine
from safeharbor.core.protected_views import ProtectedViewSetMixin, api_membership

from .. import selectors, services
from ..choices import ReferralState
from ..models import Referral
from . import serializers as s


class ReferralViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Referrals sent or received by the caller's agency. ``?box=received`` or ``sent``,
    ``?state=pending``."""

    queryset = Referral.objects.select_related("agency", "to_agency", "to_program")
    lookup_value_regex = r"[0-9]+"
    serializer_class = s.ReferralSerializer

    @property
    def membership(self) -> Any:
        return api_membership(self.request)

    def get_queryset(self) -> QuerySet:
        referrals = super().get_queryset()
        params = self.request.query_params
        if self.action == "list" and self.membership is not None:
            if params.get("box") == "received":
                referrals = referrals.filter(to_agency_id=self.membership.agency_id)
            elif params.get("box") == "sent":
                referrals = referrals.filter(agency_id=self.membership.agency_id)
            if params.get("state") in ReferralState.values:
                referrals = referrals.filter(state=params["state"])
        return referrals

    def _answer(self, pk: str, engine_action: str) -> Referral:
        return get_object_or_404(Referral.objects.visible_to(self.membership, engine_action), pk=pk)

    def _respond(self, referral: Referral, code: int = status.HTTP_200_OK) -> Response:
        fresh = Referral.objects.visible_to(self.membership).filter(pk=referral.pk).first()
        if fresh is None:  # e.g. declined: the receiver no longer sees it
            return Response({"id": referral.pk, "state": referral.state}, status=code)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        parameters=[
            OpenApiParameter("box", str, enum=["received", "sent"]),
            OpenApiParameter("state", str, enum=ReferralState.values),
        ]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.ReferralInputSerializer, responses={201: s.ReferralSerializer})
    def create(self, request: Request) -> Response:
        """Send a referral; refused (400) with what the consent is missing."""
        from safeharbor.survivors.models import Consent, Person

        data = s.ReferralInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        person = get_object_or_404(Person.objects.visible_to(self.membership), pk=values["person"])
        program = (
            get_object_or_404(Program.objects.filter(is_active=True), pk=values["to_program"])
            if values.get("to_program")
            else None
        )
        agency = (
            program.agency
            if program
            else get_object_or_404(Agency.objects.filter(is_active=True), pk=values["to_agency"])
        )
        consent = (
            get_object_or_404(
                Consent.objects.visible_to(self.membership).filter(person=person),
                pk=values["consent"],
            )
            if values.get("consent")
            else None
        )
        referral = services.referral_send(
            membership=self.membership,
            person=person,
            to_agency=agency,
            to_program=program,
            reason=values["reason"],
            urgency=values["urgency"],
            categories=values["categories"],
            consent=consent,
        )
        return self._respond(referral, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str) -> Response:
        """Accept: opens your agency's own person record and case."""
        referral = services.referral_accept(
            membership=self.membership, referral=self._answer(pk, "accept")
        )
        return self._respond(referral)

    @extend_schema(request=s.DeclineSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, pk: str) -> Response:
        data = s.DeclineSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_decline(
            membership=self.membership,
            referral=self._answer(pk, "decline"),
            reason=data.validated_data["reason"],
        )
        return self._respond(referral)

    @extend_schema(request=s.NoteSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_withdraw(
            membership=self.membership,
            referral=self._answer(pk, "withdraw"),
            note=data.validated_data["note"],
        )
        return self._respond(referral)

    @extend_schema(request=s.NoteSerializer, responses=s.ReferralSerializer)
    @action(detail=True, methods=["post"])
    def complete(self, request: Request, pk: str) -> Response:
        data = s.NoteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        referral = services.referral_complete(
            membership=self.membership,
            referral=self._answer(pk, "complete"),
            note=data.validated_data["note"],
        )
        return self._respond(referral)


SETTINGS_PERMISSION = "accounts.agency.change"


@extend_schema(tags=["referrals"])
class ReferralSettingsView(GenericAPIView):
    """Your agency's referral settings: its designated survivor program, the legal basis it
    records when referring a young person without consent, and how many days such a
    referral shares the record. Administrators of the agency only."""

    serializer_class = s.ReferralSettingsSerializer
    pagination_class = None

    def _membership(self) -> Any:
        membership = api_membership(self.request)
        if membership is None or not engine.role_allows(membership, SETTINGS_PERMISSION):
            raise PermissionDenied
        return membership

    def _current(self, membership: Any) -> Response:
        return Response(self.get_serializer(selectors.settings_for(membership.agency)).data)

    def get(self, request: Request) -> Response:
        return self._current(self._membership())

    def _update(self, request: Request, *, partial: bool) -> Response:
        membership = self._membership()
        current = selectors.settings_for(membership.agency)
        data = self.get_serializer(data=request.data, partial=partial)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        services.referral_settings_update(
            membership=membership,
            juvenile_legal_basis=values.get(
                "juvenile_legal_basis", current["juvenile_legal_basis"]
            ),
            legal_basis_access_days=values.get(
                "legal_basis_access_days", current["legal_basis_access_days"]
            ),
            designated_program=values.get("designated_program", services.KEEP),
        )
        return self._current(membership)

    def put(self, request: Request) -> Response:
        return self._update(request, partial=False)

    def patch(self, request: Request) -> Response:
        return self._update(request, partial=True)
