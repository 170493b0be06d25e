"""Synthetic agency records for tests, the bundled model and the benchmarks.

Every name, date, phone and address is invented. A third of the people have 2 to 5 records,
spread within and across agencies, and the copies carry the mess real intake forms carry:
nicknames and street aliases, typos, changed family names, swapped given and family names,
day and month swapped, a year off by one, estimated or missing dates of birth, phones shared
by unrelated people, moved addresses. Each row has a ``person_id`` (the truth), which the
linkage ignores.
"""

from __future__ import annotations

import csv
import datetime
import os
import random
from collections.abc import Iterator
from pathlib import Path

from .nicknames import NAME_GROUPS

__all__ = ["HEADER", "generate_records", "write_csv"]

HEADER = (
    "record_id",
    "source",
    "given_name",
    "family_name",
    "alias",
    "dob",
    "sex",
    "phone",
    "address",
    "city",
    "postcode",
    "person_id",
)

_SYLLABLES = (
    "ka",
    "lo",
    "mi",
    "ra",
    "ten",
    "sor",
    "vel",
    "bri",
    "dan",
    "mor",
    "le",
    "quin",
    "ash",
    "ford",
    "ton",
    "wick",
    "ber",
    "gal",
    "ha",
    "jen",
    "kov",
    "lind",
    "mar",
    "nes",
    "ol",
    "per",
    "ros",
    "sten",
    "tal",
    "ur",
    "vas",
    "wen",
    "yar",
    "zel",
    "chi",
    "do",
    "fel",
    "gri",
)
_FEMALE_EXTRA = (
    "aurora",
    "brisa",
    "celeste",
    "dalia",
    "esme",
    "fiona",
    "iris",
    "juno",
    "kiara",
    "luna",
    "maya",
    "noemi",
    "paloma",
    "quinn",
    "rocio",
    "selene",
    "tamsin",
    "ursula",
    "wren",
    "ximena",
    "yara",
    "zoe",
)
_MALE_EXTRA = (
    "arlo",
    "bruno",
    "cesar",
    "dario",
    "elias",
    "felix",
    "gael",
    "hugo",
    "ivan",
    "joaquin",
    "kai",
    "lucas",
    "milo",
    "nestor",
    "omar",
    "pablo",
    "rene",
    "silas",
    "tobias",
    "ulises",
    "wade",
    "yosef",
)
_STREET_ALIASES = (
    "star",
    "candy",
    "angel",
    "baby",
    "diamond",
    "honey",
    "lady",
    "princess",
    "sunny",
    "cookie",
    "jewel",
    "raven",
    "storm",
    "lucky",
    "bunny",
    "mimi",
)
_STREETS = (
    "alder",
    "burnside",
    "clinton",
    "division",
    "everett",
    "flanders",
    "glisan",
    "hawthorne",
    "irving",
    "johnson",
    "killingsworth",
    "lombard",
    "morrison",
    "market",
    "oak",
    "powell",
    "quimby",
    "salmon",
    "taylor",
    "umatilla",
    "vancouver",
    "woodstock",
    "yamhill",
    "belmont",
    "fremont",
    "holgate",
    "stark",
    "foster",
    "sandy",
    "broadway",
)
_SUFFIXES = (("Street", "St"), ("Avenue", "Ave"), ("Boulevard", "Blvd"), ("Road", "Rd"))
_QUADRANTS = ("NE", "SE", "NW", "SW", "N")
_CITIES = (
    ("Portland", 60),
    ("Gresham", 8),
    ("Beaverton", 8),
    ("Vancouver", 6),
    ("Hillsboro", 6),
    ("Milwaukie", 4),
    ("Tigard", 4),
    ("Salem", 4),
)
_FEMALE_FORMAL = tuple(g[0] for g in NAME_GROUPS[:50] if g[0] not in {"william"})
_MALE_FORMAL = tuple(g[0] for g in NAME_GROUPS[50:97])


def _invented_surnames(rng: random.Random, n: int) -> list[str]:
    """``n`` distinct invented names of two to four syllables (at most 2 million)."""
    n = min(n, 2_000_000)
    names: set[str] = set()
    while len(names) < n:
        names.add("".join(rng.choice(_SYLLABLES) for _ in range(rng.choice((2, 2, 3, 4)))))
    return sorted(names)


def _typo(rng: random.Random, text: str) -> str:
    if len(text) < 3:
        return text
    i = rng.randrange(1, len(text) - 1)
    kind = rng.random()
    if kind < 0.35:
        return text[:i] + rng.choice("abcdefghijklmnoprstuvwy") + text[i + 1 :]
    if kind < 0.65:
        return text[:i] + text[i + 1 :]
    if kind < 0.85:
        return text[:i] + text[i + 1] + text[i] + text[i + 2 :]
    return text[:i] + text[i] + text[i:]


def _nickname(rng: random.Random, given: str) -> str:
    for group in NAME_GROUPS:
        if group[0] == given and len(group) > 1:
            return rng.choice(group[1:])
    return given


def _phone(rng: random.Random) -> str:
    return f"503-{rng.randrange(200, 999)}-{rng.randrange(0, 10000):04d}"


