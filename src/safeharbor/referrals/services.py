"""Writes of the referrals area: sending (with the consent check), accepting (the receiving
agency's own intake and a time-limited grant), declining, withdrawing, completing.

Every function checks permission through the engine, locks the referral for a state change
(no check-then-act), records a ``ReferralEvent`` and an audit event in the same transaction,
and posts notifications (no identities, only references) after commit.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeharbor.accounts.choices import AgencyKind
from safeharbor.accounts.models import Agency, Membership, Program
from safeharbor.audit.choices import ActorKind, AuditAction
from safeharbor.audit.services import audit_record
from safeharbor.core import permissions as engine
from safeharbor.core.permissions import CASE, IDENTITY, STATISTICAL, SYSTEM

from .choices import TRANSITIONS, ReferralState, Urgency
from .models import Referral, ReferralEvent, ReferralSettings

__all__ = [
    "KEEP",
    "LEGAL_BASIS_KINDS",
    "consent_problems",
    "end_legal_basis_access",
    "referral_accept",
    "referral_complete",
    "referral_decline",
    "referral_send",
    "referral_settings_update",
    "referral_withdraw",
    "resolve_basis",
]

LEGAL_BASIS_KINDS = (AgencyKind.POLICE, AgencyKind.CHILD_WELFARE)
DEFAULT_LEGAL_BASIS_DAYS = 90
CATEGORY_CHOICES = (IDENTITY, CASE, STATISTICAL)
# What the receiver's own record is filled with, per shared category.
COPIED_FIELDS = {
    IDENTITY: [
        "given_name",
        "family_name",
        "aliases",
        "dob",
        "estimated_age",
        "estimated_age_basis",
        "estimated_on",
        "sex",
        "gender_identity",
        "phones",
        "emails",
        "address",
        "city",
        "postcode",
        "area",
        "languages",
        "safe_contact",
        "abusers",
    ],
    CASE: ["in_state_custody", "custodial_agency", "emancipated"],
    STATISTICAL: ["county"],
}


# Helpers ------------------------------------------------------------------------------------


def _actor(membership: Any) -> Any:
    return membership.user if membership is not None else ActorKind.SYSTEM


def _recipient_name(to_agency: Agency, to_program: Program | None) -> str:
    return to_program.name if to_program is not None else to_agency.name


def _category_label(category: str) -> str:
    from safeharbor.survivors.choices import DataCategory

    return str(DataCategory(category).label) if category in DataCategory.values else category


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _settings_for(agency_id: int) -> ReferralSettings | None:
    return ReferralSettings.objects.filter(agency_id=agency_id).first()


def _is_juvenile(person: Any) -> bool:
    from safeharbor.survivors import derive
    from safeharbor.survivors.services._common import person_age_on

    age = person_age_on(person, timezone.localdate())
    if age is None:
        return derive.band_is_juvenile(person.age_band)
    return bool(derive.is_juvenile(age)) and not person.emancipated


def _notify_agency(agency_id: int, *, code: str, **message: Any) -> None:
    """Post to everyone at the agency whose role allows ``code`` (after commit). ``message``
    holds ``notify_many``'s title, title_params, body, body_params and link: English source
    text (``gettext_noop``) and values, translated for each reader."""
    from safeharbor.accounts.services import notify_many

    def send() -> None:
        memberships = Membership.objects.filter(
            agency_id=agency_id, is_active=True, user__is_active=True
        ).select_related("role")
        users = {m.user_id for m in memberships if engine.role_allows(m, code)}
        notify_many(user_ids=users, **message)

    transaction.on_commit(send)


def _notify_user(user_id: int | None, **message: Any) -> None:
    """Post to one person (after commit); ``message`` as for ``_notify_agency``."""
    from safeharbor.accounts.services import notify

    if user_id is not None:
        transaction.on_commit(lambda: notify(user_id=user_id, **message))


def _link(referral: Referral) -> str:
    return reverse("referrals:detail", args=[referral.pk])


# The consent check --------------------------------------------------------------------------


def consent_problems(
    *,
    person: Any,
    to_agency: Agency,
    to_program: Program | None,
    categories: Sequence[str],
    consent: Any = None,
    at: datetime.datetime | None = None,
) -> list[str]:
    """What is missing for a consent to cover this referral (empty: nothing).

    With ``consent`` given, that one consent is checked; otherwise every consent of the
    person is, and the message names what the closest one lacks.
    """
    from safeharbor.survivors.choices import ConsentStatus
    from safeharbor.survivors.models import Consent

    at = at or timezone.now()
    recipient = _recipient_name(to_agency, to_program)
    candidates = [consent] if consent is not None else list(Consent.objects.filter(person=person))
    if not candidates:
        return [
            _(
                "No consent is recorded for this person. Record their written consent naming "
                "%(recipient)s first."
            )
            % {"recipient": recipient}
        ]
    best: list[str] | None = None
    for candidate in candidates:
        problems: list[str] = []
        if candidate.person_id != person.pk:
            problems.append(_("The consent chosen is not this person's."))
        status = candidate.status_on(at)
        if status == ConsentStatus.REVOKED:
            problems.append(
                _("The consent of %(date)s was revoked.") % {"date": candidate.signed_on}
            )
        elif status == ConsentStatus.EXPIRED:
            problems.append(
                _("The consent of %(date)s expired on %(end)s.")
                % {"date": candidate.signed_on, "end": candidate.expires_on}
            )
        elif status == ConsentStatus.NOT_STARTED:
            problems.append(_("The consent is not yet in effect."))
        names_agency = candidate.recipient_agencies.filter(pk=to_agency.pk).exists()
        names_program = (
            to_program is not None
            and candidate.recipient_programs.filter(pk=to_program.pk).exists()
        )
        if not (names_agency or names_program):
            problems.append(
                _("The consent does not name %(recipient)s as a recipient.")
                % {"recipient": recipient}
            )
        missing = [c for c in categories if c not in (candidate.categories or [])]
        if missing:
            problems.append(
                _("The consent does not cover: %(categories)s.")
                % {"categories": ", ".join(_category_label(c) for c in missing)}
            )
        if not problems:
            return []
        if best is None or len(problems) < len(best):
            best = problems
    return best or []


def resolve_basis(
    *,
    person: Any,
    agency: Agency,
    to_agency: Agency,
    to_program: Program | None,
    categories: Sequence[str],
    consent: Any = None,
) -> tuple[Any, str]:
    """The consent (or legal basis) a referral relies on, or ``ValidationError`` saying
    what is missing.

    A VAWA-covered agency always needs consent. Police and child welfare referring a young
    person may instead rely on the legal basis configured for their agency.
    """
    from safeharbor.survivors.selectors import consents_covering

    if consent is None:
        recipient = to_program if to_program is not None else to_agency
        covering = consents_covering(person=person, recipient=recipient, categories=categories)
        if covering:
            return covering[0], ""
    problems = consent_problems(
        person=person,
        to_agency=to_agency,
        to_program=to_program,
        categories=categories,
        consent=consent,
    )
    if not problems:
        return consent, ""
    if consent is None and not agency.vawa_covered and agency.kind in LEGAL_BASIS_KINDS:
        config = _settings_for(agency.pk)
        if _is_juvenile(person) and config is not None and config.juvenile_legal_basis.strip():
            return None, config.juvenile_legal_basis.strip()
        if _is_juvenile(person):
            problems.append(
                _(
                    "Your agency has not configured the legal basis for referring a young "
                    "person without consent; ask an administrator."
                )
            )
    if agency.vawa_covered:
        problems.insert(
            0,
            _(
                "Your agency is covered by VAWA confidentiality: this referral needs the "
                "person's written consent."
            ),
        )
    raise ValidationError({"consent": problems})


# Sending ------------------------------------------------------------------------------------


def referral_send(
    *,
    membership: Any,
    person: Any,
    to_agency: Agency,
    reason: str,
    categories: Iterable[str],
    to_program: Program | None = None,
    urgency: str = Urgency.ROUTINE,
    consent: Any = None,
    case: Any = None,
    contact: Any = None,
) -> Referral:
    """Refer a person of the membership's agency to another agency or program.

    Refused, with a message that says what is missing, unless a consent covers the
    recipient and the data shared (or the agency's legal basis applies). The receiving
    agency is notified by the referral's number and the person's reference only.
    """
    if membership is None:
        raise PermissionDenied
    engine.require(membership, "view", person)
    engine.require(membership, "add", Referral(agency_id=membership.agency_id))
    categories = sorted(set(categories))
    errors: dict[str, Any] = {}
    if person.agency_id != membership.agency_id:
        errors["person"] = _("You can refer only your own agency's records.")
    if to_program is not None:
        to_agency = to_program.agency
    if to_agency.pk == membership.agency_id:
        errors["to_agency"] = _("Refer to another agency or program.")
    if not to_agency.is_active or (to_program is not None and not to_program.is_active):
        errors["to_agency"] = _("This agency or program does not take referrals now.")
    if not categories or any(c not in CATEGORY_CHOICES for c in categories):
        errors["categories"] = _("Choose which information the referral shares.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why you are referring.")
    if urgency not in Urgency.values:
        errors["urgency"] = _("Choose the urgency.")
    if case is not None and case.person_id != person.pk:
        errors["case"] = _("The case is not this person's.")
    if contact is not None and (
        contact.person_id != person.pk
        or contact.referral_id is not None
        or not engine.can(membership, "change", contact)
    ):
        errors["person"] = _("This contact cannot be referred again.")
    if errors:
        raise ValidationError(errors)
    agency = membership.agency
    consent, legal_basis = resolve_basis(
        person=person,
        agency=agency,
        to_agency=to_agency,
        to_program=to_program,
        categories=categories,
        consent=consent,
    )
    now = timezone.now()
    with transaction.atomic():
        referral = Referral.objects.create(
            agency=agency,
            created_by=membership.user,
            person=person,
            person_reference=person.reference,
            case=case,
            to_agency=to_agency,
            to_program=to_program,
            reason=reason.strip(),
            urgency=urgency,
            consent=consent,
            legal_basis=legal_basis,
            categories=categories,
            sent_at=now,
        )
        ReferralEvent.objects.create(
            referral=referral,
            to_state=ReferralState.PENDING,
            at=now,
            by=membership.user,
            by_agency=agency,
        )
        audit_record(
            action=AuditAction.CREATE,
            actor=membership.user,
            agency_id=agency.pk,
            obj=referral,
            fields=["person", "to_agency", "to_program", "reason", "urgency", "categories"],
            reason="consent" if consent is not None else "legal_basis",
        )
        # The receiver sees the referral itself (not the person) while the basis lasts.
        engine.grant_create(
            subject=membership,
            obj=referral,
            grantee_agency=to_agency,
            categories=[CASE, STATISTICAL],
            actions=("view", "accept", "decline", "complete"),
            ends_at=_basis_ends(referral, now),
            source=consent if consent is not None else referral,
        )
        if contact is not None:
            type(contact).objects.filter(pk=contact.pk, referral__isnull=True).update(
                referral=referral
            )
            audit_record(
                action=AuditAction.UPDATE,
                actor=membership.user,
                agency_id=agency.pk,
                obj=contact,
                fields=["referral"],
            )
        engine.require(membership, "view", referral)
        _notify_agency(
            to_agency.pk,
            code="referrals.referral.accept",
            title=gettext_noop("New referral %(number)s"),
            title_params={"number": referral.number},
            body=gettext_noop(
                "A referral for %(reference)s is waiting for an answer (%(urgency)s)."
            ),
            body_params={
                "reference": referral.person_reference,
                "urgency": Urgency(referral.urgency).label,
            },
            link=_link(referral),
        )
    return referral


def _basis_ends(referral: Referral, now: datetime.datetime) -> datetime.datetime:
    """Sharing resting on a consent ends when the consent expires; on a legal basis, after
    the agency's configured days (90 unless configured)."""
    if referral.consent_id is not None:
        return _start_of(referral.consent.expires_on)
    config = _settings_for(referral.agency_id)
    days = config.legal_basis_access_days if config else DEFAULT_LEGAL_BASIS_DAYS
    return now + datetime.timedelta(days=days)


# State changes ------------------------------------------------------------------------------


def _transition(
    *,
    membership: Any,
    referral: Referral,
    action: str,
    note: str = "",
    **updates: Any,
) -> Referral:
    """Lock, check permission, side and state, apply, record the event and audit. Call
    inside a transaction."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    engine.require(membership, action, locked)
    side_agency = locked.agency_id if action == "withdraw" else locked.to_agency_id
    if getattr(membership, "agency_id", None) != side_agency:
        raise PermissionDenied(
            _("Only the referring agency can withdraw a referral.")
            if action == "withdraw"
            else _("Only the receiving agency can answer a referral.")
        )
    sources, target = TRANSITIONS[action]
    if locked.state not in sources:
        raise ValidationError(
            _("This referral is %(state)s; it cannot be changed that way now.")
            % {"state": locked.get_state_display().lower()}
        )
    now = timezone.now()
    previous = locked.state
    locked.state = target
    for field, value in updates.items():
        setattr(locked, field, value)
    if target in (ReferralState.DECLINED, ReferralState.WITHDRAWN, ReferralState.COMPLETED):
        locked.closed_at = now
    locked.save()
    ReferralEvent.objects.create(
        referral=locked,
        from_state=previous,
        to_state=target,
        at=now,
        by=getattr(membership, "user", None),
        by_agency_id=getattr(membership, "agency_id", None),
        note=note,
    )
    audit_record(
        action=AuditAction.UPDATE,
        actor=_actor(membership),
        agency_id=locked.agency_id,
        obj=locked,
        fields=["state", *updates],
        reason=f"referral_{action}",
    )
    return locked


def referral_accept(*, membership: Any, referral: Referral, assigned_to: Any = None) -> Referral:
    """Accept a referral for the receiving agency.

    Opens the receiver's own person record, filled with what the consent lets it receive
    (a disclosure, audited as one), and its own case; keeps the link between the two records;
    and grants the receiver access to the referring record for the shared categories for as
    long as the consent (or the legal basis) lasts.
    """
    from safeharbor.survivors.services import case_open, person_create

    if membership is None:
        raise PermissionDenied
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        engine.require(membership, "accept", locked)
        if membership.agency_id != locked.to_agency_id:
            raise PermissionDenied(_("Only the receiving agency can answer a referral."))
        if locked.state != ReferralState.PENDING:
            raise ValidationError(
                _("This referral is %(state)s; it cannot be accepted now.")
                % {"state": locked.get_state_display().lower()}
            )
        if locked.consent_id is not None:
            problems = consent_problems(
                person=locked.person,
                to_agency=locked.to_agency,
                to_program=locked.to_program,
                categories=locked.categories,
                consent=locked.consent,
            )
            if problems:
                raise ValidationError({"consent": problems})
        source = locked.person
        values: dict[str, Any] = {}
        for category in locked.categories:
            for field in COPIED_FIELDS.get(category, []):
                values[field] = getattr(source, field)
        if not values.get("in_state_custody"):
            values.pop("custodial_agency", None)
        if not (values.get("given_name") or values.get("family_name") or values.get("aliases")):
            # Nothing identifying was shared: the receiver's record starts from the reference.
            values["aliases"] = [_("Referred as %(reference)s") % {"reference": source.reference}]
        copied = sorted(f for f in values if getattr(source, f, None) not in (None, "", [], {}))
        receiving_person = person_create(
            membership=membership, values=values, assigned_to=assigned_to
        )
        audit_record(
            action=AuditAction.DISCLOSURE,
            actor=membership.user,
            agency_id=locked.agency_id,
            obj=source,
            fields=copied,
            reason=f"referral R-{locked.pk} to agency {membership.agency_id}",
        )
        receiving_case = case_open(
            membership=membership,
            person=receiving_person,
            opened_on=timezone.localdate(),
            needs=locked.reason if CASE in locked.categories else "",
            assigned_to=assigned_to,
        )
        now = timezone.now()
        grant = engine.grant_create(
            subject=SYSTEM,
            obj=source,
            grantee_agency=membership.agency,
            categories=locked.categories,
            ends_at=_basis_ends(locked, now),
            source=locked.consent if locked.consent_id is not None else locked,
        )
        accepted = _transition(
            membership=membership,
            referral=locked,
            action="accept",
            accepted_at=now,
            accepted_by=membership.user,
            receiving_person=receiving_person,
            receiving_case=receiving_case,
            grant=grant,
        )
        _notify_user(
            accepted.created_by_id,
            title=gettext_noop("Referral %(number)s accepted"),
            title_params={"number": accepted.number},
            body=gettext_noop("The referral for %(reference)s was accepted."),
            body_params={"reference": accepted.person_reference},
            link=_link(accepted),
        )
    return accepted


def referral_decline(*, membership: Any, referral: Referral, reason: str) -> Referral:
    """Decline a pending referral, saying why. The receiver no longer sees it."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the referral is declined.")})
    with transaction.atomic():
        declined = _transition(
            membership=membership,
            referral=referral,
            action="decline",
            note=reason,
            decline_reason=reason[:500],
        )
        _end_receiver_access(declined, reason="declined")
        _notify_user(
            declined.created_by_id,
            title=gettext_noop("Referral %(number)s declined"),
            title_params={"number": declined.number},
            body=gettext_noop("The referral for %(reference)s was declined. Open it to see why."),
            body_params={"reference": declined.person_reference},
            link=_link(declined),
        )
    return declined


