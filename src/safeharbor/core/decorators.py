"""View decorators shared by the staff areas."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse

from .http import StaffRequest
from .permissions import engine

__all__ = ["requires"]

View = Callable[..., HttpResponse]


def requires(*codes: str) -> Callable[[View], View]:
    """Refuse (403) unless the active membership's role allows at least one of ``codes``
    (no membership, or one no longer active, is refused).

    A first gate for a page; what the page then shows still comes from the permission
    engine's ``visible_to`` / ``require`` for each record.
    """
    if not codes:
        raise ValueError("requires() needs at least one permission code")

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: StaffRequest, *args: Any, **kwargs: Any) -> HttpResponse:
            membership = request.membership
            if (
                membership is None
                or not membership.is_active
                or not any(engine.role_allows(membership, c) for c in codes)
            ):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
