"""Harness factories: one saved, synthetic record of each protected survivors model."""

from __future__ import annotations

import datetime

from django.utils import timezone

from safeharbor.core.testing.harness import register_factory
from safeharbor.survivors.derive import new_reference
from safeharbor.survivors.instruments import default
from safeharbor.survivors.models import (
    Case,
    CaseNote,
    CaseService,
    Consent,
    ConsentSigner,
    Identification,
    IdentificationStatusChange,
    MissingEpisode,
    Person,
    Screening,
    ScreeningInstrument,
)

TODAY = datetime.date(2026, 1, 15)


def make_person(*, agency, assigned_to=None):
    return Person.objects.create(
        agency=agency,
        assigned_to=assigned_to,
        reference=new_reference(),
        given_name="Synthetic",
        family_name="Person",
        dob=datetime.date(2010, 5, 6),
        age_band="15_17",
    )


def make_identification(*, agency, assigned_to=None):
    return Identification.objects.create(
        person=make_person(agency=agency, assigned_to=assigned_to),
        agency=agency,
        identified_on=TODAY,
        status="suspected",
        basis="disclosure",
    )


def make_status_change(*, agency, assigned_to=None):
    ident = make_identification(agency=agency, assigned_to=assigned_to)
    return IdentificationStatusChange.objects.create(
        identification=ident, status="confirmed", changed_on=TODAY, note="synthetic"
    )


def make_screening(*, agency, assigned_to=None):
    return Screening.objects.create(
        person=make_person(agency=agency, assigned_to=assigned_to),
        agency=agency,
        instrument=ScreeningInstrument.objects.get(slug=default.SLUG, version=default.VERSION),
        screened_on=TODAY,
        answers={},
        score=0,
        band="no",
    )


def make_case(*, agency, assigned_to=None):
    return Case.objects.create(
        person=make_person(agency=agency, assigned_to=assigned_to),
        agency=agency,
        opened_on=TODAY,
        needs="synthetic",
    )


def make_service(*, agency, assigned_to=None):
    return CaseService.objects.create(
        case=make_case(agency=agency, assigned_to=assigned_to), service_type="shelter"
    )


def make_note(*, agency, assigned_to=None):
    return CaseNote.objects.create(
        case=make_case(agency=agency, assigned_to=assigned_to), body="synthetic note"
    )


def make_consent(*, agency, assigned_to=None):
    return Consent.objects.create(
        person=make_person(agency=agency, assigned_to=assigned_to),
        agency=agency,
        categories=["case"],
        purpose="referral",
        signed_on=TODAY,
        expires_on=TODAY + datetime.timedelta(days=90),
    )


def make_signer(*, agency, assigned_to=None):
    return ConsentSigner.objects.create(
        consent=make_consent(agency=agency, assigned_to=assigned_to),
        role="person",
        name="Synthetic Person",
    )


def make_episode(*, agency, assigned_to=None):
    return MissingEpisode.objects.create(
        person=make_person(agency=agency, assigned_to=assigned_to),
        agency=agency,
        learned_at=timezone.now() - datetime.timedelta(hours=2),
    )


register_factory(Person, make_person)
register_factory(Identification, make_identification)
register_factory(IdentificationStatusChange, make_status_change)
register_factory(Screening, make_screening)
register_factory(Case, make_case)
register_factory(CaseService, make_service)
register_factory(CaseNote, make_note)
register_factory(Consent, make_consent)
register_factory(ConsentSigner, make_signer)
register_factory(MissingEpisode, make_episode)
