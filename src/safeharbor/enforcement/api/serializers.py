"""Serializers of the enforcement API. Fields in a data category the caller may not see
are left out of each record (``hidden_fields`` from the permission engine)."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import ContactRole, InvestigationStatus, OperationKind, ReferralDecision
from ..models import Arrest, Charge, Contact, FollowUp, Investigation, Operation, Subject

MAX_ID = 2**31 - 1  # ids beyond this are not ids (and overflow some databases)


class ProtectedSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    """Drops the fields of categories the caller may not see."""


class OperationSerializer(ProtectedSerializer):
    class Meta:
        model = Operation
        fields = [
            "id",
            "name",
            "kind",
            "started_on",
            "ended_on",
            "general_area",
            "status",
            "lead",
            "participants",
            "after_action_summary",
            "created_at",
        ]
        read_only_fields = fields


class OperationInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=120)
    kind = serializers.ChoiceField(choices=OperationKind.choices)
    started_on = serializers.DateField()
    general_area = serializers.CharField(max_length=120)
    lead = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, help_text="User id of the lead, in your agency."
    )


class ContactSerializer(ProtectedSerializer):
    class Meta:
        model = Contact
        fields = [
            "id",
            "operation",
            "role",
            "contacted_at",
            "subject",
            "program_informed",
            "program_info_given",
            "referral_decision",
            "notes",
            "created_at",
        ]
        read_only_fields = fields


class ContactInputSerializer(serializers.Serializer):
    operation = serializers.IntegerField(min_value=1, max_value=MAX_ID)
    role = serializers.ChoiceField(choices=ContactRole.choices)
    contacted_at = serializers.DateTimeField()
    subject = serializers.IntegerField(
        min_value=1, max_value=MAX_ID, required=False, allow_null=True
    )
    program_info_given = serializers.BooleanField(default=False)
    referral_decision = serializers.ChoiceField(
        choices=ReferralDecision.choices, required=False, allow_blank=True, default=""
    )
    notes = serializers.CharField(required=False, allow_blank=True, default="")


class FollowUpSerializer(ProtectedSerializer):
    class Meta:
        model = FollowUp
        fields = ["id", "contact", "occurred_on", "kind", "notes", "created_at"]
        read_only_fields = fields


class SubjectSerializer(ProtectedSerializer):
    class Meta:
        model = Subject
        fields = [
            "id",
            "reference",
            "kind",
            "given_name",
            "family_name",
            "aliases",
            "dob",
            "description",
            "created_at",
        ]
        read_only_fields = fields


class ChargeSerializer(ProtectedSerializer):
    class Meta:
        model = Charge
        fields = ["id", "arrest", "statute", "citation", "description", "status", "charged_on"]
        read_only_fields = fields


class ArrestSerializer(ProtectedSerializer):
    charges = ChargeSerializer(many=True, read_only=True)

    class Meta:
        model = Arrest
        fields = [
            "id",
            "subject",
            "operation",
            "investigation",
            "arrested_at",
            "arresting_officer",
            "general_area",
            "charges",
        ]
        read_only_fields = fields


class InvestigationSerializer(ProtectedSerializer):
    class Meta:
        model = Investigation
        fields = [
            "id",
            "case_number",
            "title",
            "status",
            "opened_on",
            "closed_on",
            "lead_detective",
            "detectives",
            "operations",
            "subjects",
            "summary",
        ]
        read_only_fields = fields


class InvestigationStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=InvestigationStatus.choices)
    closed_on = serializers.DateField(required=False, allow_null=True)


class FiguresSerializer(serializers.Serializer):
    victims_contacted = serializers.IntegerField()
    information_given = serializers.IntegerField()
    information_given_percent = serializers.IntegerField(allow_null=True)
    referrals_offered = serializers.IntegerField()
    referrals_made = serializers.IntegerField()
    referrals_accepted = serializers.IntegerField()
    buyers_arrested = serializers.IntegerField()
    exploiters_charged = serializers.IntegerField()


class PeriodSerializer(serializers.Serializer):
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
