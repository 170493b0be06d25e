"""Serializers of the referrals API; hidden categories are left out of each referral."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import Urgency
from ..models import Referral
from ..services import CATEGORY_CHOICES

MAX_ID = 2**31 - 1  # ids beyond this are not ids (and overflow some databases)


class ReferralSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    number = serializers.CharField(read_only=True)
    time_to_accept_seconds = serializers.SerializerMethodField()

    class Meta:
        model = Referral
        fields = [
            "id",
            "number",
            "person_reference",
            "agency",
            "to_agency",
            "to_program",
            "urgency",
            "state",
            "categories",
            "reason",
            "consent",
            "legal_basis",
            "decline_reason",
            "sent_at",
            "accepted_at",
            "closed_at",
            "time_to_accept_seconds",
            "receiving_person",
            "receiving_case",
        ]
        read_only_fields = fields

    def get_time_to_accept_seconds(self, obj: Referral) -> int | None:
        delta = obj.time_to_accept
        return int(delta.total_seconds()) if delta is not None else None

    def to_representation(self, instance: Referral) -> dict:
        data = super().to_representation(instance)
        membership = self.context.get("membership")
        # The receiving agency's own records mean nothing to the referrer, and the referring
        # person id is only useful to the referrer.
        if membership is not None and membership.agency_id != instance.to_agency_id:
            data.pop("receiving_person", None)
            data.pop("receiving_case", None)
        return data


class ReferralInputSerializer(serializers.Serializer):
    person = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="Your agency's person record id."
    )
    to_program = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    to_agency = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    reason = serializers.CharField()
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.ROUTINE)
    categories = serializers.ListField(child=serializers.ChoiceField(choices=CATEGORY_CHOICES))
    consent = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )

    def validate(self, attrs: dict) -> dict:
        if not attrs.get("to_program") and not attrs.get("to_agency"):
            raise serializers.ValidationError({"to_program": "Give a program or an agency."})
        return attrs


class DeclineSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=500)


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")
