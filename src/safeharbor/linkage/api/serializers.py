"""Serializers of the linkage API; hidden categories are left out of each record."""

from __future__ import annotations

from rest_framework import serializers

from safeharbor.core.protected_views import CategoryFilteredSerializerMixin

from ..choices import StatusFilter
from ..models import DuplicatePair, LinkageRun


class LinkageRunSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = LinkageRun
        fields = [
            "id",
            "agency",
            "status",
            "retrain",
            "threshold",
            "model_name",
            "counts",
            "timings",
            "job",
            "error",
            "created_at",
            "started_at",
            "finished_at",
        ]
        read_only_fields = fields


class StartRunSerializer(serializers.Serializer):
    retrain = serializers.BooleanField(default=False)


class CountQuerySerializer(serializers.Serializer):
    juveniles = serializers.BooleanField(default=True)
    status = serializers.ChoiceField(
        choices=StatusFilter.choices, default=StatusFilter.SUSPECTED_OR_CONFIRMED
    )
    start = serializers.DateField(required=False)
    end = serializers.DateField(required=False)
    year = serializers.IntegerField(required=False, min_value=1900, max_value=2100)
    agency = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), required=False
    )

    def validate(self, attrs: dict) -> dict:
        if attrs.get("start") and attrs.get("end") and attrs["start"] > attrs["end"]:
            raise serializers.ValidationError({"end": "The end date is before the start date."})
        if attrs.get("year") and (attrs.get("start") or attrs.get("end")):
            raise serializers.ValidationError({"year": "Give a year or dates, not both."})
        return attrs


class CountSerializer(serializers.Serializer):
    """A count as the caller may see it. With small cells suppressed, ``point``, ``lower``
    and ``upper`` are null when between 1 and 10, and ``text`` says "fewer than 11"."""

    label = serializers.CharField()
    text = serializers.CharField()
    point = serializers.IntegerField(allow_null=True)
    lower = serializers.IntegerField(allow_null=True)
    upper = serializers.IntegerField(allow_null=True)
    linked_records = serializers.IntegerField(allow_null=True)
    unlinkable_records = serializers.IntegerField(allow_null=True)
    suppressed = serializers.BooleanField()
    run = serializers.IntegerField(allow_null=True)


class DuplicatePairSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    person_a_reference = serializers.CharField(source="person_a.reference", read_only=True)
    person_b_reference = serializers.CharField(source="person_b.reference", read_only=True)

    class Meta:
        model = DuplicatePair
        fields = [
            "id",
            "agency",
            "person_a",
            "person_a_reference",
            "person_b",
            "person_b_reference",
            "match_probability",
            "status",
            "decided_by",
            "decided_at",
            "created_at",
        ]
        read_only_fields = fields
