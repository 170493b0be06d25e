"""Reads of seized property: lists through the permission engine, deadlines for the
property officer, and the reports (seizures; judgments and distributions)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import OuterRef, QuerySet, Subquery

from .choices import AssetKind, ForfeitureState
from .models import ZERO, CustodyEvent, Disposition, ForfeitureEvent, SeizedAsset

DEADLINE_HORIZON = datetime.timedelta(days=14)


def assets_for(membership: Any, action: str = "view") -> QuerySet[SeizedAsset]:
    """Seized property the membership may ``action``, with the current custodian and
    location (from the last custody event) annotated."""
    last = CustodyEvent.objects.filter(asset=OuterRef("pk")).order_by("-sequence")
    return (
        SeizedAsset.objects.visible_to(membership, action)
        .select_related("subject", "investigation", "operation", "seized_by")
        .annotate(
            custodian=Subquery(last.values("to_custodian")[:1]),
            location=Subquery(last.values("location")[:1]),
        )
    )


@dataclass
class Deadline:
    """A date a property officer must act on."""

    asset: SeizedAsset
    what: str  # "notice" or "claim"
    due_on: datetime.date

    @property
    def overdue(self) -> bool:
        return self.due_on < datetime.date.today()


def deadlines_for(membership: Any, *, today: datetime.date) -> list[Deadline]:
    """Notices due and claim windows ending within two weeks, or already passed: notice is
    to be sent, or "no claim" / the claim's outcome is to be recorded."""
    horizon = today + DEADLINE_HORIZON
    visible = SeizedAsset.objects.visible_to(membership, "view").select_related("subject")
    rows = [
        Deadline(asset=a, what="notice", due_on=a.notice_due_on)
        for a in visible.filter(state=ForfeitureState.SEIZED, notice_due_on__lte=horizon)
    ]
    rows += [
        Deadline(asset=a, what="claim", due_on=a.claim_deadline)
        for a in visible.filter(state=ForfeitureState.NOTICE_SENT, claim_deadline__lte=horizon)
    ]
    return sorted(rows, key=lambda d: (d.due_on, d.asset.pk))


# Reports ------------------------------------------------------------------------------------


@dataclass
class KindTotal:
    kind: str
    label: str
    count: int = 0
    estimated_value: Decimal = ZERO


@dataclass
class SeizureReport:
    """Every seizure of a period, with totals by kind of property (ORS 131A records)."""

    start: datetime.date
    end: datetime.date
    rows: list[SeizedAsset]
    by_kind: list[KindTotal]

    @property
    def total_value(self) -> Decimal:
        return sum((k.estimated_value for k in self.by_kind), ZERO)

    @property
    def count(self) -> int:
        return len(self.rows)


def seizure_report(membership: Any, *, start: datetime.date, end: datetime.date) -> SeizureReport:
    rows = list(
        assets_for(membership)
        .filter(seized_at__date__gte=start, seized_at__date__lte=end)
        .order_by("seized_at", "id")
    )
    totals = {k: KindTotal(kind=k, label=str(label)) for k, label in AssetKind.choices}
    for asset in rows:
        total = totals[asset.kind]
        total.count += 1
        total.estimated_value += asset.estimated_value
    return SeizureReport(
        start=start, end=end, rows=rows, by_kind=[t for t in totals.values() if t.count]
    )


@dataclass
class JudgmentRow:
    """One judgment (forfeited, settled, returned) and, where there was one, the
    disposition and how its net proceeds were split in the fund."""

    asset: SeizedAsset
    judgment: ForfeitureEvent
    disposition: Disposition | None
    split: list[tuple[str, Decimal]] = field(default_factory=list)
    fund_entries: list[int] = field(default_factory=list)

    @property
    def net(self) -> Decimal:
        return self.disposition.net_proceeds if self.disposition else ZERO


@dataclass
class JudgmentReport:
    start: datetime.date
    end: datetime.date
    rows: list[JudgmentRow]
    share_names: list[str]

    def _total(self, attr: str) -> Decimal:
        return sum(
            (getattr(r.disposition, attr) for r in self.rows if r.disposition is not None), ZERO
        )

    @property
    def gross(self) -> Decimal:
        return self._total("gross_proceeds")

    @property
    def costs(self) -> Decimal:
        return self._total("total_costs")

    @property
    def net(self) -> Decimal:
        return self._total("net_proceeds")

    @property
    def by_share(self) -> list[tuple[str, Decimal]]:
        totals: dict[str, Decimal] = defaultdict(lambda: ZERO)
        for row in self.rows:
            for name, amount in row.split:
                totals[name] += amount
        return [(name, totals[name]) for name in self.share_names]


def judgment_report(membership: Any, *, start: datetime.date, end: datetime.date) -> JudgmentReport:
    """Judgments dated in the period, with each one's disposition (whenever it was) and the
    split of its net proceeds as posted in the fund."""
    from safeharbor.funds.choices import AccountRole
    from safeharbor.funds.models import JournalLine

    visible = SeizedAsset.objects.visible_to(membership, "view")
    judgments = list(
        ForfeitureEvent.objects.filter(
            asset__in=visible,
            to_state__in=[
                ForfeitureState.FORFEITED,
                ForfeitureState.SETTLED,
                ForfeitureState.RETURNED,
            ],
            occurred_on__gte=start,
            occurred_on__lte=end,
        )
        .select_related("asset", "asset__subject")
        .order_by("occurred_on", "asset_id")
    )
    dispositions = {
        d.asset_id: d
        for d in Disposition.objects.filter(
            asset_id__in=[j.asset_id for j in judgments]
        ).select_related("receipt__entry", "receipt__distribution")
    }
    distribution_ids = {
        d.receipt.distribution_id: d.asset_id
        for d in dispositions.values()
        if d.receipt is not None and d.receipt.distribution_id
    }
    splits: dict[int, list[tuple[str, Decimal]]] = defaultdict(list)
    names: list[str] = []
    lines = (
        JournalLine.objects.filter(entry_id__in=distribution_ids, account__role=AccountRole.SHARE)
        .select_related("account__share")
        .order_by("entry_id", "account__share__order", "line_no")
    )
    for line in lines:
        name = line.account.share.name if line.account.share else line.account.name
        splits[distribution_ids[line.entry_id]].append((name, line.credit - line.debit))
        if name not in names:
            names.append(name)
    rows = []
    for judgment in judgments:
        disposition = dispositions.get(judgment.asset_id)
        entries = []
        if disposition is not None and disposition.receipt is not None:
            entries = [
                e for e in (disposition.receipt.entry_id, disposition.receipt.distribution_id) if e
            ]
        rows.append(
            JudgmentRow(
                asset=judgment.asset,
                judgment=judgment,
                disposition=disposition,
                split=splits.get(judgment.asset_id, []),
                fund_entries=entries,
            )
        )
    return JudgmentReport(start=start, end=end, rows=rows, share_names=names)
