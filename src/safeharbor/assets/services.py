"""Writes to seized property. Every service is keyword-only, checks the permission engine,
runs in one transaction (the asset row locked first), writes its audit event in that
transaction and re-checks that the writer still sees the result.

Money goes through the funds area's posting services (``safeharbor.funds.services``) with the
source ``assets.seizedasset`` and the asset's id:

- cash seized:        ``held_cash_receive`` — held, not the city's money yet;
- cash returned:      ``held_cash_return`` (all of it, or what a settlement gives back);
- cash deposited:     ``receipt_record(from_held_cash=True)`` — forfeited cash becomes revenue;
- property sold:      ``receipt_record`` with the case costs — the fund splits the net.

Those postings run as the system actor, because the fund belongs to another agency (the
city); the permission to record the step is checked here, against the asset, and the audit
event of the step names the person.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, gettext_noop

from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as engine
from safeharbor.core.actors import SYSTEM
from safeharbor.core.files import store_encrypted_upload
from safeharbor.enforcement.choices import SUBJECT_ROLES, SubjectKind
from safeharbor.funds import services as fund_services

from .choices import (
    TRANSITIONS,
    AssetKind,
    DispositionMethod,
    ForfeitureState,
    NoticeMethod,
)
from .models import (
    ZERO,
    AssetPhoto,
    CustodyEvent,
    Disposition,
    ForfeitureEvent,
    ForfeiturePolicy,
    Lienholder,
    SeizedAsset,
)

SOURCE_TYPE = "assets.seizedasset"
CENT = Decimal("0.01")

__all__ = [
    "SOURCE_TYPE",
    "TRANSITIONS",
    "asset_dispose",
    "asset_seize",
    "custody_transfer",
    "forfeiture_advance",
    "lienholder_add",
    "photo_add",
    "policy_configure",
    "policy_for",
]


# Helpers ------------------------------------------------------------------------------------


def _actor(membership: Any) -> Any:
    return membership.user if membership is not None else ActorKind.SYSTEM


def _user(membership: Any) -> Any:
    return getattr(membership, "user", None)


def _subject(membership: Any) -> Any:
    return membership if membership is not None else SYSTEM


def _audit(
    *, action: str, membership: Any, obj: Any, fields: Iterable[str], reason: str = ""
) -> None:
    audit_record(
        action=action,
        actor=_actor(membership),
        agency_id=engine.spec_for(obj).agency_id_of(obj),
        obj=obj,
        fields=list(fields),
        reason=reason,
    )


def _require(membership: Any, action: str, obj: Any) -> None:
    if membership is None:
        raise PermissionDenied(_("You do not have access to this record."))
    engine.require(membership, action, obj)


def _money(value: Any, *, field: str, allow_none: bool = False) -> Decimal | None:
    if value is None or value == "":
        if allow_none:
            return None
        value = ZERO
    if isinstance(value, float):
        raise TypeError("Money must be a Decimal or a string, never a float.")
    try:
        amount = Decimal(value)
    except (InvalidOperation, TypeError, ValueError) as error:
        raise ValidationError({field: _("Enter an amount in dollars and cents.")}) from error
    if not amount.is_finite() or amount != amount.quantize(CENT) or amount < 0:
        raise ValidationError({field: _("Enter an amount in dollars and cents, zero or more.")})
    return amount.quantize(CENT)


def _locked(asset: SeizedAsset) -> SeizedAsset:
    """The asset row, locked for the rest of the transaction, so steps cannot race."""
    return SeizedAsset.objects.select_for_update().get(pk=asset.pk)


def _state_label(state: str) -> str:
    return str(ForfeitureState(state).label)


def allowed_next(state: str) -> tuple[str, ...]:
    return TRANSITIONS.get(state, ())


def _refuse_transition(current: str, wanted: str) -> ValidationError:
    allowed = allowed_next(current)
    if allowed:
        names = ", ".join(_state_label(s) for s in allowed)
        message = _(
            "Property that is “%(current)s” cannot move to “%(wanted)s”. "
            "Allowed next steps: %(allowed)s."
        ) % {"current": _state_label(current), "wanted": _state_label(wanted), "allowed": names}
    else:
        message = _(
            "Property that is “%(current)s” has no further steps; it cannot move to “%(wanted)s”."
        ) % {"current": _state_label(current), "wanted": _state_label(wanted)}
    return ValidationError({"to_state": message})


def policy_for(agency_id: int) -> ForfeiturePolicy:
    """The agency's forfeiture settings (defaults, unsaved, when none were set)."""
    policy = ForfeiturePolicy.objects.filter(agency_id=agency_id).select_related("fund").first()
    return policy or ForfeiturePolicy(agency_id=agency_id)


