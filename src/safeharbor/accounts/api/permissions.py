from __future__ import annotations

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request


class IsVerifiedStaff(BasePermission):
    """Authenticated by a verified session or a token, with an active membership."""

    message = "Sign in with your one-time code, or use a valid API token."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated):
            return False
        return getattr(request._request, "api_membership", None) is not None
