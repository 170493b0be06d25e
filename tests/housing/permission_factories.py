"""Harness factories for housing (synthetic): a unit, a placement and a month of rental
assistance, owned (a month: through its placement) by ``agency`` and assigned to
``assigned_to``."""

from __future__ import annotations

import datetime
from decimal import Decimal

from safeharbor.core.testing.harness import register_factory
from safeharbor.housing.models import AssistancePayment, HousingProgram, Placement, Unit
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.models import Person
from tests import factories

DAY = datetime.date(2025, 9, 1)


def make_unit(*, agency, assigned_to=None):
    return Unit.objects.create(
        agency=agency,
        address="1 Synthetic Way",
        landlord_name="Synthetic Landlord",
        created_by=assigned_to,
    )


def make_placement(*, agency, assigned_to=None):
    person = Person.objects.create(agency=agency, reference=new_reference(), given_name="Synth")
    program = HousingProgram.objects.create(
        program=factories.ProgramFactory(agency=agency, kind="housing"), project_type="rrh"
    )
    return Placement.objects.create(
        agency=agency,
        person=person,
        program=program,
        partner_agency=agency,
        referral_on=DAY,
        start_on=DAY,
        assistance_months=6,
        assistance_monthly=Decimal("500.00"),
        assigned_to=assigned_to,
    )


def make_payment(*, agency, assigned_to=None):
    return AssistancePayment.objects.create(
        placement=make_placement(agency=agency, assigned_to=assigned_to),
        month=DAY,
        sequence=1,
        amount=Decimal("500.00"),
    )


register_factory(Unit, make_unit)
register_factory(Placement, make_placement)
register_factory(AssistancePayment, make_payment)
