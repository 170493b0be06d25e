"""Reads of the referrals area, always through the permission engine."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from .choices import ReferralState
from .models import Referral, ReferralSettings


def _visible(membership: Any) -> QuerySet[Referral]:
    return Referral.objects.visible_to(membership).select_related(
        "agency", "to_agency", "to_program", "created_by"
    )


def inbox(membership: Any) -> QuerySet[Referral]:
    """Referrals to the membership's agency that it can see (the grant made on sending)."""
    return _visible(membership).filter(to_agency_id=membership.agency_id)


def sent(membership: Any) -> QuerySet[Referral]:
    """Referrals the membership's agency made that it can see."""
    return _visible(membership).filter(agency_id=membership.agency_id)


def pending_counts(membership: Any) -> dict[str, int]:
    """For the home panel: waiting in the inbox, and sent still waiting for an answer."""
    return {
        "received": inbox(membership).filter(state=ReferralState.PENDING).count(),
        "sent": sent(membership).filter(state=ReferralState.PENDING).count(),
    }


def person_links() -> QuerySet[Referral]:
    """Pairs of person records known to be the same person because a referral between
    their agencies was accepted (for the linkage area's unduplicated counts):
    ``person_id`` (referring record) and ``receiving_person_id`` (receiver's record)."""
    return Referral.objects.filter(receiving_person__isnull=False).values_list(
        "person_id", "receiving_person_id"
    )


def settings_for(agency: Any) -> dict[str, Any]:
    """An agency's referral settings as they apply (defaults when never saved): its
    designated survivor program, the legal basis for referring a young person, and the days
    a legal-basis referral shares the record."""
    config = ReferralSettings.objects.filter(agency_id=agency.pk).first()
    default_days = ReferralSettings._meta.get_field("legal_basis_access_days").default
    return {
        "agency": agency,
        "designated_program": agency.designated_program,
        "juvenile_legal_basis": config.juvenile_legal_basis if config else "",
        "legal_basis_access_days": config.legal_basis_access_days if config else default_days,
    }
