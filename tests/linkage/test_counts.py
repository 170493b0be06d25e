"""Unique-people counts: point estimate, interval, small-cell suppression."""

from __future__ import annotations

import pytest

from safeharbor.linkage.counts import format_count, unduplicated_count


def test_every_record_linkable_gives_an_exact_count():
    count = unduplicated_count(["a", "a", "b", "c", "c", "c"])
    assert (count.point, count.lower, count.upper) == (3, 3, 3)
    assert count.exact


def test_unlinkable_records_widen_the_interval():
    # 120 linkable records are 100 people; 30 records may not be linked.
    clusters = [f"p{i}" for i in range(100)] + [f"p{i}" for i in range(20)]
    count = unduplicated_count(clusters, unlinkable_records=30)
    assert count.lower == 100  # every unlinkable record is someone already counted
    assert count.upper == 130  # none of them is
    assert count.point == 125  # the linked part's 100 people per 120 records, applied to 30
    assert not count.exact


def test_only_unlinkable_records_still_count():
    count = unduplicated_count([], unlinkable_records=4)
    assert (count.point, count.lower, count.upper) == (4, 1, 4)


def test_nothing_counts_as_zero():
    count = unduplicated_count([])
    assert (count.point, count.lower, count.upper) == (0, 0, 0)


def test_negative_unlinkable_is_refused():
    with pytest.raises(ValueError):
        unduplicated_count(["a"], unlinkable_records=-1)


def test_format_matches_the_coordinators_sentence():
    # 111 linkable records are 101 people; 29 records of a VAWA-covered agency lack consent.
    linked = [f"p{i}" for i in range(101)] + [f"p{i}" for i in range(10)]
    count = unduplicated_count(linked, unlinkable_records=29)
    text = format_count(
        "Unique young people suspected or confirmed, 2011", count, suppress_small_cells=True
    )
    assert text == "Unique young people suspected or confirmed, 2011: 127 (between 101 and 130)"


def test_small_cells_are_suppressed_outside_the_owning_agencies():
    count = unduplicated_count(["a", "b", "b"], unlinkable_records=9)
    outside = format_count("Unique people", count, suppress_small_cells=True)
    assert outside == "Unique people: fewer than 11 (between fewer than 11 and 11)"
    inside = format_count("Unique people", count, suppress_small_cells=False)
    assert inside == "Unique people: 8 (between 2 and 11)"
