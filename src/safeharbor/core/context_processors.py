from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest


def platform(request: HttpRequest) -> dict[str, Any]:
    """Values every template may use: demo mode, the active membership and navigation."""
    membership = getattr(request, "membership", None)
    nav = []
    if membership is not None:
        from .registry import areas

        nav = [area for area in areas() if membership.has_perm(area.permission)]
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "membership": membership,
        "staff_nav": nav,
    }
