"""Reports count through the permission engine's statistical read: one audit event per
report naming the reader, the fields counted and the filter, never a person."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeharbor.audit.models import AuditEvent
from safeharbor.survivors.models import Case, Person

from .conftest import make_people, this_month

pytestmark = pytest.mark.django_db


def _reads():
    return AuditEvent.objects.filter(reason="statistical_read").order_by("id")


def test_a_dashboard_request_is_one_audited_statistical_read(staff_client, provider):
    make_people(provider, 3, on=this_month())
    client, user = staff_client("analyst")
    assert client.get("/staff/reports/").status_code == 200
    event = _reads().get()
    assert (event.object_type, event.object_id) == ("statistics", "reports.dashboard")
    assert (event.actor_kind, event.actor_id) == ("user", user.pk)
    assert "counted:survivors.identification.status" in event.fields
    assert "filter:agencies=all" in event.fields
    assert "filter:suppressed=yes" in event.fields
    assert "via:system" in event.fields
    references = set(Person.objects.values_list("reference", flat=True))
    ids = {str(pk) for pk in Person.objects.values_list("pk", flat=True)}
    assert not references & {f.split("=")[-1] for f in event.fields}
    assert not ids & {f.split("=")[-1] for f in event.fields}


def test_the_performance_report_counts_gender_from_the_statistical_copy(staff_client, provider):
    people = make_people(provider, 12, on=timezone.localdate(), sex="M")
    for person in people:
        Case.objects.create(person=person, agency=provider, opened_on=timezone.localdate())
    client, _user = staff_client("supervisor", agency=provider)
    page = client.get("/staff/reports/performance/").content.decode()
    assert "Clients served:</strong> 12" in page
    assert '>Male</th><td class="text-right">12<' in page.replace("\n", "").replace("  ", "")
    event = _reads().get()
    assert event.object_id == "reports.performance"
    assert "counted:survivors.person.sex_statistical" in event.fields
    assert not any(f.split(":")[-1] == "survivors.person.sex" for f in event.fields)
    assert f"filter:agencies={provider.pk}" in event.fields
