"""REST API of the police unit (/api/v1/enforcement/). Every queryset starts from the
permission engine; reads are audited; writes call the same services as the staff pages."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.models import User
from safeharbor.core.protected_views import ProtectedViewSetMixin, api_membership

from .. import selectors, services
from ..models import Arrest, Charge, Contact, FollowUp, Investigation, Operation, Subject
from . import serializers as s


class EnforcementViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Rows come from the permission engine (a record outside reach is a 404), reads are
    audited and hidden categories are left out (``core.protected_views``)."""

    lookup_value_regex = r"[0-9]+"
    # Engine actions of this area's custom endpoints.
    engine_actions = {"figures": "view", "period_figures": "view", "status": "change"}

    def engine_action(self) -> str:
        return self.engine_actions.get(self.action or "", super().engine_action())

    @property
    def membership(self) -> Any:
        return api_membership(self.request)

    def visible(self, model: type, pk: Any, action_name: str = "view") -> Any:
        return get_object_or_404(model.objects.visible_to(self.membership, action_name), pk=pk)


class OperationViewSet(EnforcementViewSet):
    """Operations ("missions") of the unit."""

    queryset = Operation.objects.prefetch_related("participants")
    serializer_class = s.OperationSerializer

    @extend_schema(request=s.OperationInputSerializer, responses={201: s.OperationSerializer})
    def create(self, request: Request) -> Response:
        data = s.OperationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        values["lead"] = get_object_or_404(User, pk=values["lead"])
        operation = services.operation_create(membership=self.membership, **values)
        return Response(self.get_serializer(operation).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=s.FiguresSerializer, operation_id="enforcement_operation_figures")
    @action(detail=True, methods=["get"])
    def figures(self, request: Request, pk: str) -> Response:
        """Victims contacted, information given, referrals, arrests and charges."""
        operation = self.get_object()
        figures = selectors.unit_figures(
            self.membership, operations=Operation.objects.filter(pk=operation.pk)
        )
        return Response(s.FiguresSerializer(figures).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("start", str, description="First operation date (YYYY-MM-DD)."),
            OpenApiParameter("end", str, description="Last operation date (YYYY-MM-DD)."),
        ],
        responses=s.FiguresSerializer,
        operation_id="enforcement_period_figures",
    )
    @action(detail=False, methods=["get"], url_path="figures")
    def period_figures(self, request: Request) -> Response:
        """The unit's figures for the operations you can see, optionally in a period."""
        period = s.PeriodSerializer(data=request.query_params)
        period.is_valid(raise_exception=True)
        start, end = period.validated_data.get("start"), period.validated_data.get("end")
        figures = selectors.unit_figures(self.membership, start=start, end=end)
        return Response(s.FiguresSerializer(figures).data)


class ContactViewSet(EnforcementViewSet):
    """People met in operations, by role."""

    queryset = Contact.objects.select_related("operation")
    serializer_class = s.ContactSerializer

    def get_queryset(self) -> QuerySet:
        contacts = super().get_queryset()
        operation = self.request.query_params.get("operation", "")
        if not operation:
            return contacts
        # A malformed id finds nothing rather than failing.
        return (
            contacts.filter(operation_id=int(operation))
            if operation.isdigit() and len(operation) < 10
            else contacts.none()
        )

    @extend_schema(
        parameters=[OpenApiParameter("operation", int, description="Only this operation.")]
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(request=s.ContactInputSerializer, responses={201: s.ContactSerializer})
    def create(self, request: Request) -> Response:
        data = s.ContactInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        operation = self.visible(Operation, values.pop("operation"))
        subject_id = values.pop("subject", None)
        subject = self.visible(Subject, subject_id) if subject_id else None
        contact = services.contact_record(
            membership=self.membership, operation=operation, subject=subject, **values
        )
        return Response(self.get_serializer(contact).data, status=status.HTTP_201_CREATED)


class FollowUpViewSet(EnforcementViewSet):
    """The relationship-building log."""

    queryset = FollowUp.objects.all()
    serializer_class = s.FollowUpSerializer


class SubjectViewSet(EnforcementViewSet):
    """Buyers and exploiters; identity only for those who may see it."""

    queryset = Subject.objects.all()
    serializer_class = s.SubjectSerializer


class ArrestViewSet(EnforcementViewSet):
    """Arrests of subjects, with their charges."""

    queryset = Arrest.objects.prefetch_related(
        Prefetch("charges", queryset=Charge.objects.order_by("id"))
    )
    serializer_class = s.ArrestSerializer


class InvestigationViewSet(EnforcementViewSet):
    """Investigations with their operations, subjects and detectives."""

    queryset = Investigation.objects.prefetch_related("detectives", "operations", "subjects")
    serializer_class = s.InvestigationSerializer

    @extend_schema(request=s.InvestigationStatusSerializer, responses=s.InvestigationSerializer)
    @action(detail=True, methods=["post"])
    def status(self, request: Request, pk: str) -> Response:
        """Change the status (closing needs the date it closed)."""
        investigation = self.visible(Investigation, pk, "change")
        data = s.InvestigationStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        updated = services.investigation_update(
            membership=self.membership, investigation=investigation, values=data.validated_data
        )
        return Response(self.get_serializer(updated).data)
