"""Consent: expiry limits, signing rules, coverage and revocation taking effect at once."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from safeharbor.core.permissions import SYSTEM, can, grant_create
from safeharbor.survivors import services
from safeharbor.survivors.models import AgencySurvivorSettings
from safeharbor.survivors.selectors import consent_covers
from safeharbor.survivors.services import SignerInput
from tests import factories

pytestmark = pytest.mark.django_db


def _record(membership, person, recipient, *, signers, days=180, signed_on=None, **extra):
    signed_on = signed_on or timezone.localdate()
    return services.consent_record(
        membership=membership,
        person=person,
        recipient_agencies=[recipient],
        recipient_programs=extra.pop("programs", []),
        categories=extra.pop("categories", ["identity", "case"]),
        purpose=extra.pop("purpose", "referral"),
        signed_on=signed_on,
        expires_on=signed_on + datetime.timedelta(days=days),
        signers=signers,
    )


ADULT_SIGNS = [SignerInput("person", "Dana Fairhollow")]


def test_consent_covers_until_revoked(worker, adult, other):
    consent = _record(worker, adult, other, signers=ADULT_SIGNS)
    assert consent_covers(person=adult, recipient=other, categories=["identity"])
    assert not consent_covers(person=adult, recipient=other, categories=["statistical"])
    assert not consent_covers(person=adult, recipient=other, categories=["case"], purpose="housing")
    program = factories.ProgramFactory(agency=other)
    assert consent_covers(person=adult, recipient=program, categories=["case"])
    services.consent_revoke(membership=worker, consent=consent)
    assert not consent_covers(person=adult, recipient=other, categories=["identity"])


def test_expired_consent_stops_covering(worker, adult, other):
    _record(worker, adult, other, signers=ADULT_SIGNS, days=30)
    later = timezone.now() + datetime.timedelta(days=31)
    assert consent_covers(person=adult, recipient=other, categories=["case"])
    assert not consent_covers(person=adult, recipient=other, categories=["case"], at=later)


def test_at_most_a_year_or_the_agency_limit(worker, adult, other, home):
    with pytest.raises(ValidationError) as info:
        _record(worker, adult, other, signers=ADULT_SIGNS, days=366)
    assert "expires_on" in info.value.message_dict
    AgencySurvivorSettings.objects.create(agency=home, consent_max_days=90)
    with pytest.raises(ValidationError):
        _record(worker, adult, other, signers=ADULT_SIGNS, days=91)
    assert _record(worker, adult, other, signers=ADULT_SIGNS, days=90)


def test_minor_signs_with_a_parent(worker, youth, other):
    with pytest.raises(ValidationError) as info:
        _record(worker, youth, other, signers=[SignerInput("person", "Katy Smith")])
    assert "parent or legal guardian" in str(info.value)
    assert _record(
        worker,
        youth,
        other,
        signers=[SignerInput("person", "Katy Smith"), SignerInput("parent", "Robin Smith")],
    )


def test_youth_in_custody_signs_with_the_custodial_agency(worker, youth, other):
    services.person_update(
        membership=worker,
        person=youth,
        values={"in_state_custody": True, "custodial_agency": other},
    )
    youth.refresh_from_db()
    parent = [SignerInput("person", "Katy Smith"), SignerInput("parent", "Robin Smith")]
    with pytest.raises(ValidationError):
        _record(worker, youth, other, signers=parent)
    assert _record(
        worker,
        youth,
        other,
        signers=[SignerInput("person", "Katy Smith"), SignerInput("custodial_agency", "D. Rep")],
    )


def test_recorded_abuser_can_never_sign(worker, youth, other):
    services.person_update(membership=worker, person=youth, values={"abusers": ["Rex Stanwick"]})
    youth.refresh_from_db()
    with pytest.raises(ValidationError) as info:
        _record(
            worker,
            youth,
            other,
            signers=[SignerInput("person", "Katy Smith"), SignerInput("parent", "rex  STANWICK")],
        )
    assert "harmed" in str(info.value)


def test_emancipated_minor_signs_alone(worker, youth, other):
    services.person_update(membership=worker, person=youth, values={"emancipated": True})
    youth.refresh_from_db()
    assert _record(worker, youth, other, signers=[SignerInput("person", "Katy Smith")])


def test_revocation_ends_sharing_that_rested_on_the_consent_at_once(worker, adult, other, member):
    consent = _record(worker, adult, other, signers=ADULT_SIGNS)
    grant_create(
        subject=SYSTEM,
        obj=adult,
        grantee_agency=other,
        categories=["identity"],
        ends_at=timezone.now() + datetime.timedelta(days=30),
        source=consent,
    )
    reader = member("supervisor", other)
    assert can(reader, "view", adult)
    services.consent_revoke(membership=worker, consent=consent)
    assert not can(reader, "view", adult)
