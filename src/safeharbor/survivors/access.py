"""The one place this area asks the permission engine (``safeharbor.core.permissions``).

Views, API and services call these helpers; they never filter by agency or assignment
themselves.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import models

from safeharbor.core import permissions as engine


def visible(queryset: models.QuerySet, membership: Any, action: str = "view") -> models.QuerySet:
    """The rows of ``queryset`` the membership may ``action``."""
    return queryset.visible_to(membership, action)


def can(membership: Any, action: str, obj: models.Model) -> bool:
    return engine.can(membership, action, obj)


def require(membership: Any, action: str, obj: models.Model) -> str:
    """Raise ``PermissionDenied`` (recorded by the engine) unless allowed; return the source."""
    return engine.require(membership, action, obj)


def require_add(membership: Any, model: type[models.Model], **parent: Any) -> None:
    """Creating a record: a top-level one in the membership's agency, or a child of
    ``parent`` (e.g. ``person=person``) that the membership may add to."""
    if membership is None:
        raise PermissionDenied
    candidate = model(**parent) if parent else model(agency_id=membership.agency_id)
    engine.require(membership, "add", candidate)


def categories(membership: Any, obj: models.Model) -> frozenset[str]:
    """Which data categories of ``obj`` the membership may see."""
    return frozenset(engine.visible_categories(membership, obj))


def record_view(membership: Any, obj: models.Model) -> None:
    """Audit a read of one record (the engine records the fields shown and how)."""
    engine.record_view(membership, obj)


def record_list(membership: Any, model: type[models.Model], *, count: int) -> None:
    engine.record_list(membership, model, count=count)
