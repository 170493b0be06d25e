"""Typing for requests that have passed the staff gate: a signed-in user, the active
membership (or None), and django-htmx's details."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.http import HttpRequest

if TYPE_CHECKING:
    from django_htmx.middleware import HtmxDetails

    from safeharbor.accounts.models import Membership, User


class StaffRequest(HttpRequest):
    """Annotation-only: staff views take this instead of ``HttpRequest``."""

    user: User  # type: ignore[assignment]
    membership: Membership | None
    htmx: HtmxDetails
    request_id: str