def _next_sequence(model: type, asset: SeizedAsset) -> int:
    return (model.objects.filter(asset=asset).aggregate(n=Max("sequence"))["n"] or 0) + 1


def _next_reference(agency_id: int, year: int) -> str:
    prefix = f"{year}-"
    last = (
        SeizedAsset.objects.filter(agency_id=agency_id, reference__startswith=prefix)
        .order_by("-reference")
        .values_list("reference", flat=True)
        .first()
    )
    number = int(last.split("-")[1]) + 1 if last else 1
    return f"{prefix}{number:04d}"


def _member_of_agency(user: Any, agency_id: int) -> bool:
    from safeharbor.accounts.models import Membership

    return Membership.objects.filter(user=user, agency_id=agency_id, is_active=True).exists()


# Settings -----------------------------------------------------------------------------------


def policy_configure(
    *,
    membership: Any,
    fund: Any,
    claim_window_days: int,
    notice_within_days: int,
) -> ForfeiturePolicy:
    """Set the agency's fund for proceeds and its claim-window and notice deadlines."""
    if membership is None or not engine.role_allows(membership, "assets.forfeiturepolicy.change"):
        raise PermissionDenied(_("You cannot change the forfeiture settings."))
    agency_id = membership.agency_id
    existing = ForfeiturePolicy.objects.filter(agency_id=agency_id).exists()
    if claim_window_days < 1 or notice_within_days < 1:
        raise ValidationError({"claim_window_days": _("Give a number of days, one or more.")})
    with transaction.atomic():
        policy, _created = ForfeiturePolicy.objects.update_or_create(
            agency_id=agency_id,
            defaults={
                "fund": fund,
                "claim_window_days": claim_window_days,
                "notice_within_days": notice_within_days,
            },
        )
        audit_record(
            action=AuditAction.UPDATE if existing else AuditAction.CREATE,
            actor=_actor(membership),
            agency_id=agency_id,
            obj=policy,
            fields=["fund", "claim_window_days", "notice_within_days"],
        )
    return policy


# Seizure ------------------------------------------------------------------------------------

VICTIM_REFUSAL = gettext_lazy(
    "Property of a person contacted as a victim is never recorded as seized. "
    "Only property of a buyer or an exploiter can be seized."
)


