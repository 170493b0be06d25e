"""Reads of privacy-preserving rounds, through the permission engine."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safeharbor.core.permissions import SYSTEM

from ..counts import UniqueCount
from .models import EncodingUpload, PrivateRound

__all__ = [
    "counted_rounds_for",
    "participation",
    "round_count_of",
    "rounds_for",
    "uploads_of_agency",
]


def rounds_for(membership: Any) -> QuerySet[PrivateRound]:
    """Rounds the membership sees: its agency's own, and those its agency was invited to
    (through the invitation's grant)."""
    return PrivateRound.objects.visible_to(membership).select_related("agency")


def uploads_of_agency(membership: Any, round_: PrivateRound) -> QuerySet[EncodingUpload]:
    """The membership's agency's own uploads to the round (never another agency's)."""
    return (
        EncodingUpload.objects.visible_to(membership)
        .filter(round=round_, agency_id=membership.agency_id)
        .select_related("uploaded_by")
    )


def participation(round_: PrivateRound) -> list[dict[str, Any]]:
    """For each agency of the round (the coordinating one and the invited): whether it has
    encodings in the round and since when. Read as the system (one value per agency, no
    encodings, no record counts), so every participant sees who is still to upload."""
    active = dict(
        EncodingUpload.objects.visible_to(SYSTEM)
        .filter(round=round_, withdrawn_at__isnull=True)
        .values_list("agency_id", "uploaded_at")
    )
    agencies = [round_.agency, *round_.invited.order_by("name", "pk")]
    return [{"agency": agency, "uploaded_at": active.get(agency.pk)} for agency in agencies]


def round_count_of(round_: PrivateRound) -> UniqueCount | None:
    """The round's count as a ``UniqueCount`` (the same interval as the plaintext counts)."""
    if round_.people is None:
        return None
    return UniqueCount(
        point=round_.people,
        lower=round_.people_lower,
        upper=round_.people_upper,
        linked_records=round_.linked_records or 0,
        unlinkable_records=round_.totals_only_records or 0,
    )


def counted_rounds_for(membership: Any, *, limit: int = 3) -> list[dict[str, Any]]:
    """The latest counted rounds the membership sees, each with its count formatted as the
    plaintext counts are (small cells suppressed: a round spans several agencies)."""
    from django.utils.translation import gettext as _

    from ..counts import format_count

    rounds = rounds_for(membership).filter(people__isnull=False).order_by("-counted_at", "-id")
    rows = []
    for round_ in rounds[:limit]:
        count = round_count_of(round_)
        rows.append(
            {
                "round": round_,
                "text": format_count(
                    _("Unique people, %(title)s") % {"title": round_.title},
                    count,
                    suppress_small_cells=True,
                ),
            }
        )
    return rows
