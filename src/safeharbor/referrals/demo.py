"""Portland demo referrals: the Human Trafficking Unit refers people it met to New Options
for Women (one on the person's consent, accepted by LifeWorks NW; one young person on the
unit's legal basis, waiting), and child welfare refers young people to JOIN's housing pilot
on their consent (one accepted, one waiting). Synthetic; idempotent."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from safeharbor.accounts.models import Agency, Membership, Program
from safeharbor.core.permissions import CASE, IDENTITY

from . import services
from .models import Referral, ReferralSettings

LEGAL_BASIS = "ORS 419B.005 to 419B.050 (reports of child abuse, including sex trafficking)"


def _membership(email: str) -> Membership | None:
    return (
        Membership.objects.filter(user__email__iexact=email, is_active=True)
        .select_related("user", "agency", "role")
        .first()
    )


@transaction.atomic
def load() -> None:
    agencies = {
        a.slug: a for a in Agency.objects.filter(slug__in=["portland-police", "oregon-dhs"])
    }
    for agency in agencies.values():
        ReferralSettings.objects.get_or_create(
            agency=agency, defaults={"juvenile_legal_basis": LEGAL_BASIS}
        )
    _police()
    _child_welfare()


def _police() -> None:
    from safeharbor.enforcement.models import Contact
    from safeharbor.survivors.choices import ConsentPurpose, SignerRole
    from safeharbor.survivors.services import SignerInput, consent_record

    detective = _membership("detective@demo.safeharbor.example")
    advocate = _membership("caseworker@demo.safeharbor.example")
    program = Program.objects.filter(slug="new-options-for-women").first()
    if detective is None or advocate is None or program is None:
        return
    if Referral.objects.filter(agency=detective.agency).exists():
        return
    contacts = list(
        Contact.objects.filter(
            operation__agency=detective.agency,
            role="victim",
            referral_decision="made",
            person__isnull=False,
        ).select_related("person")
    )
    today = timezone.localdate()
    for index, contact in enumerate(contacts[:2]):
        person = contact.person
        consent = None
        if index == 0:
            signers = [SignerInput(SignerRole.PERSON, person.display_name)]
            if services._is_juvenile(person):
                signers.append(SignerInput(SignerRole.PARENT, "Robin Synthetic", "mother"))
            consent = consent_record(
                membership=detective,
                person=person,
                recipient_agencies=[program.agency],
                recipient_programs=[program],
                categories=[IDENTITY, CASE],
                purpose=ConsentPurpose.REFERRAL,
                signed_on=today - datetime.timedelta(days=2),
                expires_on=today + datetime.timedelta(days=180),
                signers=signers,
            )
        elif not services._is_juvenile(person):
            continue
        referral = services.referral_send(
            membership=detective,
            person=person,
            to_agency=program.agency,
            to_program=program,
            reason="Met during outreach; wants to talk with an advocate about leaving.",
            urgency="soon",
            categories=[IDENTITY, CASE],
            consent=consent,
            contact=contact,
        )
        if index == 0:
            services.referral_accept(membership=advocate, referral=referral)


def _child_welfare() -> None:
    from safeharbor.survivors.models import Consent

    worker = _membership("dhs-caseworker@demo.safeharbor.example")
    housing = _membership("join-caseworker@demo.safeharbor.example")
    program = Program.objects.filter(slug="survivor-housing-pilot").first()
    if worker is None or housing is None or program is None:
        return
    if Referral.objects.filter(agency=worker.agency).exists():
        return
    consents = Consent.objects.filter(
        agency=worker.agency, recipient_programs=program, revoked_at__isnull=True
    ).select_related("person")
    for index, consent in enumerate(list(consents)[:2]):
        referral = services.referral_send(
            membership=worker,
            person=consent.person,
            to_agency=program.agency,
            to_program=program,
            reason="Turning 18 soon and leaving care; needs an apartment in her own name.",
            categories=[IDENTITY, CASE],
            consent=consent,
        )
        if index == 0:
            services.referral_accept(membership=housing, referral=referral)