def referral_withdraw(*, membership: Any, referral: Referral, note: str = "") -> Referral:
    """The referring agency withdraws a pending referral; the receiver no longer sees it."""
    with transaction.atomic():
        withdrawn = _transition(
            membership=membership, referral=referral, action="withdraw", note=note
        )
        _end_receiver_access(withdrawn, reason="withdrawn")
        _notify_agency(
            withdrawn.to_agency_id,
            code="referrals.referral.accept",
            title=gettext_noop("Referral %(number)s withdrawn"),
            title_params={"number": withdrawn.number},
            body=gettext_noop("The referring agency withdrew this referral."),
            link="",
        )
    return withdrawn


def referral_complete(*, membership: Any, referral: Referral, note: str = "") -> Referral:
    """Mark an accepted referral completed. Access to the referring record ends; the
    receiver's own record and case stay its own."""
    with transaction.atomic():
        completed = _transition(
            membership=membership, referral=referral, action="complete", note=note
        )
        if completed.grant_id is not None:
            engine.grant_revoke(subject=SYSTEM, grant=completed.grant, reason="completed")
    return completed


def _end_receiver_access(referral: Referral, *, reason: str) -> None:
    from django.contrib.contenttypes.models import ContentType

    from safeharbor.core.permissions.models import AccessGrant

    grants = AccessGrant.objects.filter(
        content_type=ContentType.objects.get_for_model(Referral),
        object_id=referral.pk,
        grantee_agency_id=referral.to_agency_id,
        revoked_at__isnull=True,
    )
    for grant in grants:
        engine.grant_revoke(subject=SYSTEM, grant=grant, reason=reason)


