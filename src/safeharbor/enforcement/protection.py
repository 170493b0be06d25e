"""Registration of this area's models with the permission engine.

Operations, subjects, investigations and the roster are owned by the unit's agency;
contacts and follow-ups belong to an operation, arrests and charges to a subject.
"""

from __future__ import annotations

from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL, register_protected

from .models import (
    Arrest,
    Charge,
    Contact,
    FollowUp,
    Investigation,
    Operation,
    Subject,
    UnitMember,
)


def register() -> None:
    register_protected(
        UnitMember,
        assigned_fields=("user", "created_by"),
        categories={CASE: ["badge_number"], STATISTICAL: ["rank", "is_active"]},
    )
    register_protected(
        Operation,
        assigned_fields=("lead", "created_by"),
        categories={
            CASE: ["general_area", "after_action_summary", "participants"],
            STATISTICAL: ["kind", "started_on", "status"],
        },
    )
    register_protected(
        Contact,
        parent="operation",
        categories={
            CASE: ["notes", "subject", "person", "referral"],
            STATISTICAL: [
                "role",
                "contacted_at",
                "program_informed",
                "program_info_given",
                "referral_decision",
            ],
        },
    )
    register_protected(
        FollowUp,
        parent="contact",
        categories={CASE: ["notes"], STATISTICAL: ["occurred_on", "kind"]},
    )
    register_protected(
        Subject,
        assigned_fields=("created_by",),
        categories={
            IDENTITY: ["given_name", "family_name", "aliases", "dob", "description"],
            STATISTICAL: ["kind"],
        },
    )
    register_protected(
        Arrest,
        parent="subject",
        categories={
            CASE: ["general_area", "arresting_officer", "operation", "investigation"],
            STATISTICAL: ["arrested_at"],
        },
    )
    register_protected(
        Charge,
        parent="arrest",
        categories={
            CASE: ["description"],
            STATISTICAL: ["statute", "citation", "status", "charged_on"],
        },
    )
    register_protected(
        Investigation,
        assigned_fields=("lead_detective", "created_by"),
        categories={
            CASE: ["title", "summary", "detectives", "operations", "subjects"],
            STATISTICAL: ["status", "opened_on", "closed_on"],
        },
    )
