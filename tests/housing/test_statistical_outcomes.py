"""Outcomes counted through the permission engine's statistical read: the direction of the
income change is the statistical copy of the incomes (kept by the services, filled in for
existing placements by the migration), amounts stay out of reach, and every count is
audited once with its purpose."""

from __future__ import annotations

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied

from safeharbor.audit.models import AuditEvent
from safeharbor.core.actors import SYSTEM
from safeharbor.core.permissions import statistical_read
from safeharbor.housing import selectors, services
from safeharbor.housing.models import Placement
from tests import factories

from .conftest import make_person, place
from .test_pages import client_for

pytestmark = pytest.mark.django_db

PERIOD = {"start": datetime.date(2025, 1, 1), "end": datetime.date(2026, 12, 31)}


def _housed(worker, pilot, lifeworks):
    unit = services.unit_create(
        membership=worker, agency=lifeworks, address="1 Test Row", landlord_name="T"
    )
    return place(worker, make_person(lifeworks, worker), pilot, lifeworks, unit)


def _three_exits(worker, pilot, lifeworks):
    """Income at start is 400 for each: one exit at 900 (up), one at 400 (same), one at 100
    (down), and one person still housed with no later income (not known)."""
    placements = [_housed(worker, pilot, lifeworks) for _ in range(4)]
    for placement, income, destination in zip(
        placements[:3], ("900.00", "400.00", "100.00"), ("410", "435", "101"), strict=True
    ):
        services.placement_exit(
            membership=worker,
            placement=placement,
            exit_on=datetime.date(2025, 12, 1),
            destination=destination,
            income_exit=Decimal(income),
        )
    return placements


def test_the_services_keep_the_direction_of_the_income_change(worker, pilot, lifeworks):
    placement = _housed(worker, pilot, lifeworks)
    assert Placement.objects.get(pk=placement.pk).income_change == ""
    services.placement_update(
        membership=worker,
        placement=placement,
        values={"income_annual": "650.00", "income_annual_on": datetime.date(2026, 9, 20)},
    )
    assert Placement.objects.get(pk=placement.pk).income_change == "up"
    services.placement_exit(
        membership=worker,
        placement=placement,
        exit_on=datetime.date(2026, 10, 1),
        destination="410",
        income_exit=Decimal("250.00"),
    )
    # At exit the exit income is the latest one, whatever the yearly assessment said.
    assert Placement.objects.get(pk=placement.pk).income_change == "down"


def test_the_migration_fills_in_existing_placements(worker, pilot, lifeworks):
    placements = _three_exits(worker, pilot, lifeworks)
    Placement.objects.update(income_change="")
    migration = importlib.import_module(
        "safeharbor.housing.migrations.0003_placement_income_change"
    )
    migration.backfill(apps, None)
    changes = dict(Placement.objects.values_list("pk", "income_change"))
    assert [changes[p.pk] for p in placements] == ["up", "same", "down", ""]


def test_counted_outcomes_match_the_exact_ones_without_amounts(worker, pilot, lifeworks):
    _three_exits(worker, pilot, lifeworks)
    exact = selectors.outcomes(Placement.objects.filter(program=pilot), **PERIOD)
    counted = selectors.counted_outcomes(SYSTEM, housing=pilot, purpose="housing.test", **PERIOD)
    for measure in ("housed", "housed_at_end", "exits", "permanent_exits", "returns"):
        assert getattr(counted, measure) == getattr(exact, measure), measure
    assert counted.exits_by_destination == exact.exits_by_destination
    assert counted.move_ins_by_month == exact.move_ins_by_month
    assert (counted.income_up, counted.income_same, counted.income_down) == (1, 1, 1)
    assert (exact.income_up, exact.income_same, exact.income_down) == (1, 1, 1)
    # Dollar amounts are for readers of the placements only.
    assert sorted(exact.income_changes) == [Decimal("-300"), 0, Decimal("500")]
    assert counted.income_changes == []
    labels = {r.label for r in selectors.summary_rows(counted, suppressed=False)}
    assert "Average change in monthly income" not in labels

    event = AuditEvent.objects.get(reason="statistical_read", object_id="housing.test")
    assert "counted:housing.placement.income_change" in event.fields
    assert f"filter:program={pilot.pk}" in event.fields
    assert not any("income_start" in f or "income_exit" in f for f in event.fields)


