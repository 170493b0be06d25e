from __future__ import annotations

from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


class MeView(APIView):
    """The caller's identity as the API sees it: user, agency and role."""

    @extend_schema(
        responses=inline_serializer(
            "Me",
            {
                "user_id": serializers.IntegerField(),
                "email": serializers.EmailField(),
                "agency": serializers.CharField(),
                "role": serializers.CharField(),
                "scope": serializers.CharField(),
            },
        )
    )
    def get(self, request: Request) -> Response:
        membership = request._request.api_membership
        return Response(
            {
                "user_id": request.user.pk,
                "email": request.user.email,
                "agency": membership.agency.slug,
                "role": membership.role.slug,
                "scope": membership.effective_scope,
            }
        )
