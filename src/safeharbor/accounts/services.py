"""Account services: sign-in with lockout, one-time codes, sessions, invitations, admin
actions and notifications. Every change writes its audit event in the same transaction."""

from __future__ import annotations

import hashlib
import logging
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import login as django_login
from django.contrib.auth import logout as django_logout
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.functional import Promise
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from safeharbor.audit.choices import AuditAction, AuditOutcome
from safeharbor.audit.services import audit_record

from .choices import Language
from .models import Agency, ApiToken, Membership, Notification, Program, Role, User

logger = logging.getLogger("safeharbor.accounts")

GENERIC_SIGN_IN_ERROR = _(
    "That email and password did not work, or the account cannot sign in right now. "
    "Check them and try again, or ask your administrator for help."
)
GENERIC_CODE_ERROR = _(
    "That code did not work. Codes can be used once and change every 30 seconds."
)

SESSION_EPOCH = "sh_epoch"
SESSION_STARTED = "sh_started"
SESSION_LAST = "sh_last"
SESSION_MEMBERSHIP = "sh_membership"
SESSION_NOTICE = "sh_notice"

BACKUP_CODE_COUNT = 10


class SignInRefused(Exception):
    """Raised with a message that never says whether the email exists."""


def _agency_of(user: User) -> int | None:
    membership = user.active_memberships().first()
    return membership.agency_id if membership else None


def _register_failure(user: User, *, reason: str) -> None:
    """Count a failed password or code; lock the account at the limit within the window."""
    now = timezone.now()
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        window_start = now - settings.LOCKOUT_WINDOW
        if locked.first_failed_login_at is None or locked.first_failed_login_at < window_start:
            locked.failed_login_count = 0
            locked.first_failed_login_at = now
        locked.failed_login_count += 1
        fields = ["failed_login_count", "first_failed_login_at"]
        just_locked = False
        if locked.failed_login_count >= settings.LOCKOUT_FAILURES and locked.locked_at is None:
            locked.locked_at = now
            locked.session_epoch = F("session_epoch") + 1
            fields += ["locked_at", "session_epoch"]
            just_locked = True
        locked.save(update_fields=fields)
        audit_record(
            action=AuditAction.LOGIN_FAILED,
            actor=None,
            agency_id=_agency_of(user),
            obj=user,
            outcome=AuditOutcome.DENIED,
            reason="locked" if just_locked else reason,
        )
    if just_locked:
        logger.warning("account locked after repeated failures user_id=%s", user.pk)


def _clear_failures(user: User) -> None:
    User.objects.filter(pk=user.pk).update(failed_login_count=0, first_failed_login_at=None)


def password_sign_in(*, request: HttpRequest, email: str, password: str) -> User:
    """First step of sign-in. Starts a session that can reach only the code step.

    Raises ``SignInRefused`` with one generic message for every kind of failure.
    """
    email = (email or "").strip()
    user = authenticate(request, username=email, password=password)
    if user is None:
        known = User.objects.filter(email__iexact=email).first() if email else None
        if known is not None:
            if known.check_password(password):
                # Right password, but the account is locked or disabled.
                audit_record(
                    action=AuditAction.LOGIN_FAILED,
                    obj=known,
                    agency_id=_agency_of(known),
                    outcome=AuditOutcome.DENIED,
                    reason="locked" if known.is_locked else "inactive",
                )
            else:
                _register_failure(known, reason="bad_password")
        else:
            audit_record(
                action=AuditAction.LOGIN_FAILED,
                object_type="accounts.user",
                outcome=AuditOutcome.DENIED,
                reason="unknown_email",
            )
        raise SignInRefused(GENERIC_SIGN_IN_ERROR)
    django_login(request, user, backend="safeharbor.accounts.backends.EmailBackend")
    start_session_clock(request, user)
    return user


def start_session_clock(request: HttpRequest, user: User) -> None:
    now = timezone.now().timestamp()
    request.session[SESSION_EPOCH] = user.session_epoch
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST] = now
    request.session[SESSION_NOTICE] = False


