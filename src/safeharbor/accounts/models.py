"""Agencies, their programs, staff users, memberships and roles, API tokens, notifications."""

from __future__ import annotations

from fnmatch import fnmatchcase
from typing import Any

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from safeharbor.core.models import TimeStampedModel

from .choices import AgencyKind, Language, ProgramKind, Scope


class Agency(TimeStampedModel):
    """An organisation that takes part: police, child welfare, a shelter, the city office."""

    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=AgencyKind.choices)
    vawa_covered = models.BooleanField(
        _("covered by VAWA confidentiality"),
        default=False,
        help_text=_("Records never leave this agency without the person's written consent."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    designated_program = models.ForeignKey(
        "accounts.Program",
        verbose_name=_("designated survivor program"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="designating_agencies",
        help_text=_("For police: the program every victim contact gets information about."),
    )

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class Program(TimeStampedModel):
    """A program an agency runs. Referrals, the fund, housing and the directory share it."""

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="programs"
    )
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(_("short name"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=30, choices=ProgramKind.choices)
    description = models.TextField(_("description"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("program")
        verbose_name_plural = _("programs")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.agency.name})"


class Role(models.Model):
    """A named set of permissions. Permission patterns look like ``survivors.person.view``
    and may use ``*`` (``survivors.*``)."""

    slug = models.SlugField(_("short name"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=100)
    description = models.TextField(_("description"), blank=True)
    permissions = models.JSONField(_("permissions"), default=list, blank=True)
    default_scope = models.CharField(
        _("default scope"), max_length=10, choices=Scope.choices, default=Scope.AGENCY
    )

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        """The name in the reader's language. The seeded names are English source text
        marked in ``roles.py``; a name an administrator wrote is shown as written."""
        return gettext(self.name) if self.name else ""

    def allows(self, permission: str) -> bool:
        return any(fnmatchcase(permission, pattern) for pattern in self.permissions)


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> User:
        return self.get(email__iexact=(username or "").strip())

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        if not email:
            raise ValueError("A user needs an email address.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user


class User(AbstractBaseUser):
    """A staff member. Signs in with email, password and a one-time code."""

    email = models.EmailField(_("email"), max_length=254, unique=True)
    full_name = models.CharField(_("full name"), max_length=200)
    is_active = models.BooleanField(_("active"), default=True)
    date_joined = models.DateTimeField(_("joined"), default=timezone.now)
    last_seen_at = models.DateTimeField(_("last active"), null=True, blank=True)
    failed_login_count = models.PositiveSmallIntegerField(_("failed sign-ins"), default=0)
    first_failed_login_at = models.DateTimeField(_("first failed sign-in"), null=True, blank=True)
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    notice_acknowledged_at = models.DateTimeField(_("notice acknowledged"), null=True, blank=True)
    session_epoch = models.PositiveIntegerField(
        _("session generation"),
        default=0,
        help_text=_("Raised to end every session of this user at once."),
    )
    disabled_reason = models.CharField(_("why disabled"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("language"),
        max_length=10,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The language staff pages are shown in for this person."),
    )
    invited_by = models.ForeignKey(
        "self",
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "id"]
        constraints = [
            models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def is_locked(self) -> bool:
        return self.locked_at is not None

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    def active_memberships(self) -> models.QuerySet[Membership]:
        return self.memberships.filter(is_active=True, agency__is_active=True).select_related(
            "agency", "role"
        )


class Membership(TimeStampedModel):
    """A user's role in one agency, with the scope of records that role reaches."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="memberships"
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.ForeignKey(
        Role, verbose_name=_("role"), on_delete=models.PROTECT, related_name="memberships"
    )
    scope = models.CharField(
        _("scope"),
        max_length=10,
        choices=Scope.choices,
        blank=True,
        help_text=_("Leave empty to use the role's default."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "role__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "agency", "role"], name="accounts_membership_unique_role"
            ),
        ]

    def __str__(self) -> str:
        return _("%(user)s — %(role)s at %(agency)s") % {
            "user": self.user,
            "role": self.role,
            "agency": self.agency,
        }

    @property
    def effective_scope(self) -> str:
        return self.scope or self.role.default_scope

    def has_perm(self, permission: str) -> bool:
        return self.is_active and self.role.allows(permission)


class ApiToken(TimeStampedModel):
    """A token an integration uses, bound to one membership (agency and role); only its hash
    is stored. Created by an administrator, expires, can be revoked."""

    name = models.CharField(_("name"), max_length=100)
    membership = models.ForeignKey(
        Membership, verbose_name=_("acts as"), on_delete=models.CASCADE, related_name="tokens"
    )
    prefix = models.CharField(_("prefix"), max_length=12, unique=True)
    key_hash = models.CharField(_("key hash"), max_length=64)
    expires_at = models.DateTimeField(_("expires"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    created_by = models.ForeignKey(
        User, verbose_name=_("created by"), on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at", "id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_usable(self) -> bool:
        return self.revoked_at is None and self.expires_at > timezone.now()


class Notification(models.Model):
    """A message in a user's in-app inbox. Any area can post one; it holds no identities.

    The title and body are stored as English source text (marked with ``gettext_noop``) and
    their values (``title_params``, ``body_params``), so each reader sees the message in
    their own language (``display_title``, ``display_body``). A value stored as
    ``{"translate": "English words"}`` is translated too (a choice label, for example).
    Text with no values is translated if the catalogue has it and shown as stored if not."""

    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="notifications"
    )
    title = models.CharField(_("title"), max_length=200)
    title_params = models.JSONField(_("values in the title"), default=dict, blank=True)
    body = models.TextField(_("message"), blank=True)
    body_params = models.JSONField(_("values in the message"), default=dict, blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "read_at"], name="accounts_notif_unread_idx")]

    def __str__(self) -> str:
        return self.display_title

    @property
    def display_title(self) -> str:
        return render_message(self.title, self.title_params)

    @property
    def display_body(self) -> str:
        return render_message(self.body, self.body_params)


def render_message(text: str, params: dict[str, Any] | None) -> str:
    """Stored English source text and its values, in the active language."""
    if not text:
        return ""
    translated = gettext(text)
    if not params:
        return translated
    values = {
        key: gettext(value["translate"]) if isinstance(value, dict) else value
        for key, value in params.items()
    }
    for candidate in (translated, text):
        try:
            return candidate % values
        except (KeyError, TypeError, ValueError):
            continue  # a translation that lost a value: fall back to the English
    return text
