"""Screening instruments: the shape of a definition, its validation, and scoring.

A definition is data (stored on ``ScreeningInstrument.definition``)::

    {"description": "...",
     "domains": [{"key": "control", "label": "...",
                  "items": [{"key": "cannot_leave", "text": "...", "weight": 3,
                             "critical": false, "critical_for_minor": false}]}],
     "bands": [{"band": "no", "min_score": 0}, {"band": "possible", "min_score": 3},
               {"band": "clear", "min_score": 8}]}

Answers map item keys to ``yes``, ``no`` or ``unknown``. The score is the sum of the weights
of the ``yes`` answers; the band is the highest band whose ``min_score`` the score reaches. A
``yes`` to a critical item (or a ``critical_for_minor`` item when the person is under 18)
makes the result a clear concern whatever the score.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .choices import ScreeningBand

ANSWER_YES = "yes"
ANSWER_NO = "no"
ANSWER_UNKNOWN = "unknown"
ANSWERS = (ANSWER_YES, ANSWER_NO, ANSWER_UNKNOWN)
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,49}$")
BAND_ORDER = [ScreeningBand.NO_CONCERN, ScreeningBand.POSSIBLE, ScreeningBand.CLEAR]


@dataclass(frozen=True)
class ScreeningResult:
    score: int
    band: str
    critical_items: tuple[str, ...]


def validate_definition(definition: Any) -> None:
    """Raise ``ValidationError`` listing every problem with an instrument definition."""
    problems: list[str] = []
    if not isinstance(definition, dict):
        raise ValidationError(_("The definition must be a JSON object."))
    domains = definition.get("domains")
    if not isinstance(domains, list) or not domains:
        problems.append(_("Add at least one domain."))
        domains = []
    seen: set[str] = set()
    for d_index, domain in enumerate(domains, start=1):
        if not isinstance(domain, dict):
            problems.append(_("Domain %(n)s must be an object.") % {"n": d_index})
            continue
        if not isinstance(domain.get("label"), str) or not domain.get("label", "").strip():
            problems.append(_("Domain %(n)s needs a label.") % {"n": d_index})
        items = domain.get("items")
        if not isinstance(items, list) or not items:
            problems.append(_("Domain %(n)s needs at least one item.") % {"n": d_index})
            continue
        for i_index, item in enumerate(items, start=1):
            where = {"d": d_index, "i": i_index}
            if not isinstance(item, dict):
                problems.append(_("Item %(d)s.%(i)s must be an object.") % where)
                continue
            key = item.get("key")
            if not isinstance(key, str) or not KEY_PATTERN.match(key):
                problems.append(
                    _("Item %(d)s.%(i)s needs a key of lower-case letters, digits and _.") % where
                )
            elif key in seen:
                problems.append(_("Item key %(key)s is used twice.") % {"key": key})
            else:
                seen.add(key)
            if not isinstance(item.get("text"), str) or not item.get("text", "").strip():
                problems.append(_("Item %(d)s.%(i)s needs its question text.") % where)
            weight = item.get("weight")
            if not isinstance(weight, int) or isinstance(weight, bool) or not 0 <= weight <= 20:
                problems.append(_("Item %(d)s.%(i)s needs a weight from 0 to 20.") % where)
    bands = definition.get("bands")
    if not isinstance(bands, list) or not bands:
        problems.append(_("Add the score bands (no, possible, clear)."))
    else:
        names = []
        thresholds = []
        for band in bands:
            if not isinstance(band, dict):
                problems.append(_("Each band must be an object."))
                continue
            names.append(band.get("band"))
            thresholds.append(band.get("min_score"))
        if sorted(n for n in names if isinstance(n, str)) != sorted(BAND_ORDER) or len(
            names
        ) != len(BAND_ORDER):
            problems.append(_("Bands must be exactly: no, possible, clear."))
        elif any(not isinstance(t, int) or isinstance(t, bool) for t in thresholds):
            problems.append(_("Each band needs a whole-number minimum score."))
        else:
            by_name = dict(zip(names, thresholds, strict=True))
            ordered = [by_name[b] for b in BAND_ORDER]
            if ordered[0] != 0 or not ordered[0] < ordered[1] < ordered[2]:
                problems.append(_("Band minimums must start at 0 and rise: no < possible < clear."))
    if problems:
        raise ValidationError(problems)


def items_of(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every item of a definition, in order, with its domain's key and label added."""
    result = []
    for domain in definition.get("domains", []):
        for item in domain.get("items", []):
            result.append(
                {**item, "domain": domain.get("key", ""), "domain_label": domain["label"]}
            )
    return result


def clean_answers(definition: dict[str, Any], answers: dict[str, Any]) -> dict[str, str]:
    """Answers for exactly the instrument's items; unknown keys are an error, missing ones
    count as not known."""
    keys = [item["key"] for item in items_of(definition)]
    extra = sorted(set(answers) - set(keys))
    if extra:
        raise ValidationError(
            _("These answers are not part of the instrument: %(keys)s") % {"keys": ", ".join(extra)}
        )
    cleaned = {}
    for key in keys:
        value = answers.get(key) or ANSWER_UNKNOWN
        if value not in ANSWERS:
            raise ValidationError(
                _("The answer to %(key)s must be yes, no or unknown.") % {"key": key}
            )
        cleaned[key] = value
    return cleaned


def score(
    definition: dict[str, Any], answers: dict[str, str], *, is_minor: bool | None = None
) -> ScreeningResult:
    """Score cleaned answers against a definition (see the module docstring)."""
    total = 0
    critical: list[str] = []
    for item in items_of(definition):
        if answers.get(item["key"]) != ANSWER_YES:
            continue
        total += int(item.get("weight", 0))
        if item.get("critical") or (item.get("critical_for_minor") and is_minor):
            critical.append(item["key"])
    thresholds = {b["band"]: b["min_score"] for b in definition["bands"]}
    band = ScreeningBand.NO_CONCERN
    for name in BAND_ORDER:
        if total >= thresholds[name]:
            band = name
    if critical:
        band = ScreeningBand.CLEAR
    return ScreeningResult(score=total, band=str(band), critical_items=tuple(critical))
