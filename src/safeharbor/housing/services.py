"""Writes of the housing area. Each checks permission through the engine, validates with a
message naming the field, and writes its audit event in the same transaction.

``membership=None`` is the system actor (the demo loader, jobs).
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.accounts.models import Agency, Membership, Program
from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as engine
from safeharbor.core.actors import SYSTEM

from .choices import AssistanceStatus, Destination
from .models import MIN_LEASE_MONTHS, AssistancePayment, HousingProgram, Placement, Unit

__all__ = [
    "POSTING_SOURCE",
    "assistance_approve",
    "assistance_pay",
    "assistance_schedule",
    "housing_program_configure",
    "placement_create",
    "placement_exit",
    "placement_record_return",
    "placement_update",
    "unit_create",
]

POSTING_SOURCE = "housing.assistancepayment"
MAX_ASSISTANCE_MONTHS = 36
# Partners keep reaching a placement this long after its assistance ends, for follow-up
# (returns to homelessness are measured up to 24 months after exit).
FOLLOW_UP_MONTHS = 24
CENT = Decimal("0.01")


# Helpers -------------------------------------------------------------------------------------


def _subject(membership: Membership | None) -> Any:
    return SYSTEM if membership is None else membership


def _actor(membership: Membership | None) -> Any:
    return ActorKind.SYSTEM if membership is None else membership.user


def _require_role(membership: Membership | None, code: str) -> None:
    if membership is not None and not engine.role_allows(membership, code):
        raise PermissionDenied(_("Your role cannot do this."))


def _money(value: Any, field: str, *, required: bool = True) -> Decimal | None:
    if value in (None, ""):
        if required:
            raise ValidationError({field: _("Enter an amount in dollars and cents.")})
        return None
    if isinstance(value, float):
        raise ValidationError({field: _("Enter an amount in dollars and cents.")})
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise ValidationError({field: _("Enter an amount in dollars and cents.")}) from error
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(CENT):
        raise ValidationError({field: _("Enter an amount in dollars and cents, zero or more.")})
    if amount >= Decimal("100000000"):
        raise ValidationError({field: _("That amount is too large.")})
    return amount


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=candidate)
        except ValueError:
            continue
    raise ValueError(day)  # pragma: no cover


def _aware(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


# Programs and units --------------------------------------------------------------------------


def housing_program_configure(
    *,
    membership: Membership | None,
    program: Program,
    project_type: str,
    partners: Iterable[Agency],
    allows_juveniles: bool = False,
) -> HousingProgram:
    """Set (or change) the housing details of a program: project type and partners."""
    _require_role(membership, "housing.housingprogram.change")
    from .choices import ProjectType

    if project_type not in ProjectType.values:
        raise ValidationError({"project_type": _("Choose a project type.")})
    partners = [a for a in partners if a.is_active]
    with transaction.atomic():
        housing, created = HousingProgram.objects.select_for_update().get_or_create(
            program=program,
            defaults={"project_type": project_type, "allows_juveniles": allows_juveniles},
        )
        if not created:
            housing.project_type = project_type
            housing.allows_juveniles = allows_juveniles
            housing.save(update_fields=["project_type", "allows_juveniles", "updated_at"])
        housing.partners.set(partners)
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=program.agency_id,
            obj=housing,
            fields=["project_type", "partners", "allows_juveniles"],
        )
    return housing


def unit_create(
    *,
    membership: Membership | None,
    agency: Agency,
    address: str,
    landlord_name: str,
    landlord_contact: str = "",
    bedrooms: int = 1,
) -> Unit:
    """Record an apartment; its address and landlord are kept encrypted."""
    unit = Unit(
        agency=agency,
        address=(address or "").strip(),
        landlord_name=(landlord_name or "").strip(),
        landlord_contact=(landlord_contact or "").strip(),
        bedrooms=bedrooms,
        created_by=None if membership is None else membership.user,
    )
    engine.require(_subject(membership), "add", unit)
    errors = {}
    if not unit.address:
        errors["address"] = _("Enter the address of the apartment.")
    if not unit.landlord_name:
        errors["landlord_name"] = _("Enter the landlord or property manager.")
    if not 0 <= int(bedrooms) <= 20:
        errors["bedrooms"] = _("Enter the number of bedrooms (0 to 20).")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        unit.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=_actor(membership),
            agency_id=agency.pk,
            obj=unit,
            fields=["address", "landlord_name", "landlord_contact", "bedrooms"],
        )
    return unit


# Placements ----------------------------------------------------------------------------------

PLAN_FIELDS = ("rent", "assistance_monthly", "participant_share", "income_start")
UPDATABLE = (
    "partner_caseworker",
    "unit",
    "move_in_on",
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
)


def _validate(placement: Placement) -> None:
    """Every rule about a placement's dates, lease and plan, each error naming its field."""
    p = placement
    errors: dict[str, str] = {}
    if p.start_on and p.referral_on and p.start_on < p.referral_on:
        errors["start_on"] = _("The start cannot be before the referral.")
    if p.move_in_on and p.start_on and p.move_in_on < p.start_on:
        errors["move_in_on"] = _("The move-in date cannot be before the start.")
    if p.exit_on:
        if p.move_in_on and p.exit_on < p.move_in_on:
            errors["exit_on"] = _("The exit cannot be before the move-in date.")
        elif p.exit_on < p.start_on:
            errors["exit_on"] = _("The exit cannot be before the start.")
        if not p.destination:
            errors["destination"] = _("Choose where the person went.")
        if p.exit_on > timezone.localdate():
            errors.setdefault("exit_on", _("Record the exit on or after the day she leaves."))
    if p.returned_homeless_on and (not p.exit_on or p.returned_homeless_on < p.exit_on):
        errors["returned_homeless_on"] = _("A return to homelessness is recorded after the exit.")
    elif p.returned_homeless_on and p.returned_homeless_on > timezone.localdate():
        errors["returned_homeless_on"] = _("This date is in the future.")
    if not p.lease_in_own_name:
        errors["lease_in_own_name"] = _("The lease must be in the person's own name.")
    if p.lease_months is not None and p.lease_months < MIN_LEASE_MONTHS:
        errors["lease_months"] = _("A lease must run at least %(n)d months.") % {
            "n": MIN_LEASE_MONTHS
        }
    if p.move_in_on:
        if p.lease_months is None:
            errors.setdefault("lease_months", _("Enter the lease term to record a move-in."))
        if p.rent is None:
            errors["rent"] = _("Enter the monthly rent to record a move-in.")
        if p.unit_id is None:
            errors["unit"] = _("Record the apartment to record a move-in.")
    if p.lease_start_on and p.move_in_on and p.lease_start_on > p.move_in_on:
        errors["lease_start_on"] = _("The lease starts on or before the move-in date.")
    if not p.assistance_months or not 1 <= p.assistance_months <= MAX_ASSISTANCE_MONTHS:
        errors["assistance_months"] = _("Plan between 1 and %(n)d months of rent help.") % {
            "n": MAX_ASSISTANCE_MONTHS
        }
    if p.assistance_monthly is not None and p.assistance_monthly <= 0:
        errors["assistance_monthly"] = _("The monthly rent help must be above zero.")
    elif p.rent is not None and p.assistance_monthly is not None:
        if p.assistance_monthly > p.rent:
            errors["assistance_monthly"] = _("Rent help cannot be more than the rent.")
        elif p.assistance_monthly + p.participant_share != p.rent:
            errors["participant_share"] = _(
                "Rent help and the person's share must add up to the rent (%(rent)s)."
            ) % {"rent": p.rent}
    if p.income_annual is not None and p.income_annual_on is None:
        errors["income_annual_on"] = _("Enter the date of the yearly assessment.")
    if p.income_annual_on and p.income_annual_on < p.start_on:
        errors["income_annual_on"] = _("The yearly assessment is after the start.")
    if errors:
        raise ValidationError(errors)


