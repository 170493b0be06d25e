"""Writes of privacy-preserving rounds: opening a round, uploading encodings, encoding an
agency's own platform records with a key entered for that moment, withdrawing, counting.

Every function checks the permission engine and writes its audit event in the same
transaction. None of them ever receives a name from another agency: an upload is a strict
encodings document (``document.parse_document``), and the count links encodings only.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core.permissions import STATISTICAL, grant_create, require, role_allows

from ..counts import unduplicated_count
from ..records import FIELDS_READ
from .document import DocumentError, parse_document
from .encoding import DEFAULT_SCHEMA, MIN_KEY_BYTES, key_fingerprint
from .matching import DEFAULT_LOWER, DEFAULT_THRESHOLD, link_encodings
from .models import EncodingUpload, PrivateRound, RoundStatus, UploadOrigin
from .selectors import OwnRecords, may_export_own_records, own_records_for_encoding

__all__ = [
    "export_own_records",
    "round_close",
    "round_count",
    "round_create",
    "upload_encodings",
    "upload_platform_records",
    "upload_withdraw",
]

# How long invited agencies see a round's count.
INVITATION_DAYS = 365


def _locked(queryset: Any, pk: int) -> Any:
    """The row of ``queryset`` (already narrowed by ``visible_to``) locked for update; locking
    the plain row keeps PostgreSQL away from the engine's outer joins."""
    if not queryset.filter(pk=pk).exists():
        raise PermissionDenied
    return queryset.model.objects.select_for_update().get(pk=pk)


def _membership_agency(membership: Any) -> Any:
    if membership is None:
        raise PermissionDenied
    return membership.agency


def round_create(
    *,
    membership: Any,
    title: str,
    key_fingerprint: str,
    invited: list[Any],
    threshold: float = DEFAULT_THRESHOLD,
    lower_threshold: float = DEFAULT_LOWER,
) -> PrivateRound:
    """Open a round owned by the membership's agency and invite agencies to it: each invited
    agency is granted sight of the round's count (its statistical category) for a year."""
    if membership is None or not role_allows(membership, "linkage.privateround.add"):
        raise PermissionDenied
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give the round a title.")})
    if len(key_fingerprint) != 16 or any(c not in "0123456789abcdef" for c in key_fingerprint):
        raise ValidationError(
            {"key_fingerprint": _("The key check value is 16 characters, 0-9 and a-f.")}
        )
    if not 0 < lower_threshold <= threshold < 1:
        raise ValidationError(_("Thresholds must satisfy 0 < best-match <= Dice threshold < 1."))
    owner = _membership_agency(membership)
    with transaction.atomic():
        round_ = PrivateRound.objects.create(
            agency=owner,
            created_by=membership.user,
            title=title,
            key_fingerprint=key_fingerprint,
            threshold=threshold,
            lower_threshold=lower_threshold,
        )
        others = sorted({a for a in invited if a.pk != owner.pk}, key=lambda a: a.pk)
        round_.invited.set(others)
        ends = timezone.now() + datetime.timedelta(days=INVITATION_DAYS)
        for agency in others:
            grant_create(
                subject=membership,
                obj=round_,
                grantee_agency=agency,
                categories=[STATISTICAL],
                ends_at=ends,
            )
        audit_record(
            action=AuditAction.CREATE,
            actor=membership,
            agency_id=owner.pk,
            obj=round_,
            fields=["title", "key_fingerprint", "invited", "threshold", "lower_threshold"],
        )
    return round_


def _open_round_for(membership: Any, round_id: int) -> PrivateRound:
    """The round, locked, if the membership may see it, its agency takes part and it is
    open; otherwise PermissionDenied or ValidationError."""
    round_ = _locked(PrivateRound.objects.visible_to(membership), round_id)
    agency_id = membership.agency_id
    if agency_id != round_.agency_id and not round_.invited.filter(pk=agency_id).exists():
        raise PermissionDenied
    if round_.status == RoundStatus.CLOSED:
        raise ValidationError(_("This round is closed; it takes no more encodings."))
    return round_


