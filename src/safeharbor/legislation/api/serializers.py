"""Serializers of the legislation API. Reads mirror the Open Civic Data bill shape (actions
with classifications, sponsorships, versions, documents, citations, related bills); writes
are validated here and carried out by the services."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from ..choices import ActionClassification, Chamber, PriorityLevel, Stance
from ..models import (
    AgendaItem,
    Bill,
    BillAction,
    BillCitation,
    BillDocument,
    BillPosition,
    BillSponsorship,
    Jurisdiction,
    LegislativeSession,
    Priority,
    Proposal,
    RelatedBill,
    Statute,
)
from ..selectors import summarize


class JurisdictionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Jurisdiction
        fields = ["id", "name", "ocd_id", "kind", "url"]


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = LegislativeSession
        fields = ["id", "jurisdiction", "identifier", "name", "start_date", "end_date"]


class StatuteSerializer(serializers.ModelSerializer):
    class Meta:
        model = Statute
        fields = [
            "id",
            "jurisdiction",
            "citation",
            "title_en",
            "title_es",
            "link",
            "summary_en",
            "summary_es",
        ]
        extra_kwargs = {"title_en": {"required": True, "allow_blank": False}}
        # Uniqueness is checked by the service (inside its transaction).
        validators: list[Any] = []


class SponsorshipSerializer(serializers.ModelSerializer):
    primary = serializers.BooleanField(read_only=True)

    class Meta:
        model = BillSponsorship
        fields = ["name", "entity_type", "classification", "primary"]


class ActionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillAction
        fields = ["id", "date", "description", "chamber", "organization", "classifications"]
        fields += ["order"]
        read_only_fields = ["id", "order"]


class ActionCreateSerializer(serializers.Serializer):
    date = serializers.RegexField(
        r"^\d{4}(-\d{2}(-\d{2})?)?$", max_length=10, help_text="YYYY-MM-DD, YYYY-MM or YYYY."
    )
    description = serializers.CharField(max_length=500)
    chamber = serializers.ChoiceField(choices=Chamber.choices, required=False, allow_blank=True)
    organization = serializers.CharField(max_length=200, required=False, allow_blank=True)
    classifications = serializers.ListField(
        child=serializers.ChoiceField(choices=ActionClassification.choices),
        required=False,
        default=list,
    )


class DocumentSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillDocument
        fields = ["kind", "note", "date", "url", "media_type"]


class CitationSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillCitation
        fields = ["citation", "publication", "citation_type", "effective", "url", "statute"]


class RelatedBillSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelatedBill
        fields = ["identifier", "session_identifier", "relation_type", "related"]


class PositionSerializer(serializers.ModelSerializer):
    class Meta:
        model = BillPosition
        fields = ["stance", "priority", "rationale", "owner", "is_public", "updated_at"]
        read_only_fields = ["updated_at"]
        extra_kwargs = {
            "stance": {"choices": Stance.choices},
            "priority": {"choices": PriorityLevel.choices},
        }


class BillListSerializer(serializers.ModelSerializer):
    session = serializers.SlugRelatedField(slug_field="identifier", read_only=True)
    session_id = serializers.IntegerField(read_only=True)
    status = serializers.SerializerMethodField()
    latest_action = serializers.SerializerMethodField()
    stance = serializers.SerializerMethodField()

    class Meta:
        model = Bill
        fields = [
            "id",
            "session",
            "session_id",
            "identifier",
            "title",
            "chamber",
            "classification",
            "status",
            "latest_action",
            "stance",
        ]

    def get_status(self, bill: Bill) -> str:
        return summarize(bill).status.value

    def get_latest_action(self, bill: Bill) -> dict[str, Any] | None:
        action = summarize(bill).latest_action
        return ActionSerializer(action).data if action else None

    def get_stance(self, bill: Bill) -> str | None:
        position = getattr(bill, "position", None) if hasattr(bill, "position") else None
        return position.stance if position else None


class BillDetailSerializer(BillListSerializer):
    subjects = serializers.ListField(child=serializers.CharField())
    sponsorships = SponsorshipSerializer(many=True, read_only=True)
    actions = serializers.SerializerMethodField()
    versions = serializers.SerializerMethodField()
    documents = serializers.SerializerMethodField()
    citations = CitationSerializer(many=True, read_only=True)
    related_bills = RelatedBillSerializer(many=True, read_only=True)
    position = serializers.SerializerMethodField()

    class Meta(BillListSerializer.Meta):
        fields = [
            *BillListSerializer.Meta.fields,
            "subjects",
            "abstract",
            "summary_en",
            "summary_es",
            "ocd_id",
            "source_url",
            "sponsorships",
            "actions",
            "versions",
            "documents",
            "citations",
            "related_bills",
            "position",
        ]

    def get_actions(self, bill: Bill) -> list[dict[str, Any]]:
        return ActionSerializer(summarize(bill).timeline, many=True).data

    def get_versions(self, bill: Bill) -> list[dict[str, Any]]:
        return DocumentSerializer(
            [d for d in bill.documents.all() if d.kind == "version"], many=True
        ).data

    def get_documents(self, bill: Bill) -> list[dict[str, Any]]:
        return DocumentSerializer(
            [d for d in bill.documents.all() if d.kind == "document"], many=True
        ).data

    def get_position(self, bill: Bill) -> dict[str, Any] | None:
        position = getattr(bill, "position", None) if hasattr(bill, "position") else None
        return PositionSerializer(position).data if position else None


class BillWriteSerializer(serializers.ModelSerializer):
    subjects = serializers.ListField(child=serializers.CharField(max_length=200), default=list)

    class Meta:
        model = Bill
        fields = [
            "session",
            "identifier",
            "title",
            "chamber",
            "classification",
            "subjects",
            "abstract",
            "summary_en",
            "summary_es",
            "source_url",
        ]
        validators: list[Any] = []


class ProposalSerializer(serializers.ModelSerializer):
    class Meta:
        model = Proposal
        fields = ["id", "text_en", "text_es", "statutes", "bills", "order"]


class PrioritySerializer(serializers.ModelSerializer):
    proposals = ProposalSerializer(many=True, read_only=True)

    class Meta:
        model = Priority
        fields = [
            "id",
            "title_en",
            "title_es",
            "objective_en",
            "objective_es",
            "issue_en",
            "issue_es",
            "session",
            "bills",
            "is_public",
            "order",
            "proposals",
        ]
        extra_kwargs = {
            "title_en": {"required": True, "allow_blank": False},
            "objective_en": {"required": True, "allow_blank": False},
            "issue_en": {"required": True, "allow_blank": False},
        }


class AgendaItemSerializer(serializers.ModelSerializer):
    class Meta:
        model = AgendaItem
        fields = ["id", "event", "bill", "order", "description_en", "description_es"]
        extra_kwargs = {"order": {"required": False}}
        validators: list[Any] = []


class ImportRequestSerializer(serializers.Serializer):
    data = serializers.JSONField(
        help_text="An Open States / OCD bill, a list of bills, or an API v3 page."
    )
    jurisdiction = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="OCD jurisdiction id for bills that do not name one.",
    )


class ImportReportSerializer(serializers.Serializer):
    created = serializers.IntegerField()
    updated = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    sessions_created = serializers.ListField(child=serializers.CharField())
    notifications = serializers.IntegerField()
    bills = serializers.ListField(child=serializers.DictField())