def _check_person(placement: Placement) -> None:
    from safeharbor.survivors import derive

    person, program = placement.person, placement.program
    if program.allows_juveniles:
        return
    age = derive.age_on(
        placement.start_on,
        dob=person.dob,
        estimated_age=person.estimated_age,
        estimated_on=person.estimated_on,
    )
    if age is None:
        raise ValidationError(
            {"person": _("This program houses adults: record the person's age first.")}
        )
    if derive.is_juvenile(age):
        raise ValidationError(
            {"person": _("This program houses adults only; the person is under 18 at the start.")}
        )


def _check_partner(placement: Placement, owner: Agency) -> None:
    program = placement.program
    allowed = set(program.partners.values_list("pk", flat=True)) | {program.agency_id}
    errors = {}
    if owner.pk not in allowed:
        errors["program"] = _("Your agency is not a partner of this program.")
    if placement.partner_agency_id not in allowed:
        errors["partner_agency"] = _("Choose a partner agency of this program.")
    worker = placement.partner_caseworker_id
    if (
        worker is not None
        and not Membership.objects.filter(
            user_id=worker, agency_id=placement.partner_agency_id, is_active=True
        ).exists()
    ):
        errors["partner_caseworker"] = _("Choose a caseworker of the partner agency.")
    if placement.unit_id is not None and placement.unit.agency_id != owner.pk:
        errors["unit"] = _("Choose an apartment your agency recorded.")
    if errors:
        raise ValidationError(errors)
    if owner.vawa_covered and placement.partner_agency_id != owner.pk:
        from safeharbor.survivors.selectors import consent_covers

        partner = placement.partner_agency
        if not consent_covers(
            person=placement.person, recipient=partner, categories=["identity", "case"]
        ):
            raise ValidationError(
                {
                    "partner_agency": _(
                        "Your agency's records leave it only with the person's written "
                        "consent: record her consent to share identity and case information "
                        "with %(partner)s first."
                    )
                    % {"partner": partner.name}
                }
            )


