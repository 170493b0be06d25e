from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse


def platform(request: HttpRequest) -> dict[str, Any]:
    """Values every template may use: demo mode, the active membership, navigation and the
    area the page belongs to (the longest area address the page's address starts with)."""
    membership = getattr(request, "membership", None)
    nav = []
    current = ""
    if membership is not None:
        from .registry import areas

        nav = [area for area in areas() if membership.has_perm(area.permission)]
        longest = 0
        for area in nav:
            address = reverse(area.url_name)
            if request.path.startswith(address) and len(address) > longest:
                current, longest = area.url_name, len(address)
    return {
        "DEMO_MODE": settings.DEMO_MODE,
        "membership": membership,
        "staff_nav": nav,
        "staff_nav_current": current,
    }