def asset_seize(
    *,
    membership: Any,
    subject: Any,
    kind: str,
    description: str,
    seized_at: datetime.datetime,
    investigation: Any = None,
    operation: Any = None,
    contact: Any = None,
    seized_by: Any = None,
    seized_where: str = "",
    estimated_value: Any = ZERO,
    vin: str = "",
    plate: str = "",
    make: str = "",
    model_name: str = "",
    year: int | None = None,
    imei: str = "",
    serial_number: str = "",
    cash_amount: Any = None,
    counted_by: Any = None,
    witnessed_by: Any = None,
    lienholders: Sequence[tuple[str, Any]] = (),
    custodian: str = "",
    location: str = "",
    seal_number: str = "",
) -> SeizedAsset:
    """Record property seized from a buyer or an exploiter, with the first custody event
    (from the seizing officer to ``custodian`` at ``location``). Seized cash, counted by two
    different officers, is taken into the agency's fund as held cash at once."""
    agency_id = membership.agency_id
    _require(membership, "add", SeizedAsset(agency_id=agency_id))
    # The person sold is never a subject; a contact recorded as a victim is refused plainly.
    if contact is not None and contact.role not in SUBJECT_ROLES:
        raise ValidationError({"contact": str(VICTIM_REFUSAL)})
    if subject is None or subject.kind not in SubjectKind.values:
        raise ValidationError({"subject": str(VICTIM_REFUSAL)})
    if subject.agency_id != agency_id:
        raise ValidationError({"subject": _("Choose a buyer or exploiter your agency recorded.")})
    if contact is not None and contact.subject_id != subject.pk:
        raise ValidationError({"contact": _("That contact is not the person chosen above.")})
    if investigation is None and operation is None:
        raise ValidationError(
            {"investigation": _("Give the investigation or the operation of the seizure.")}
        )
    for field, record in (("investigation", investigation), ("operation", operation)):
        if record is not None and record.agency_id != agency_id:
            raise ValidationError({field: _("Choose one of your agency's own records.")})
    if contact is not None and operation is not None and contact.operation_id != operation.pk:
        raise ValidationError({"contact": _("That contact is from another operation.")})
    if kind not in AssetKind.values:
        raise ValidationError({"kind": _("Choose the kind of property.")})
    description = (description or "").strip()
    if not description:
        raise ValidationError({"description": _("Describe the property.")})
    if timezone.is_naive(seized_at):
        raise ValueError("seized_at must be timezone-aware")
    if seized_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"seized_at": _("The seizure cannot be in the future.")})
    seized_by = seized_by or _user(membership)
    if seized_by is None or not _member_of_agency(seized_by, agency_id):
        raise ValidationError({"seized_by": _("Choose someone from your own agency.")})
    value = _money(estimated_value, field="estimated_value")
    cash = None
    if kind == AssetKind.VEHICLE and not (vin.strip() or plate.strip()):
        raise ValidationError({"vin": _("Give the vehicle's VIN or its licence plate.")})
    if kind == AssetKind.CASH:
        cash = _money(cash_amount, field="cash_amount")
        if not cash:
            raise ValidationError({"cash_amount": _("Give the amount of cash counted.")})
        if counted_by is None or witnessed_by is None:
            raise ValidationError(
                {"witnessed_by": _("Cash is counted by two named officers; name both.")}
            )
        if counted_by.pk == witnessed_by.pk:
            raise ValidationError(
                {"witnessed_by": _("The two officers who count cash must be different people.")}
            )
        for field, user in (("counted_by", counted_by), ("witnessed_by", witnessed_by)):
            if not _member_of_agency(user, agency_id):
                raise ValidationError({field: _("Choose someone from your own agency.")})
        value = cash
    else:
        counted_by = witnessed_by = None
    if year is not None and not (1900 <= int(year) <= seized_at.year + 1):
        raise ValidationError({"year": _("Give the model year, for example 2012.")})
    liens = [
        (name.strip(), _money(owed, field="lienholders", allow_none=True))
        for name, owed in lienholders
        if name and name.strip()
    ]
    policy = policy_for(agency_id)
    if cash is not None and policy.fund_id is None:
        raise ValidationError(
            {
                "cash_amount": _(
                    "Seized cash is held in the agency's fund, and none is chosen yet. "
                    "A property officer can choose it under Forfeiture settings."
                )
            }
        )
    seized_on = timezone.localdate(seized_at)
    with transaction.atomic():
        asset = SeizedAsset.objects.create(
            agency_id=agency_id,
            reference=_next_reference(agency_id, seized_on.year),
            investigation=investigation,
            operation=operation,
            subject=subject,
            contact=contact,
            kind=kind,
            description=description[:300],
            seized_at=seized_at,
            seized_where=seized_where.strip()[:120],
            seized_by=seized_by,
            estimated_value=value,
            vin=vin.strip().upper()[:17],
            plate=plate.strip().upper()[:12],
            make=make.strip()[:40],
            model_name=model_name.strip()[:40],
            year=year,
            imei=imei.strip()[:17],
            serial_number=serial_number.strip()[:60],
            cash_amount=cash,
            counted_by=counted_by,
            witnessed_by=witnessed_by,
            notice_due_on=seized_on + datetime.timedelta(days=policy.notice_within_days),
            created_by=_user(membership),
        )
        for name, owed in liens:
            Lienholder.objects.create(asset=asset, name=name[:200], amount_owed=owed)
        CustodyEvent.objects.create(
            asset=asset,
            sequence=1,
            occurred_at=seized_at,
            from_custodian=_("Seized from %(ref)s") % {"ref": subject.reference},
            to_custodian=(custodian or getattr(seized_by, "full_name", "") or str(seized_by))[:120],
            location=(location or seized_where or _("Not given"))[:120],
            reason=_("Seizure"),
            seal_number=seal_number.strip()[:40],
            recorded_by=_user(membership),
        )
        if cash is not None:
            fund_services.held_cash_receive(
                actor=SYSTEM,
                membership=None,
                fund=policy.fund,
                amount=cash,
                received_on=seized_on,
                description=_("Seized cash %(ref)s") % {"ref": asset.reference},
                source_type=SOURCE_TYPE,
                source_id=asset.pk,
            )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=asset,
            fields=[
                "kind",
                "description",
                "subject",
                "investigation",
                "operation",
                "estimated_value",
                "custody_events",
                *(["cash_amount", "counted_by", "witnessed_by", "held_cash"] if cash else []),
                *(["lienholders"] if liens else []),
            ],
        )
        engine.require(membership, "view", asset)
    return asset


