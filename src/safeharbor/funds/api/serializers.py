"""Serializers of the fund API. Input serializers only validate; services post."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from safeharbor.accounts.models import Program

from ..choices import PropertyKind
from ..models import (
    Allocation,
    DistributionShare,
    Fund,
    JournalEntry,
    JournalLine,
    Payment,
    Receipt,
)


def money_field(**extra: Any) -> serializers.DecimalField:
    """Money as a string with two decimals ("950.00"), never a float."""
    return serializers.DecimalField(max_digits=14, decimal_places=2, **extra)


class ShareSerializer(serializers.ModelSerializer):
    class Meta:
        model = DistributionShare
        fields = ["id", "name", "percent", "order", "is_active"]


class FundSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    shares = ShareSerializer(many=True, read_only=True)

    class Meta:
        model = Fund
        fields = ["id", "slug", "name", "agency", "authority", "is_active", "shares"]


class AccountBalanceSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="account.pk")
    code = serializers.CharField(source="account.code")
    name = serializers.CharField(source="account.name")
    kind = serializers.CharField(source="account.kind")
    role = serializers.CharField(source="account.role")
    debits = money_field(read_only=True)
    credits = money_field(read_only=True)
    balance = money_field(read_only=True)


class LineSerializer(serializers.ModelSerializer):
    account = serializers.CharField(source="account.code")
    debit = money_field(read_only=True)
    credit = money_field(read_only=True)

    class Meta:
        model = JournalLine
        fields = ["line_no", "account", "allocation", "debit", "credit", "memo"]


class EntrySerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    fiscal_year = serializers.CharField(source="fiscal_year.name")
    lines = LineSerializer(many=True, read_only=True)
    reversed_by = serializers.SerializerMethodField()

    class Meta:
        model = JournalEntry
        fields = [
            "id",
            "fund",
            "number",
            "fiscal_year",
            "entry_date",
            "kind",
            "memo",
            "source_type",
            "source_id",
            "reverses",
            "reversed_by",
            "posted_at",
            "lines",
        ]

    def get_reversed_by(self, entry: JournalEntry) -> int | None:
        reversal = getattr(entry, "reversal", None)
        return reversal.pk if reversal else None


class ReverseInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=200)
    reversed_on = serializers.DateField(required=False)


class ReceiptSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    gross_amount = money_field(read_only=True)
    case_costs = money_field(read_only=True)
    net_amount = money_field(read_only=True)

    class Meta:
        model = Receipt
        fields = [
            "id",
            "fund",
            "received_on",
            "property_kind",
            "description",
            "case_reference",
            "gross_amount",
            "case_costs",
            "net_amount",
            "from_held_cash",
            "entry",
            "distribution",
        ]


class ReceiptInputSerializer(serializers.Serializer):
    fund = serializers.SlugField()
    received_on = serializers.DateField()
    property_kind = serializers.ChoiceField(choices=PropertyKind.choices)
    description = serializers.CharField(max_length=300)
    case_reference = serializers.CharField(max_length=100, required=False, default="")
    gross_amount = money_field()
    case_costs = money_field(default="0.00")
    from_held_cash = serializers.BooleanField(default=False)
    source_type = serializers.CharField(max_length=60, required=False, default="")
    source_id = serializers.CharField(max_length=64, required=False, default="")


class AllocationSerializer(serializers.ModelSerializer):
    fund = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    program = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    share = serializers.CharField(source="share.name")
    fiscal_year = serializers.CharField(source="fiscal_year.name")
    allocated = money_field(read_only=True)
    paid = money_field(read_only=True)
    available = money_field(read_only=True)

    class Meta:
        model = Allocation
        fields = [
            "id",
            "fund",
            "program",
            "share",
            "fiscal_year",
            "purpose",
            "allocated",
            "paid",
            "available",
        ]


class AllocationInputSerializer(serializers.Serializer):
    fund = serializers.SlugField()
    program = serializers.SlugRelatedField(slug_field="slug", queryset=Program.objects.all())
    share = serializers.IntegerField(help_text="Id of one of the fund's distribution shares.")
    purpose = serializers.CharField(max_length=300)
    amount = money_field()
    allocated_on = serializers.DateField()


class PaymentSerializer(serializers.ModelSerializer):
    amount = money_field(read_only=True)

    class Meta:
        model = Payment
        fields = ["id", "allocation", "entry", "amount", "payee", "reference", "paid_on"]


class PaymentInputSerializer(serializers.Serializer):
    allocation = serializers.IntegerField()
    amount = money_field()
    payee = serializers.CharField(max_length=200)
    reference = serializers.CharField(max_length=100, required=False, default="")
    paid_on = serializers.DateField()
    source_type = serializers.CharField(max_length=60, required=False, default="")
    source_id = serializers.CharField(max_length=64, required=False, default="")
