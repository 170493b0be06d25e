"""REST API of the legislation area (DRF viewsets under /api/v1/legislation/). Reads use the
selectors; writes validate with a serializer and call the service."""

from __future__ import annotations

import json
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.permissions import BasePermission
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.api.permissions import IsVerifiedStaff

from .. import services
from ..choices import Stance
from ..importer import ImportRefused, import_bills
from ..models import (
    AgendaItem,
    Bill,
    Jurisdiction,
    LegislativeSession,
    Priority,
    Proposal,
    Statute,
)
from ..selectors import bill_detail_queryset, bill_list
from . import serializers as s

METHOD_ACTIONS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


class LegislationPermission(BasePermission):
    """The caller's membership must allow ``legislation.<model>.<action>``; a view may name
    the code for an extra action in ``action_permissions``."""

    message = "Your role does not allow this."

    def has_permission(self, request: Request, view: Any) -> bool:
        membership = getattr(request._request, "api_membership", None)
        if membership is None:
            return False
        code = getattr(view, "action_permissions", {}).get(getattr(view, "action", None))
        if code is None:
            model = view.queryset.model._meta.model_name
            code = f"legislation.{model}.{METHOD_ACTIONS.get(request.method or 'GET', 'change')}"
        return membership.has_perm(code)


class LegislationViewSet(viewsets.GenericViewSet):
    permission_classes = [IsVerifiedStaff, LegislationPermission]

    def _valid(self, serializer_class: type, data: Any, **kwargs: Any) -> dict[str, Any]:
        serializer = serializer_class(data=data, **kwargs)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)


class JurisdictionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """Governments that make law (OCD jurisdictions)."""

    queryset = Jurisdiction.objects.all()
    serializer_class = s.JurisdictionSerializer

    def create(self, request: Request) -> Response:
        data = self._valid(s.JurisdictionSerializer, request.data)
        jurisdiction = services.jurisdiction_create(actor=request.user, **data)
        return Response(s.JurisdictionSerializer(jurisdiction).data, status=201)


class SessionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """Legislative sessions."""

    queryset = LegislativeSession.objects.select_related("jurisdiction")
    serializer_class = s.SessionSerializer

    def create(self, request: Request) -> Response:
        data = self._valid(s.SessionSerializer, request.data)
        session = services.session_create(actor=request.user, **data)
        return Response(s.SessionSerializer(session).data, status=201)


class StatuteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """Statutes, with our own short summary in each language."""

    queryset = Statute.objects.select_related("jurisdiction")
    serializer_class = s.StatuteSerializer

    def create(self, request: Request) -> Response:
        data = self._valid(s.StatuteSerializer, request.data)
        statute = services.statute_save(actor=request.user, **data)
        return Response(s.StatuteSerializer(statute).data, status=201)

    def update(self, request: Request, pk: str | None = None, partial: bool = False) -> Response:
        statute = self.get_object()
        current = s.StatuteSerializer(statute).data
        data = self._valid(s.StatuteSerializer, {**current, **request.data})
        statute = services.statute_save(actor=request.user, statute=statute, **data)
        return Response(s.StatuteSerializer(statute).data)

    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk, partial=True)