def _store_upload(
    *,
    membership: Any,
    round_: PrivateRound,
    document: Any,
    origin: str,
) -> EncodingUpload:
    if document.schema != DEFAULT_SCHEMA:
        raise ValidationError(
            _(
                "These encodings use a different schema from this platform's; encode again with "
                "the current 'safeharbor encode'."
            )
        )
    if document.key_fingerprint != round_.key_fingerprint:
        raise ValidationError(
            _(
                "These encodings were made with a different key (check value %(got)s; the round "
                "expects %(want)s). Use the key the agencies of this round share."
            )
            % {"got": document.key_fingerprint, "want": round_.key_fingerprint}
        )
    agency = membership.agency
    now = timezone.now()
    replaced = list(
        EncodingUpload.objects.select_for_update()
        .filter(round=round_, agency=agency, withdrawn_at__isnull=True)
        .order_by("pk")
    )
    for old in replaced:
        old.withdrawn_at = now
        old.save(update_fields=["withdrawn_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=membership,
            agency_id=agency.pk,
            obj=old,
            fields=["withdrawn_at"],
            reason="replaced by a newer upload",
        )
    upload = EncodingUpload.objects.create(
        round=round_,
        agency=agency,
        uploaded_by=membership.user,
        origin=origin,
        source_label=document.source,
        key_fingerprint=document.key_fingerprint,
        schema=document.schema.as_dict(),
        records=document.records,
        totals_only=document.totals_only,
        encodings=EncodingUpload.pack(document.packed),
    )
    if round_.status == RoundStatus.COUNTED:
        # The count no longer covers every upload: it must be taken again.
        round_.status = RoundStatus.OPEN
        round_.save(update_fields=["status"])
    audit_record(
        action=AuditAction.CREATE,
        actor=membership,
        agency_id=agency.pk,
        obj=upload,
        fields=["encodings", "records", "totals_only"],
        reason=origin,
    )
    return upload


def upload_encodings(*, membership: Any, round_id: int, data: Any) -> EncodingUpload:
    """Store an agency's encodings document (bytes, text or decoded JSON) in a round.

    Anything but a valid encodings document of the current schema and the round's key is
    refused with a ValidationError; a CSV, a list of names or any extra key never gets in.
    """
    if membership is None or not role_allows(membership, "linkage.encodingupload.add"):
        raise PermissionDenied
    try:
        document = parse_document(data)
    except DocumentError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    with transaction.atomic():
        round_ = _open_round_for(membership, round_id)
        return _store_upload(
            membership=membership, round_=round_, document=document, origin=UploadOrigin.FILE
        )


def _platform_rows(membership: Any) -> tuple[list[dict[str, Any]], int]:
    """The agency's own records that may be encoded, as linkage rows, and how many count as
    totals only (``selectors.own_records_for_encoding``)."""
    own = own_records_for_encoding(membership)
    rows = [{**row, "source": str(membership.agency_id)} for row in own.rows]
    return rows, len(own.withheld)


def export_own_records(*, membership: Any) -> OwnRecords:
    """The agency's own person records for its administrator to encode offline: read through
    the engine (identity category; consent-filtered for a VAWA-covered agency) and audited as
    an export (field names and the number of records, never values)."""
    if not may_export_own_records(membership):
        raise PermissionDenied
    with transaction.atomic():
        own = own_records_for_encoding(membership)
        audit_record(
            action=AuditAction.EXPORT,
            actor=membership,
            agency_id=membership.agency_id,
            object_type="survivors.person",
            object_id=len(own.rows),
            fields=FIELDS_READ,
            reason="records for offline privacy-preserving encoding",
        )
    return own


def upload_platform_records(
    *, membership: Any, round_id: int, key: str, source_label: str
) -> EncodingUpload:
    """Encode the agency's own person records on the platform with the shared key typed in
    for this moment, and store only the encodings. The key lives in this function's memory
    and is never saved, logged or audited; a wrong key is caught by the round's check value
    before anything is read."""
    from ..pipeline import records_to_table
    from .encode_command import encode_table

    if membership is None or not role_allows(membership, "linkage.encodingupload.add"):
        raise PermissionDenied
    secret = key.strip().encode()
    if len(secret) < MIN_KEY_BYTES:
        raise ValidationError({"key": [_("The key is at least 32 characters long.")]})
    with transaction.atomic():
        round_ = _open_round_for(membership, round_id)
        if key_fingerprint(secret) != round_.key_fingerprint:
            raise ValidationError(
                {"key": [_("This is not the key of this round (its check value differs).")]}
            )
        rows, totals_only = _platform_rows(membership)
        audit_record(
            action=AuditAction.LIST,
            actor=membership,
            agency_id=membership.agency_id,
            object_type="survivors.person",
            object_id=len(rows),
            fields=FIELDS_READ,
            reason="privacy-preserving round encoding",
        )
        if rows:
            table = records_to_table(rows)
        else:
            import pyarrow as pa

            from ..pipeline import COLUMNS

            table = pa.table({c: pa.array([], pa.string()) for c in COLUMNS})
        data = encode_table(table, secret, source=source_label, totals_only=totals_only)
        del secret
        document = parse_document(data)
        return _store_upload(
            membership=membership, round_=round_, document=document, origin=UploadOrigin.PLATFORM
        )


def upload_withdraw(*, membership: Any, upload_id: int) -> EncodingUpload:
    """Take an upload out of its round (it is no longer counted)."""
    with transaction.atomic():
        upload = _locked(EncodingUpload.objects.visible_to(membership, "withdraw"), upload_id)
        if upload.withdrawn_at is None:
            upload.withdrawn_at = timezone.now()
            upload.save(update_fields=["withdrawn_at"])
            round_ = PrivateRound.objects.select_for_update().get(pk=upload.round_id)
            if round_.status == RoundStatus.COUNTED:
                round_.status = RoundStatus.OPEN
                round_.save(update_fields=["status"])
            audit_record(
                action=AuditAction.UPDATE,
                actor=membership,
                agency_id=upload.agency_id,
                obj=upload,
                fields=["withdrawn_at"],
            )
    return upload


def round_count(*, membership: Any, round_id: int) -> PrivateRound:
    """Link the round's current encodings (nobody counted twice, within or across agencies)
    and keep the count with its interval: the totals-only records are the unlinkable part."""
    import numpy as np

    with transaction.atomic():
        round_ = _locked(PrivateRound.objects.visible_to(membership, "count"), round_id)
        require(membership, "count", round_)
        uploads = list(round_.uploads.filter(withdrawn_at__isnull=True).order_by("agency_id", "pk"))
        if not uploads:
            raise ValidationError(_("No agency has uploaded encodings to this round yet."))
        current = DEFAULT_SCHEMA.as_dict()
        outdated = sorted({u.source_label for u in uploads if u.schema != current})
        if outdated:
            # Encodings of another schema are not comparable with the current ones.
            raise ValidationError(
                _(
                    "Encodings made by an earlier version of 'safeharbor encode' cannot be "
                    "counted with the others: %(sources)s must encode again and upload."
                )
                % {"sources": ", ".join(outdated)}
            )
        parts = [u.unpack() for u in uploads]
        packed = np.concatenate(parts)
        sources = [str(u.agency_id) for u, part in zip(uploads, parts, strict=True) for _ in part]
        result = link_encodings(
            packed, sources, threshold=round_.threshold, lower=round_.lower_threshold
        )
        count = unduplicated_count(
            result.cluster_ids.tolist(), unlinkable_records=sum(u.totals_only for u in uploads)
        )
        round_.people = count.point
        round_.people_lower = count.lower
        round_.people_upper = count.upper
        round_.linked_records = count.linked_records
        round_.totals_only_records = count.unlinkable_records
        round_.pairs_compared = result.pairs_compared
        round_.status = RoundStatus.COUNTED
        round_.counted_at = timezone.now()
        round_.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=membership,
            agency_id=round_.agency_id,
            obj=round_,
            fields=["people", "people_lower", "people_upper", "status"],
            reason="counted",
        )
    return round_


def round_close(*, membership: Any, round_id: int) -> PrivateRound:
    """Close a round: it takes no more encodings; its count stays."""
    with transaction.atomic():
        round_ = _locked(PrivateRound.objects.visible_to(membership, "change"), round_id)
        round_.status = RoundStatus.CLOSED
        round_.save(update_fields=["status"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=membership,
            agency_id=round_.agency_id,
            obj=round_,
            fields=["status"],
        )
    return round_
