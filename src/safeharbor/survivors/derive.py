"""Values derived from identity: age, age band, juvenile status, the pseudonymous reference.

Nothing here touches the database; services call these when they write a record.
"""

from __future__ import annotations

import datetime
import secrets

from .choices import JUVENILE_BANDS, AgeBand, Sex

ADULT_AGE = 18

# Crockford-style alphabet without 0/O, 1/I/L and U so references read aloud cleanly.
REFERENCE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTVWXYZ"
REFERENCE_PREFIX = "SH"


def age_on(
    on: datetime.date,
    *,
    dob: datetime.date | None = None,
    estimated_age: int | None = None,
    estimated_on: datetime.date | None = None,
) -> int | None:
    """Age in whole years on a date, from a date of birth or from an estimate made earlier.

    An estimate ages with time: an estimate of 15 made two years ago is 17 today.
    """
    if dob is not None:
        if on < dob:
            return 0
        years = on.year - dob.year
        if (on.month, on.day) < (dob.month, dob.day):
            years -= 1
        return years
    if estimated_age is not None:
        if estimated_on is None or on <= estimated_on:
            return estimated_age
        elapsed = on.year - estimated_on.year
        if (on.month, on.day) < (estimated_on.month, estimated_on.day):
            elapsed -= 1
        return estimated_age + max(0, elapsed)
    return None


def age_band(age: int | None) -> str:
    """The non-identifying band for an age (``AgeBand.UNKNOWN`` when not known)."""
    if age is None:
        return AgeBand.UNKNOWN
    if age < 12:
        return AgeBand.UNDER_12
    if age < 15:
        return AgeBand.AGE_12_14
    if age < ADULT_AGE:
        return AgeBand.AGE_15_17
    if age < 25:
        return AgeBand.AGE_18_24
    if age < 35:
        return AgeBand.AGE_25_34
    return AgeBand.AGE_35_PLUS


def sex_statistical(sex: str | None) -> str:
    """The sex as statistics count it (the statistical category's copy of an identity
    value): one of the recorded codes, ``Sex.UNKNOWN`` when none or not a known code."""
    return sex if sex in Sex.values else Sex.UNKNOWN


def is_juvenile(age: int | None) -> bool | None:
    """True under 18, False from 18, None when the age is not known."""
    if age is None:
        return None
    return age < ADULT_AGE


def band_is_juvenile(band: str) -> bool:
    return band in JUVENILE_BANDS


def new_reference() -> str:
    """A random pseudonymous reference such as ``SH-4F7K-92``.

    It says nothing about the person; uniqueness is enforced by the database and the caller
    retries on a clash (30**6, about 729 million values).
    """
    chars = "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(6))
    return f"{REFERENCE_PREFIX}-{chars[:4]}-{chars[4:]}"


def normalise_reference(text: str) -> str | None:
    """``sh 4f7k 92`` or ``SH4F7K92`` -> ``SH-4F7K-92``; None if it is not a reference."""
    compact = "".join(ch for ch in text.upper() if ch.isalnum())
    if compact.startswith(REFERENCE_PREFIX):
        compact = compact[len(REFERENCE_PREFIX) :]
    if len(compact) != 6 or any(ch not in REFERENCE_ALPHABET for ch in compact):
        return None
    return f"{REFERENCE_PREFIX}-{compact[:4]}-{compact[4:]}"
