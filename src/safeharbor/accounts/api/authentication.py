"""REST API authentication: a verified (MFA) browser session, or an agency-bound token."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework.request import Request

from ..models import ApiToken
from ..services import hash_token


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """Session authentication that only counts sessions past the code step."""

    def authenticate(self, request: Request) -> tuple[Any, None] | None:
        result = super().authenticate(request)
        if result is None:
            return None
        user, _auth = result
        if not getattr(user, "is_verified", lambda: False)():
            return None
        request._request.api_membership = getattr(request._request, "membership", None)
        return user, None


class ApiTokenAuthentication(authentication.BaseAuthentication):
    """``Authorization: Bearer sh_…``. The token acts as its membership's agency and role."""

    keyword = "Bearer"

    def authenticate(self, request: Request) -> tuple[Any, ApiToken] | None:
        header = authentication.get_authorization_header(request).decode("latin-1")
        if not header.startswith(self.keyword + " "):
            return None
        secret = header[len(self.keyword) + 1 :].strip()
        parts = secret.split("_")
        if len(parts) < 3 or parts[0] != "sh":
            raise exceptions.AuthenticationFailed("Invalid token.")
        token = (
            ApiToken.objects.select_related(
                "membership__user", "membership__agency", "membership__role"
            )
            .filter(prefix=parts[1], key_hash=hash_token(secret))
            .filter(Q(revoked_at__isnull=True), expires_at__gt=timezone.now())
            .first()
        )
        membership = token.membership if token else None
        if (
            token is None
            or membership is None
            or not membership.is_active
            or not membership.user.is_active
            or membership.user.locked_at is not None
        ):
            raise exceptions.AuthenticationFailed("Invalid or expired token.")
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
        request._request.api_membership = membership
        request._request.membership = membership
        return membership.user, token

    def authenticate_header(self, request: Request) -> str:
        return self.keyword
