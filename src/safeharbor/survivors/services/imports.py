"""Importing survivors from another system's CSV: all rows or none."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from safeharbor.audit.choices import AuditAction
from safeharbor.audit.services import audit_record

from ..choices import IdentificationBasis
from ..importer import ImportRow, RowError, parse_survivor_csv
from ..models import Person
from ._common import actor_of
from .identification import identification_record
from .persons import person_create


@dataclass
class ImportOutcome:
    """What an import did (or, on a dry run or with errors, would have done)."""

    rows: int = 0
    created: int = 0
    identifications: int = 0
    dry_run: bool = False
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _DryRun(Exception):
    """Raised inside the transaction to roll a dry run back."""


def _existing_record_ids(agency: Any, rows: list[ImportRow]) -> list[RowError]:
    ids = [row.record_id for row in rows]
    taken: set[str] = set()
    for start in range(0, len(ids), 500):
        taken.update(
            Person.objects.filter(
                agency=agency, source_record_id__in=ids[start : start + 500]
            ).values_list("source_record_id", flat=True)
        )
    return [
        RowError(row.line, "record_id", _("This record_id was already imported for this agency."))
        for row in rows
        if row.record_id in taken
    ]


def survivors_import(
    *, membership: Any, agency: Any, stream: IO[str] | str, dry_run: bool = False
) -> ImportOutcome:
    """Check every row; if all are good (and it is not a dry run) create every person, each
    with its identification, in one transaction. ``membership`` None means an operator at
    the command line (audited as the system actor)."""
    if membership is not None and (
        membership.agency_id != agency.pk or not membership.has_perm("survivors.person.add")
    ):
        raise PermissionDenied
    parsed = parse_survivor_csv(stream)
    outcome = ImportOutcome(rows=len(parsed.rows), dry_run=dry_run, errors=list(parsed.errors))
    outcome.errors += _existing_record_ids(agency, parsed.rows)
    outcome.errors.sort(key=lambda e: (e.line, e.column))
    if outcome.errors:
        return outcome
    try:
        with transaction.atomic():
            for row in parsed.rows:
                person = person_create(
                    membership=membership,
                    agency=agency,
                    values={
                        "source_record_id": row.record_id,
                        "given_name": row.given_name,
                        "family_name": row.family_name,
                        "aliases": row.aliases,
                        "dob": row.dob,
                        "sex": row.sex,
                        "phones": row.phones,
                        "address": row.address,
                        "city": row.city,
                        "postcode": row.postcode,
                    },
                )
                outcome.created += 1
                if row.identification_status and row.identification_date:
                    identification_record(
                        membership=membership,
                        person=person,
                        status=row.identification_status,
                        identified_on=row.identification_date,
                        basis=IdentificationBasis.REFERRAL,
                    )
                    outcome.identifications += 1
            audit_record(
                action=AuditAction.CREATE,
                actor=actor_of(membership),
                agency_id=agency.pk,
                object_type="survivors.import",
                object_id=outcome.created,
                reason="survivors import",
            )
            if dry_run:
                raise _DryRun
    except _DryRun:
        pass
    return outcome