def has_confirmed_totp(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def verify_code(*, request: HttpRequest, user: User, code: str) -> None:
    """Second step: a TOTP code (each accepted once) or an unused backup code."""
    code = "".join((code or "").split())
    device = None
    if code.isdigit() and len(code) == 6:
        for totp in TOTPDevice.objects.filter(user=user, confirmed=True):
            if totp.verify_token(code):
                device = totp
                break
    elif code:
        for static in StaticDevice.objects.filter(user=user, confirmed=True):
            if static.verify_token(code.lower()):
                device = static
                break
    if device is None:
        _register_failure(user, reason="bad_code")
        user.refresh_from_db(fields=["locked_at"])
        if user.is_locked:
            sign_out(request=request, everywhere=True, audit=False)
        raise SignInRefused(GENERIC_CODE_ERROR)
    with transaction.atomic():
        otp_login(request, device)
        _clear_failures(user)
        User.objects.filter(pk=user.pk).update(last_seen_at=timezone.now())
        audit_record(
            action=AuditAction.LOGIN,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            reason="backup_code" if isinstance(device, StaticDevice) else "totp",
        )


def totp_enrolment_start(*, user: User) -> TOTPDevice:
    """An unconfirmed authenticator for the enrolment page (replaces an earlier unconfirmed one)."""
    TOTPDevice.objects.filter(user=user, confirmed=False).delete()
    return TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


def totp_enrolment_confirm(*, request: HttpRequest, user: User, code: str) -> list[str]:
    """Confirm the new authenticator with a code from it; returns fresh backup codes."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-id").first()
    code = "".join((code or "").split())
    if device is None or not code.isdigit() or not device.verify_token(code):
        raise ValidationError(
            _("That code did not match. Check the time on your phone and enter the newest code.")
        )
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _issue_backup_codes(user)
        otp_login(request, device)
        audit_record(
            action=AuditAction.MFA_CHANGE,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            reason="totp_enrolled",
        )
    return codes


def _issue_backup_codes(user: User) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    static = StaticDevice.objects.create(user=user, name="Backup codes", confirmed=True)
    codes = [secrets.token_hex(5) for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create([StaticToken(device=static, token=c) for c in codes])
    return codes


def backup_codes_regenerate(*, user: User) -> list[str]:
    with transaction.atomic():
        codes = _issue_backup_codes(user)
        audit_record(
            action=AuditAction.MFA_CHANGE,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            reason="backup_codes_issued",
        )
    return codes


def notice_acknowledge(*, request: HttpRequest, user: User) -> None:
    with transaction.atomic():
        if user.notice_acknowledged_at is None:
            User.objects.filter(pk=user.pk).update(notice_acknowledged_at=timezone.now())
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            fields=["notice_acknowledged_at"],
            reason="system_use_notice",
        )
    request.session[SESSION_NOTICE] = True


def sign_out(
    *, request: HttpRequest, everywhere: bool = True, audit: bool = True, reason: str = ""
) -> None:
    """End this session; by default every other session of the user too."""
    user = request.user if request.user.is_authenticated else None
    if user is not None:
        with transaction.atomic():
            if everywhere:
                User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
            if audit:
                audit_record(
                    action=AuditAction.LOGOUT,
                    actor=user,
                    agency_id=_agency_of(user),
                    obj=user,
                    reason=reason,
                )
    django_logout(request)


def session_expired(*, request: HttpRequest, reason: str) -> None:
    """The session ran past its idle or absolute limit."""
    user = request.user
    if user.is_authenticated:
        audit_record(
            action=AuditAction.LOGOUT,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            reason=reason,
        )
    django_logout(request)


def select_membership(*, request: HttpRequest, user: User, membership_id: int) -> Membership:
    membership = user.active_memberships().filter(pk=membership_id).first()
    if membership is None:
        raise PermissionDenied
    request.session[SESSION_MEMBERSHIP] = membership.pk
    return membership


def password_change(*, user: User, new_password: str) -> None:
    """Set a new password and end the user's other sessions (the caller keeps its own by
    storing the new ``session_epoch`` in its session)."""
    validate_password(new_password, user)
    with transaction.atomic():
        user.set_password(new_password)
        user.session_epoch += 1
        user.save(update_fields=["password", "session_epoch"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            fields=["password"],
        )


def user_set_language(*, user: User, language: str) -> User:
    """Record the language the user's staff pages are shown in (their own choice, audited).
    An unknown language is refused and nothing changes."""
    if language not in Language.values:
        raise ValidationError({"language": _("Choose English or Spanish.")})
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.preferred_language == language:
            return locked
        locked.preferred_language = language
        locked.save(update_fields=["preferred_language"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            agency_id=_agency_of(user),
            obj=locked,
            fields=["preferred_language"],
        )
    user.preferred_language = language
    return locked


# Administration ---------------------------------------------------------------------------


def _require_admin(actor: User, agency: Agency | None = None) -> Membership:
    memberships = [m for m in actor.active_memberships() if m.has_perm("accounts.user.change")]
    if not memberships:
        raise PermissionDenied(_("Only an administrator can do this."))
    return memberships[0]


def invite_link(user: User) -> str:
    """A one-time link to set a password (invitation or reset)."""
    token = PasswordResetTokenGenerator().make_token(user)
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    return settings.SITE_URL.rstrip("/") + reverse(
        "accounts:invitation", kwargs={"uidb64": uid, "token": token}
    )


def user_invite(
    *, actor: User, email: str, full_name: str, agency: Agency, role: Role, scope: str = ""
) -> User:
    """Create a staff account with no password and email a one-time link to set one."""
    admin = _require_admin(actor)
    email = (email or "").strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("An account with this email already exists.")})
    with transaction.atomic():
        user = User.objects.create_user(
            email=email, password=None, full_name=full_name.strip(), invited_by=actor
        )
        membership = Membership.objects.create(user=user, agency=agency, role=role, scope=scope)
        audit_record(
            action=AuditAction.CREATE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=user,
            fields=["email", "full_name"],
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=agency.pk,
            obj=membership,
            fields=["agency", "role", "scope"],
        )
        link = invite_link(user)
        transaction.on_commit(
            lambda: send_mail(
                _("You have been invited to SafeHarbor"),
                _(
                    "An administrator created a SafeHarbor account for you.\n\n"
                    "Set your password with this link (it works once and expires):\n%(link)s\n\n"
                    "After that you will set up two-step sign-in with an authenticator app."
                )
                % {"link": link},
                None,
                [user.email],
            )
        )
    return user


def invitation_accept(*, user: User, token: str, password: str) -> None:
    """Set the first password through the one-time link."""
    if not PasswordResetTokenGenerator().check_token(user, token):
        raise ValidationError(_("This link has expired or was already used. Ask for a new one."))
    validate_password(password, user)
    with transaction.atomic():
        user.set_password(password)
        user.save(update_fields=["password"])
        audit_record(
            action=AuditAction.UPDATE,
            actor=user,
            agency_id=_agency_of(user),
            obj=user,
            fields=["password"],
            reason="invitation_accepted",
        )


def user_unlock(*, actor: User, user: User) -> None:
    admin = _require_admin(actor)
    with transaction.atomic():
        User.objects.filter(pk=user.pk).update(
            locked_at=None, failed_login_count=0, first_failed_login_at=None
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=user,
            fields=["locked_at"],
            reason="unlocked",
        )


def user_set_active(*, actor: User, user: User, active: bool, reason: str = "") -> None:
    """Enable or disable an account; disabling ends all its sessions at once."""
    admin = _require_admin(actor)
    if user.pk == actor.pk and not active:
        raise ValidationError(_("You cannot disable your own account."))
    with transaction.atomic():
        updates: dict[str, Any] = {"is_active": active, "disabled_reason": "" if active else reason}
        if not active:
            updates["session_epoch"] = F("session_epoch") + 1
        else:
            updates["last_seen_at"] = timezone.now()
        User.objects.filter(pk=user.pk).update(**updates)
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=user,
            fields=["is_active"],
            reason="enabled" if active else "disabled",
        )


def membership_save(
    *,
    actor: User,
    user: User,
    agency: Agency,
    role: Role,
    scope: str = "",
    membership: Membership | None = None,
    is_active: bool = True,
) -> Membership:
    admin = _require_admin(actor)
    with transaction.atomic():
        if membership is None:
            if Membership.objects.filter(user=user, agency=agency, role=role).exists():
                raise ValidationError(_("This person already has that role in that agency."))
            membership = Membership.objects.create(
                user=user, agency=agency, role=role, scope=scope, is_active=is_active
            )
        else:
            membership.agency, membership.role = agency, role
            membership.scope, membership.is_active = scope, is_active
            membership.save(update_fields=["agency", "role", "scope", "is_active", "updated_at"])
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=agency.pk,
            obj=membership,
            fields=["agency", "role", "scope", "is_active"],
        )
        # A change of role takes effect at the user's next sign-in.
        User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    del admin
    return membership


def agency_save(*, actor: User, agency: Agency, changed: list[str]) -> Agency:
    admin = _require_admin(actor)
    with transaction.atomic():
        created = agency.pk is None
        agency.full_clean()
        agency.save()
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=agency,
            fields=changed,
        )
    return agency


def program_save(*, actor: User, program: Program, changed: list[str]) -> Program:
    admin = _require_admin(actor)
    with transaction.atomic():
        created = program.pk is None
        program.full_clean()
        program.save()
        audit_record(
            action=AuditAction.CREATE if created else AuditAction.UPDATE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=program,
            fields=changed,
        )
    return program


@dataclass(frozen=True)
class IssuedToken:
    token: ApiToken
    secret: str  # shown once; only its hash is stored


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def api_token_create(
    *, actor: User, membership: Membership, name: str, expires_at: datetime
) -> IssuedToken:
    """An integration token bound to one membership; the caller must be a verified admin."""
    admin = _require_admin(actor)
    if expires_at <= timezone.now():
        raise ValidationError({"expires_at": _("Choose an expiry date in the future.")})
    if expires_at > timezone.now() + timedelta(days=366):
        raise ValidationError({"expires_at": _("A token can last at most one year.")})
    prefix = secrets.token_hex(4)
    secret = f"sh_{prefix}_{secrets.token_urlsafe(32)}"
    with transaction.atomic():
        token = ApiToken.objects.create(
            name=name.strip(),
            membership=membership,
            prefix=prefix,
            key_hash=hash_token(secret),
            expires_at=expires_at,
            created_by=actor,
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=token,
            fields=["membership", "expires_at"],
            reason="token_created",
        )
    return IssuedToken(token=token, secret=secret)


def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    admin = _require_admin(actor)
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        audit_record(
            action=AuditAction.PERMISSION_CHANGE,
            actor=actor,
            agency_id=admin.agency_id,
            obj=token,
            fields=["revoked_at"],
            reason="token_revoked",
        )


# Notifications ----------------------------------------------------------------------------


MessageParams = Mapping[str, "str | int | Promise"]


def _stored_params(params: MessageParams | None) -> dict[str, Any]:
    """Values as stored: a lazy translation (a choice label) is kept as its English words,
    to be translated for each reader."""
    stored: dict[str, Any] = {}
    for key, value in (params or {}).items():
        if isinstance(value, Promise):
            with translation.override("en"):
                stored[key] = {"translate": str(value)}
        else:
            stored[key] = value
    return stored


def notify(
    *,
    user_id: int,
    title: str,
    title_params: MessageParams | None = None,
    body: str = "",
    body_params: MessageParams | None = None,
    link: str = "",
) -> Notification:
    """Post to a user's inbox. ``title`` and ``body`` are English source text marked with
    ``gettext_noop`` (with ``%(name)s`` values in ``*_params``), so each reader sees them in
    their own language. Keep identities out of title and body: use references."""
    return Notification.objects.create(
        user_id=user_id,
        title=title,
        title_params=_stored_params(title_params),
        body=body,
        body_params=_stored_params(body_params),
        link=link,
    )


def notify_many(
    *,
    user_ids: Iterable[int],
    title: str,
    title_params: MessageParams | None = None,
    body: str = "",
    body_params: MessageParams | None = None,
    link: str = "",
) -> int:
    """Post the same message to several users' inboxes in one insert; returns how many."""
    stored_title, stored_body = _stored_params(title_params), _stored_params(body_params)
    rows = [
        Notification(
            user_id=user_id,
            title=title,
            title_params=stored_title,
            body=body,
            body_params=stored_body,
            link=link,
        )
        for user_id in sorted(set(user_ids))
    ]
    Notification.objects.bulk_create(rows)
    return len(rows)


