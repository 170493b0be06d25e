"""Registration of this area's models with the permission engine.

A placement is owned by the agency serving the person; its months of rental assistance
belong to it. A unit is its own record (its address and landlord are identity data). The
partner agency working on a placement reaches it, and its unit, through grants made by
``services.placement_create``.

Incomes are case data: an amount says something about one person. Statistics count the
direction of the change only (``income_change``, up / same / down / not known), which the
services keep in step with the amounts; an average change in dollars is shown only to
readers of the amounts (the placements' own agency).
"""

from __future__ import annotations

from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL, register_protected

from .models import AssistancePayment, Placement, Unit

UNIT_IDENTITY = ["address", "landlord_name", "landlord_contact"]
PLACEMENT_CASE = [
    "partner_caseworker",
    "unit",
    "lease_in_own_name",
    "lease_start_on",
    "lease_months",
    "rent",
    "assistance_months",
    "assistance_monthly",
    "participant_share",
    "income_start",
    "income_annual",
    "income_annual_on",
    "income_exit",
    "assigned_to",
]
PLACEMENT_STATISTICAL = [
    "referral_on",
    "start_on",
    "move_in_on",
    "exit_on",
    "destination",
    "returned_homeless_on",
    # Up, same, down or not known: never an amount (the incomes above are case data).
    "income_change",
]
PAYMENT_ACTIONS = ("approve", "pay")


def register() -> None:
    register_protected(
        Unit,
        agency_field="agency",
        assigned_fields=("created_by",),
        categories={IDENTITY: UNIT_IDENTITY, STATISTICAL: ["bedrooms"]},
    )
    register_protected(
        Placement,
        agency_field="agency",
        assigned_fields=("assigned_to", "created_by", "partner_caseworker"),
        categories={IDENTITY: ["person"], CASE: PLACEMENT_CASE, STATISTICAL: PLACEMENT_STATISTICAL},
        # Grants on a placement may carry its payments' verbs.
        actions=PAYMENT_ACTIONS,
    )
    register_protected(
        AssistancePayment,
        parent="placement",
        categories={
            CASE: ["approved_by", "paid_by", "ledger_payment"],
            STATISTICAL: ["month", "sequence", "amount", "status", "paid_on"],
        },
        actions=PAYMENT_ACTIONS,
    )
