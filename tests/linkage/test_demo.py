"""The Portland demo: young people known to child welfare and the police, VAWA-covered
records with and without consent to statistical linkage, and a first run, so the demo
coordinator sees the unique count with its interval."""

from __future__ import annotations

import pytest

from safeharbor.accounts import demo as accounts_demo
from safeharbor.linkage import demo
from safeharbor.linkage.models import ClusterMembership, LinkageRun
from safeharbor.survivors import demo as survivors_demo
from safeharbor.survivors.models import Person
from tests import factories
from tests.conftest import sign_in

pytestmark = pytest.mark.django_db


def test_demo_links_dhs_and_police_and_the_coordinator_sees_the_interval(client):
    accounts_demo.load()
    survivors_demo.load()
    demo.load()
    demo.load()  # idempotent: no new records, no second run
    assert LinkageRun.objects.count() == 1
    run = LinkageRun.objects.get()
    assert run.counts["excluded_no_consent"] > 0
    dhs = Person.objects.get(source_record_id="demo-linkage-3-dhs")
    police = Person.objects.get(source_record_id="demo-linkage-3-police")
    clusters = dict(ClusterMembership.objects.filter(run=run).values_list("person_id", "cluster"))
    assert clusters[dhs.pk] == clusters[police.pk]
    flags = dict(ClusterMembership.objects.filter(run=run).values_list("person_id", "linked"))
    consented = Person.objects.get(source_record_id="demo-linkage-1-lifeworks")
    refused = Person.objects.get(source_record_id="demo-linkage-2-lifeworks")
    assert flags[consented.pk] is True and flags[refused.pk] is False

    from safeharbor.accounts.models import User

    coordinator = User.objects.get(email="coordinator@demo.safeharbor.example")
    coordinator.set_password(factories.PASSWORD)  # the test signs in with the factories' one
    coordinator.save(update_fields=["password"])
    sign_in(client, coordinator)
    page = client.get("/staff/").content.decode()
    assert "Unique young people suspected or confirmed: " in page
    assert "(between " in page and "fewer than 11 (between" not in page
