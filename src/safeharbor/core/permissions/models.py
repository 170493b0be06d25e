"""Access beyond a membership's own agency and scope: grants to another agency, and
break-glass openings. Both are time-boxed and audited; neither is ever deleted."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField


class AccessGrantQuerySet(models.QuerySet):
    def active(self, at=None) -> AccessGrantQuerySet:
        """Grants in force now: started, not ended, not revoked."""
        now = at or timezone.now()
        return self.filter(Q(starts_at__lte=now), Q(ends_at__gt=now), Q(revoked_at__isnull=True))


class AccessGrant(models.Model):
    """Shares one record (and what belongs to it) with another agency, for some data
    categories and actions, from ``starts_at`` until ``ends_at`` or revocation.

    The source says why (an accepted referral with valid consent, for example); revoking the
    source's consent revokes its grants at once (``grant_revoke_for_source``).
    """

    grantee_agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("shared with agency"),
        on_delete=models.PROTECT,
        related_name="access_grants_received",
    )
    grantee_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("shared with person"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Leave empty to share with everyone in the agency whose role allows it."),
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("record id"))
    categories = models.JSONField(_("data categories"), default=list)
    # Space-delimited (" view export "), so "has this action" is a portable LIKE lookup.
    actions = models.CharField(_("actions"), max_length=200, default=" view ")
    starts_at = models.DateTimeField(_("starts"), default=timezone.now)
    ends_at = models.DateTimeField(_("ends"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    source_type = models.CharField(_("source type"), max_length=80, blank=True)
    source_id = models.CharField(_("source id"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = AccessGrantQuerySet.as_manager()

    class Meta:
        verbose_name = _("access grant")
        verbose_name_plural = _("access grants")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["content_type", "grantee_agency", "object_id"],
                name="core_grant_lookup_idx",
            ),
            models.Index(fields=["source_type", "source_id"], name="core_grant_source_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="core_grant_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return (
            f"grant #{self.pk} {self.content_type_id}:{self.object_id} → {self.grantee_agency_id}"
        )

    @property
    def action_list(self) -> list[str]:
        return self.actions.split()

    @property
    def is_active(self) -> bool:
        now = timezone.now()
        return self.revoked_at is None and self.starts_at <= now < self.ends_at


class BreakGlassAccess(models.Model):
    """An emergency opening of an own-agency record outside the user's scope: a reason is
    required, it lasts at most an hour, and a supervisor reviews every one."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("opened by"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    membership = models.ForeignKey(
        "accounts.Membership",
        verbose_name=_("as membership"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    agency = models.ForeignKey(
        "accounts.Agency", verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    content_type = models.ForeignKey(
        ContentType, verbose_name=_("record type"), on_delete=models.PROTECT, related_name="+"
    )
    object_id = models.BigIntegerField(_("record id"))
    reason = EncryptedTextField(_("reason"), max_length=1000)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewed by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    review_outcome = models.CharField(
        _("review outcome"),
        max_length=20,
        blank=True,
        choices=[("justified", _("Justified")), ("not_justified", _("Not justified"))],
    )
    review_note = EncryptedTextField(_("review note"), blank=True, max_length=1000)

    class Meta:
        verbose_name = _("emergency access")
        verbose_name_plural = _("emergency accesses")
        ordering = ["-opened_at", "-id"]
        indexes = [
            models.Index(
                fields=["user", "content_type", "object_id", "expires_at"],
                name="core_breakglass_lookup_idx",
            ),
            models.Index(fields=["agency", "reviewed_at"], name="core_breakglass_review_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("opened_at")),
                name="core_breakglass_expires_after_open",
            ),
        ]

    def __str__(self) -> str:
        return f"emergency access #{self.pk} {self.content_type_id}:{self.object_id}"

    @property
    def is_active(self) -> bool:
        return self.opened_at <= timezone.now() < self.expires_at