def lienholder_add(*, membership: Any, asset: SeizedAsset, name: str, amount_owed: Any = None):
    """Add a lienholder to the property (they will need notice)."""
    _require(membership, "add", Lienholder(asset=asset))
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": _("Give the lienholder's name.")})
    owed = _money(amount_owed, field="amount_owed", allow_none=True)
    with transaction.atomic():
        lien = Lienholder.objects.create(asset=asset, name=name[:200], amount_owed=owed)
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=lien,
            fields=["name", "amount_owed"],
        )
    return lien


def photo_add(*, membership: Any, asset: SeizedAsset, upload: Any, caption: str = "") -> AssetPhoto:
    """Store a photo encrypted and attach it to the property; it is served only to people
    who may view the property."""
    _require(membership, "add", AssetPhoto(asset=asset))
    with transaction.atomic():
        stored = store_encrypted_upload(
            upload,
            kind="property_photo",
            actor=_user(membership),
            agency_id=asset.agency_id,
            owner=asset,
        )
        photo = AssetPhoto.objects.create(
            asset=asset,
            file=stored,
            caption=(caption or "").strip()[:200],
            uploaded_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE, membership=membership, obj=photo, fields=["file", "caption"]
        )
    return photo


# Custody ------------------------------------------------------------------------------------


def current_custody(asset: SeizedAsset) -> CustodyEvent | None:
    """The last event of the chain: who holds the property now, and where."""
    return CustodyEvent.objects.filter(asset=asset).order_by("-sequence").first()


def custody_transfer(
    *,
    membership: Any,
    asset: SeizedAsset,
    to_custodian: str,
    location: str,
    reason: str,
    occurred_at: datetime.datetime | None = None,
    seal_number: str = "",
    corrects: CustodyEvent | None = None,
) -> CustodyEvent:
    """Append a hand-over to the custody chain (from the current custodian). A correction is
    a new event naming the one it corrects; nothing is ever changed."""
    _require(membership, "add", CustodyEvent(asset=asset))
    to_custodian, location, reason = (
        (to_custodian or "").strip(),
        (location or "").strip(),
        (reason or "").strip(),
    )
    if not to_custodian:
        raise ValidationError({"to_custodian": _("Say who holds the property now.")})
    if not location:
        raise ValidationError({"location": _("Say where the property is now.")})
    if not reason:
        raise ValidationError({"reason": _("Say why the property changed hands.")})
    occurred_at = occurred_at or timezone.now()
    if occurred_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"occurred_at": _("A hand-over cannot be in the future.")})
    if corrects is not None and corrects.asset_id != asset.pk:
        raise ValidationError({"corrects": _("That event belongs to other property.")})
    with transaction.atomic():
        asset = _locked(asset)
        last = current_custody(asset)
        if asset.state in (ForfeitureState.RETURNED, ForfeitureState.DISPOSED) and corrects is None:
            raise ValidationError(
                _("This property has left the agency's custody; only corrections can be added.")
            )
        if last is not None and occurred_at < last.occurred_at and corrects is None:
            raise ValidationError(
                {"occurred_at": _("A hand-over cannot be before the last one in the chain.")}
            )
        event = CustodyEvent.objects.create(
            asset=asset,
            sequence=(last.sequence + 1) if last else 1,
            occurred_at=occurred_at,
            from_custodian=(last.to_custodian if last else _("Unknown"))[:120],
            to_custodian=to_custodian[:120],
            location=location[:120],
            reason=reason[:300],
            seal_number=(seal_number or "").strip()[:40],
            corrects=corrects,
            recorded_by=_user(membership),
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=event,
            fields=["to_custodian", "location", "reason", "seal_number", "corrects"],
            reason="correction" if corrects else "",
        )
    return event


# Forfeiture ---------------------------------------------------------------------------------


def held_cash_for(asset: SeizedAsset) -> Decimal:
    """Seized cash still held in the fund for this asset."""
    return _held_cash(asset, policy_for(asset.agency_id).fund)


