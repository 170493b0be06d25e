"""REST API of the restricted fund (/api/v1/funds/). Reads are limited to funds of the
caller's agency and the role's ``funds.<model>.view``; writes call the same services as the
staff pages."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from .. import selectors, services
from ..models import (
    Allocation,
    DistributionShare,
    Fund,
    JournalEntry,
    JournalLine,
    Payment,
    Receipt,
)
from ..permissions import has_perm, visible, visible_funds
from . import serializers as s

FUND_PARAM = OpenApiParameter("fund", str, description="Slug of the fund to limit to.")


class FundsViewSet(viewsets.GenericViewSet):
    """Base: the role must allow ``funds.<model>.view`` (or ``.add`` to create), and only
    funds of the caller's agency are visible."""

    model_code = ""

    @property
    def membership(self) -> Any:
        return getattr(self.request._request, "api_membership", None)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        verb = "add" if self.action in {"create", "reverse"} else "view"
        if not has_perm(self.membership, f"funds.{self.model_code}.{verb}"):
            raise PermissionDenied

    def funds(self) -> QuerySet[Fund]:
        return visible_funds(self.membership)

    def filter_fund(self, model: type[Any], field: str = "fund") -> QuerySet[Any]:
        """The permission engine's ``visible_to`` for ``model``, optionally one fund."""
        queryset = visible(model, self.membership)
        slug = self.request.query_params.get("fund")
        if slug:
            queryset = queryset.filter(**{f"{field}__slug": slug})
        return queryset

    def fund_for_write(self, slug: str) -> Fund:
        return get_object_or_404(visible_funds(self.membership), slug=slug)


class FundViewSet(FundsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Restricted funds of the caller's agency, with their distribution shares."""

    model_code = "fund"
    serializer_class = s.FundSerializer
    lookup_field = "slug"

    def get_queryset(self) -> QuerySet[Fund]:
        return self.funds().select_related("agency").prefetch_related("shares")

    @extend_schema(responses=s.AccountBalanceSerializer(many=True))
    @action(detail=True, methods=["get"], url_path="trial-balance")
    def trial_balance(self, request: Request, slug: str) -> Response:
        """Every account with its debits, credits and balance, summed from posted lines."""
        if not has_perm(self.membership, "funds.account.view"):
            raise PermissionDenied
        fund = self.get_object()
        rows = selectors.account_balances(fund)
        return Response(s.AccountBalanceSerializer(rows, many=True).data)


@extend_schema(parameters=[FUND_PARAM])
class EntryViewSet(FundsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin):
    """Posted journal entries with their lines. Filter by ``source_type`` and ``source_id``
    to find what another area's record posted."""

    model_code = "journalentry"
    serializer_class = s.EntrySerializer

    def get_queryset(self) -> QuerySet[JournalEntry]:
        entries = self.filter_fund(JournalEntry)
        params = self.request.query_params
        if params.get("kind"):
            entries = entries.filter(kind=params["kind"])
        if params.get("source_type"):
            entries = entries.filter(
                source_type=params["source_type"], source_id=params.get("source_id", "")
            )
        return entries.select_related("fund", "fiscal_year", "reversal").prefetch_related(
            Prefetch("lines", queryset=JournalLine.objects.select_related("account"))
        )

    @extend_schema(request=s.ReverseInputSerializer, responses=s.EntrySerializer)
    @action(detail=True, methods=["post"])
    def reverse(self, request: Request, pk: str) -> Response:
        """Post the reversing entry of this one (a receipt's split is reversed with it)."""
        entry = self.get_object()
        data = s.ReverseInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        reversal = services.journal_reverse(
            actor=request.user, membership=self.membership, entry=entry, **data.validated_data
        )
        return Response(
            s.EntrySerializer(self.get_queryset().get(pk=reversal.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(parameters=[FUND_PARAM])
class ReceiptViewSet(
    FundsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Proceeds received. Creating one posts the receipt and splits the net by the shares."""

    model_code = "receipt"
    serializer_class = s.ReceiptSerializer

    def get_queryset(self) -> QuerySet[Receipt]:
        return self.filter_fund(Receipt).select_related("fund")

    @extend_schema(request=s.ReceiptInputSerializer, responses=s.ReceiptSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.ReceiptInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        fund = self.fund_for_write(values.pop("fund"))
        receipt = services.receipt_record(
            actor=request.user, membership=self.membership, fund=fund, **values
        )
        return Response(s.ReceiptSerializer(receipt).data, status=status.HTTP_201_CREATED)


@extend_schema(parameters=[FUND_PARAM])
class AllocationViewSet(
    FundsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Allocations to programs with allocated, paid and available amounts."""

    model_code = "allocation"
    serializer_class = s.AllocationSerializer

    def get_queryset(self) -> QuerySet[Allocation]:
        rows = self.filter_fund(Allocation)
        if self.request.query_params.get("program"):
            rows = rows.filter(program__slug=self.request.query_params["program"])
        return selectors.with_balances(
            rows.select_related("fund", "program", "share", "fiscal_year")
        )

    @extend_schema(request=s.AllocationInputSerializer, responses=s.AllocationSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.AllocationInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        fund = self.fund_for_write(values.pop("fund"))
        share = get_object_or_404(
            visible(DistributionShare, self.membership), fund=fund, pk=values.pop("share")
        )
        allocation = services.allocation_create(
            actor=request.user, membership=self.membership, fund=fund, share=share, **values
        )
        return Response(
            s.AllocationSerializer(self.get_queryset().get(pk=allocation.pk)).data,
            status=status.HTTP_201_CREATED,
        )


@extend_schema(parameters=[FUND_PARAM])
class PaymentViewSet(
    FundsViewSet, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin
):
    """Payments against allocations. A payment above what is left of the allocation is
    refused with 400."""

    model_code = "payment"
    serializer_class = s.PaymentSerializer

    def get_queryset(self) -> QuerySet[Payment]:
        return self.filter_fund(Payment, "allocation__fund")

    @extend_schema(request=s.PaymentInputSerializer, responses=s.PaymentSerializer)
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        data = s.PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        allocation = get_object_or_404(
            visible(Allocation, self.membership).select_related("fund", "program"),
            pk=values.pop("allocation"),
        )
        payment = services.payment_post(
            actor=request.user, membership=self.membership, allocation=allocation, **values
        )
        return Response(s.PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)
