"""Registration of this area's models with the permission engine.

A person's children (identifications, screenings, cases and what belongs to them, consents,
missing episodes) take their agency, assignment, grants and break-glass from the person.
"""

from __future__ import annotations

from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL, register_protected

from .models import (
    Case,
    CaseNote,
    CaseService,
    Consent,
    ConsentSigner,
    Identification,
    IdentificationStatusChange,
    MissingEpisode,
    Person,
    Screening,
)
from .models.person import CASE_FIELDS, IDENTITY_FIELDS, STATISTICAL_FIELDS


def register() -> None:
    register_protected(
        Person,
        agency_field="agency",
        assigned_fields=("assigned_to", "created_by"),
        categories={
            IDENTITY: IDENTITY_FIELDS,
            CASE: CASE_FIELDS,
            STATISTICAL: STATISTICAL_FIELDS,
        },
    )
    register_protected(
        Identification,
        parent="person",
        categories={
            CASE: ["basis", "screening"],
            STATISTICAL: [
                "status",
                "identified_on",
                "trafficking_type",
                "juvenile_at_identification",
            ],
        },
    )
    register_protected(
        IdentificationStatusChange,
        parent="identification",
        categories={CASE: ["note"], STATISTICAL: ["status", "changed_on"]},
    )
    register_protected(
        Screening,
        parent="person",
        categories={CASE: ["answers", "score", "note"], STATISTICAL: ["band", "screened_on"]},
    )
    register_protected(
        Case,
        parent="person",
        categories={
            CASE: ["needs", "goals", "safety_plan", "close_note", "assigned_to"],
            STATISTICAL: ["status", "opened_on", "closed_on", "close_reason"],
        },
        actions=("approve",),
    )
    register_protected(
        CaseService,
        parent="case",
        categories={
            CASE: ["note", "provider"],
            STATISTICAL: ["service_type", "status", "delivered_on"],
        },
    )
    register_protected(CaseNote, parent="case", categories={CASE: ["body"]})
    register_protected(
        Consent,
        parent="person",
        categories={
            CASE: ["revocation_note", "purpose_detail"],
            STATISTICAL: ["categories", "purpose", "signed_on", "expires_on"],
        },
    )
    register_protected(
        ConsentSigner, parent="consent", categories={IDENTITY: ["name", "relationship"]}
    )
    register_protected(
        MissingEpisode,
        parent="person",
        categories={
            CASE: ["circumstances", "police_report_number", "ncmec_case_number"],
            STATISTICAL: ["learned_at", "police_reported_at", "ncmec_reported_at", "returned_at"],
        },
    )