@extend_schema_view(
    list=extend_schema(
        parameters=[
            OpenApiParameter("session", int, description="Only bills of this session id."),
            OpenApiParameter("stance", str, enum=[*Stance.values, "none"]),
            OpenApiParameter("q", str, description="Part of the identifier or title."),
        ]
    )
)
class BillViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """Bills in the Open Civic Data shape. ``status`` is derived from the actions."""

    queryset = Bill.objects.all()
    serializer_class = s.BillDetailSerializer
    action_permissions = {
        "add_action": "legislation.billaction.add",
        "watch": "legislation.bill.view",
        "position": "legislation.billposition.change",
        "import_bills": "legislation.bill.add",
    }

    def get_queryset(self) -> QuerySet[Bill]:
        if self.action == "list":
            params = self.request.query_params
            session = params.get("session", "")
            stance = params.get("stance", "")
            return bill_list(
                session_id=int(session) if session.isdigit() else None,
                stance=stance if stance in {*Stance.values, "none"} else "",
                q=params.get("q", "")[:100],
            )
        return bill_detail_queryset()

    def get_serializer_class(self) -> type:
        return s.BillListSerializer if self.action == "list" else s.BillDetailSerializer

    @staticmethod
    def _bill(pk: str | None) -> Bill:
        """The bill at this address; a malformed id is simply not found (404, never a 500)."""
        if not (pk or "").isdigit():
            raise Http404
        return get_object_or_404(Bill, pk=int(pk or 0))

    def _detail(self, bill: Bill, status_code: int = 200) -> Response:
        fresh = bill_detail_queryset().get(pk=bill.pk)
        return Response(s.BillDetailSerializer(fresh).data, status=status_code)

    @extend_schema(request=s.BillWriteSerializer, responses={201: s.BillDetailSerializer})
    def create(self, request: Request) -> Response:
        data = self._valid(s.BillWriteSerializer, request.data)
        bill = services.bill_save(actor=request.user, **data)
        return self._detail(bill, 201)

    @extend_schema(request=s.BillWriteSerializer, responses=s.BillDetailSerializer)
    def update(self, request: Request, pk: str | None = None) -> Response:
        bill = self._bill(pk)
        current = s.BillWriteSerializer(bill).data
        data = self._valid(s.BillWriteSerializer, {**current, **request.data})
        bill = services.bill_save(actor=request.user, bill=bill, **data)
        return self._detail(bill)

    @extend_schema(request=s.BillWriteSerializer, responses=s.BillDetailSerializer)
    def partial_update(self, request: Request, pk: str | None = None) -> Response:
        return self.update(request, pk)

    @extend_schema(request=s.ActionCreateSerializer, responses={201: s.BillDetailSerializer})
    @action(detail=True, methods=["post"], url_path="actions")
    def add_action(self, request: Request, pk: str | None = None) -> Response:
        """Record a new action; people watching the bill are notified in the app."""
        bill = self._bill(pk)
        data = self._valid(s.ActionCreateSerializer, request.data)
        services.bill_action_add(actor=request.user, bill=bill, **data)
        return self._detail(bill, 201)

    @extend_schema(request=None, responses={204: None})
    @action(detail=True, methods=["post", "delete"])
    def watch(self, request: Request, pk: str | None = None) -> Response:
        """POST to watch the bill, DELETE to stop."""
        bill = self._bill(pk)
        if request.method == "DELETE":
            services.bill_unwatch(actor=request.user, bill=bill)
        else:
            services.bill_watch(actor=request.user, bill=bill)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=s.PositionSerializer, responses=s.BillDetailSerializer)
    @action(detail=True, methods=["put"])
    def position(self, request: Request, pk: str | None = None) -> Response:
        """Set the City's position on the bill."""
        bill = self._bill(pk)
        data = self._valid(s.PositionSerializer, request.data)
        services.bill_position_set(actor=request.user, bill=bill, **data)
        return self._detail(bill)

    @extend_schema(
        request=s.ImportRequestSerializer,
        responses={200: s.ImportReportSerializer},
        description="Import Open States / OCD bill JSON. Nothing is written if any part is "
        "malformed; the 400 response names the field and the reason.",
    )
    @action(detail=False, methods=["post"], url_path="import")
    def import_bills(self, request: Request) -> Response:
        payload = self._valid(s.ImportRequestSerializer, request.data)
        try:
            report = import_bills(
                actor=request.user,
                raw=json.dumps(payload["data"]),
                default_jurisdiction=payload.get("jurisdiction", ""),
            )
        except ImportRefused as error:
            raise ApiValidationError({"field": error.field, "reason": error.reason}) from error
        return Response(report.as_dict())


class PriorityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """The City's legislative priorities and their proposals."""

    queryset = Priority.objects.select_related("session").prefetch_related(
        Prefetch("proposals", queryset=Proposal.objects.prefetch_related("statutes", "bills")),
        "bills",
    )
    serializer_class = s.PrioritySerializer
    action_permissions = {"add_proposal": "legislation.priority.change"}

    def _save(self, request: Request, priority: Priority | None) -> Priority:
        data = self._valid(s.PrioritySerializer, request.data)
        data["bills"] = list(data.get("bills", []))
        return services.priority_save(actor=request.user, priority=priority, **data)

    def create(self, request: Request) -> Response:
        priority = self._save(request, None)
        return Response(s.PrioritySerializer(self.get_queryset().get(pk=priority.pk)).data, 201)

    def update(self, request: Request, pk: str | None = None) -> Response:
        priority = self._save(request, self.get_object())
        return Response(s.PrioritySerializer(self.get_queryset().get(pk=priority.pk)).data)

    @extend_schema(request=s.ProposalSerializer, responses={201: s.ProposalSerializer})
    @action(detail=True, methods=["post"], url_path="proposals")
    def add_proposal(self, request: Request, pk: str | None = None) -> Response:
        priority = self.get_object()
        data = self._valid(s.ProposalSerializer, request.data)
        data["statutes"] = list(data.get("statutes", []))
        data["bills"] = list(data.get("bills", []))
        proposal = services.proposal_save(actor=request.user, priority=priority, **data)
        return Response(s.ProposalSerializer(proposal).data, status=201)


class AgendaItemViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, LegislationViewSet):
    """Bills on the agenda of events (the events themselves belong to the directory)."""

    queryset = AgendaItem.objects.select_related("bill", "event")
    serializer_class = s.AgendaItemSerializer

    def create(self, request: Request) -> Response:
        data = self._valid(s.AgendaItemSerializer, request.data)
        item = services.agenda_item_add(actor=request.user, **data)
        return Response(s.AgendaItemSerializer(item).data, status=201)

    def destroy(self, request: Request, pk: str | None = None) -> Response:
        services.agenda_item_remove(actor=request.user, item=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)
