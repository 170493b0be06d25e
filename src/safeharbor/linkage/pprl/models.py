"""Privacy-preserving counting rounds and the keyed Bloom-filter encodings agencies upload
to them.

No model here holds a name, a date of birth or any other identity value. An upload keeps the
encodings only (encrypted at rest, because encodings are still individual data), not the
agencies' record ids; a round keeps counts. The key that made the encodings is never here:
only its public check value, so encodings made with different keys are never mixed.
"""

from __future__ import annotations

import base64
import zlib
from typing import Any

import numpy as np
from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safeharbor.core.fields import EncryptedTextField
from safeharbor.core.permissions.queryset import ProtectedQuerySet

__all__ = ["EncodingUpload", "PrivateRound", "RoundStatus", "UploadOrigin"]


class RoundStatus(models.TextChoices):
    OPEN = "open", _("Open for encodings")
    COUNTED = "counted", _("Counted")
    CLOSED = "closed", _("Closed")


class UploadOrigin(models.TextChoices):
    FILE = "file", _("Encoded offline by the agency")
    PLATFORM = "platform", _("The agency's platform records, encoded with the key entered")


class PrivateRound(models.Model):
    """A privacy-preserving counting round: the invited agencies encode their records with a
    key they share among themselves (never with the platform) and upload the encodings; the
    round links encodings only and keeps the unduplicated count with its interval.

    Owned by the coordinating agency; each invited agency sees the round through an access
    grant for its statistical category (the count), made when it is invited.
    """

    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("coordinating agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("created by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=200)
    key_fingerprint = models.CharField(
        _("key check value"),
        max_length=16,
        help_text=_("Shown by 'safeharbor encode'; every agency's encodings must show it."),
    )
    invited = models.ManyToManyField(
        "accounts.Agency",
        verbose_name=_("invited agencies"),
        related_name="+",
        blank=True,
    )
    status = models.CharField(
        _("status"), max_length=10, choices=RoundStatus.choices, default=RoundStatus.OPEN
    )
    threshold = models.FloatField(_("Dice threshold"))
    lower_threshold = models.FloatField(_("best-match threshold"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    counted_at = models.DateTimeField(_("counted"), null=True, blank=True)
    # The count (statistical category); empty until counted.
    people = models.PositiveIntegerField(_("unique people"), null=True, blank=True)
    people_lower = models.PositiveIntegerField(_("at least"), null=True, blank=True)
    people_upper = models.PositiveIntegerField(_("at most"), null=True, blank=True)
    linked_records = models.PositiveIntegerField(_("encoded records"), null=True, blank=True)
    totals_only_records = models.PositiveIntegerField(
        _("records counted as totals only"), null=True, blank=True
    )
    pairs_compared = models.PositiveBigIntegerField(_("pairs compared"), null=True, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("privacy-preserving round")
        verbose_name_plural = _("privacy-preserving rounds")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(threshold__gt=0, threshold__lt=1)
                & Q(lower_threshold__gt=0, lower_threshold__lte=models.F("threshold")),
                name="linkage_privateround_thresholds_in_order",
            ),
            models.CheckConstraint(
                condition=Q(people__isnull=True)
                | Q(people_lower__lte=models.F("people"), people__lte=models.F("people_upper")),
                name="linkage_privateround_count_within_interval",
            ),
        ]

    def __str__(self) -> str:
        return str(self.title)


class EncodingUpload(models.Model):
    """One agency's encodings in one round: keyed Bloom filters (no names, no record ids),
    how many records were encoded and how many enter the count as a total only (a
    VAWA-covered agency's records without consent to statistical linkage).

    A newer upload of the same agency to the same round replaces the older one, which is
    kept as withdrawn (for the audit trail) and no longer counted.
    """

    round = models.ForeignKey(
        PrivateRound,
        verbose_name=_("round"),
        on_delete=models.PROTECT,
        related_name="uploads",
    )
    agency = models.ForeignKey(
        "accounts.Agency",
        verbose_name=_("agency"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(
        _("made"), max_length=10, choices=UploadOrigin.choices, default=UploadOrigin.FILE
    )
    source_label = models.CharField(_("source label"), max_length=80)
    key_fingerprint = models.CharField(_("key check value"), max_length=16)
    schema = models.JSONField(_("encoding schema"))
    records = models.PositiveIntegerField(_("encoded records"))
    totals_only = models.PositiveIntegerField(_("records counted as a total only"), default=0)
    # Packed bit rows, zlib-compressed and base64-encoded, then encrypted at rest.
    encodings = EncryptedTextField(_("encodings"))
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)

    objects = ProtectedQuerySet.as_manager()

    class Meta:
        verbose_name = _("encoding upload")
        verbose_name_plural = _("encoding uploads")
        ordering = ["-uploaded_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "agency"],
                condition=Q(withdrawn_at__isnull=True),
                name="linkage_encodingupload_one_active_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return _("Encodings of %(source)s (%(n)d records)") % {
            "source": self.source_label,
            "n": self.records,
        }

    @staticmethod
    def pack(packed: np.ndarray) -> str:
        return base64.b64encode(zlib.compress(packed.tobytes(), 6)).decode("ascii")

    def unpack(self) -> np.ndarray:
        width = int(self.schema["output_bits"]) // 8
        raw = zlib.decompress(base64.b64decode(self.encodings))
        return np.frombuffer(raw, dtype=np.uint8).reshape(-1, width)


def _register() -> None:
    # The linkage AppConfig belongs to the database-linkage area; the engine allows
    # registration while models load, so these models register themselves here.
    from safeharbor.core.permissions import STATISTICAL, register_protected
    from safeharbor.core.registry import (
        Area,
        DemoLoader,
        Panel,
        register_area,
        register_demo_loader,
        register_panel,
    )

    from . import demo_round

    register_protected(
        PrivateRound,
        agency_field="agency",
        assigned_fields=("created_by",),
        categories={
            STATISTICAL: [
                "people",
                "people_lower",
                "people_upper",
                "linked_records",
                "totals_only_records",
                "pairs_compared",
            ]
        },
        actions=("count",),
    )
    register_protected(
        EncodingUpload,
        agency_field="agency",
        assigned_fields=("uploaded_by",),
        categories={STATISTICAL: ["records", "totals_only", "encodings"]},
        actions=("withdraw",),
    )
    register_area(
        Area(
            slug="linkage-private",
            label=_("Counting together"),
            url_name="pprl:index",
            permission="linkage.privateround.view",
            order=81,
        )
    )
    register_panel(
        Panel(
            slug="linkage-private-counts",
            template_name="linkage/pprl/_panel.html",
            context=_panel_context,
            permission="linkage.privateround.view",
            order=31,
        )
    )
    # After the accounts (10) and the database-linkage demo (90).
    register_demo_loader(DemoLoader(name="linkage-private", load=demo_round.load, order=95))


def _panel_context(request: Any) -> dict[str, Any] | None:
    """The latest counted rounds the membership sees, for the home page (None: no panel)."""
    from .selectors import counted_rounds_for

    rows = counted_rounds_for(request.membership, limit=3)
    return {"rounds": rows} if rows else None


_register()
