"""People: encryption at rest, search through blind indexes, who sees what, auditing."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection

from safeharbor.audit.models import AuditEvent
from safeharbor.survivors import selectors, services
from safeharbor.survivors.choices import AgeBand
from safeharbor.survivors.models import Person

from .conftest import years_ago

pytestmark = pytest.mark.django_db


def test_identity_is_ciphertext_in_the_database(youth):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT given_name, family_name, dob, phones, reference FROM survivors_person "
            "WHERE id = %s",
            [youth.pk],
        )
        given, family, dob, phones, reference = cursor.fetchone()
    assert given.startswith("e1:") and "Katy" not in given
    assert family.startswith("e1:") and dob.startswith("e1:") and phones.startswith("e1:")
    assert reference == youth.reference and reference.startswith("SH-")
    fresh = Person.objects.get(pk=youth.pk)
    assert fresh.given_name == "Katy" and fresh.phones == ["(503) 555-0142"]


def test_age_band_is_derived(youth, adult):
    assert youth.age_band == AgeBand.AGE_15_17
    assert adult.age_band == AgeBand.AGE_25_34


def _search(membership, q):
    return list(selectors.people_list(membership=membership, filters=selectors.PersonFilters(q=q)))


@pytest.mark.parametrize(
    "query",
    ["Katie Smyth", "smith", "KATY", "Little K", "503.555.0142", "5035550142"],
)
def test_search_finds_by_name_sound_alias_and_phone(worker, youth, adult, query):
    assert _search(worker, query) == [youth]


def test_search_by_date_of_birth_and_reference(worker, youth, adult):
    assert _search(worker, youth.dob.isoformat()) == [youth]
    assert _search(worker, youth.reference.lower().replace("-", "")) == [youth]
    assert _search(worker, "Nobody Atall") == []


def test_other_agencies_cannot_see_or_find(member, other, youth):
    outsider = member("supervisor", other)
    assert _search(outsider, "Katy Smith") == []
    assert list(Person.objects.visible_to(outsider, "view")) == []


def test_caseworker_sees_only_assigned_supervisor_sees_agency(member, home, worker, youth):
    colleague = member("caseworker", home)
    boss = member("supervisor", home)
    assert _search(colleague, "Katy") == []
    assert _search(boss, "Katy") == [youth]
    services.person_assign(membership=boss, person=youth, worker=colleague.user)
    assert _search(colleague, "Katy") == [youth]


def test_update_reindexes_and_audits(worker, youth):
    services.person_update(
        membership=worker, person=youth, values={"family_name": "Northcote", "aliases": []}
    )
    assert _search(worker, "Smith") == []
    assert _search(worker, "Katy Northcote") == [youth]
    event = AuditEvent.objects.filter(object_type="survivors.person", action="update").last()
    assert event.fields == ["aliases", "family_name"]
    assert "Northcote" not in str(event.fields)


def test_person_needs_some_name(worker):
    with pytest.raises(ValidationError):
        services.person_create(membership=worker, values={"dob": years_ago(16)})


def test_police_officer_cannot_change_a_person(member, home, youth):
    officer = member("officer", home)
    with pytest.raises(PermissionDenied):
        services.person_update(membership=officer, person=youth, values={"given_name": "X"})
