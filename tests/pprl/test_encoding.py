"""Keyed Bloom-filter encodings: deterministic for one key and schema, unrelated across keys,
and the document validation that keeps plaintext out."""

from __future__ import annotations

import copy
import dataclasses
import json

import duckdb
import numpy as np
import pytest

from safeharbor.linkage import pipeline
from safeharbor.linkage.pprl import document, encoding, matching
from safeharbor.linkage.pprl.encode_command import encode_table

from .helpers import AGENCY_A, AGENCY_B, HEADER, KEY, OTHER_KEY


def _table(rows, source):
    return pipeline.records_to_table(
        [{**dict(zip(HEADER, row, strict=True)), "source": source} for row in rows]
    )


def _prepared(rows, source="a"):
    con = duckdb.connect()
    try:
        prepared, _ = pipeline.prepare_records(con, _table(rows, source))
    finally:
        con.close()
    return prepared.to_pylist()


def _dice(x, y):
    both = np.concatenate([x[None, :], y[None, :]])
    return float(matching.dice(both, np.array([0]), np.array([1]))[0])


def test_same_key_and_schema_give_the_same_encodings():
    prepared = _prepared(AGENCY_A)
    first = encoding.encode_records(prepared, KEY.encode())
    again = encoding.encode_records(_prepared(AGENCY_A), KEY.encode())
    assert first.shape == (4, encoding.DEFAULT_SCHEMA.output_bits // 8)
    assert np.array_equal(first, again)


def test_different_keys_give_unrelated_encodings():
    prepared = _prepared(AGENCY_A + AGENCY_B)
    mine = encoding.encode_records(prepared, KEY.encode())
    theirs = encoding.encode_records(prepared, OTHER_KEY.encode())
    # The same person under two keys is no closer than two different people under one.
    same_person_other_key = [_dice(mine[i], theirs[i]) for i in range(len(prepared))]
    different_people_same_key = _dice(mine[0], mine[2])
    assert max(same_person_other_key) < 0.45
    assert max(same_person_other_key) <= different_people_same_key + 0.1
    assert encoding.key_fingerprint(KEY.encode()) != encoding.key_fingerprint(OTHER_KEY.encode())


def test_the_same_person_is_similar_and_different_people_are_not():
    packed = encoding.encode_records(_prepared(AGENCY_A + AGENCY_B), KEY.encode())
    kate_a, kate_b = packed[0], packed[4]  # Katherine Orlowen / Kate Orlowen
    marisol_a, marisol_b = packed[1], packed[5]  # Tenfeld / Tenfeldt, no phone
    assert _dice(kate_a, kate_b) >= matching.DEFAULT_THRESHOLD
    assert _dice(marisol_a, marisol_b) >= matching.DEFAULT_LOWER
    assert _dice(kate_a, packed[6]) < 0.5  # Ximena Brakvold


def test_schema_changes_change_the_encodings():
    prepared = _prepared(AGENCY_A)
    plain = encoding.encode_records(prepared, KEY.encode())
    balanced_schema = dataclasses.replace(encoding.DEFAULT_SCHEMA, balanced=True)
    balanced = encoding.encode_records(prepared, KEY.encode(), balanced_schema)
    assert balanced.shape[1] == 2 * plain.shape[1]
    # Every balanced encoding has exactly half its bits set, whatever the name's length.
    assert set(np.bitwise_count(balanced).sum(axis=1).tolist()) == {balanced_schema.bits}


def test_the_key_file_must_hold_a_real_secret(tmp_path):
    short = tmp_path / "short.key"
    short.write_text("password")
    with pytest.raises(encoding.KeyFileError, match="too short"):
        encoding.read_key(short)
    with pytest.raises(encoding.KeyFileError, match="no such key file"):
        encoding.read_key(tmp_path / "missing.key")


# --- the document ------------------------------------------------------------------------


def _document():
    return encode_table(_table(AGENCY_A, "victim_services"), KEY.encode(), source="victim_services")


def test_a_document_round_trips():
    doc = _document()
    parsed = document.parse_document(json.dumps(doc))
    assert parsed.source == "victim_services"
    assert parsed.ids == ["a1", "a2", "a3", "a4"]
    assert parsed.schema == encoding.DEFAULT_SCHEMA
    assert parsed.key_fingerprint == encoding.key_fingerprint(KEY.encode())
    text = json.dumps(doc)
    for plaintext in ("Katherine", "Orlowen", "2007-03-14", "503-555-0101", "Alder"):
        assert plaintext.lower() not in text.lower()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(names=["Katherine Orlowen"]), "keys the schema does not allow"),
        (lambda d: d["encodings"][0].update(name="Katherine"), "exactly the keys id and clk"),
        (lambda d: d["encodings"][0].update(clk="Katherine Orlowen"), "not valid encodings"),
        (lambda d: d["encodings"][0].update(clk="QUJD"), "bits, the schema says"),
        (lambda d: d["encodings"][0].update(id="Katherine Orlowen"), "id must be 1 to 64"),
        (lambda d: d.update(source="<b>x</b>"), "source must be"),
        (lambda d: d["schema"]["fields"].append(dict(d["schema"]["fields"][0])), "repeated"),
        (lambda d: d["schema"]["hardening"].update(salt="name"), "salt must be"),
        (lambda d: d.update(records=99), "exactly 'records' entries"),
        (lambda d: d.update(totals_only=-1), "totals_only must be"),
        (lambda d: d.update(key_fingerprint="XYZ"), "key_fingerprint"),
        (lambda d: d.update(created="yesterday"), "created must be"),
        (lambda d: d.update(format="csv"), "not a safeharbor-pprl-encodings"),
    ],
)
def test_anything_but_the_schema_is_refused(change, message):
    doc = copy.deepcopy(_document())
    change(doc)
    with pytest.raises(document.DocumentError, match=message):
        document.parse_document(json.dumps(doc))