# Configuration and periodic checks ----------------------------------------------------------


class _Keep:
    """The designated program stays as it is (the caller did not give one)."""

    def __repr__(self) -> str:
        return "KEEP"


KEEP: Any = _Keep()


def referral_settings_update(
    *,
    membership: Any,
    juvenile_legal_basis: str,
    legal_basis_access_days: int = DEFAULT_LEGAL_BASIS_DAYS,
    designated_program: Program | None = KEEP,
) -> ReferralSettings:
    """An administrator of the agency sets its referral settings: the legal basis for
    referring young people, how long such a referral shares the record and, when given, the
    agency's designated survivor program (the one every victim contact is told about;
    ``None`` clears it). The agency itself is saved through ``accounts.services``."""
    from safeharbor.accounts.services import agency_save

    if membership is None or not engine.role_allows(membership, "accounts.agency.change"):
        raise PermissionDenied(_("Only an administrator can change this."))
    errors: dict[str, Any] = {}
    if not 1 <= legal_basis_access_days <= 365:
        errors["legal_basis_access_days"] = _("Between 1 and 365 days.")
    agency = membership.agency
    if juvenile_legal_basis.strip() and agency.kind not in LEGAL_BASIS_KINDS:
        errors["juvenile_legal_basis"] = _(
            "Only police and child welfare agencies refer on a legal basis."
        )
    if (
        designated_program is not KEEP
        and designated_program is not None
        and not (designated_program.is_active and designated_program.agency.is_active)
    ):
        errors["designated_program"] = _("Choose a program that is running.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        config, _created = ReferralSettings.objects.select_for_update().get_or_create(agency=agency)
        config.juvenile_legal_basis = juvenile_legal_basis.strip()
        config.legal_basis_access_days = legal_basis_access_days
        config.save()
        fields = ["juvenile_legal_basis", "legal_basis_access_days"]
        if designated_program is not KEEP:
            locked = Agency.objects.select_for_update().get(pk=agency.pk)
            wanted = designated_program.pk if designated_program is not None else None
            if locked.designated_program_id != wanted:
                locked.designated_program = designated_program
                agency_save(actor=membership.user, agency=locked, changed=["designated_program"])
                agency.designated_program = designated_program
                fields.append("designated_program")
        audit_record(
            action=AuditAction.UPDATE,
            actor=membership.user,
            agency_id=agency.pk,
            obj=config,
            fields=fields,
        )
    return config


def end_legal_basis_access() -> str:
    """Periodic: access given on a legal basis ends when the referring case closes."""
    from safeharbor.survivors.choices import CaseStatus

    ended = 0
    referrals = Referral.objects.filter(
        Q(consent__isnull=True),
        Q(grant__revoked_at__isnull=True),
        Q(grant__ends_at__gt=timezone.now()),
        case__status=CaseStatus.CLOSED,
    ).select_related("grant")
    for referral in referrals:
        with transaction.atomic():
            engine.grant_revoke(subject=SYSTEM, grant=referral.grant, reason="case_closed")
            ended += 1
    return f"{ended} legal-basis grants ended" if ended else None
