"""The coordinator's home shows two unique counts (all time and this year): both are counted
in one statistical read, so each page load writes one audit event naming both filters, and
the figures are the records' own."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.linkage import selectors
from safeharbor.survivors.models import Person

from .test_pages_and_api import linked, young_people  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


def _home_reads():
    return AuditEvent.objects.filter(
        reason="statistical_read", object_id="linkage.home_counts"
    ).order_by("id")


def test_each_home_load_is_one_audited_read_of_both_counts(staff_client, city, linked):  # noqa: F811
    client, user = staff_client("coordinator", agency=city)
    before = AuditEvent.objects.filter(reason="statistical_read").count()
    page = client.get("/staff/").content.decode()
    year = timezone.localdate().year
    assert f"Unique young people suspected or confirmed, {year}: 12" in page
    assert "Unique young people suspected or confirmed: 12" in page
    assert AuditEvent.objects.filter(reason="statistical_read").count() == before + 1
    event = _home_reads().get()
    assert (event.actor_kind, event.actor_id) == ("user", user.pk)
    assert "via:system" in event.fields
    assert "counted:survivors.identification.status" in event.fields
    assert "filter:1.start=" in event.fields  # all time
    assert f"filter:2.start={year}-01-01" in event.fields
    assert f"filter:2.end={year}-12-31" in event.fields
    ids = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert not ids & {f.split("=")[-1] for f in event.fields}

    client.get("/staff/")
    assert _home_reads().count() == 2


def test_counts_in_one_read_equal_counts_read_one_by_one(city, linked):  # noqa: F811
    filters = selectors.default_filters()
    together = selectors.unique_counts(filters)
    alone = [selectors.unique_count(f) for f in filters]
    assert together == alone
    assert together[0].point == 12
