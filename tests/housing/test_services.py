"""Placements, their rules, the partner's access, and rent help paid through the ledger."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from safeharbor.audit.models import AuditEvent
from safeharbor.core import permissions as engine
from safeharbor.core.actors import SYSTEM
from safeharbor.funds import services as funds
from safeharbor.funds.models import JournalEntry, JournalLine
from safeharbor.funds.selectors import with_balances
from safeharbor.housing import services
from safeharbor.housing.choices import AssistanceStatus, destination_group
from safeharbor.housing.models import AssistancePayment, Placement
from tests import factories

from .conftest import MOVE_IN, START, make_person, place

pytestmark = pytest.mark.django_db


def errors_of(call):
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_partner_caseworker_sees_only_the_placements_their_agency_works_on(
    placement, worker, pilot, lifeworks, join_worker, join_supervisor
):
    other = make_person(lifeworks, worker)
    own_only = place(worker, other, pilot, lifeworks)
    for member in (join_worker, join_supervisor):
        visible = set(Placement.objects.visible_to(member).values_list("pk", flat=True))
        assert visible == {placement.pk}
        assert engine.can(member, "change", placement)
        assert not engine.can(member, "view", own_only)
    # The partner sees the apartment too (to work with the landlord), not the person record.
    assert engine.can(join_worker, "view", placement.unit)
    assert not engine.can(join_worker, "view", placement.person)
    assert engine.visible_categories(join_worker, placement) == {"identity", "case", "statistical"}
    # Nobody else outside the owning agency does.
    stranger = factories.membership(
        factories.UserFactory(), factories.AgencyFactory(), "supervisor"
    )
    assert not Placement.objects.visible_to(stranger).exists()


def test_a_vawa_agency_needs_consent_to_work_with_a_partner(worker, pilot, lifeworks, join, unit):
    no_consent = make_person(lifeworks, worker)
    errors = errors_of(lambda: place(worker, no_consent, pilot, join, unit))
    assert "written consent" in errors["partner_agency"][0]
    assert not Placement.objects.exists()
    # Its own advocates can work on it without sharing.
    assert place(worker, no_consent, pilot, lifeworks, unit).pk


def test_a_juvenile_is_refused_unless_the_program_allows_it(worker, pilot, lifeworks, join):
    young = make_person(lifeworks, worker, dob=START.replace(year=START.year - 16), consent_to=join)
    errors = errors_of(lambda: place(worker, young, pilot, join))
    assert "adults only" in errors["person"][0]
    pilot.allows_juveniles = True
    pilot.save()
    assert place(worker, young, pilot, join).pk


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"move_in_on": START - datetime.timedelta(days=1)}, "move_in_on", "before the start"),
        ({"lease_months": 11}, "lease_months", "at least 12 months"),
        ({"lease_in_own_name": False}, "lease_in_own_name", "her own name"),
        ({"start_on": datetime.date(2025, 1, 1)}, "start_on", "before the referral"),
        ({"assistance_monthly": Decimal("1200.00")}, "assistance_monthly", "more than the rent"),
        ({"participant_share": Decimal("10.00")}, "participant_share", "add up to the rent"),
    ],
)
def test_bad_input_is_refused_naming_the_field(
    worker, person, pilot, join, unit, changes, field, text
):
    errors = errors_of(lambda: place(worker, person, pilot, join, unit, **changes))
    assert field in errors, errors
    assert text.replace("her own", "person's own") in errors[field][0] or text in errors[field][0]
    assert not Placement.objects.exists()


def test_exit_before_move_in_is_refused_and_a_proper_exit_cancels_later_months(placement, worker):
    services.assistance_schedule(membership=worker, placement=placement)
    errors = errors_of(
        lambda: services.placement_exit(
            membership=worker,
            placement=placement,
            exit_on=MOVE_IN - datetime.timedelta(days=1),
            destination="410",
        )
    )
    assert "before the move-in" in errors["exit_on"][0]
    errors = errors_of(
        lambda: services.placement_exit(
            membership=worker,
            placement=placement,
            exit_on=datetime.date.today() + datetime.timedelta(days=3),
            destination="410",
        )
    )
    assert "on or after the day she leaves" in errors["exit_on"][0]
    done = services.placement_exit(
        membership=worker,
        placement=placement,
        exit_on=datetime.date(2025, 12, 15),
        destination="410",
        income_exit=Decimal("1500.00"),
    )
    assert done.destination_group == "permanent"
    statuses = dict(placement.assistance_payments.values_list("month", "status"))
    assert statuses[datetime.date(2025, 12, 1)] == AssistanceStatus.SCHEDULED
    assert statuses[datetime.date(2026, 1, 1)] == AssistanceStatus.CANCELLED
    errors = errors_of(
        lambda: services.placement_record_return(
            membership=worker, placement=done, returned_on=datetime.date(2025, 12, 1)
        )
    )
    assert "returned_homeless_on" in errors


def test_hud_destination_groups():
    assert destination_group("435") == "permanent"
    assert destination_group("101") == "temporary"
    assert destination_group("116") == "temporary"
    assert destination_group("207") == "institutional"
    assert destination_group("99") == "other"
    assert destination_group("24") == "other"


def test_schedule_approve_and_pay_posts_program_expenditure(
    placement, worker, supervisor, join_supervisor, allocation
):
    months = services.assistance_schedule(membership=worker, placement=placement)
    assert [m.month for m in months][:2] == [datetime.date(2025, 9, 1), datetime.date(2025, 10, 1)]
    assert len(months) == 6 and {m.amount for m in months} == {Decimal("800.00")}
    assert services.assistance_schedule(membership=worker, placement=placement) == []
    first = months[0]
    # A caseworker schedules; approving and paying are for supervisors.
    with pytest.raises(PermissionDenied):
        services.assistance_approve(membership=worker, payment=first)
    services.assistance_approve(membership=supervisor, payment=first)
    # The survivor agency's supervisor cannot pay from the program's (JOIN's) allocation...
    with pytest.raises(PermissionDenied):
        services.assistance_pay(
            membership=supervisor, payment=first, allocation=allocation, paid_on=MOVE_IN
        )
    # ...the program agency's supervisor, working on the placement as partner, can.
    paid = services.assistance_pay(
        membership=join_supervisor, payment=first, allocation=allocation, paid_on=MOVE_IN
    )
    assert paid.status == AssistanceStatus.PAID and paid.ledger_payment_id
    entry = JournalEntry.objects.get(
        source_type="housing.assistancepayment", source_id=str(paid.pk)
    )
    expenditure = JournalLine.objects.get(entry=entry, account__role="program_expenditure")
    assert expenditure.debit == Decimal("800.00") and expenditure.allocation_id == allocation.pk
    assert with_balances(type(allocation).objects.filter(pk=allocation.pk)).get().available == (
        Decimal("1200.00")
    )
    # The ledger never names the landlord or the address.
    ledger_text = f"{entry.memo} {paid.ledger_payment.payee} {paid.ledger_payment.reference}"
    assert "Hidden Landlord" not in ledger_text and "Confidential" not in ledger_text
    actions = set(
        AuditEvent.objects.filter(object_type="housing.assistancepayment").values_list(
            "reason", flat=True
        )
    )
    assert {"approved", "paid"} <= actions


def test_a_payment_beyond_the_plan_or_from_an_empty_allocation_is_refused(
    placement, worker, supervisor, allocation, fund, pilot
):
    months = services.assistance_schedule(membership=worker, placement=placement)
    for month in months:
        services.assistance_approve(membership=None, payment=month)
    services.placement_update(
        membership=worker, placement=placement, values={"assistance_months": 2}
    )
    errors = errors_of(
        lambda: services.assistance_pay(
            membership=None, payment=months[3], allocation=allocation, paid_on=MOVE_IN
        )
    )
    assert "beyond the plan" in errors["month"][0]
    AssistancePayment.objects.filter(pk=months[1].pk).update(amount=Decimal("900.00"))
    errors = errors_of(
        lambda: services.assistance_pay(
            membership=None, payment=months[1], allocation=allocation, paid_on=MOVE_IN
        )
    )
    assert "more than the plan" in errors["amount"][0]
    empty = funds.allocation_create(
        actor=SYSTEM,
        membership=None,
        fund=fund,
        program=pilot.program,
        share=fund.shares.get(name="Victim services"),
        purpose="Nearly spent",
        amount=Decimal("100.00"),
        allocated_on=START,
    )
    errors = errors_of(
        lambda: services.assistance_pay(
            membership=None, payment=months[0], allocation=empty, paid_on=MOVE_IN
        )
    )
    assert "100.00 left" in errors["allocation"][0]
    other_program = factories.ProgramFactory()
    assert other_program.pk != pilot.program_id
    assert not JournalEntry.objects.filter(source_type="housing.assistancepayment").exists()


def test_every_write_is_audited(placement, worker):
    kinds = AuditEvent.objects.filter(object_type__startswith="housing.").values_list(
        "object_type", "action"
    )
    assert ("housing.placement", "create") in set(kinds)
    assert ("housing.unit", "create") in set(kinds)
    assert ("housing.placement", "permission_change") in set(kinds)  # the partner's grant
    services.placement_update(
        membership=worker,
        placement=placement,
        values={"income_annual": Decimal("900.00"), "income_annual_on": datetime.date(2026, 9, 1)},
    )
    event = AuditEvent.objects.filter(object_type="housing.placement", action="update").last()
    assert event.fields == ["income_annual", "income_annual_on"]
