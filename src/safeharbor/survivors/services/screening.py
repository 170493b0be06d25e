"""Screenings with a versioned instrument, and new instrument versions."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Q
from django.utils.translation import gettext as _

from .. import access, derive
from .. import screening as scoring
from ..models import MissingEpisode, Person, Screening, ScreeningInstrument
from ._common import AuditAction, audit, person_age_on, today, user_of


def instruments_for(agency_id: int) -> Any:
    """Active instruments an agency may screen with: shared ones and its own."""
    return ScreeningInstrument.objects.filter(
        Q(agency__isnull=True) | Q(agency_id=agency_id), is_active=True
    )


def screening_record(
    *,
    membership: Any,
    person: Person,
    instrument: ScreeningInstrument,
    answers: dict[str, str],
    screened_on: datetime.date,
    note: str = "",
    missing_episode: MissingEpisode | None = None,
) -> Screening:
    """Score the answers with the instrument and record the screening."""
    access.require_add(membership, Screening, person=person)
    if not instruments_for(person.agency_id).filter(pk=instrument.pk).exists():
        raise ValidationError({"instrument": _("This instrument is not in use at your agency.")})
    if screened_on > today():
        raise ValidationError({"screened_on": _("The date is in the future.")})
    if missing_episode is not None and missing_episode.person_id != person.pk:
        raise ValidationError({"missing_episode": _("That episode is of someone else.")})
    cleaned = scoring.clean_answers(instrument.definition, answers)
    juvenile = derive.is_juvenile(person_age_on(person, screened_on))
    result = scoring.score(instrument.definition, cleaned, is_minor=juvenile)
    with transaction.atomic():
        screening = Screening.objects.create(
            person=person,
            agency_id=person.agency_id,
            instrument=instrument,
            screened_on=screened_on,
            answers=cleaned,
            score=result.score,
            band=result.band,
            juvenile_at_screening=juvenile,
            note=note,
            missing_episode=missing_episode,
            screened_by=user_of(membership),
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=screening,
            agency_id=person.agency_id,
            fields=["answers", "score", "band"],
        )
    return screening


def instrument_create_version(
    *, membership: Any, slug: str, name: str, definition: dict[str, Any]
) -> ScreeningInstrument:
    """Add the next version of an instrument for the membership's agency.

    Older versions stay (screenings keep pointing at the version they used); the previous
    version of this agency's instrument stops being offered.
    """
    if (
        membership is None
        or membership.effective_scope != "agency"
        or not membership.has_perm("survivors.screeninginstrument.add")
    ):
        raise PermissionDenied
    scoring.validate_definition(definition)
    with transaction.atomic():
        existing = list(
            ScreeningInstrument.objects.select_for_update().filter(slug=slug).order_by("pk")
        )
        if any(i.agency_id not in (None, membership.agency_id) for i in existing):
            raise ValidationError({"slug": _("Another agency uses this short name.")})
        version = (
            ScreeningInstrument.objects.filter(slug=slug).aggregate(v=Max("version"))["v"] or 0
        ) + 1
        ScreeningInstrument.objects.filter(slug=slug, agency_id=membership.agency_id).update(
            is_active=False
        )
        instrument = ScreeningInstrument.objects.create(
            agency_id=membership.agency_id,
            slug=slug,
            version=version,
            name=name,
            definition=definition,
            created_by=membership.user,
        )
        audit(
            action=AuditAction.CREATE,
            membership=membership,
            obj=instrument,
            agency_id=membership.agency_id,
            fields=["definition"],
        )
    return instrument
