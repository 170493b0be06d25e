"""The statistical read path of the permission engine: counts of statistical fields only,
never rows, the subject's reach, and one audit event naming fields and filter, not people."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Q

from safeharbor.accounts.models import Membership, Role
from safeharbor.audit.models import AuditEvent
from safeharbor.core.permissions import SYSTEM, statistical_read
from safeharbor.core.testing.models import Specimen, SpecimenNote
from tests import factories

pytestmark = pytest.mark.django_db

SECRET = "Synthetic Quillon Farrow"


def _specimen(agency, band="15-17", **extra):
    return Specimen.objects.create(agency=agency, name=SECRET, age_band=band, **extra)


def _member(agency, *patterns, scope="agency"):
    role = Role.objects.create(
        slug=f"stat-{Role.objects.count()}",
        name="Statistics test",
        permissions=list(patterns),
        default_scope=scope,
    )
    return Membership.objects.create(user=factories.UserFactory(), agency=agency, role=role)


def _bands(read, model=Specimen):
    rows = read.rows(model).values("age_band").annotate(n=Count("pk")).order_by("age_band")
    return {r["age_band"]: r["n"] for r in rows}


def test_system_counts_every_agency_and_the_audit_names_fields_and_filter_not_people():
    own, other = factories.AgencyFactory(), factories.AgencyFactory()
    _specimen(own)
    _specimen(other)
    _specimen(other, band="12-14")
    reader = factories.membership(factories.UserFactory(), own, "analyst")
    with statistical_read(
        SYSTEM, purpose="tests.bands", on_behalf_of=reader, filters={"agencies": "all"}
    ) as read:
        assert _bands(read) == {"12-14": 1, "15-17": 2}
    event = AuditEvent.objects.filter(reason="statistical_read").get()
    assert (event.action, event.object_type) == ("list", "statistics")
    assert event.object_id == "tests.bands"
    assert (event.actor_kind, event.actor_id, event.agency_id) == ("user", reader.user_id, own.pk)
    assert "counted:core_testing.specimen.age_band" in event.fields
    assert "filter:agencies=all" in event.fields
    assert "via:system" in event.fields
    assert SECRET not in str(event.fields) and "Quillon" not in str(event.fields)


@pytest.mark.parametrize(
    "build",
    [
        lambda qs: qs.values("name"),
        lambda qs: qs.values_list("phone", flat=True),
        lambda qs: qs.filter(name=SECRET),
        lambda qs: qs.filter(Q(age_band="15-17") | Q(case_notes__contains="x")),
        lambda qs: qs.exclude(date_of_birth__isnull=True),
        lambda qs: qs.annotate(n=Count("name")),
        lambda qs: qs.aggregate(n=Count("pk", filter=Q(name=SECRET))),
        lambda qs: qs.order_by("name"),
        lambda qs: qs.values(shown=F("aliases")),
    ],
    ids=["values", "values_list", "filter", "q", "exclude", "annotate", "agg-filter", "order", "F"],
)
def test_a_field_outside_the_statistical_category_is_refused(build):
    _specimen(factories.AgencyFactory())
    with (
        statistical_read(SYSTEM, purpose="tests.refused") as read,
        pytest.raises(PermissionDenied, match="only statistical fields"),
    ):
        build(read.rows(Specimen))


def test_relations_are_followed_to_the_fields_they_reach():
    parent = _specimen(factories.AgencyFactory())
    SpecimenNote.objects.create(specimen=parent, text="synthetic note", kind="call")
    with statistical_read(SYSTEM, purpose="tests.relations") as read:
        notes = read.rows(SpecimenNote)
        by_band = notes.values("kind", "specimen__age_band").annotate(n=Count("pk"))
        assert list(by_band) == [{"kind": "call", "specimen__age_band": "15-17", "n": 1}]
        with pytest.raises(PermissionDenied):
            notes.values("specimen__name")
        with pytest.raises(PermissionDenied):
            notes.values("text")
        # A key is a join, not a value: counting distinct parents is allowed.
        assert notes.aggregate(people=Count("specimen_id", distinct=True)) == {"people": 1}
        assert read.rows(Specimen).filter(pk__in=notes.values("specimen_id")).count() == 1


def test_a_statistical_read_never_gives_records_and_never_writes():
    _specimen(factories.AgencyFactory())
    with statistical_read(SYSTEM, purpose="tests.rows") as read:
        rows = read.rows(Specimen)
        for attempt in (list, lambda q: q.first(), lambda q: q.get(), lambda q: next(q.iterator())):
            with pytest.raises(PermissionDenied, match="counts, not records"):
                attempt(rows)
        for write in (lambda q: q.update(age_band="x"), lambda q: q.delete()):
            with pytest.raises(PermissionDenied):
                write(rows)
        assert rows.count() == 1 and rows.exists()
    assert Specimen.objects.get().age_band == "15-17"


def test_who_counts_what():
    own, other = factories.AgencyFactory(), factories.AgencyFactory()
    _specimen(own)
    _specimen(other)
    everywhere = _member(own, "core_testing.specimen.aggregate")
    own_only = _member(own, "core_testing.specimen.view", scope="assigned")
    denied = _member(own, "core_testing.*", "!core_testing.specimen.view.statistical")
    nothing = _member(own, "directory.*")
    counted = {}
    for name, subject in [
        ("everywhere", everywhere),
        ("own_only", own_only),
        ("denied", denied),
        ("nothing", nothing),
    ]:
        with statistical_read(subject, purpose="tests.who") as read:
            counted[name] = read.rows(Specimen).count()
    assert counted == {"everywhere": 2, "own_only": 1, "denied": 0, "nothing": 0}
    events = AuditEvent.objects.filter(reason="statistical_read").order_by("id")
    assert [e.fields for e in events][-1] == ["access:core_testing.specimen=none"]
    with pytest.raises(PermissionDenied), statistical_read(None, purpose="tests.who"):
        pass


def test_an_inactive_membership_counts_nothing():
    agency = factories.AgencyFactory()
    _specimen(agency)
    member = _member(agency, "core_testing.specimen.aggregate")
    member.is_active = False
    member.save()
    with statistical_read(member, purpose="tests.inactive") as read:
        assert read.rows(Specimen).count() == 0