def _share_with_partner(placement: Placement) -> None:
    """The partner agency reaches the placement (and its unit) while the plan and follow-up
    last: a grant whose source is the placement."""
    if placement.partner_agency_id == placement.agency_id:
        return
    end_day = add_months(
        placement.move_in_on or placement.start_on,
        placement.assistance_months + FOLLOW_UP_MONTHS,
    )
    ends_at = max(_aware(end_day), timezone.now() + datetime.timedelta(days=30))
    engine.grant_create(
        subject=SYSTEM,
        obj=placement,
        grantee_agency=placement.partner_agency,
        categories=["identity", "case", "statistical"],
        actions=["view", "change", "add", "approve", "pay"],
        ends_at=ends_at,
        source=placement,
    )
    if placement.unit_id is not None:
        _share_unit(placement, ends_at)


def _share_unit(placement: Placement, ends_at: datetime.datetime) -> None:
    if placement.partner_agency_id == placement.unit.agency_id:
        return
    engine.grant_create(
        subject=SYSTEM,
        obj=placement.unit,
        grantee_agency=placement.partner_agency,
        categories=["identity", "statistical"],
        actions=["view"],
        ends_at=ends_at,
        source=placement,
    )


def placement_create(
    *,
    membership: Membership | None,
    person: Any,
    program: HousingProgram,
    partner_agency: Agency,
    referral_on: datetime.date,
    start_on: datetime.date,
    assistance_months: int,
    assistance_monthly: Any,
    participant_share: Any = Decimal("0.00"),
    partner_caseworker: Any = None,
    unit: Unit | None = None,
    move_in_on: datetime.date | None = None,
    lease_in_own_name: bool = True,
    lease_start_on: datetime.date | None = None,
    lease_months: int | None = None,
    rent: Any = None,
    income_start: Any = None,
) -> Placement:
    """Place an adult survivor of your agency in a housing program, with the partner agency
    that works on it. The partner agency gets access to the placement and its apartment
    (for a VAWA-covered agency only with the person's consent)."""
    subject = _subject(membership)
    owner = person.agency if membership is None else membership.agency
    if person.agency_id != owner.pk or not engine.can(subject, "view", person):
        raise ValidationError({"person": _("Choose a person your agency serves.")})
    placement = Placement(
        agency=owner,
        person=person,
        program=program,
        partner_agency=partner_agency,
        partner_caseworker=partner_caseworker,
        unit=unit,
        referral_on=referral_on,
        start_on=start_on,
        move_in_on=move_in_on,
        lease_in_own_name=lease_in_own_name,
        lease_start_on=lease_start_on,
        lease_months=lease_months,
        rent=_money(rent, "rent", required=False),
        assistance_months=assistance_months,
        assistance_monthly=_money(assistance_monthly, "assistance_monthly"),
        participant_share=_money(participant_share, "participant_share"),
        income_start=_money(income_start, "income_start", required=False),
        assigned_to=None if membership is None else membership.user,
        created_by=None if membership is None else membership.user,
    )
    placement.income_change = placement.current_income_change()
    engine.require(subject, "add", placement)
    _validate(placement)
    _check_person(placement)
    _check_partner(placement, owner)
    with transaction.atomic():
        placement.save()
        audit_record(
            action=AuditAction.CREATE,
            actor=_actor(membership),
            agency_id=owner.pk,
            obj=placement,
            fields=["person", "program", "partner_agency", *PLACEMENT_DATES, *PLAN_FIELDS],
        )
        _share_with_partner(placement)
    return placement


PLACEMENT_DATES = ("referral_on", "start_on", "move_in_on")


def _locked(placement: Placement) -> Placement:
    return (
        Placement.objects.select_for_update(of=("self",))
        .select_related("program", "unit")
        .get(pk=placement.pk)
    )


