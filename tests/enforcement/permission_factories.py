"""Harness factories for the enforcement area's protected models (synthetic data)."""

from __future__ import annotations

import datetime

from django.utils import timezone

from safeharbor.core.testing.harness import register_factory
from safeharbor.enforcement.choices import ContactRole, SubjectKind
from safeharbor.enforcement.models import (
    Arrest,
    Charge,
    Contact,
    FollowUp,
    Investigation,
    Operation,
    Subject,
    UnitMember,
)
from tests import factories

_counter = iter(range(1, 10**9))


def make_operation(*, agency, assigned_to=None):
    lead = assigned_to or factories.UserFactory()
    return Operation.objects.create(
        agency=agency,
        name="Synthetic operation",
        kind="street",
        started_on=datetime.date(2026, 3, 1),
        general_area="Synthetic corridor",
        lead=lead,
        created_by=assigned_to,
    )


def make_contact(*, agency, assigned_to=None):
    return Contact.objects.create(
        operation=make_operation(agency=agency, assigned_to=assigned_to),
        role=ContactRole.WITNESS,
        contacted_at=timezone.now(),
        notes="synthetic",
    )


def make_follow_up(*, agency, assigned_to=None):
    return FollowUp.objects.create(
        contact=make_contact(agency=agency, assigned_to=assigned_to),
        occurred_on=datetime.date(2026, 3, 2),
        kind="phone",
    )


def make_subject(*, agency, assigned_to=None):
    return Subject.objects.create(
        agency=agency,
        reference=f"SUB-T{next(_counter):07d}",
        kind=SubjectKind.BUYER,
        given_name="Synthetic",
        created_by=assigned_to,
    )


def make_arrest(*, agency, assigned_to=None):
    return Arrest.objects.create(
        subject=make_subject(agency=agency, assigned_to=assigned_to),
        arrested_at=timezone.now(),
        arresting_officer=factories.UserFactory(),
    )


def make_charge(*, agency, assigned_to=None):
    return Charge.objects.create(
        arrest=make_arrest(agency=agency, assigned_to=assigned_to),
        citation="ORS 167.007",
        charged_on=datetime.date(2026, 3, 3),
    )


def make_investigation(*, agency, assigned_to=None):
    return Investigation.objects.create(
        agency=agency,
        case_number=f"T-{next(_counter)}",
        title="Synthetic investigation",
        opened_on=datetime.date(2026, 3, 1),
        lead_detective=assigned_to or factories.UserFactory(),
        created_by=assigned_to,
    )


def make_unit_member(*, agency, assigned_to=None):
    return UnitMember.objects.create(
        agency=agency, user=assigned_to or factories.UserFactory(), rank="officer"
    )


register_factory(Operation, make_operation)
register_factory(Contact, make_contact)
register_factory(FollowUp, make_follow_up)
register_factory(Subject, make_subject)
register_factory(Arrest, make_arrest)
register_factory(Charge, make_charge)
register_factory(Investigation, make_investigation)
register_factory(UnitMember, make_unit_member)