def generate_records(records: int, *, seed: int = 7, sources: int = 5) -> Iterator[tuple[str, ...]]:
    """Yield about ``records`` rows (``HEADER`` order) of synthetic agency records."""
    rng = random.Random(seed)  # noqa: S311 # nosec B311 - invented test data, not secrets
    surnames = _invented_surnames(rng, max(2000, records // 12))
    common = surnames[:300]
    females = list(_FEMALE_FORMAL) + list(_FEMALE_EXTRA)
    males = list(_MALE_FORMAL) + list(_MALE_EXTRA)
    females += _invented_surnames(rng, 400)
    males += _invented_surnames(random.Random(seed + 1), 400)  # noqa: S311 # nosec B311
    shared_phones = [_phone(rng) for _ in range(max(5, records // 400))]
    agency_names = [f"agency_{chr(ord('a') + i)}" for i in range(sources)]
    counters = dict.fromkeys(agency_names, 0)
    epoch = datetime.date(1960, 1, 1)
    span = (datetime.date(2012, 12, 31) - epoch).days
    produced = 0
    person = 0
    while produced < records:
        person += 1
        sex = rng.choice("FFFM")
        given = rng.choice(females if sex == "F" else males)
        family = rng.choice(common) if rng.random() < 0.35 else rng.choice(surnames)
        dob = epoch + datetime.timedelta(days=rng.randrange(span))
        alias = rng.choice(_STREET_ALIASES) if rng.random() < 0.3 else ""
        phones = [_phone(rng)] if rng.random() < 0.7 else []
        if rng.random() < 0.05:
            phones.append(rng.choice(shared_phones))
        street = (
            f"{rng.randrange(100, 19999)} {rng.choice(_QUADRANTS)} "
            f"{rng.choice(_STREETS).capitalize()} {rng.choice(_SUFFIXES)[rng.randrange(2)]}"
        )
        city = rng.choices([c for c, _ in _CITIES], [w for _, w in _CITIES])[0]
        postcode = f"97{rng.randrange(200, 300)}"
        copies = 1 if rng.random() < 2 / 3 else rng.randint(2, 5)
        home = rng.choice(agency_names)
        for copy in range(copies):
            if produced >= records:
                break
            r_given, r_family, r_dob = given, family, dob
            r_alias, r_phones = alias, list(phones)
            r_street, r_city, r_post, r_sex = street, city, postcode, sex
            dob_text: str | None = r_dob.isoformat()
            if copy:
                if rng.random() < 0.25:
                    r_given = _nickname(rng, r_given)
                if alias and rng.random() < 0.12:
                    r_given, r_alias = alias, given
                if rng.random() < 0.1:
                    r_given = _typo(rng, r_given)
                if rng.random() < 0.1:
                    r_family = _typo(rng, r_family)
                if rng.random() < 0.06:
                    old = r_family
                    r_family = rng.choice(surnames)
                    if rng.random() < 0.3:
                        r_alias = ";".join(a for a in (r_alias, f"{given} {old}") if a)
                if rng.random() < 0.03:
                    r_given, r_family = r_family, r_given
                roll = rng.random()
                if roll < 0.05 and r_dob.day <= 12 and r_dob.day != r_dob.month:
                    dob_text = f"{r_dob.year}-{r_dob.day:02d}-{r_dob.month:02d}"
                elif roll < 0.09:
                    dob_text = (
                        f"{r_dob.year + rng.choice((-1, 1))}-{r_dob.month:02d}-{r_dob.day:02d}"
                    )
                elif roll < 0.19:
                    dob_text = None
                elif roll < 0.22:
                    dob_text = f"{r_dob.year + rng.choice((-1, 0, 1))}-01-01"
                elif roll < 0.25:
                    digits = list(r_dob.isoformat())
                    pos = rng.choice((2, 3, 6, 9))
                    digits[pos] = rng.choice("0123456789")
                    dob_text = "".join(digits)
                if rng.random() < 0.35:
                    r_phones = []
                elif rng.random() < 0.2:
                    r_phones = [_phone(rng)]
                if rng.random() < 0.3:
                    r_street = (
                        f"{rng.randrange(100, 19999)} {rng.choice(_QUADRANTS)} "
                        f"{rng.choice(_STREETS).capitalize()} {rng.choice(_SUFFIXES)[0]}"
                    )
                    r_post = f"97{rng.randrange(200, 300)}"
                if rng.random() < 0.2:
                    r_street, r_post = "", ""
                if rng.random() < 0.05:
                    r_sex = "U"
            elif rng.random() < 0.06:
                dob_text = None
            if rng.random() < 0.002:
                dob_text = f"{r_dob.year}-02-30"  # an impossible date, as forms do have
            source = home if rng.random() < 0.4 else rng.choice(agency_names)
            counters[source] += 1
            produced += 1
            yield (
                f"{source[-1].upper()}{counters[source]:07d}",
                source,
                r_given.capitalize(),
                r_family.capitalize(),
                r_alias.title() if rng.random() < 0.8 else "",
                dob_text or "",
                r_sex,
                ";".join(r_phones),
                r_street,
                r_city,
                r_post,
                str(person),
            )


def write_csv(path: str | os.PathLike[str], records: int, *, seed: int = 7) -> Path:
    """Write ``records`` synthetic rows to ``path`` (with the ``person_id`` truth column)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(HEADER)
        writer.writerows(generate_records(records, seed=seed))
    return path
