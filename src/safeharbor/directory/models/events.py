"""The platform's one events model: public events, hearings, ceremonies. Other areas link to
it (``legislation`` adds agenda items that point at an event)."""

from __future__ import annotations

import uuid
import zoneinfo
from datetime import date, datetime

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from safeharbor.core.models import TimeStampedModel
from safeharbor.directory.choices import EventKind, EventStatus


def default_time_zone() -> str:
    return settings.TIME_ZONE


class EventQuerySet(models.QuerySet["Event"]):
    def public(self) -> EventQuerySet:
        """Events anyone may see: marked public (cancelled ones stay, so people learn of it)."""
        return self.filter(is_public=True)

    def upcoming(self, now: datetime) -> EventQuerySet:
        """Events that have not finished yet."""
        return self.filter(Q(ends_at__gte=now) | Q(ends_at__isnull=True, starts_at__gte=now))


class Event(TimeStampedModel):
    """Something that happens at a time: a public meeting, a legislative hearing, a bill
    signing. Times are stored in UTC and shown in the event's own time zone; an all-day
    event is kept as midnight-to-midnight in that zone."""

    uid = models.UUIDField(_("calendar id"), default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(
        _("kind"), max_length=20, choices=EventKind.choices, default=EventKind.EVENT
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"), null=True, blank=True)
    all_day = models.BooleanField(_("all day"), default=False)
    time_zone = models.CharField(
        _("time zone"),
        max_length=60,
        default=default_time_zone,
        help_text=_("An IANA time zone name, such as America/Los_Angeles."),
    )
    location = models.ForeignKey(
        "directory.Location",
        verbose_name=_("directory location"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="events",
    )
    place = models.CharField(
        _("place"),
        max_length=300,
        blank=True,
        help_text=_("Where it happens, in words, for example “City Hall, Council Chambers”."),
    )
    online_url = models.URLField(_("online link"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=EventStatus.choices, default=EventStatus.SCHEDULED
    )
    is_public = models.BooleanField(_("show on the public site"), default=False)
    participants = models.TextField(
        _("participants"),
        blank=True,
        help_text=_("Who takes part, as text. Never name survivors."),
    )
    sequence = models.PositiveIntegerField(
        _("revision"), default=0, editable=False, help_text=_("Bumped on every change.")
    )

    objects = EventQuerySet.as_manager()

    class Meta:
        verbose_name = _("event")
        verbose_name_plural = _("events")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["is_public", "starts_at"], name="dir_event_public_start")]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gte=F("starts_at")),
                name="directory_event_ends_after_start",
                violation_error_message=_("The end must be after the start."),
            ),
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values),
                name="directory_event_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.local_start:%Y-%m-%d})"

    def get_absolute_url(self) -> str:
        return reverse("public:event-detail", args=[self.pk])

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo(settings.TIME_ZONE)

    @property
    def local_start(self) -> datetime:
        return self.starts_at.astimezone(self.zone)

    @property
    def local_end(self) -> datetime | None:
        return self.ends_at.astimezone(self.zone) if self.ends_at else None

    @property
    def start_date(self) -> date:
        return self.local_start.date()

    @property
    def is_cancelled(self) -> bool:
        return self.status == EventStatus.CANCELLED

    @property
    def place_text(self) -> str:
        """Where it is, in words, never revealing a confidential address."""
        if self.place:
            return self.place
        if self.location_id and self.location is not None:
            return self.location.public_place_text
        return ""