def _held_cash(asset: SeizedAsset, fund: Any) -> Decimal:
    if fund is None:
        return ZERO
    return fund_services.held_for_source(fund, source_type=SOURCE_TYPE, source_id=str(asset.pk))


def forfeiture_advance(
    *,
    membership: Any,
    asset: SeizedAsset,
    to_state: str,
    occurred_on: datetime.date,
    notice_recipients: str = "",
    notice_method: str = "",
    claimant: str = "",
    court_case_number: str = "",
    amount_forfeited: Any = None,
    notes: str = "",
) -> ForfeitureEvent:
    """Move the forfeiture proceeding one step (see ``choices.TRANSITIONS``). Disposal is
    ``asset_dispose``. Returning seized cash takes it out of held cash in the fund; a
    settlement of seized cash returns what is not forfeited."""
    _require(membership, "add", ForfeitureEvent(asset=asset))
    if to_state not in ForfeitureState.values:
        raise ValidationError({"to_state": _("Choose the next step.")})
    if occurred_on > timezone.localdate():
        raise ValidationError({"occurred_on": _("The date cannot be in the future.")})
    notes = (notes or "").strip()[:500]
    with transaction.atomic():
        asset = _locked(asset)
        current = asset.state
        if to_state == ForfeitureState.DISPOSED and to_state in allowed_next(current):
            raise ValidationError(
                {"to_state": _("Record the disposition (sale, official use, …) to dispose.")}
            )
        if to_state not in allowed_next(current):
            raise _refuse_transition(current, to_state)
        updates: dict[str, Any] = {"state": to_state}
        forfeited = None
        policy = policy_for(asset.agency_id)
        if to_state == ForfeitureState.NOTICE_SENT:
            notice_recipients = (notice_recipients or "").strip()
            if not notice_recipients:
                raise ValidationError(
                    {"notice_recipients": _("Say who was sent notice (owner, lienholders).")}
                )
            if notice_method not in NoticeMethod.values:
                raise ValidationError({"notice_method": _("Say how notice was given.")})
            if occurred_on < timezone.localdate(asset.seized_at):
                raise ValidationError({"occurred_on": _("Notice cannot be before the seizure.")})
            updates["claim_deadline"] = occurred_on + datetime.timedelta(
                days=policy.claim_window_days
            )
        elif to_state == ForfeitureState.CLAIM_FILED:
            claimant = (claimant or "").strip()
            if not claimant:
                raise ValidationError({"claimant": _("Say who filed the claim.")})
            if asset.claim_deadline and occurred_on > asset.claim_deadline:
                raise ValidationError(
                    {
                        "occurred_on": _("The claim window ended on %(date)s.")
                        % {"date": asset.claim_deadline.isoformat()}
                    }
                )
        elif (
            to_state == ForfeitureState.NO_CLAIM
            and asset.claim_deadline
            and occurred_on <= asset.claim_deadline
        ):
            raise ValidationError(
                {
                    "occurred_on": _(
                        "The claim window is open until %(date)s; "
                        "“no claim” can be recorded after that."
                    )
                    % {"date": asset.claim_deadline.isoformat()}
                }
            )
        if asset.is_cash:
            fund = policy.fund
            held = _held_cash(asset, fund)
            if to_state == ForfeitureState.FORFEITED:
                forfeited = held
            elif to_state == ForfeitureState.SETTLED:
                forfeited = _money(amount_forfeited, field="amount_forfeited", allow_none=True)
                if forfeited is None:
                    raise ValidationError(
                        {"amount_forfeited": _("Give the amount of cash the settlement forfeits.")}
                    )
                if forfeited > held:
                    raise ValidationError(
                        {
                            "amount_forfeited": _("Only %(held)s is held for this seizure.")
                            % {"held": held}
                        }
                    )
            to_return = ZERO
            if to_state == ForfeitureState.RETURNED:
                to_return = held
            elif to_state == ForfeitureState.SETTLED:
                to_return = held - (forfeited or ZERO)
            if to_return > 0:
                fund_services.held_cash_return(
                    actor=SYSTEM,
                    membership=None,
                    fund=fund,
                    amount=to_return,
                    returned_on=occurred_on,
                    description=_("Seized cash %(ref)s returned") % {"ref": asset.reference},
                    source_type=SOURCE_TYPE,
                    source_id=asset.pk,
                )
        sequence = _next_sequence(ForfeitureEvent, asset)
        event = ForfeitureEvent.objects.create(
            asset=asset,
            sequence=sequence,
            from_state=current,
            to_state=to_state,
            occurred_on=occurred_on,
            notice_recipients=notice_recipients if to_state == ForfeitureState.NOTICE_SENT else "",
            notice_method=notice_method if to_state == ForfeitureState.NOTICE_SENT else "",
            claimant=claimant if to_state == ForfeitureState.CLAIM_FILED else "",
            court_case_number=(court_case_number or "").strip()[:60],
            amount_forfeited=forfeited,
            notes=notes,
            recorded_by=_user(membership),
        )
        SeizedAsset.objects.filter(pk=asset.pk, state=current).update(
            **updates, updated_at=timezone.now()
        )
        _audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=asset,
            fields=["state", *(k for k in updates if k != "state")],
            reason=f"{current}->{to_state}",
        )
    asset.refresh_from_db()
    return event


