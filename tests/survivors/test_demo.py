"""The Portland demo: a few dozen synthetic people, some recorded by two agencies."""

from __future__ import annotations

import pytest
from django.db.models import Count

from safeharbor.accounts import demo as accounts_demo
from safeharbor.survivors import demo
from safeharbor.survivors.models import Case, Consent, MissingEpisode, Person

pytestmark = pytest.mark.django_db


def test_demo_loads_people_across_agencies_and_is_idempotent():
    accounts_demo.load()
    demo.load()
    total = Person.objects.count()
    assert 30 <= total <= 60
    by_agency = dict(Person.objects.values_list("agency__slug").annotate(n=Count("id")).order_by())
    assert set(by_agency) == {
        "lifeworks-nw",
        "oregon-dhs",
        "gateway-center",
        "join",
        "portland-police",
    }
    shared = Person.objects.filter(source_record_id__startswith="demo-shared-")
    assert shared.count() == 6
    dob_by_key = {p.source_record_id: p.dob for p in shared}
    assert dob_by_key["demo-shared-1-dhs"] == dob_by_key["demo-shared-1-lifeworks-nw"]
    assert Case.objects.exists() and Consent.objects.exists()
    assert MissingEpisode.objects.filter(police_reported_at__isnull=True).exists()
    demo.load()
    assert Person.objects.count() == total
