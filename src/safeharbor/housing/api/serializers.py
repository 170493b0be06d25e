"""Serializers of the housing API. Fields of categories the caller may not see are left
out of each record; a unit's address and landlord appear only to those who may see them."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import Destination
from ..models import AssistancePayment, HousingProgram, Placement, Unit

MAX_ID = 2**31 - 1
MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0, "coerce_to_string": True}


class HousingProgramSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="program.name", read_only=True)
    agency = serializers.IntegerField(source="program.agency_id", read_only=True)

    class Meta:
        model = HousingProgram
        fields = ["id", "program", "name", "agency", "project_type", "partners", "allows_juveniles"]
        read_only_fields = fields


class UnitSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = Unit
        fields = ["id", "agency", "address", "landlord_name", "landlord_contact", "bedrooms"]
        read_only_fields = ["id", "agency"]


class PlacementSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    person_reference = serializers.SerializerMethodField()
    destination_group = serializers.CharField(read_only=True)

    class Meta:
        model = Placement
        fields = [
            "id",
            "agency",
            "person",
            "person_reference",
            "program",
            "partner_agency",
            "partner_caseworker",
            "unit",
            "referral_on",
            "start_on",
            "move_in_on",
            "lease_in_own_name",
            "lease_start_on",
            "lease_months",
            "rent",
            "assistance_months",
            "assistance_monthly",
            "participant_share",
            "income_start",
            "income_annual",
            "income_annual_on",
            "income_exit",
            "exit_on",
            "destination",
            "destination_group",
            "returned_homeless_on",
        ]
        read_only_fields = fields

    def get_person_reference(self, obj: Placement) -> str | None:
        return obj.person.reference

    def to_representation(self, instance: Placement) -> dict:
        data = super().to_representation(instance)
        if "person" not in data:  # the identity category is hidden: so is the reference
            data.pop("person_reference", None)
        return data


class PlacementInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    program = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    partner_agency = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    partner_caseworker = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    referral_on = serializers.DateField()
    start_on = serializers.DateField()
    move_in_on = serializers.DateField(required=False, allow_null=True)
    lease_start_on = serializers.DateField(required=False, allow_null=True)
    lease_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    rent = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    assistance_months = serializers.IntegerField(min_value=1, max_value=36)
    assistance_monthly = serializers.DecimalField(**MONEY)
    participant_share = serializers.DecimalField(required=False, default="0.00", **MONEY)
    income_start = serializers.DecimalField(required=False, allow_null=True, **MONEY)


class PlacementUpdateSerializer(serializers.Serializer):
    move_in_on = serializers.DateField(required=False, allow_null=True)
    unit = serializers.IntegerField(min_value=1, max_value=MAX_ID, required=False, allow_null=True)
    lease_start_on = serializers.DateField(required=False, allow_null=True)
    lease_months = serializers.IntegerField(
        min_value=1, max_value=120, required=False, allow_null=True
    )
    rent = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    assistance_months = serializers.IntegerField(min_value=1, max_value=36, required=False)
    assistance_monthly = serializers.DecimalField(required=False, **MONEY)
    participant_share = serializers.DecimalField(required=False, **MONEY)
    income_annual = serializers.DecimalField(required=False, allow_null=True, **MONEY)
    income_annual_on = serializers.DateField(required=False, allow_null=True)


class ExitSerializer(serializers.Serializer):
    exit_on = serializers.DateField()
    destination = serializers.ChoiceField(choices=Destination.choices)
    income_exit = serializers.DecimalField(required=False, allow_null=True, **MONEY)


class UnitInputSerializer(serializers.Serializer):
    address = serializers.CharField(max_length=300)
    landlord_name = serializers.CharField(max_length=200)
    landlord_contact = serializers.CharField(max_length=200, required=False, default="")
    bedrooms = serializers.IntegerField(min_value=0, max_value=20, default=1)


class AssistancePaymentSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = AssistancePayment
        fields = [
            "id",
            "placement",
            "month",
            "sequence",
            "amount",
            "status",
            "approved_by",
            "paid_by",
            "paid_on",
            "ledger_payment",
        ]
        read_only_fields = fields


class PaySerializer(serializers.Serializer):
    allocation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    paid_on = serializers.DateField()


class MeasureSerializer(serializers.Serializer):
    label = serializers.CharField()
    value = serializers.CharField()


class OutcomesSerializer(serializers.Serializer):
    start = serializers.DateField()
    end = serializers.DateField()
    suppressed = serializers.BooleanField()
    measures = MeasureSerializer(many=True)
