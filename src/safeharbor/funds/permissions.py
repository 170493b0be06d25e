"""Who may read and write the ledger, through the platform's permission engine
(``safeharbor.core.permissions``): by role and agency — ledger data is not person data, so
there are no assignments or data categories. The fund is the root record; everything else
reaches its agency through the fund.

This is the one module of the funds area that asks permission questions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import QuerySet

from safeharbor.audit.choices import ActorKind
from safeharbor.core.actors import SYSTEM, SystemActor
from safeharbor.core.permissions import require, role_allows

if TYPE_CHECKING:
    from safeharbor.accounts.models import Membership

    from .models import Fund

__all__ = [
    "SYSTEM",
    "PostingSource",
    "has_perm",
    "is_system",
    "posting_source",
    "register_posting_source",
    "require_on",
    "visible",
    "visible_funds",
]


@dataclass(frozen=True)
class PostingSource:
    """Another area that posts to the fund (housing rental assistance, seized property), and
    the permission in that area that lets its staff post with that source."""

    source_type: str
    permission: str


_posting_sources: dict[str, PostingSource] = {}


def register_posting_source(source_type: str, *, permission: str) -> None:
    """Called from another area's ``AppConfig.ready``: staff holding ``permission`` may post
    entries whose source is ``source_type`` (for programs of their own agency)."""
    _posting_sources[source_type] = PostingSource(source_type=source_type, permission=permission)


def posting_source(source_type: str) -> PostingSource | None:
    return _posting_sources.get(source_type)


def is_system(actor: Any) -> bool:
    return isinstance(actor, SystemActor) or actor == ActorKind.SYSTEM


def subject_of(actor: Any, membership: Membership | None) -> Any:
    """The engine's subject: the membership, or SYSTEM for jobs and the demo loader."""
    if membership is None and is_system(actor):
        return SYSTEM
    return membership


def has_perm(membership: Membership | None, code: str) -> bool:
    """Whether the role allows ``funds.<model>.<action>`` at all (which pages and buttons to
    offer). Records are still checked one by one through the engine."""
    return (
        membership is not None
        and membership.is_active
        and role_allows(membership, code)  # honours "!pattern" denies
    )


def require_on(*, actor: Any, membership: Membership | None, action: str, obj: models.Model):
    """Raise ``PermissionDenied`` (audited by the engine) unless the subject may ``action``
    ``obj``. For ``add``, ``obj`` is an unsaved record attached to its fund."""
    subject = subject_of(actor, membership)
    if subject is None:
        raise PermissionDenied
    return require(subject, action, obj)


def visible(model: type[models.Model], membership: Any, action: str = "view") -> QuerySet[Any]:
    """``model.objects.visible_to(...)``: the one way this area lists ledger records."""
    return model._default_manager.visible_to(membership, action)  # type: ignore[attr-defined]


def visible_funds(membership: Membership | None, action: str = "view") -> QuerySet[Fund]:
    from .models import Fund

    return visible(Fund, membership, action)