def placement_update(
    *, membership: Membership | None, placement: Placement, values: Mapping[str, Any]
) -> Placement:
    """Change what is known: the move-in, the lease, the plan, the yearly income."""
    engine.require(_subject(membership), "change", placement)
    unknown = set(values) - set(UPDATABLE)
    if unknown:
        raise ValueError(f"Not updatable here: {sorted(unknown)}")
    with transaction.atomic():
        current = _locked(placement)
        had_unit = current.unit_id
        for name, value in values.items():
            if name in PLAN_FIELDS or name in {"income_annual"}:
                value = _money(
                    value,
                    name,
                    required=name in {"assistance_monthly", "participant_share"},
                )
            setattr(current, name, value)
        current.income_change = current.current_income_change()
        _validate(current)
        if current.unit_id is not None and current.unit.agency_id != current.agency_id:
            raise ValidationError({"unit": _("Choose an apartment your agency recorded.")})
        current.save()
        audit_record(
            action=AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=current.agency_id,
            obj=current,
            fields=sorted(values),
        )
        if current.unit_id and current.unit_id != had_unit:
            grant = (
                engine.AccessGrant.objects.active()
                .filter(source_type="housing.placement", source_id=str(current.pk))
                .order_by("-ends_at")
                .first()
            )
            if grant is not None:
                _share_unit(current, grant.ends_at)
    return current


def placement_exit(
    *,
    membership: Membership | None,
    placement: Placement,
    exit_on: datetime.date,
    destination: str,
    income_exit: Any = None,
) -> Placement:
    """Record the exit: the date, where she went (HUD destination) and income at exit.
    Months of assistance after the exit month that are not paid yet are cancelled."""
    engine.require(_subject(membership), "change", placement)
    if destination not in Destination.values:
        raise ValidationError({"destination": _("Choose where the person went.")})
    with transaction.atomic():
        current = _locked(placement)
        if current.exit_on is not None:
            raise ValidationError({"exit_on": _("The exit is already recorded.")})
        current.exit_on = exit_on
        current.destination = destination
        current.income_exit = _money(income_exit, "income_exit", required=False)
        current.income_change = current.current_income_change()
        _validate(current)
        current.save(
            update_fields=["exit_on", "destination", "income_exit", "income_change", "updated_at"]
        )
        cancelled = AssistancePayment.objects.filter(
            placement=current,
            month__gt=exit_on.replace(day=1),
            status__in=[AssistanceStatus.SCHEDULED, AssistanceStatus.APPROVED],
        ).update(status=AssistanceStatus.CANCELLED)
        audit_record(
            action=AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=current.agency_id,
            obj=current,
            fields=["exit_on", "destination", "income_exit"],
            reason=f"exit; {cancelled} months cancelled" if cancelled else "exit",
        )
    return current


