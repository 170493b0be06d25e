"""A victim contact whose person the search does not find: the officer records the person
from the contact form, and the person and the contact are saved together or not at all."""

from __future__ import annotations

import pytest
from django.utils import timezone

from safeharbor.accounts.models import Membership
from safeharbor.audit.models import AuditEvent
from safeharbor.enforcement import services
from safeharbor.enforcement.models import Contact
from safeharbor.survivors.models import Person
from safeharbor.survivors.services import person_create

pytestmark = pytest.mark.django_db


def _operation(membership):
    return services.operation_create(
        membership=membership,
        name="Synthetic outreach",
        kind="outreach",
        started_on=timezone.localdate(),
        general_area="Old Town",
        lead=membership.user,
    )


def _post(client, url, **values):
    data = {
        "role": "victim",
        "contacted_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"),
        "program_info_given": "on",
        "referral_decision": "declined",
    }
    data.update(values)
    return client.post(url, data)


def test_officer_creates_the_person_when_the_search_finds_nobody(staff_client, police):
    client, user = staff_client("officer", agency=police)
    officer = Membership.objects.get(user=user)
    known = person_create(
        membership=officer, values={"given_name": "Rosalind", "family_name": "Testmere"}
    )
    operation = _operation(officer)
    url = f"/staff/enforcement/operations/{operation.pk}/contacts/new/"

    found = client.get(url, {"q": "Rosalind Testmere"})
    assert b"1 person found" in found.content
    assert f"{known.reference} — Rosalind Testmere".encode() in found.content

    nobody = client.get(url, {"q": "Juniper Fakeworth"})
    assert "Nobody found for “Juniper Fakeworth”".encode() in nobody.content
    assert b"New person: given name" in nobody.content

    response = _post(
        client,
        url + "?q=Juniper+Fakeworth",
        new_given_name="Juniper",
        new_family_name="Fakeworth",
        new_aliases="JJ\n",
    )
    assert response.status_code == 302, response.content[:2000]
    contact = Contact.objects.get()
    person = contact.person
    assert person.agency == police and person.display_name == "Juniper Fakeworth"
    assert person.aliases == ["JJ"] and person.created_by == user
    assert AuditEvent.objects.filter(object_type="survivors.person", action="create").count() == 2
    # The new record is found by the next search.
    again = client.get(url, {"q": "Fakeworth"})
    assert person.reference.encode() in again.content


def test_person_and_contact_are_saved_together_or_not_at_all(staff_client, police):
    client, user = staff_client("officer", agency=police)
    operation = _operation(Membership.objects.get(user=user))
    url = f"/staff/enforcement/operations/{operation.pk}/contacts/new/"
    before = Person.objects.count()
    # The contact is refused (no information given), so the person is not created either.
    refused = _post(client, url, program_info_given="", new_given_name="Wren")
    assert refused.status_code == 200
    assert b"Confirm that information about" in refused.content
    # The person is refused (a birth date in the future), so the contact is not saved.
    future = (timezone.localdate() + timezone.timedelta(days=30)).isoformat()
    refused = _post(client, url, new_given_name="Wren", new_dob=future)
    assert refused.status_code == 200
    assert Person.objects.count() == before and not Contact.objects.exists()


def test_new_person_needs_a_name_and_is_not_for_buyers(detective, police):
    from django.core.exceptions import ValidationError

    operation = _operation(detective)
    with pytest.raises(ValidationError, match="subjects, not people"):
        services.contact_record(
            membership=detective,
            operation=operation,
            role="buyer",
            contacted_at=timezone.now(),
            new_person={"given_name": "Nobody"},
        )
    assert not Person.objects.exists()
