"""Choices of the housing area: project types, HUD exit destinations and their groups,
the states of a month of rental assistance."""

from __future__ import annotations

from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _


class ProjectType(models.TextChoices):
    """HUD project types a housing program runs (HMIS 2.02.6, the ones this pilot uses)."""

    RAPID_REHOUSING = "rrh", _("Rapid re-housing")
    PERMANENT_SUPPORTIVE = "psh", _("Permanent supportive housing")
    TRANSITIONAL = "th", _("Transitional housing")


class DestinationGroup(models.TextChoices):
    """How HUD groups exit destinations for outcome measures."""

    PERMANENT = "permanent", _("Permanent")
    TEMPORARY = "temporary", _("Temporary or homeless")
    INSTITUTIONAL = "institutional", _("Institutional")
    OTHER = "other", _("Other or unknown")


class Destination(models.TextChoices):
    """Exit destinations with HUD's codes (HMIS Data Standards 3.12)."""

    # Permanent
    RENTAL_NO_SUBSIDY = "410", _("Rental by the person, no ongoing housing subsidy")
    RENTAL_WITH_SUBSIDY = "435", _("Rental by the person, with an ongoing housing subsidy")
    OWNED_NO_SUBSIDY = "421", _("Owned by the person, no ongoing housing subsidy")
    OWNED_WITH_SUBSIDY = "411", _("Owned by the person, with an ongoing housing subsidy")
    FAMILY_PERMANENT = "422", _("Staying or living with family, permanent tenure")
    FRIENDS_PERMANENT = "423", _("Staying or living with friends, permanent tenure")
    HOPWA_PERMANENT = "426", _("Moved from one HOPWA project to HOPWA permanent housing")
    # Temporary and homeless situations
    STREET = "116", _("Place not meant for habitation")
    EMERGENCY_SHELTER = "101", _("Emergency shelter, including a hotel paid with a voucher")
    SAFE_HAVEN = "118", _("Safe Haven")
    TRANSITIONAL_HOUSING = "302", _("Transitional housing")
    HALFWAY_HOUSE = "329", _("Residential project or halfway house with no homeless criteria")
    HOTEL_NO_VOUCHER = "314", _("Hotel or motel paid for without an emergency shelter voucher")
    HOST_HOME = "332", _("Host home (non-crisis)")
    FAMILY_TEMPORARY = "312", _("Staying or living with family, temporary tenure")
    FRIENDS_TEMPORARY = "313", _("Staying or living with friends, temporary tenure")
    HOPWA_TEMPORARY = "327", _("Moved from one HOPWA project to HOPWA transitional housing")
    # Institutional
    FOSTER_CARE = "215", _("Foster care home or group foster care home")
    HOSPITAL = "206", _("Hospital or other residential non-psychiatric medical facility")
    JAIL = "207", _("Jail, prison or juvenile detention facility")
    LONG_TERM_CARE = "225", _("Long-term care facility or nursing home")
    PSYCHIATRIC = "204", _("Psychiatric hospital or other psychiatric facility")
    TREATMENT = "205", _("Substance abuse treatment facility or detox center")
    # Other
    DECEASED = "24", _("Deceased")
    OTHER = "17", _("Other")
    NO_EXIT_INTERVIEW = "30", _("No exit interview completed")
    DOES_NOT_KNOW = "8", _("The person does not know")
    PREFERS_NOT = "9", _("The person prefers not to answer")
    NOT_COLLECTED = "99", _("Data not collected")


_GROUP_BY_FIRST_DIGIT = {
    "4": DestinationGroup.PERMANENT,
    "3": DestinationGroup.TEMPORARY,
    "1": DestinationGroup.TEMPORARY,
    "2": DestinationGroup.INSTITUTIONAL,
}


def destination_group(code: str) -> str:
    """The HUD group of a destination code: 4xx permanent, 1xx/3xx temporary or homeless,
    2xx institutional, anything else other or unknown."""
    if len(code) == 3:
        return _GROUP_BY_FIRST_DIGIT.get(code[0], DestinationGroup.OTHER)
    return DestinationGroup.OTHER


HOMELESS_DESTINATIONS = frozenset(
    {Destination.STREET, Destination.EMERGENCY_SHELTER, Destination.SAFE_HAVEN}
)


class AssistanceStatus(models.TextChoices):
    """A scheduled month of rental assistance: scheduled, approved, then paid (or cancelled)."""

    SCHEDULED = "scheduled", _("Scheduled")
    APPROVED = "approved", _("Approved")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class IncomeChange(models.TextChoices):
    """Which way a placement's monthly income went, from the start to the latest assessment
    (the exit, else the yearly assessment): a coarse copy of case data that statistics may
    count (the amounts stay case data). Blank: not known (no start or no later income)."""

    UP = "up", _("Went up")
    SAME = "same", _("Stayed the same")
    DOWN = "down", _("Went down")
    UNKNOWN = "", _("Not known")


def income_change(start: Any, later: Any) -> str:
    """The ``IncomeChange`` between two monthly incomes (None: not known)."""
    if start is None or later is None:
        return IncomeChange.UNKNOWN
    if later > start:
        return IncomeChange.UP
    if later < start:
        return IncomeChange.DOWN
    return IncomeChange.SAME
