"""Derivations, instrument scoring and CSV checks: no database needed."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from safeharbor.survivors import derive, screening
from safeharbor.survivors.choices import AgeBand
from safeharbor.survivors.importer import parse_survivor_csv
from safeharbor.survivors.instruments import default

TODAY = datetime.date(2026, 11, 28)


def test_age_from_birthday_counts_whole_years():
    assert derive.age_on(TODAY, dob=datetime.date(2010, 11, 28)) == 16
    assert derive.age_on(TODAY, dob=datetime.date(2010, 11, 29)) == 15


def test_estimated_age_grows_with_time():
    assert derive.age_on(TODAY, estimated_age=15, estimated_on=datetime.date(2024, 6, 1)) == 17
    assert derive.age_on(TODAY) is None


@pytest.mark.parametrize(
    ("age", "band"),
    [
        (None, AgeBand.UNKNOWN),
        (11, AgeBand.UNDER_12),
        (14, AgeBand.AGE_12_14),
        (17, AgeBand.AGE_15_17),
        (18, AgeBand.AGE_18_24),
        (40, AgeBand.AGE_35_PLUS),
    ],
)
def test_age_bands(age, band):
    assert derive.age_band(age) == band


def test_juvenile_is_under_18():
    assert derive.is_juvenile(17) is True
    assert derive.is_juvenile(18) is False
    assert derive.is_juvenile(None) is None


def test_reference_shape_and_normalising():
    ref = derive.new_reference()
    assert len(ref) == 10 and ref.startswith("SH-") and ref[7] == "-"
    assert derive.normalise_reference(ref.lower().replace("-", " ")) == ref
    assert derive.normalise_reference("SH-0000-00") is None  # 0 is not in the alphabet
    assert derive.normalise_reference("Jordan") is None


def test_default_instrument_is_valid_and_scores_bands():
    definition = default.DEFINITION
    screening.validate_definition(definition)
    none = screening.clean_answers(definition, {})
    assert screening.score(definition, none).band == "no"
    some = screening.clean_answers(definition, {"speaks_for": "yes", "hotels": "yes"})
    assert screening.score(definition, some).band == "possible"


def test_trading_sex_is_clear_concern_for_a_minor_only():
    answers = screening.clean_answers(default.DEFINITION, {"sex_for_value": "yes"})
    assert screening.score(default.DEFINITION, answers, is_minor=True).band == "clear"
    assert screening.score(default.DEFINITION, answers, is_minor=False).band == "possible"


def test_answers_outside_the_instrument_are_refused():
    with pytest.raises(ValidationError):
        screening.clean_answers(default.DEFINITION, {"invented": "yes"})
    with pytest.raises(ValidationError):
        screening.clean_answers(default.DEFINITION, {"hotels": "maybe"})


def test_definition_problems_are_all_listed():
    bad = {
        "domains": [{"label": "", "items": [{"key": "A b", "text": "", "weight": 99}]}],
        "bands": [
            {"band": "no", "min_score": 0},
            {"band": "possible", "min_score": 0},
            {"band": "clear", "min_score": 5},
        ],
    }
    with pytest.raises(ValidationError) as info:
        screening.validate_definition(bad)
    assert len(info.value.messages) == 5


HEADER = (
    "record_id,given_name,family_name,alias,dob,sex,phone,address,city,postcode,"
    "identification_status,identification_date\n"
)


def test_good_file_parses_aliases_and_phones():
    text = HEADER + (
        "A1,Rosa,Testwell,Ro;Little R,2010-03-04,F,503-555-0101;971 555 0102,"
        "1 Example St,Portland,97201,suspected,2026-01-05\n"
    )
    result = parse_survivor_csv(text, today=TODAY)
    assert result.ok, result.errors
    row = result.rows[0]
    assert row.aliases == ["Ro", "Little R"]
    assert row.phones == ["503-555-0101", "971 555 0102"]
    assert row.dob == datetime.date(2010, 3, 4)
    assert row.identification_status == "suspected"


def test_every_bad_row_is_reported_with_line_column_and_reason():
    text = HEADER + (
        "A1,Rosa,Testwell,,2010-13-04,F,,,,,,\n"
        "A1,Mia,Sample,,,Q,12,,,,confirmed,\n"
        ",,,,,,,,,,,2026-01-01\n"
        "A4,Good,Row,,,,,,,,,\n"
    )
    result = parse_survivor_csv(text, today=TODAY)
    found = {(e.line, e.column) for e in result.errors}
    assert (2, "dob") in found
    assert (3, "record_id") in found  # duplicate of line 2
    assert (3, "sex") in found
    assert (3, "phone") in found
    assert (3, "identification_date") in found  # status without a date
    assert (4, "record_id") in found
    assert (4, "given_name") in found
    assert (4, "identification_status") in found  # date without a status
    assert all(e.reason for e in result.errors)


def test_unknown_and_missing_columns_stop_at_the_header():
    result = parse_survivor_csv("given_name,ssn\nA,123\n", today=TODAY)
    assert {(e.line, e.column) for e in result.errors} == {(1, "ssn"), (1, "record_id")}


def test_quoted_newlines_keep_line_numbers_right():
    text = HEADER + 'A1,"Two\nLines",X,,,,,,,,,\nA2,Ok,Y,,2030-01-01,,,,,,,\n'
    result = parse_survivor_csv(text, today=TODAY)
    assert [(e.line, e.column) for e in result.errors] == [(4, "dob")]
