"""Missing episodes: opening, the police and NCMEC reports, return, overdue reminders."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from safeharbor.accounts.models import Membership
from safeharbor.accounts.services import notify

from .. import access, derive
from ..models import MissingEpisode, Person
from ..models.missing import REPORT_WITHIN
from ._common import AuditAction, audit, person_age_on, user_of

REPORT_TARGETS = ("police", "ncmec")


def missing_episode_open(
    *,
    membership: Any,
    person: Person,
    learned_at: datetime.datetime,
    last_seen_at: datetime.datetime | None = None,
    circumstances: str = "",
) -> MissingEpisode:
    """Record that a young person is missing; the 24-hour clock starts at ``learned_at``."""
    access.require_add(membership, MissingEpisode, person=person)
    now = timezone.now()
    errors = {}
    if learned_at > now:
        errors["learned_at"] = _("This time is in the future.")
    if last_seen_at is not None and last_seen_at > learned_at:
        errors["last_seen_at"] = _("Last seen must be before we learned they were missing.")
    if derive.is_juvenile(person_age_on(person, timezone.localdate(learned_at))) is False:
        errors["learned_at"] = _("Missing episodes are recorded for people under 18.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        Person.objects.select_for_update().get(pk=person.pk)
        if MissingEpisode.objects.filter(person=person, returned_at__isnull=True).exists():
            raise ValidationError(_("This young person already has an open missing episode."))
        episode = MissingEpisode.objects.create(
            person=person,
            agency_id=person.agency_id,
            learned_at=learned_at,
            last_seen_at=last_seen_at,
            circumstances=circumstances,
            recorded_by=user_of(membership),
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=episode,
            agency_id=person.agency_id,
            fields=["learned_at", "last_seen_at", "circumstances"],
        )
    return episode


def missing_episode_report(
    *,
    membership: Any,
    episode: MissingEpisode,
    to: str,
    reported_at: datetime.datetime,
    number: str = "",
) -> MissingEpisode:
    """Record the report to police (``to="police"``) or to NCMEC (``to="ncmec"``)."""
    if to not in REPORT_TARGETS:
        raise ValueError(f"Report to one of {REPORT_TARGETS}")
    with transaction.atomic():
        locked = (
            MissingEpisode.objects.select_for_update().select_related("person").get(pk=episode.pk)
        )
        access.require(membership, "change", locked)
        if reported_at > timezone.now():
            raise ValidationError({"reported_at": _("This time is in the future.")})
        if reported_at < locked.learned_at:
            raise ValidationError(
                {"reported_at": _("The report cannot be before we learned they were missing.")}
            )
        if to == "police":
            locked.police_reported_at, locked.police_report_number = reported_at, number
            fields = ["police_reported_at", "police_report_number"]
        else:
            locked.ncmec_reported_at, locked.ncmec_case_number = reported_at, number
            fields = ["ncmec_reported_at", "ncmec_case_number"]
        locked.save(update_fields=[*fields, "updated_at"])
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=fields,
        )
    return locked


def missing_episode_return(
    *, membership: Any, episode: MissingEpisode, returned_at: datetime.datetime
) -> MissingEpisode:
    """Record that the young person is back; the record page then prompts a screening."""
    with transaction.atomic():
        locked = (
            MissingEpisode.objects.select_for_update().select_related("person").get(pk=episode.pk)
        )
        access.require(membership, "change", locked)
        if locked.returned_at is not None:
            raise ValidationError(_("The return is already recorded."))
        if returned_at > timezone.now() or returned_at < locked.learned_at:
            raise ValidationError({"returned_at": _("Give a time between the report and now.")})
        locked.returned_at = returned_at
        locked.save(update_fields=["returned_at", "updated_at"])
        audit(
            action=AuditAction.UPDATE,
            membership=membership,
            obj=locked,
            agency_id=locked.agency_id,
            fields=["returned_at"],
        )
    return locked


def notify_overdue_missing_reports() -> str | None:
    """Periodic: tell the assigned worker and the agency's supervisors, once per episode,
    that a police or NCMEC report is past its 24-hour deadline. Holds no names."""
    now = timezone.now()
    due = MissingEpisode.objects.filter(
        learned_at__lt=now - REPORT_WITHIN, overdue_notified_at__isnull=True
    ).filter(police_reported_at__isnull=True) | MissingEpisode.objects.filter(
        learned_at__lt=now - REPORT_WITHIN,
        overdue_notified_at__isnull=True,
        ncmec_reported_at__isnull=True,
    )
    sent = 0
    for episode in due.select_related("person").order_by("pk"):
        with transaction.atomic():
            claimed = MissingEpisode.objects.filter(
                pk=episode.pk, overdue_notified_at__isnull=True
            ).update(overdue_notified_at=now)
            if not claimed:
                continue
            recipients = {episode.person.assigned_to_id} if episode.person.assigned_to_id else set()
            supervisors = Membership.objects.filter(
                agency_id=episode.agency_id, is_active=True, scope__in=["", "agency"]
            ).select_related("role")
            for member in supervisors:
                if member.effective_scope == "agency" and member.has_perm(
                    "survivors.missingepisode.view"
                ):
                    recipients.add(member.user_id)
            for user_id in sorted(u for u in recipients if u):
                notify(
                    user_id=user_id,
                    title=gettext_noop("A missing-person report is overdue (%(ref)s)"),
                    title_params={"ref": episode.person.reference},
                    link=reverse("survivors:person-detail", args=[episode.person_id]),
                )
                sent += 1
    return f"{sent} overdue reminders sent" if sent else None
