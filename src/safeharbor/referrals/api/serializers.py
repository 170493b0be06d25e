"""Serializers of the referrals API; hidden categories are left out of each referral."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.accounts.models import Program
from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import Urgency
from ..forms import running_programs
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


class ReferralSettingsSerializer(serializers.Serializer):
    """An agency's referral settings. Input ids are checked here; the service decides."""

    agency = serializers.CharField(source="agency.slug", read_only=True)
    designated_program = serializers.IntegerField(
        min_value=1,
        max_value=MAX_ID,
        allow_null=True,
        help_text="The program every victim contact is given information about (police).",
    )
    designated_program_name = serializers.CharField(read_only=True, allow_null=True)
    juvenile_legal_basis = serializers.CharField(
        max_length=300,
        allow_blank=True,
        help_text="Police and child welfare: the law they refer a young person on without consent.",
    )
    legal_basis_access_days = serializers.IntegerField(
        min_value=1, max_value=365, help_text="Days a legal-basis referral shares the record."
    )

    def to_representation(self, instance: dict) -> dict:
        program = instance.get("designated_program")
        return super().to_representation(
            {
                **instance,
                "designated_program": program.pk if program is not None else None,
                "designated_program_name": program.name if program is not None else None,
            }
        )

    def validate_designated_program(self, value: int | None) -> Program | None:
        if value is None:
            return None
        program = running_programs().filter(pk=value).first()
        if program is None:
            raise serializers.ValidationError("Choose a program that is running.")
        return program