def test_a_spreadsheet_or_plain_list_is_refused():
    csv_text = "record_id,given_name,family_name\na1,Katherine,Orlowen\n"
    with pytest.raises(document.DocumentError, match="not JSON"):
        document.parse_document(csv_text)
    with pytest.raises(document.DocumentError, match="must be an object"):
        document.parse_document(json.dumps([{"given_name": "Katherine"}]))


def test_a_balanced_encoding_with_the_wrong_weight_is_refused():
    schema = dataclasses.replace(encoding.DEFAULT_SCHEMA, balanced=True)
    packed = encoding.encode_records(_prepared(AGENCY_A), KEY.encode(), schema)
    doc = document.build_document(
        schema=schema,
        key_fingerprint=encoding.key_fingerprint(KEY.encode()),
        source="a",
        ids=["a1", "a2", "a3", "a4"],
        packed=packed,
        totals_only=0,
    )
    assert document.parse_document(json.dumps(doc)).records == 4
    packed[0, :] = 255
    doc["encodings"][0]["clk"] = encoding.to_text(packed[:1])[0]
    with pytest.raises(document.DocumentError, match="half its bits"):
        document.parse_document(json.dumps(doc))


# --- matching ----------------------------------------------------------------------------


def test_index_finds_the_same_links_as_comparing_every_pair():
    rng = np.random.Generator(np.random.PCG64(3))
    base = rng.random((300, 1024)) < 0.3
    noisy = base ^ (rng.random((300, 1024)) < 0.02)
    packed = np.packbits(np.concatenate([base, noisy]), axis=1)
    sources = ["a"] * 300 + ["b"] * 300
    every = matching.link_encodings(packed, sources, method="all", one_to_one=True)
    indexed = matching.link_encodings(packed, sources, method="index", one_to_one=True)
    assert every.people == indexed.people == 300
    assert np.array_equal(every.cluster_ids, indexed.cluster_ids)
    assert every.pairs_compared == 300 * 300
    assert indexed.pairs_compared < every.pairs_compared / 3