def notification_mark_read(*, user: User, notification_id: int) -> None:
    Notification.objects.filter(pk=notification_id, user=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


# Periodic checks --------------------------------------------------------------------------


def disable_inactive_accounts() -> str:
    """Disable accounts with no activity for 90 days (never-used accounts count from joining)."""
    from django.db.models import Q
    from django.db.models.functions import Coalesce

    from safeharbor.audit.choices import ActorKind

    cutoff = timezone.now() - settings.ACCOUNT_INACTIVE_DISABLE_AFTER
    stale = (
        User.objects.filter(is_active=True)
        .annotate(seen=Coalesce("last_seen_at", "date_joined"))
        .filter(Q(seen__lt=cutoff))
    )
    count = 0
    for user_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            User.objects.filter(pk=user_id).update(
                is_active=False,
                disabled_reason="No sign-in for 90 days",
                session_epoch=F("session_epoch") + 1,
            )
            audit_record(
                action=AuditAction.PERMISSION_CHANGE,
                actor=ActorKind.SYSTEM,
                object_type="accounts.user",
                object_id=user_id,
                fields=["is_active"],
                reason="inactive_90_days",
            )
        count += 1
    return f"{count} inactive account(s) disabled"


def password_reset_request(*, email: str) -> None:
    """Email a one-time link to set a new password. Says nothing about whether the email
    exists: the caller shows the same message either way."""
    user = User.objects.filter(email__iexact=(email or "").strip(), is_active=True).first()
    if user is None:
        audit_record(
            action=AuditAction.UPDATE,
            object_type="accounts.user",
            outcome=AuditOutcome.DENIED,
            reason="reset_unknown_email",
        )
        return
    with transaction.atomic():
        audit_record(
            action=AuditAction.UPDATE,
            obj=user,
            agency_id=_agency_of(user),
            fields=["password"],
            reason="reset_requested",
        )
        link = invite_link(user)
        transaction.on_commit(
            lambda: send_mail(
                _("Set a new SafeHarbor password"),
                _(
                    "Someone asked to set a new password for this SafeHarbor account.\n\n"
                    "If it was you, use this link (it works once and expires in an hour):\n"
                    "%(link)s\n\nIf it was not you, you can ignore this message."
                )
                % {"link": link},
                None,
                [user.email],
            )
        )