@pytest.mark.parametrize(
    "count",
    [
        lambda rows: list(rows.values("income_start")),
        lambda rows: rows.filter(income_exit__gt=0).count(),
        lambda rows: list(rows.values_list("rent", flat=True)),
        lambda rows: list(rows.values("unit__address")),
        lambda rows: list(rows),
    ],
    ids=["income_start", "income_exit", "rent", "unit address", "rows"],
)
def test_a_statistical_read_cannot_reach_amounts_or_records(worker, pilot, lifeworks, count):
    _housed(worker, pilot, lifeworks)
    with statistical_read(SYSTEM, purpose="housing.test") as read, pytest.raises(PermissionDenied):
        count(read.rows(Placement))


def test_the_coordinators_program_page_is_one_audited_statistical_read(
    worker, pilot, lifeworks, city
):
    _three_exits(worker, pilot, lifeworks)
    coordinator = factories.membership(factories.UserFactory(), city, "coordinator")
    client = client_for(coordinator)
    before = AuditEvent.objects.count()
    page = client.get(f"/staff/housing/programs/{pilot.pk}/?start=2025-01-01&end=2026-06-30")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Income went up (start to latest assessment)" in text
    assert "fewer than 11" in text
    assert "Average change in monthly income" not in text
    event = AuditEvent.objects.get(reason="statistical_read")
    assert AuditEvent.objects.count() == before + 1
    assert (event.object_type, event.object_id) == ("statistics", "housing.outcomes")
    assert (event.actor_kind, event.actor_id) == ("user", coordinator.user.pk)
    assert "access:housing.placement=all_agencies" in event.fields

    export = client.get(
        f"/staff/housing/programs/{pilot.pk}/outcomes.csv?start=2025-01-01&end=2026-06-30"
    )
    assert b"Income increased,fewer than 11" in b"".join(export.streaming_content)
    read = AuditEvent.objects.get(reason="statistical_read", object_id="housing.funder_export")
    assert read.actor_id == coordinator.user.pk and "via:system" in read.fields


def test_the_housing_worker_still_sees_the_average_change_in_income(worker, pilot, lifeworks):
    _three_exits(worker, pilot, lifeworks)
    page = client_for(worker).get(
        f"/staff/housing/programs/{pilot.pk}/?start=2025-01-01&end=2026-06-30"
    )
    text = page.content.decode()
    assert "Average change in monthly income" in text
    assert "$66.67" in text  # (500 + 0 - 300) / 3
    assert not AuditEvent.objects.filter(reason="statistical_read").exists()
    assert AuditEvent.objects.filter(reason="outcomes", object_id=str(pilot.pk)).exists()


def test_the_api_counts_for_aggregate_roles_through_a_statistical_read(
    worker, pilot, lifeworks, city
):
    _three_exits(worker, pilot, lifeworks)
    coordinator = factories.membership(factories.UserFactory(), city, "coordinator")
    response = client_for(coordinator).get(
        f"/api/v1/housing/programs/{pilot.pk}/outcomes/?start=2025-01-01&end=2026-06-30"
    )
    body = response.json()
    assert body["suppressed"] is True
    labels = {m["label"] for m in body["measures"]}
    assert "Average change in monthly income" not in labels
    event = AuditEvent.objects.get(reason="statistical_read", object_id="housing.api.outcomes")
    assert event.actor_id == coordinator.user.pk
    assert "counted:housing.placement.income_change" in event.fields
