"""Serializers of the seized-property API. Money is a string with two decimals; fields in a
data category the caller may not see are left out (``hidden_fields`` from the engine)."""

from __future__ import annotations

from decimal import Decimal

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import AssetKind, DispositionMethod, ForfeitureState, NoticeMethod
from ..models import CustodyEvent, Disposition, ForfeitureEvent, Lienholder, SeizedAsset

MAX_ID = 2**31 - 1


def money(**extra) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=14, decimal_places=2, min_value=Decimal("0"), **extra
    )


class LienholderSerializer(serializers.ModelSerializer):
    class Meta:
        model = Lienholder
        fields = ["id", "name", "amount_owed"]
        read_only_fields = fields


class CustodyEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = CustodyEvent
        fields = [
            "id",
            "sequence",
            "occurred_at",
            "from_custodian",
            "to_custodian",
            "location",
            "reason",
            "seal_number",
            "corrects",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class ForfeitureEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = ForfeitureEvent
        fields = [
            "id",
            "sequence",
            "from_state",
            "to_state",
            "occurred_on",
            "notice_recipients",
            "notice_method",
            "claimant",
            "court_case_number",
            "amount_forfeited",
            "notes",
            "recorded_by",
            "recorded_at",
        ]
        read_only_fields = fields


class DispositionSerializer(serializers.ModelSerializer):
    net_proceeds = serializers.DecimalField(max_digits=14, decimal_places=2, read_only=True)
    fund_entry = serializers.SerializerMethodField()

    class Meta:
        model = Disposition
        fields = [
            "id",
            "method",
            "disposed_on",
            "gross_proceeds",
            "towing_costs",
            "storage_costs",
            "auction_costs",
            "attorney_commission",
            "lien_paid",
            "net_proceeds",
            "sold_to",
            "notes",
            "fund_entry",
            "recorded_at",
        ]
        read_only_fields = fields

    def get_fund_entry(self, obj: Disposition) -> int | None:
        """The number of the fund's receipt entry, when proceeds were posted."""
        return obj.receipt.entry.number if obj.receipt_id else None


class SeizedAssetSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    subject_reference = serializers.CharField(source="subject.reference", read_only=True)
    custodian = serializers.CharField(read_only=True, allow_null=True)
    location = serializers.CharField(read_only=True, allow_null=True)
    allowed_next = serializers.SerializerMethodField()

    class Meta:
        model = SeizedAsset
        fields = [
            "id",
            "reference",
            "kind",
            "description",
            "investigation",
            "operation",
            "subject",
            "subject_reference",
            "contact",
            "seized_at",
            "seized_where",
            "seized_by",
            "estimated_value",
            "vin",
            "plate",
            "make",
            "model_name",
            "year",
            "imei",
            "serial_number",
            "cash_amount",
            "counted_by",
            "witnessed_by",
            "state",
            "allowed_next",
            "notice_due_on",
            "claim_deadline",
            "custodian",
            "location",
            "created_at",
        ]
        read_only_fields = fields

    def get_allowed_next(self, obj: SeizedAsset) -> list[str]:
        """The forfeiture states this property may move to next."""
        from ..services import allowed_next

        return list(allowed_next(obj.state))


class AssetDetailSerializer(SeizedAssetSerializer):
    liens = LienholderSerializer(many=True, read_only=True)
    custody_events = CustodyEventSerializer(many=True, read_only=True)
    forfeiture_events = ForfeitureEventSerializer(many=True, read_only=True)
    disposition = serializers.SerializerMethodField()

    class Meta(SeizedAssetSerializer.Meta):
        fields = [
            *SeizedAssetSerializer.Meta.fields,
            "liens",
            "custody_events",
            "forfeiture_events",
            "disposition",
        ]
        read_only_fields = fields

    @extend_schema_field(DispositionSerializer(allow_null=True))
    def get_disposition(self, obj: SeizedAsset) -> dict | None:
        disposition = Disposition.objects.filter(asset=obj).select_related("receipt__entry")
        first = disposition.first()
        return DispositionSerializer(first).data if first else None


class LienInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    amount_owed = money(required=False, allow_null=True)


class SeizureInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AssetKind.choices)
    description = serializers.CharField(max_length=300)
    subject = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="A buyer or exploiter of your agency."
    )
    investigation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    operation = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    contact = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    seized_at = serializers.DateTimeField()
    seized_where = serializers.CharField(max_length=120, required=False, default="")
    seized_by = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    estimated_value = money(required=False, default=Decimal("0.00"))
    vin = serializers.CharField(max_length=17, required=False, default="")
    plate = serializers.CharField(max_length=12, required=False, default="")
    make = serializers.CharField(max_length=40, required=False, default="")
    model_name = serializers.CharField(max_length=40, required=False, default="")
    year = serializers.IntegerField(min_value=1900, max_value=2100, required=False, allow_null=True)
    imei = serializers.CharField(max_length=17, required=False, default="")
    serial_number = serializers.CharField(max_length=60, required=False, default="")
    cash_amount = money(required=False, allow_null=True)
    counted_by = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    witnessed_by = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    lienholders = LienInputSerializer(many=True, required=False, default=list)
    custodian = serializers.CharField(max_length=120, required=False, default="")
    location = serializers.CharField(max_length=120, required=False, default="")
    seal_number = serializers.CharField(max_length=40, required=False, default="")


