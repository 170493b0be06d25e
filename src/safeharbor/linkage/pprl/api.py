"""REST API of privacy-preserving rounds (/api/v1/linkage/private/): rounds the caller sees,
opening and counting rounds, and uploading an agency's encodings document (the JSON
``safeharbor encode`` writes, as the request body; anything else is refused with 400)."""

from __future__ import annotations

from typing import Any

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied as DRFPermissionDenied
from rest_framework.request import Request
from rest_framework.response import Response

from safeharbor.accounts.models import Agency
from safeharbor.core.permissions import role_allows
from safeharbor.core.protected_views import (
    CategoryFilteredSerializerMixin,
    ProtectedViewSetMixin,
    api_membership,
)

from . import services
from .matching import DEFAULT_LOWER, DEFAULT_THRESHOLD
from .models import EncodingUpload, PrivateRound


class PrivateRoundSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = PrivateRound
        fields = [
            "id",
            "title",
            "agency",
            "key_fingerprint",
            "invited",
            "status",
            "threshold",
            "lower_threshold",
            "created_at",
            "counted_at",
            "people",
            "people_lower",
            "people_upper",
            "linked_records",
            "totals_only_records",
            "pairs_compared",
        ]
        read_only_fields = fields


MAX_ID = 2**31 - 1  # ids beyond this are not ids (and overflow some databases)


class PrivateRoundInputSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=200)
    key_fingerprint = serializers.RegexField(r"^[0-9a-f]{16}$")
    invited = serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=MAX_ID),
        max_length=200,
        help_text="Ids of the agencies taking part.",
    )

    def validate_invited(self, value: list[int]) -> list[Agency]:
        agencies = list(Agency.objects.filter(is_active=True, pk__in=set(value)))
        if len(agencies) != len(set(value)):
            raise serializers.ValidationError("Every id must be an active agency.")
        return agencies

    threshold = serializers.FloatField(default=DEFAULT_THRESHOLD, min_value=0.01, max_value=0.99)
    lower_threshold = serializers.FloatField(default=DEFAULT_LOWER, min_value=0.01, max_value=0.99)


class EncodingUploadSerializer(CategoryFilteredSerializerMixin, serializers.ModelSerializer):
    class Meta:
        model = EncodingUpload
        fields = [
            "id",
            "round",
            "agency",
            "origin",
            "source_label",
            "key_fingerprint",
            "records",
            "totals_only",
            "uploaded_at",
            "withdrawn_at",
        ]
        read_only_fields = fields


DOCUMENT_EXAMPLE = OpenApiExample(
    "An encodings document (shortened)",
    value={
        "format": "safeharbor-pprl-encodings",
        "format_version": 1,
        "schema": {"version": 2, "bits": 1024, "output_bits": 1024, "...": "..."},
        "key_fingerprint": "6e2d4b3fe227df7c",
        "source": "agency_a",
        "created": "2026-11-29T03:00:00+00:00",
        "records": 1,
        "totals_only": 0,
        "encodings": [{"id": "A0000001", "clk": "<base64 of 128 bytes>"}],
    },
    request_only=True,
)


class PrivateRoundViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """Privacy-preserving rounds the caller's agency runs or was invited to."""

    queryset = PrivateRound.objects.select_related("agency").prefetch_related("invited")
    serializer_class = PrivateRoundSerializer
    lookup_value_regex = r"[0-9]{1,9}"

    @property
    def membership(self) -> Any:
        return api_membership(self.request)

    def engine_action(self) -> str:
        # Uploading needs only sight of the round; the service checks the rest.
        return "view" if self.action == "uploads" else super().engine_action()

    @extend_schema(request=PrivateRoundInputSerializer, responses={201: PrivateRoundSerializer})
    def create(self, request: Request) -> Response:
        """Open a round and invite agencies to it."""
        if self.membership is None or not role_allows(self.membership, "linkage.privateround.add"):
            raise DRFPermissionDenied
        data = PrivateRoundInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        round_ = services.round_create(membership=self.membership, **data.validated_data)
        return Response(self.get_serializer(round_).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: PrivateRoundSerializer})
    @action(detail=True, methods=["post"])
    def count(self, request: Request, pk: str) -> Response:
        """Link the round's encodings and keep the count with its interval."""
        round_ = get_object_or_404(self.get_queryset(), pk=pk)
        round_ = services.round_count(membership=self.membership, round_id=round_.pk)
        return Response(self.get_serializer(round_).data)

    @extend_schema(
        request=OpenApiTypes.OBJECT,
        responses={201: EncodingUploadSerializer},
        examples=[DOCUMENT_EXAMPLE],
        description=(
            "The request body is the encodings document written by 'safeharbor encode', "
            "exactly: any other key, type or value (a name, a spreadsheet) is refused with 400."
        ),
    )
    @action(detail=True, methods=["post"])
    def uploads(self, request: Request, pk: str) -> Response:
        """Put the caller's agency's encodings in the round (replacing an earlier upload)."""
        round_ = get_object_or_404(self.get_queryset(), pk=pk)
        upload = services.upload_encodings(
            membership=self.membership, round_id=round_.pk, data=request.data
        )
        return Response(
            EncodingUploadSerializer(upload, context=self.get_serializer_context()).data,
            status=status.HTTP_201_CREATED,
        )


class EncodingUploadViewSet(
    ProtectedViewSetMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    """The caller's agency's encoding uploads (never the encodings themselves)."""

    queryset = EncodingUpload.objects.all()
    serializer_class = EncodingUploadSerializer
    lookup_value_regex = r"[0-9]{1,9}"

    @extend_schema(request=None, responses={200: EncodingUploadSerializer})
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Take the upload out of its round."""
        upload = get_object_or_404(self.get_queryset(), pk=pk)
        upload = services.upload_withdraw(membership=api_membership(request), upload_id=upload.pk)
        return Response(self.get_serializer(upload).data)
