"""Reads of the enforcement area: lists limited by the permission engine, and the unit's
figures per operation and per period."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from .choices import ContactRole, SubjectKind
from .models import Arrest, Charge, Contact, Investigation, Operation, Subject


def operations_for(membership: Any) -> QuerySet[Operation]:
    return (
        Operation.objects.visible_to(membership)
        .select_related("lead")
        .annotate(
            victim_count=Count("contacts", filter=Q(contacts__role=ContactRole.VICTIM)),
            contact_count=Count("contacts"),
        )
    )


def subjects_for(membership: Any) -> QuerySet[Subject]:
    return Subject.objects.visible_to(membership).annotate(arrest_count=Count("arrests"))


def investigations_for(membership: Any) -> QuerySet[Investigation]:
    return Investigation.objects.visible_to(membership).select_related("lead_detective")


@dataclass(frozen=True)
class UnitFigures:
    """What the unit reports: information given must be 100% of victims contacted."""

    victims_contacted: int
    information_given: int
    referrals_offered: int
    referrals_made: int
    referrals_accepted: int
    buyers_arrested: int
    exploiters_charged: int

    @property
    def information_given_percent(self) -> int | None:
        if not self.victims_contacted:
            return None
        return round(100 * self.information_given / self.victims_contacted)


def _accepted_referrals(contacts: QuerySet[Contact]) -> int:
    """Victim contacts whose referral the receiving program accepted (or completed)."""
    if not hasattr(Contact, "referral"):
        return 0
    return contacts.filter(referral__state__in=["accepted", "completed"]).count()


def unit_figures(
    membership: Any,
    *,
    operations: QuerySet[Operation] | None = None,
    start: datetime.date | None = None,
    end: datetime.date | None = None,
) -> UnitFigures:
    """Figures for the operations the membership can see, optionally one operation's or one
    period's (``start``..``end`` inclusive, by operation date)."""
    ops = operations if operations is not None else Operation.objects.visible_to(membership)
    if start is not None:
        ops = ops.filter(started_on__gte=start)
    if end is not None:
        ops = ops.filter(started_on__lte=end)
    victims = Contact.objects.filter(operation__in=ops.values("pk"), role=ContactRole.VICTIM)
    counts = victims.aggregate(
        total=Count("pk"),
        informed=Count("pk", filter=Q(program_info_given=True)),
        made=Count("pk", filter=Q(referral_decision="made")),
        offered=Count("pk", filter=~Q(referral_decision="")),
    )
    arrests = Arrest.objects.filter(operation__in=ops.values("pk"))
    buyers = arrests.filter(subject__kind=SubjectKind.BUYER).values("subject_id").distinct().count()
    exploiters = (
        Charge.objects.filter(
            arrest__in=arrests.values("pk"), arrest__subject__kind=SubjectKind.EXPLOITER
        )
        .values("arrest__subject_id")
        .distinct()
        .count()
    )
    return UnitFigures(
        victims_contacted=counts["total"],
        information_given=counts["informed"],
        referrals_offered=counts["offered"],
        referrals_made=counts["made"],
        referrals_accepted=_accepted_referrals(victims),
        buyers_arrested=buyers,
        exploiters_charged=exploiters,
    )
