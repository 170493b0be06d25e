"""Who may read and write the ledger: by role and agency (ledger data is not person data).

This is the one place the funds area asks permission questions, so that moving to the
platform's permission engine (``safeharbor.core.permissions``) is a change here only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet

from safeharbor.audit.choices import ActorKind

if TYPE_CHECKING:
    from safeharbor.accounts.models import Membership

    from .models import Fund

# Background jobs and the demo loader act as the system actor, without a membership.
SYSTEM = ActorKind.SYSTEM


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
    return actor == SYSTEM


def has_perm(membership: Membership | None, code: str) -> bool:
    """True when the membership's role allows the permission code ``funds.<model>.<action>``."""
    return membership is not None and membership.has_perm(code)


def require_perm(*, actor: Any, membership: Membership | None, code: str) -> None:
    if is_system(actor) and membership is None:
        return
    if not has_perm(membership, code):
        raise PermissionDenied(code)


def can_use_fund(membership: Membership | None, fund: Fund) -> bool:
    return membership is not None and membership.agency_id == fund.agency_id


def require_fund(*, actor: Any, membership: Membership | None, fund: Fund, code: str) -> None:
    """Permission ``code`` and the fund belongs to the membership's agency."""
    require_perm(actor=actor, membership=membership, code=code)
    if is_system(actor) and membership is None:
        return
    if not can_use_fund(membership, fund):
        raise PermissionDenied(code)


def visible_funds(membership: Membership | None, code: str = "funds.fund.view") -> QuerySet[Fund]:
    from .models import Fund

    if not has_perm(membership, code):
        return Fund.objects.none()
    assert membership is not None  # for the type checker
    return Fund.objects.filter(agency_id=membership.agency_id)
