"""The referral rules through the services: the consent check and its message, the legal
basis, accepting into the receiver's own intake, the grant ending with the consent, and
the state machine."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from safeharbor.accounts.models import Notification
from safeharbor.audit.models import AuditEvent
from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL, can, visible_categories
from safeharbor.referrals import selectors, services
from safeharbor.referrals.models import Referral, ReferralEvent
from safeharbor.survivors.models import Case, Person
from safeharbor.survivors.services import consent_revoke, person_create
from tests import factories

pytestmark = pytest.mark.django_db


def _send(detective, person, program, **extra):
    values = {
        "membership": detective,
        "person": person,
        "to_agency": program.agency,
        "to_program": program,
        "reason": "Wants to talk with an advocate.",
        "categories": [IDENTITY, CASE],
    }
    values.update(extra)
    return services.referral_send(**values)


def test_without_consent_the_referral_is_refused_saying_what_is_missing(detective, adult, program):
    with pytest.raises(ValidationError) as error:
        _send(detective, adult, program)
    message = " ".join(error.value.message_dict["consent"])
    assert "No consent is recorded" in message and "Synthetic Options" in message
    assert not Referral.objects.exists()


def test_consent_that_does_not_cover_identity_names_it(detective, adult, program, consent):
    consent.categories = [CASE]
    consent.save(update_fields=["categories"])
    with pytest.raises(ValidationError) as error:
        _send(detective, adult, program)
    assert "does not cover: Identity" in " ".join(error.value.message_dict["consent"])


def test_consent_that_does_not_name_the_recipient(detective, adult, consent, housing):
    with pytest.raises(ValidationError) as error:
        services.referral_send(
            membership=detective,
            person=adult,
            to_agency=housing,
            reason="Housing",
            categories=[CASE],
        )
    assert "does not name Synthetic Housing" in " ".join(error.value.message_dict["consent"])


def test_vawa_covered_agency_always_needs_consent(provider, advocate, housing):
    person = person_create(membership=advocate, values={"given_name": "Ines"})
    with pytest.raises(ValidationError) as error:
        services.referral_send(
            membership=advocate,
            person=person,
            to_agency=housing,
            reason="Housing",
            categories=[CASE],
        )
    assert "VAWA" in error.value.message_dict["consent"][0]


def test_police_refer_a_young_person_on_the_configured_legal_basis(
    detective, youth, adult, program, legal_basis
):
    referral = _send(detective, youth, program, categories=[CASE])
    assert referral.consent is None
    assert referral.legal_basis == "ORS 419B.005 (synthetic)"
    with pytest.raises(ValidationError):  # an adult needs consent
        _send(detective, adult, program, categories=[CASE])


def test_young_person_without_configured_basis_is_refused(detective, youth, program):
    with pytest.raises(ValidationError) as error:
        _send(detective, youth, program, categories=[CASE])
    assert "not configured the legal basis" in " ".join(error.value.message_dict["consent"])


def test_accepting_opens_own_intake_and_shares_until_consent_is_revoked(
    detective, advocate, adult, program, consent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        referral = _send(detective, adult, program)
    assert referral.consent == consent
    # The receiver is told by number and reference only.
    note = Notification.objects.get(user=advocate.user)
    assert referral.person_reference in note.display_body
    assert "Marisol" not in note.display_title + note.display_body
    assert list(selectors.inbox(advocate)) == [referral]
    assert not can(advocate, "view", adult)

    accepted = services.referral_accept(membership=advocate, referral=referral)
    assert accepted.state == "accepted" and accepted.time_to_accept is not None
    own = accepted.receiving_person
    assert own.agency_id == advocate.agency_id and own.pk != adult.pk
    assert own.given_name == "Marisol" and own.phones == ["(503) 555-0199"]
    assert Case.objects.get(pk=accepted.receiving_case_id).person == own
    assert (adult.pk, own.pk) in list(selectors.person_links())
    disclosure = AuditEvent.objects.get(action="disclosure")
    assert disclosure.object_id == str(adult.pk) and "given_name" in disclosure.fields
    assert disclosure.agency_id == detective.agency_id
    # Beyond the copy: the referring record, only for the shared categories.
    assert can(advocate, "view", adult)
    assert visible_categories(advocate, adult) == {IDENTITY, CASE}

    consent_revoke(membership=detective, consent=consent, note="Asked us to stop sharing.")
    assert not can(advocate, "view", adult)
    assert not Person.objects.visible_to(advocate).filter(pk=adult.pk).exists()
    assert not Referral.objects.visible_to(advocate).exists()
    assert can(advocate, "view", own)  # their own intake stays theirs


def test_receiver_without_identity_gets_a_record_from_the_reference(
    detective, advocate, adult, program, consent
):
    referral = _send(detective, adult, program, categories=[CASE])
    own = services.referral_accept(membership=advocate, referral=referral).receiving_person
    assert own.given_name == "" and own.phones == []
    assert own.aliases == [f"Referred as {adult.reference}"]
    assert visible_categories(advocate, adult) == {CASE}
    assert STATISTICAL not in visible_categories(advocate, adult)


def test_state_machine_and_sides(
    detective, advocate, adult, program, consent, django_capture_on_commit_callbacks
):
    referral = _send(detective, adult, program)
    with pytest.raises(PermissionDenied):  # only the receiver answers
        services.referral_decline(membership=detective, referral=referral, reason="No")
    with pytest.raises(PermissionDenied):  # only the referrer withdraws
        services.referral_withdraw(membership=advocate, referral=referral)
    with pytest.raises(ValidationError):
        services.referral_decline(membership=advocate, referral=referral, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.referral_decline(
            membership=advocate, referral=referral, reason="No space this month."
        )
    assert declined.state == "declined" and declined.closed_at is not None
    with pytest.raises(ValidationError):
        services.referral_withdraw(membership=detective, referral=referral)
    assert not Referral.objects.visible_to(advocate).filter(pk=referral.pk).exists()
    assert [(e.from_state, e.to_state) for e in ReferralEvent.objects.all()] == [
        ("", "pending"),
        ("pending", "declined"),
    ]
    assert Notification.objects.filter(user=detective.user, title__contains="declined").exists()


def test_accept_twice_and_complete(detective, advocate, adult, program, consent):
    referral = _send(detective, adult, program)
    services.referral_accept(membership=advocate, referral=referral)
    with pytest.raises(ValidationError):
        services.referral_accept(membership=advocate, referral=referral)
    other = factories.membership(factories.UserFactory(), factories.AgencyFactory(), "caseworker")
    with pytest.raises(PermissionDenied):
        services.referral_complete(membership=other, referral=referral)
    services.referral_complete(membership=advocate, referral=referral)
    assert not can(advocate, "view", adult)  # access ends with the referral


def test_legal_basis_access_ends_when_the_referring_case_closes(
    detective, advocate, youth, program, legal_basis
):
    from safeharbor.survivors.services import case_open

    case = case_open(membership=detective, person=youth, opened_on=timezone.localdate())
    referral = _send(detective, youth, program, categories=[CASE], case=case)
    services.referral_accept(membership=advocate, referral=referral)
    assert can(advocate, "view", youth)
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_on=timezone.localdate(), close_reason="goals_met"
    )
    assert services.end_legal_basis_access() == "1 legal-basis grants ended"
    assert not can(advocate, "view", youth)