def _crowd_with_a_hidden_pair(seed):
    """2,000 records around one common pattern (15% of bits flipped each, so no two are
    alike) and one person recorded twice with exactly that pattern: in every index table the
    person's key is shared by about 400 crowd records."""
    rng = np.random.Generator(np.random.PCG64(seed))
    pattern = rng.random(1024) < 0.3
    crowd = pattern ^ (rng.random((2000, 1024)) < 0.15)
    twice = np.stack([pattern, pattern])
    return np.packbits(np.concatenate([crowd, twice]), axis=1)


def test_a_pair_inside_a_crowded_index_key_is_still_compared():
    packed = _crowd_with_a_hidden_pair(5)
    left, right = matching.candidate_pairs(packed)
    assert 2000 * 2002 + 2001 in (left * 2002 + right).tolist()
    # The crowded keys are split into smaller groups, not all compared with each other.
    assert len(left) < 2002 * 2001 / 2
    indexed = matching.link_encodings(packed, ["a"] * 2002, method="index")
    assert indexed.cluster_ids[2000] == indexed.cluster_ids[2001]


def test_records_alike_on_every_sampled_bit_are_compared_up_to_a_cap():
    # 150 identical encodings (one person entered again and again) share every key of every
    # table: each is compared with its next neighbours, enough to make them one person.
    rng = np.random.Generator(np.random.PCG64(6))
    one = rng.random(1024) < 0.3
    others = rng.random((50, 1024)) < 0.3
    packed = np.packbits(np.concatenate([np.tile(one, (150, 1)), others]), axis=1)
    left, right = matching.candidate_pairs(packed)
    same = (left < 150) & (right < 150)
    assert 0 < same.sum() < 150 * 149 / 2
    indexed = matching.link_encodings(packed, ["a"] * 200, method="index")
    assert set(indexed.cluster_ids[:150].tolist()) == {1}
    assert indexed.people == 51


def test_one_to_one_links_each_record_once_per_other_source():
    rng = np.random.Generator(np.random.PCG64(4))
    person = rng.random(1024) < 0.3
    twin = person ^ (rng.random(1024) < 0.01)
    packed = np.packbits(np.stack([person, twin, person]), axis=1)
    # Two records in source b look like the one in a: only the better one links.
    result = matching.link_encodings(packed, ["a", "b", "b"], one_to_one=True)
    assert result.pairs_linked == 1
    assert result.cluster_ids.tolist() == [1, 2, 1]
    clustered = matching.link_encodings(packed, ["a", "b", "b"])
    assert clustered.cluster_ids.tolist() == [1, 1, 1]


def test_a_first_of_january_birth_date_says_the_year_only():
    # Forms write 1 January when only the year is known: it must not disagree on a day and
    # month that nobody knew.
    estimated = {"dob_year": 2007, "dob_month": 1, "dob_day": 1}
    known = {"dob_year": 2007, "dob_month": 3, "dob_day": 14}
    assert encoding.record_tokens(estimated)["dob"] == {"y2007"}
    assert encoding.record_tokens(known)["dob"] == {"y2007", "m3", "d14", "md3-14"}


def test_a_missing_field_costs_less_than_a_disagreeing_one():
    full = list(AGENCY_A[0])
    no_phone = ["a1-no-phone", *full[1:6], "", *full[7:]]
    other_phone = ["a1-other-phone", *full[1:6], "503-555-0188", *full[7:]]
    packed = encoding.encode_records(_prepared([full, no_phone, other_phone]), KEY.encode())
    missing, disagreeing = (_dice(packed[0], packed[i]) for i in (1, 2))
    assert missing > disagreeing
    # Plain Dice (no tolerance) counts the missing phone's bits fully against the pair.
    words = np.unpackbits(packed[:2], axis=1).sum(axis=1)
    common = int(np.unpackbits(packed[0] & packed[1]).sum())
    plain = 2 * common / (words[0] + words[1])
    assert missing > plain
    # Equal numbers of set bits: exactly Dice.
    assert matching.similarity(np.array(10), np.array(20), np.array(20)) == pytest.approx(0.5)
