"""Reads of the legislation area: bills with what is derived from their actions (status,
timeline, latest action), lists for staff pages, and what the public page shows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.db.models import Prefetch, Q, QuerySet

from .choices import ActionClassification as A
from .choices import BillStatus, Chamber
from .models import (
    AgendaItem,
    Bill,
    BillAction,
    BillCitation,
    BillWatch,
    Priority,
    Proposal,
    Statute,
)

# How far along each status is; a later action can only move a bill forward, except the
# endings below, which hold whenever they are the latest word.
_PROGRESS = [
    BillStatus.NO_ACTION,
    BillStatus.INTRODUCED,
    BillStatus.IN_COMMITTEE,
    BillStatus.PASSED_COMMITTEE,
    BillStatus.PASSED_ONE_CHAMBER,
    BillStatus.PASSED_LEGISLATURE,
    BillStatus.SENT_TO_GOVERNOR,
    BillStatus.SIGNED,
    BillStatus.BECAME_LAW,
]
_ENDINGS = {BillStatus.FAILED, BillStatus.WITHDRAWN, BillStatus.VETOED}

_STATUS_OF = {
    A.FILING: BillStatus.INTRODUCED,
    A.INTRODUCTION: BillStatus.INTRODUCED,
    A.READING_1: BillStatus.INTRODUCED,
    A.REFERRAL_COMMITTEE: BillStatus.IN_COMMITTEE,
    A.REFERRAL: BillStatus.IN_COMMITTEE,
    A.COMMITTEE_PASSAGE: BillStatus.PASSED_COMMITTEE,
    A.COMMITTEE_PASSAGE_FAVORABLE: BillStatus.PASSED_COMMITTEE,
    A.COMMITTEE_PASSAGE_UNFAVORABLE: BillStatus.PASSED_COMMITTEE,
    A.COMMITTEE_FAILURE: BillStatus.FAILED,
    A.FAILURE: BillStatus.FAILED,
    A.WITHDRAWAL: BillStatus.WITHDRAWN,
    A.EXECUTIVE_RECEIPT: BillStatus.SENT_TO_GOVERNOR,
    A.EXECUTIVE_SIGNATURE: BillStatus.SIGNED,
    A.EXECUTIVE_VETO: BillStatus.VETOED,
    A.VETO_OVERRIDE_PASSAGE: BillStatus.BECAME_LAW,
    A.BECAME_LAW: BillStatus.BECAME_LAW,
    A.CHAPTERED: BillStatus.BECAME_LAW,
}


def sorted_actions(actions: Iterable[BillAction]) -> list[BillAction]:
    """Actions in the order they happened (OCD dates sort as text; ``order`` breaks ties)."""
    return sorted(actions, key=lambda a: (a.date, a.order, a.pk or 0))


def derive_status(actions: Iterable[BillAction]) -> BillStatus:
    """Where a bill stands, from its actions alone."""
    status = BillStatus.NO_ACTION
    passed_in: set[str] = set()
    for action in sorted_actions(actions):
        for code in action.classifications:
            if code == A.PASSAGE:
                passed_in.add(action.chamber or "unknown")
                both = Chamber.LEGISLATURE in passed_in or len(passed_in) >= 2
                candidate = BillStatus.PASSED_LEGISLATURE if both else BillStatus.PASSED_ONE_CHAMBER
            else:
                candidate = _STATUS_OF.get(code)
            if candidate is None:
                continue
            if (
                candidate in _ENDINGS
                or status in _ENDINGS
                or _PROGRESS.index(candidate) > _PROGRESS.index(status)
            ):
                status = candidate
    return status


@dataclass(frozen=True)
class BillSummary:
    """A bill with what its actions say about it, for lists and pages."""

    bill: Bill
    status: BillStatus
    timeline: Sequence[BillAction]

    @property
    def latest_action(self) -> BillAction | None:
        return self.timeline[-1] if self.timeline else None

    @property
    def status_label(self) -> str:
        return str(self.status.label)


def summarize(bill: Bill) -> BillSummary:
    """Status and timeline of one bill; uses prefetched actions when present."""
    timeline = sorted_actions(bill.actions.all())
    return BillSummary(bill=bill, status=derive_status(timeline), timeline=timeline)


def bill_list(*, session_id: int | None = None, stance: str = "", q: str = "") -> QuerySet[Bill]:
    """Bills for staff lists, with everything the list shows fetched in a fixed number of
    queries."""
    bills = Bill.objects.select_related(
        "session__jurisdiction", "position", "position__owner"
    ).prefetch_related("actions", "watches")
    if session_id:
        bills = bills.filter(session_id=session_id)
    if stance == "none":
        bills = bills.filter(position__isnull=True)
    elif stance:
        bills = bills.filter(position__stance=stance)
    if q:
        bills = bills.filter(Q(identifier__icontains=q) | Q(title__icontains=q))
    return bills


def bill_detail_queryset() -> QuerySet[Bill]:
    return Bill.objects.select_related(
        "session__jurisdiction", "position", "position__owner"
    ).prefetch_related(
        "actions",
        "sponsorships",
        "documents",
        Prefetch("citations", queryset=BillCitation.objects.select_related("statute")),
        "related_bills__related__session",
        Prefetch("watches", queryset=BillWatch.objects.select_related("user")),
        "notes__author",
        "priorities",
    )


def is_watching(bill: Bill, user_id: int) -> bool:
    return any(w.user_id == user_id for w in bill.watches.all())


def public_priorities() -> QuerySet[Priority]:
    """Priorities marked public, with their proposals, statutes and followed bills."""
    return (
        Priority.objects.filter(is_public=True)
        .select_related("session__jurisdiction")
        .prefetch_related(
            Prefetch(
                "proposals",
                queryset=Proposal.objects.prefetch_related(
                    Prefetch("statutes", queryset=Statute.objects.order_by("citation")),
                    "bills",
                ),
            ),
            Prefetch(
                "bills",
                queryset=Bill.objects.select_related("session", "position").prefetch_related(
                    "actions"
                ),
            ),
        )
    )


def agenda_lines_for(event_ids: Sequence[int]) -> dict[int, list[str]]:
    """The bills on these events' agendas as lines of text in the current language, e.g.
    ``{7: ["SB 425 — Signed by the Governor", ...]}``, in one query. The directory shows
    them on the public event page and in the calendars (registered as its agenda provider
    in ``LegislationConfig.ready``)."""
    items = (
        AgendaItem.objects.filter(event_id__in=list(event_ids))
        .select_related("bill")
        .order_by("event_id", "order", "id")
    )
    lines: dict[int, list[str]] = {}
    for item in items:
        text = item.bill.identifier
        if item.description:
            text = f"{text} — {item.description}"
        lines.setdefault(item.event_id, []).append(text)
    return lines


def agenda_lines(event_id: int) -> list[str]:
    """One event's agenda lines (see ``agenda_lines_for``)."""
    return agenda_lines_for([event_id]).get(event_id, [])
