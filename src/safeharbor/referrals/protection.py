"""Registration of this area's models with the permission engine.

A referral is owned by the referring agency. The receiving agency reaches it through a grant
made when it is sent (for its case and statistical categories, with the ``accept``,
``decline`` and ``complete`` actions) that rests on the same consent as the referral, so it
ends with the consent.
"""

from __future__ import annotations

from safeharbor.core.permissions import CASE, STATISTICAL, register_protected

from .models import Referral, ReferralEvent

REFERRAL_ACTIONS = ("accept", "decline", "withdraw", "complete")


def register() -> None:
    register_protected(
        Referral,
        agency_field="agency",
        assigned_fields=("created_by",),
        categories={
            CASE: ["reason", "decline_reason", "consent", "legal_basis", "case"],
            STATISTICAL: ["urgency", "state", "sent_at", "accepted_at", "closed_at", "categories"],
        },
        actions=REFERRAL_ACTIONS,
    )
    register_protected(
        ReferralEvent,
        parent="referral",
        categories={CASE: ["note"], STATISTICAL: ["from_state", "to_state", "at"]},
    )
