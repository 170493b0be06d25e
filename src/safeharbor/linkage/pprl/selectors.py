"""Reads of privacy-preserving rounds, through the permission engine."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from safeharbor.core.permissions import SYSTEM, role_allows, visible_categories

from ..counts import UniqueCount
from ..pipeline import COLUMNS
from ..records import linkage_fields
from .models import EncodingUpload, PrivateRound

__all__ = [
    "EXPORT_COLUMNS",
    "OwnRecords",
    "counted_rounds_for",
    "export_lines",
    "may_export_own_records",
    "own_records_for_encoding",
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


# The columns ``safeharbor encode`` reads (those of ``link-file``), plus ``consent`` for a
# VAWA-covered agency.
EXPORT_COLUMNS = [c for c in COLUMNS if c != "source"]
MULTI_SEPARATOR = ";"


@dataclass
class OwnRecords:
    """An agency's own person records that may be encoded (linkage rows with identity), and
    the references of those that may not: a VAWA-covered agency's people whose consent does
    not cover statistical linkage (they enter a count as a total only)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    withheld: list[str] = field(default_factory=list)


def may_export_own_records(membership: Any) -> bool:
    """Whether the membership may take its agency's records for encoding (an upload role
    that also reads person records)."""
    return (
        membership is not None
        and role_allows(membership, "linkage.encodingupload.add")
        and role_allows(membership, "survivors.person.view")
    )


def own_records_for_encoding(membership: Any) -> OwnRecords:
    """The membership's own agency's person records it may see with their identity, through
    the engine, as rows of ``EXPORT_COLUMNS`` (aliases and phones as lists). For a
    VAWA-covered agency only people with a consent in force for statistical use covering the
    statistical category are rows; the others are withheld (reference only)."""
    from safeharbor.survivors.choices import ConsentPurpose, DataCategory
    from safeharbor.survivors.models import Consent, Person

    people = list(
        Person.objects.visible_to(membership)
        .filter(agency_id=membership.agency_id)
        .select_related("agency")
        .order_by("pk")
    )
    people = [p for p in people if "identity" in visible_categories(membership, p)]
    withheld: list[str] = []
    if membership.agency.vawa_covered and people:
        now = timezone.now()
        today = timezone.localdate(now)
        consents = Consent.objects.visible_to(membership).filter(
            Q(revoked_at__isnull=True) | Q(revoked_at__gt=now),
            person_id__in=[p.pk for p in people],
            purpose=ConsentPurpose.STATISTICS,
            signed_on__lte=today,
            expires_on__gt=today,
        )
        consented = {
            pid
            for pid, categories in consents.values_list("person_id", "categories")
            if DataCategory.STATISTICAL in (categories or [])
        }
        withheld = [p.reference for p in people if p.pk not in consented]
        people = [p for p in people if p.pk in consented]
    rows = [{"record_id": p.reference, **linkage_fields(p)} for p in people]
    return OwnRecords(rows=rows, withheld=withheld)


def export_lines(records: OwnRecords, *, vawa: bool) -> tuple[list[str], list[list[Any]]]:
    """The CSV header and rows ``safeharbor encode`` reads: several aliases or phones joined
    with ';'. For a VAWA-covered agency a ``consent`` column: yes for the rows, and a row with
    the reference only and consent no for each withheld person (``encode --vawa`` counts them
    as totals only)."""
    header = [*EXPORT_COLUMNS, *(["consent"] if vawa else [])]
    lines = []
    for row in records.rows:
        line = [
            MULTI_SEPARATOR.join(row[c]) if isinstance(row[c], list) else row[c]
            for c in EXPORT_COLUMNS
        ]
        lines.append([*line, *(["yes"] if vawa else [])])
    if vawa:
        blank = [""] * (len(EXPORT_COLUMNS) - 1)
        lines.extend([reference, *blank, "no"] for reference in records.withheld)
    return header, lines