def _forfeited_cash(asset: SeizedAsset) -> Decimal | None:
    event = (
        ForfeitureEvent.objects.filter(
            asset=asset,
            to_state__in=[ForfeitureState.FORFEITED, ForfeitureState.SETTLED],
        )
        .order_by("-sequence")
        .first()
    )
    return event.amount_forfeited if event else None


def _court_case(asset: SeizedAsset) -> str:
    numbers = ForfeitureEvent.objects.filter(asset=asset).exclude(court_case_number="")
    return numbers.order_by("-sequence").values_list("court_case_number", flat=True).first() or ""


def asset_dispose(
    *,
    membership: Any,
    asset: SeizedAsset,
    method: str,
    disposed_on: datetime.date,
    gross_proceeds: Any = ZERO,
    towing_costs: Any = ZERO,
    storage_costs: Any = ZERO,
    auction_costs: Any = ZERO,
    attorney_commission: Any = ZERO,
    lien_paid: Any = ZERO,
    sold_to: str = "",
    notes: str = "",
) -> Disposition:
    """Dispose of forfeited or settled property: sold, kept for official use, destroyed, or
    (seized cash) deposited. Net proceeds — gross less towing, storage, auction fees, the
    attorney's commission and what lienholders were paid — are posted to the agency's fund,
    where its distribution rules split them (Portland: 75% victim services, 25% police)."""
    _require(membership, "add", Disposition(asset=asset))
    if method not in DispositionMethod.values:
        raise ValidationError({"method": _("Choose what became of the property.")})
    if disposed_on > timezone.localdate():
        raise ValidationError({"disposed_on": _("The date cannot be in the future.")})
    amounts = {
        name: _money(value, field=name)
        for name, value in (
            ("gross_proceeds", gross_proceeds),
            ("towing_costs", towing_costs),
            ("storage_costs", storage_costs),
            ("auction_costs", auction_costs),
            ("attorney_commission", attorney_commission),
            ("lien_paid", lien_paid),
        )
    }
    with transaction.atomic():
        asset = _locked(asset)
        if ForfeitureState.DISPOSED not in allowed_next(asset.state):
            raise _refuse_transition(asset.state, ForfeitureState.DISPOSED)
        if asset.is_cash and method != DispositionMethod.CASH_DEPOSITED:
            raise ValidationError({"method": _("Forfeited cash is deposited.")})
        if not asset.is_cash and method == DispositionMethod.CASH_DEPOSITED:
            raise ValidationError({"method": _("Only seized cash is deposited.")})
        if asset.is_cash:
            amounts["gross_proceeds"] = _forfeited_cash(asset) or ZERO
            amounts["lien_paid"] = ZERO
        if method == DispositionMethod.SOLD and amounts["gross_proceeds"] <= 0:
            raise ValidationError({"gross_proceeds": _("Give what the sale brought in.")})
        if method in (DispositionMethod.OFFICIAL_USE, DispositionMethod.DESTROYED) and any(
            amounts.values()
        ):
            raise ValidationError(
                {"gross_proceeds": _("Property kept or destroyed brings in no proceeds.")}
            )
        costs = sum((v for k, v in amounts.items() if k != "gross_proceeds"), ZERO)
        if costs > amounts["gross_proceeds"]:
            raise ValidationError(
                {"gross_proceeds": _("The costs are more than the gross proceeds.")}
            )
        disposition = Disposition(
            asset=asset,
            method=method,
            disposed_on=disposed_on,
            sold_to=(sold_to or "").strip()[:120],
            notes=(notes or "").strip()[:500],
            recorded_by=_user(membership),
            **amounts,
        )
        to_fund = disposition.gross_proceeds - disposition.lien_paid
        if to_fund > 0:
            fund = policy_for(asset.agency_id).fund
            if fund is None:
                raise ValidationError(
                    {
                        "gross_proceeds": _(
                            "Proceeds go to the agency's fund, and none is chosen yet. "
                            "Choose it under Forfeiture settings first."
                        )
                    }
                )
            disposition.receipt = fund_services.receipt_record(
                actor=SYSTEM,
                membership=None,
                fund=fund,
                received_on=disposed_on,
                property_kind=asset.kind,
                description=_("%(ref)s %(description)s: %(method)s")
                % {
                    "ref": asset.reference,
                    "description": asset.description,
                    "method": disposition.get_method_display(),
                },
                gross_amount=to_fund,
                case_costs=disposition.case_costs,
                case_reference=_court_case(asset) or asset.reference,
                from_held_cash=asset.is_cash,
                source_type=SOURCE_TYPE,
                source_id=asset.pk,
            )
        disposition.save()
        ForfeitureEvent.objects.create(
            asset=asset,
            sequence=_next_sequence(ForfeitureEvent, asset),
            from_state=asset.state,
            to_state=ForfeitureState.DISPOSED,
            occurred_on=disposed_on,
            notes=disposition.get_method_display(),
            recorded_by=_user(membership),
        )
        SeizedAsset.objects.filter(pk=asset.pk).update(
            state=ForfeitureState.DISPOSED, updated_at=timezone.now()
        )
        _audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=disposition,
            fields=["method", "disposed_on", *amounts, "receipt"],
        )
        _audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=asset,
            fields=["state"],
            reason=f"{disposition.asset.state}->{ForfeitureState.DISPOSED}",
        )
    asset.refresh_from_db()
    return disposition