def placement_record_return(
    *, membership: Membership | None, placement: Placement, returned_on: datetime.date
) -> Placement:
    """Follow-up: the person was homeless again on ``returned_on`` after her exit."""
    engine.require(_subject(membership), "change", placement)
    with transaction.atomic():
        current = _locked(placement)
        current.returned_homeless_on = returned_on
        _validate(current)
        current.save(update_fields=["returned_homeless_on", "updated_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=current.agency_id,
            obj=current,
            fields=["returned_homeless_on"],
        )
    return current


# Rental assistance ---------------------------------------------------------------------------


def assistance_schedule(
    *, membership: Membership | None, placement: Placement
) -> list[AssistancePayment]:
    """Schedule the plan's months of rent help from the move-in month (those not scheduled
    yet), in one transaction."""
    subject = _subject(membership)
    engine.require(subject, "add", AssistancePayment(placement=placement))
    with transaction.atomic():
        current = _locked(placement)
        if current.move_in_on is None:
            raise ValidationError(
                {"move_in_on": _("Record the move-in date before scheduling rent help.")}
            )
        if current.exit_on is not None:
            raise ValidationError({"exit_on": _("The person has exited; nothing to schedule.")})
        first = current.move_in_on.replace(day=1)
        existing = set(
            AssistancePayment.objects.filter(placement=current).values_list("month", flat=True)
        )
        new = [
            AssistancePayment(
                placement=current,
                month=add_months(first, n),
                sequence=n + 1,
                amount=current.assistance_monthly,
            )
            for n in range(current.assistance_months)
            if add_months(first, n) not in existing
        ]
        AssistancePayment.objects.bulk_create(new)
        audit_record(
            action=AuditAction.CREATE,
            actor=_actor(membership),
            agency_id=current.agency_id,
            obj=current,
            fields=["assistance_payments"],
            reason=f"scheduled {len(new)} months",
        )
    return new


def _locked_payment(payment: AssistancePayment) -> AssistancePayment:
    return AssistancePayment.objects.select_for_update().get(pk=payment.pk)


def _check_within_plan(payment: AssistancePayment, placement: Placement) -> None:
    if payment.sequence > placement.assistance_months:
        raise ValidationError(
            {
                "month": _("This month is beyond the plan (%(n)d months).")
                % {"n": placement.assistance_months}
            }
        )
    if payment.amount > placement.assistance_monthly:
        raise ValidationError(
            {
                "amount": _("This is more than the plan's %(amount)s a month.")
                % {"amount": placement.assistance_monthly}
            }
        )
    if placement.exit_on is not None and payment.month > placement.exit_on.replace(day=1):
        raise ValidationError({"month": _("This month is after the person's exit.")})


def assistance_approve(
    *, membership: Membership | None, payment: AssistancePayment
) -> AssistancePayment:
    """Approve a scheduled month for payment (a supervisor)."""
    engine.require(_subject(membership), "approve", payment)
    with transaction.atomic():
        placement = _locked(payment.placement)
        current = _locked_payment(payment)
        if current.status != AssistanceStatus.SCHEDULED:
            raise ValidationError({"status": _("Only a scheduled month can be approved.")})
        _check_within_plan(current, placement)
        current.status = AssistanceStatus.APPROVED
        current.approved_by = None if membership is None else membership.user
        current.approved_at = timezone.now()
        current.save(update_fields=["status", "approved_by", "approved_at"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=placement.agency_id,
            obj=current,
            fields=["status", "approved_by"],
            reason="approved",
        )
    return current


def assistance_pay(
    *,
    membership: Membership | None,
    payment: AssistancePayment,
    allocation: Any,
    paid_on: datetime.date,
) -> AssistancePayment:
    """Pay an approved month from an allocation of the fund to the program: posted to the
    ledger as program expenditure through the fund's posting service. The ledger never sees
    the landlord or the address."""
    from safeharbor.funds import services as funds
    from safeharbor.funds.models import Allocation
    from safeharbor.funds.selectors import with_balances

    engine.require(_subject(membership), "pay", payment)
    with transaction.atomic():
        placement = _locked(payment.placement)
        current = _locked_payment(payment)
        if current.status != AssistanceStatus.APPROVED:
            raise ValidationError({"status": _("Only an approved month can be paid.")})
        _check_within_plan(current, placement)
        if allocation is None or allocation.program_id != placement.program.program_id:
            raise ValidationError(
                {"allocation": _("Choose an allocation of the fund to this program.")}
            )
        available = with_balances(Allocation.objects.filter(pk=allocation.pk)).get().available
        if available < current.amount:
            raise ValidationError(
                {
                    "allocation": _(
                        "This allocation has %(left)s left, less than this month's %(amount)s."
                    )
                    % {"left": available.quantize(CENT), "amount": current.amount}
                }
            )
        try:
            ledger = funds.payment_post(
                actor=SYSTEM if membership is None else membership.user,
                membership=membership,
                allocation=allocation,
                amount=current.amount,
                payee=_("Rental assistance, placement %(n)s") % {"n": placement.pk},
                reference=f"RA-{placement.pk}-{current.month:%Y%m}",
                memo=_("Rental assistance for %(month)s, placement %(n)s")
                % {"month": current.month.strftime("%Y-%m"), "n": placement.pk},
                paid_on=paid_on,
                source_type=POSTING_SOURCE,
                source_id=current.pk,
            )
        except PermissionDenied as error:
            raise PermissionDenied(
                _(
                    "Only staff of the program's agency, or the fund's finance office, can "
                    "pay from this allocation."
                )
            ) from error
        except ValidationError as error:
            messages = error.message_dict if hasattr(error, "error_dict") else {}
            if "amount" in messages:
                raise ValidationError({"allocation": messages["amount"]}) from error
            if "entry_date" in messages or "paid_on" in messages or not messages:
                raise ValidationError({"paid_on": error.messages}) from error
            raise
        current.status = AssistanceStatus.PAID
        current.paid_by = None if membership is None else membership.user
        current.paid_on = paid_on
        current.ledger_payment = ledger
        current.save(update_fields=["status", "paid_by", "paid_on", "ledger_payment"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=_actor(membership),
            agency_id=placement.agency_id,
            obj=current,
            fields=["status", "paid_on", "ledger_payment"],
            reason="paid",
        )
    return current