class CustodyInputSerializer(serializers.Serializer):
    to_custodian = serializers.CharField(max_length=120)
    location = serializers.CharField(max_length=120)
    reason = serializers.CharField(max_length=300)
    occurred_at = serializers.DateTimeField(required=False, allow_null=True)
    seal_number = serializers.CharField(max_length=40, required=False, default="")
    corrects = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )


class StepInputSerializer(serializers.Serializer):
    to_state = serializers.ChoiceField(choices=ForfeitureState.choices)
    occurred_on = serializers.DateField()
    notice_recipients = serializers.CharField(max_length=2000, required=False, default="")
    notice_method = serializers.ChoiceField(
        choices=NoticeMethod.choices, required=False, allow_blank=True, default=""
    )
    claimant = serializers.CharField(max_length=300, required=False, default="")
    court_case_number = serializers.CharField(max_length=60, required=False, default="")
    amount_forfeited = money(required=False, allow_null=True)
    notes = serializers.CharField(max_length=500, required=False, default="")


class DispositionInputSerializer(serializers.Serializer):
    method = serializers.ChoiceField(choices=DispositionMethod.choices)
    disposed_on = serializers.DateField()
    gross_proceeds = money(required=False, default=Decimal("0.00"))
    towing_costs = money(required=False, default=Decimal("0.00"))
    storage_costs = money(required=False, default=Decimal("0.00"))
    auction_costs = money(required=False, default=Decimal("0.00"))
    attorney_commission = money(required=False, default=Decimal("0.00"))
    lien_paid = money(required=False, default=Decimal("0.00"))
    sold_to = serializers.CharField(max_length=120, required=False, default="")
    notes = serializers.CharField(max_length=500, required=False, default="")


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()

    def validate(self, data: dict) -> dict:
        if data["end"] < data["start"]:
            raise serializers.ValidationError("The period must end on or after its start.")
        return data


class KindTotalSerializer(serializers.Serializer):
    kind = serializers.CharField()
    label = serializers.CharField()
    count = serializers.IntegerField()
    estimated_value = serializers.DecimalField(max_digits=14, decimal_places=2)


class SeizureReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    count = serializers.IntegerField()
    total_value = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_kind = KindTotalSerializer(many=True)
    rows = SeizedAssetSerializer(many=True)


class ShareAmountSerializer(serializers.Serializer):
    share = serializers.CharField()
    amount = serializers.DecimalField(max_digits=14, decimal_places=2)


class JudgmentRowSerializer(serializers.Serializer):
    asset = serializers.IntegerField(source="asset.pk")
    reference = serializers.CharField(source="asset.reference")
    judgment = serializers.CharField(source="judgment.to_state")
    judgment_on = serializers.DateField(source="judgment.occurred_on")
    court_case_number = serializers.CharField(source="judgment.court_case_number")
    disposition = DispositionSerializer(allow_null=True)
    split = serializers.SerializerMethodField()
    fund_entries = serializers.ListField(child=serializers.IntegerField())

    def get_split(self, row) -> list[dict]:
        return ShareAmountSerializer(
            [{"share": n, "amount": a} for n, a in row.split], many=True
        ).data


class JudgmentReportSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    gross = serializers.DecimalField(max_digits=16, decimal_places=2)
    costs = serializers.DecimalField(max_digits=16, decimal_places=2)
    net = serializers.DecimalField(max_digits=16, decimal_places=2)
    by_share = serializers.SerializerMethodField()
    rows = JudgmentRowSerializer(many=True)

    def get_by_share(self, report) -> list[dict]:
        return ShareAmountSerializer(
            [{"share": n, "amount": a} for n, a in report.by_share], many=True
        ).data
