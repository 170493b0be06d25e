"""Recording and revoking consent to share, with the signing rules for minors."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from safeharbor.core.blind_index import normalise
from safeharbor.core.files import store_encrypted_upload
from safeharbor.core.permissions import grant_revoke_for_source

from .. import access, derive
from ..choices import GUARDIAN_ROLES, ConsentPurpose, DataCategory, SignerRole
from ..models import AgencySurvivorSettings, Consent, ConsentSigner, Person
from ._common import AuditAction, audit, person_age_on, user_of

DEFAULT_MAX_DAYS = 365


@dataclass(frozen=True)
class SignerInput:
    role: str
    name: str
    relationship: str = ""


def consent_max_days(agency_id: int) -> int:
    """The longest consent this agency allows: a year unless it has configured less."""
    setting = AgencySurvivorSettings.objects.filter(agency_id=agency_id).first()
    return min(DEFAULT_MAX_DAYS, setting.consent_max_days) if setting else DEFAULT_MAX_DAYS


def _same_name(a: str, b: str) -> bool:
    left, right = normalise(a), normalise(b)
    if not left or not right:
        return False
    return left == right or sorted(left.split()) == sorted(right.split())


def check_signers(person: Person, signers: Sequence[SignerInput], on: datetime.date) -> None:
    """The signing rules; raises ``ValidationError`` with every rule that is broken.

    Adults sign for themselves. An unemancipated minor signs together with a parent or legal
    guardian, or, in state custody, with the custodial agency's authorised representative.
    Nobody recorded as harming the person may sign.
    """
    problems: list[str] = []
    roles = [s.role for s in signers]
    if any(role not in SignerRole.values for role in roles):
        problems.append(_("Choose how each signer signs."))
    if any(not s.name.strip() for s in signers):
        problems.append(_("Give the name of each signer."))
    if SignerRole.PERSON not in roles:
        problems.append(_("The person themselves must sign."))
    minor = derive.is_juvenile(person_age_on(person, on)) and not person.emancipated
    if minor:
        if person.in_state_custody:
            if SignerRole.CUSTODIAL_AGENCY not in roles:
                problems.append(
                    _(
                        "This young person is in state custody: the custodial agency's "
                        "authorised representative must sign too."
                    )
                )
        elif not any(role in GUARDIAN_ROLES for role in roles):
            problems.append(
                _("This young person is under 18: a parent or legal guardian must sign too.")
            )
    for signer in signers:
        if any(_same_name(signer.name, str(abuser)) for abuser in person.abusers or []):
            problems.append(
                _(
                    "A signer is recorded as someone who harmed this person and cannot sign. "
                    "Ask another parent, guardian or the custodial agency."
                )
            )
            break
    if problems:
        raise ValidationError({"signers": problems})


def consent_record(
    *,
    membership: Any,
    person: Person,
    recipient_agencies: Sequence[Any],
    recipient_programs: Sequence[Any],
    categories: Sequence[str],
    purpose: str,
    purpose_detail: str = "",
    signed_on: datetime.date,
    expires_on: datetime.date,
    signers: Sequence[SignerInput],
    signed_form_upload: Any = None,
) -> Consent:
    """Record a signed consent, with a scan of the signed form if given (stored encrypted,
    served only to those who may see the consent). Recording it never changes what services
    the person gets."""
    access.require_add(membership, Consent, person=person)
    errors: dict[str, Any] = {}
    if not recipient_agencies and not recipient_programs:
        errors["recipient_agencies"] = _("Name at least one agency or program.")
    if not categories or any(c not in DataCategory.values for c in categories):
        errors["categories"] = _("Choose which information may be shared.")
    if purpose not in ConsentPurpose.values:
        errors["purpose"] = _("Choose the purpose.")
    elif purpose == ConsentPurpose.OTHER and not purpose_detail.strip():
        errors["purpose_detail"] = _("Describe the purpose.")
    if signed_on > timezone.localdate():
        errors["signed_on"] = _("The signing date is in the future.")
    max_days = consent_max_days(person.agency_id)
    if expires_on <= signed_on:
        errors["expires_on"] = _("The expiry date must be after the signing date.")
    elif (expires_on - signed_on).days > max_days:
        errors["expires_on"] = _(
            "A consent can last at most %(days)d days; choose %(date)s or earlier."
        ) % {"days": max_days, "date": (signed_on + datetime.timedelta(days=max_days))}
    try:
        check_signers(person, signers, signed_on)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        consent = Consent.objects.create(
            person=person,
            agency_id=person.agency_id,
            categories=sorted(set(categories)),
            purpose=purpose,
            purpose_detail=purpose_detail,
            signed_on=signed_on,
            expires_on=expires_on,
            recorded_by=user_of(membership),
        )
        if signed_form_upload is not None:
            try:
                consent.signed_form = store_encrypted_upload(
                    signed_form_upload,
                    kind="consent_form",
                    actor=user_of(membership),
                    agency_id=person.agency_id,
                    owner=consent,
                )
            except ValidationError as exc:
                raise ValidationError({"signed_form": exc.messages}) from None
            consent.save(update_fields=["signed_form"])
        consent.recipient_agencies.set(recipient_agencies)
        consent.recipient_programs.set(recipient_programs)
        ConsentSigner.objects.bulk_create(
            ConsentSigner(
                consent=consent, role=s.role, name=s.name.strip(), relationship=s.relationship
            )
            for s in signers
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=consent,
            agency_id=person.agency_id,
            fields=["recipients", "categories", "purpose", "expires_on", "signers"],
        )
    return consent


def consent_revoke(*, membership: Any, consent: Consent, note: str = "") -> Consent:
    """Revoke a consent now. Every check of it fails from this moment."""
    with transaction.atomic():
        locked = Consent.objects.select_for_update().select_related("person").get(pk=consent.pk)
        access.require(membership, "change", locked)
        if locked.revoked_at is not None:
            raise ValidationError(_("This consent was already revoked."))
        locked.revoked_at = timezone.now()
        locked.revoked_by = user_of(membership)
        locked.revocation_note = note
        locked.save(update_fields=["revoked_at", "revoked_by", "revocation_note"])
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=["revoked_at"],
            reason="consent revoked",
        )
        # Sharing that rested on this consent ends now, not at the next periodic check.
        grant_revoke_for_source(source=locked)
    return locked