# Periodic: deadlines ------------------------------------------------------------------------

REMIND_BEFORE = datetime.timedelta(days=3)


def _property_officer_ids(agency_id: int) -> list[int]:
    from safeharbor.accounts.models import Membership

    members = Membership.objects.filter(
        agency_id=agency_id, is_active=True, user__is_active=True
    ).select_related("role")
    return sorted(
        {
            m.user_id
            for m in members
            if m.effective_scope == "agency" and m.has_perm("assets.forfeitureevent.add")
        }
    )


def remind_deadlines() -> str | None:
    """Periodic: tell the agency's property officers, once per asset, that a notice is due
    within three days (or overdue) and that a claim window has ended (record the outcome).
    Notifications hold the property number only."""
    from django.urls import reverse

    from safeharbor.accounts.services import notify

    now = timezone.now()
    today = timezone.localdate()
    checks = [
        (
            "notice_reminded_at",
            SeizedAsset.objects.filter(
                state=ForfeitureState.SEIZED,
                notice_due_on__lte=today + REMIND_BEFORE,
                notice_reminded_at__isnull=True,
            ),
            gettext_noop("Forfeiture notice due by %(date)s for property %(ref)s"),
            lambda a: {"date": a.notice_due_on.isoformat(), "ref": a.reference},
        ),
        (
            "claim_reminded_at",
            SeizedAsset.objects.filter(
                state=ForfeitureState.NOTICE_SENT,
                claim_deadline__lt=today,
                claim_reminded_at__isnull=True,
            ),
            gettext_noop("The claim window for property %(ref)s ended on %(date)s"),
            lambda a: {"date": a.claim_deadline.isoformat(), "ref": a.reference},
        ),
    ]
    sent = 0
    for marker, due, title, values in checks:
        for asset in due.order_by("pk"):
            with transaction.atomic():
                claimed = SeizedAsset.objects.filter(
                    pk=asset.pk, **{f"{marker}__isnull": True}
                ).update(**{marker: now})
                if not claimed:
                    continue
                for user_id in _property_officer_ids(asset.agency_id):
                    notify(
                        user_id=user_id,
                        title=title,
                        title_params=values(asset),
                        link=reverse("assets:detail", args=[asset.pk]),
                    )
                    sent += 1
    return f"{sent} forfeiture deadline reminders sent" if sent else None
