"""Linking encodings: a Dice similarity with vectorised popcount, a bit-sampling index so that
large inputs are not compared pair by pair, and clusters or one-to-one links between sources.

The similarity is Dice with missing-field tolerance: ``2|A∧B| / (|A| + |B| - t·||A| - |B||)``
with ``t = MISSING_TOLERANCE``. A field missing from one record sets no bits there, so the
other record's bits for it count against the pair in plain Dice (``t = 0``) as if the field
disagreed; the tolerance discounts part of the difference in set bits, which is mostly made
of such fields. Equal bit counts give plain Dice. It needs only the bit counts, which the
encodings already show: no field, and no field's presence, is told apart.

Works on packed bit rows only (numpy uint8, as from ``encoding.encode_records`` or a parsed
document); nothing here ever sees a name.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

__all__ = [
    "ALL_PAIRS_LIMIT",
    "DEFAULT_LOWER",
    "DEFAULT_THRESHOLD",
    "MISSING_TOLERANCE",
    "ONE_TO_ONE_LOWER",
    "LinkResult",
    "all_pairs_above",
    "candidate_pairs",
    "dice",
    "link_encodings",
    "similarity",
]

# Dice coefficients chosen on FEBRL4 and the synthetic agency data (bench/linkage/pprl_bench.py):
# at or above DEFAULT_THRESHOLD two encodings are one person; between DEFAULT_LOWER and it,
# only when the pair is the best match of one of its two records (this stops the chains that
# plain connected components build through records with many missing fields). One-to-one
# links between sources compete best-first, so a lower bar is safe there.
DEFAULT_THRESHOLD = 0.74
DEFAULT_LOWER = 0.68
ONE_TO_ONE_LOWER = 0.45
# Share of the difference in set bits not counted against a pair (0 is plain Dice); chosen on
# the synthetic agency data (bench/linkage/pprl_bench.py).
MISSING_TOLERANCE = 0.5
# Up to this many pairs every pair is compared (exact); above it the bit-sampling index.
ALL_PAIRS_LIMIT = 60_000_000
INDEX_TABLES = 120
INDEX_BITS = 10
# A group of more records than this sharing one index key is split by more sampled bits (up
# to INDEX_EXTRA_BITS more); records left sharing the whole key are compared with this many
# neighbours at most.
INDEX_MAX_GROUP = 16
INDEX_EXTRA_BITS = 12


def _words(packed: np.ndarray) -> np.ndarray:
    """Packed uint8 rows as uint64 words (padded to a multiple of 8 bytes)."""
    width = packed.shape[1]
    pad = (-width) % 8
    if pad:
        packed = np.pad(packed, ((0, 0), (0, pad)))
    return np.ascontiguousarray(packed).view(np.uint64)


def similarity(inter: np.ndarray, count_a: np.ndarray, count_b: np.ndarray) -> np.ndarray:
    """Dice with missing-field tolerance from the common and the set bits of each side."""
    total = count_a + count_b - MISSING_TOLERANCE * np.abs(count_a - count_b)
    return np.where(total > 0, 2.0 * inter / np.maximum(total, 1), 0.0)


def dice(packed: np.ndarray, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    """Similarities (``similarity``) of the pairs (left[i], right[i]) of rows of ``packed``."""
    words = _words(packed)
    counts = np.bitwise_count(words).sum(axis=1, dtype=np.int32)
    out = np.empty(len(left), dtype=np.float32)
    step = 200_000
    for start in range(0, len(left), step):
        li, ri = left[start : start + step], right[start : start + step]
        inter = np.bitwise_count(words[li] & words[ri]).sum(axis=1, dtype=np.int32)
        out[start : start + step] = similarity(inter, counts[li], counts[ri])
    return out


def all_pairs_above(
    packed: np.ndarray,
    rows_a: np.ndarray,
    rows_b: np.ndarray,
    threshold: float,
    *,
    triangle: bool = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Compare every row in ``rows_a`` with every row in ``rows_b`` (or, with ``triangle``,
    every pair of ``rows_a`` once) and keep the pairs at or above ``threshold``.

    Vectorised popcount: a block of rows against all others, one 64-bit word at a time, into
    preallocated buffers (AND, ``bitwise_count``, add), which keeps the working set in cache.
    Returns (left, right, score, pairs compared).
    """
    words_a = _words(packed[rows_a])
    words_b = words_a if triangle else _words(packed[rows_b])
    columns_b = np.ascontiguousarray(words_b.T)
    counts_a = np.bitwise_count(words_a).sum(axis=1, dtype=np.int32)
    counts_b = np.bitwise_count(words_b).sum(axis=1, dtype=np.int32)
    m = len(words_b)
    block = max(1, min(256, 4_000_000 // max(1, m)))
    tmp = np.empty((block, m), dtype=np.uint64)
    bits = np.empty((block, m), dtype=np.uint8)
    acc = np.empty((block, m), dtype=np.uint16)
    diff = np.empty((block, m), dtype=np.int32)
    bound = np.empty((block, m), dtype=np.float32)
    # A pair is kept when 2·common >= threshold · (|A| + |B| - t·||A| - |B||); the test runs on
    # the common-bit counts against a float32 bound (a hair low, so no pair at the threshold is
    # lost to rounding), and only the pairs kept get their exact similarity.
    half = np.float32(threshold / 2 * (1 - 1e-6))
    left, right, scores = [], [], []
    compared = 0
    for start in range(0, len(words_a), block):
        stop = min(start + block, len(words_a))
        size = stop - start
        b_from = start + 1 if triangle else 0
        if b_from >= m:
            break
        width = m - b_from
        t, c, a = tmp[:size, :width], bits[:size, :width], acc[:size, :width]
        a[:] = 0
        for w in range(words_a.shape[1]):
            np.bitwise_and(words_a[start:stop, w, None], columns_b[None, w, b_from:], out=t)
            np.bitwise_count(t, out=c)
            a += c
        ca, cb = counts_a[start:stop, None], counts_b[None, b_from:]
        d, f = diff[:size, :width], bound[:size, :width]
        np.subtract(ca, cb, out=d)
        np.abs(d, out=d)
        np.multiply(d, np.float32(-MISSING_TOLERANCE), out=f)
        f += ca
        f += cb
        f *= half
        i, j = np.nonzero(a >= f)
        if triangle:
            # Row start+i is compared with the rows from start+1 on: keep row start+1+j > start+i.
            keep = j >= i
            i, j = i[keep], j[keep]
            compared += size * width - int(np.minimum(np.arange(size), width).sum())
        else:
            compared += size * width
        score = similarity(a[i, j], counts_a[start + i], counts_b[b_from + j])
        keep = score >= threshold
        i, j = i[keep], j[keep]
        left.append(rows_a[start + i])
        right.append((rows_a if triangle else rows_b)[b_from + j])
        scores.append(score[keep].astype(np.float32))
    if not left:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty, np.zeros(0, dtype=np.float32), 0
    return np.concatenate(left), np.concatenate(right), np.concatenate(scores), compared


def candidate_pairs(
    packed: np.ndarray,
    *,
    tables: int = INDEX_TABLES,
    bits_per_key: int = INDEX_BITS,
    max_group: int = INDEX_MAX_GROUP,
    extra_bits: int = INDEX_EXTRA_BITS,
    seed: int = 20261129,
) -> tuple[np.ndarray, np.ndarray]:
    """Pairs (i < j) that agree on every sampled bit of at least one of ``tables`` keys
    (bit-sampling locality-sensitive hashing for the Hamming distance). Two encodings that
    agree on a share ``p`` of their bits meet in one table with probability ``p**bits``.

    The key is as long as the records around it need: a group of more than ``max_group``
    records sharing a key is split by one more sampled bit of the same table, again and again
    (up to ``extra_bits`` more), so that crowded keys (common values, sparse encodings) are
    compared in small groups instead of being left out. Records still sharing the full key are
    compared with their ``max_group - 1`` neighbours in row order only (a cap, not a skip)."""
    rng = np.random.Generator(np.random.PCG64(seed))
    bits = np.unpackbits(packed, axis=1)
    n, width = bits.shape
    # Sample the most informative positions: bits set in close to half the records.
    share = bits.mean(axis=0) if n else np.zeros(width)
    balance = np.minimum(share, 1 - share)
    useful = np.argsort(-balance, kind="stable")[: max(bits_per_key, width // 2)]
    # One contiguous row of 0/1 per useful position: a key bit is read for all records at once.
    columns = np.ascontiguousarray(bits[:, useful].T)
    del bits
    key_bits = min(bits_per_key + extra_bits, len(useful))
    pairs: list[np.ndarray] = []
    for _ in range(tables):
        positions = rng.choice(len(useful), size=key_bits, replace=False)
        keys = np.zeros(n, dtype=np.int64)
        for position in positions[:bits_per_key]:
            keys = keys * 2 + columns[position]
        rows, length = np.arange(n), bits_per_key
        group_rows, group_keys = [], []
        while True:
            _, inverse, sizes = np.unique(keys, return_inverse=True, return_counts=True)
            crowded = sizes[inverse] > max_group
            if length >= key_bits or not crowded.any():
                crowded[:] = False
            # The key length goes into the group id: a short key never meets a longer one.
            group_rows.append(rows[~crowded])
            group_keys.append(keys[~crowded] * 64 + length)
            if not crowded.any():
                break
            rows = rows[crowded]
            keys = keys[crowded] * 2 + columns[positions[length], rows]
            length += 1
        order = np.concatenate(group_rows)
        sorted_keys = np.concatenate(group_keys)
        by_key = np.argsort(sorted_keys, kind="stable")
        order, sorted_keys = order[by_key], sorted_keys[by_key]
        for distance in range(1, max_group):
            same = np.flatnonzero(sorted_keys[:-distance] == sorted_keys[distance:])
            if not len(same):
                break
            a, b = order[same], order[same + distance]
            pairs.append(np.minimum(a, b) * n + np.maximum(a, b))
    if not pairs:
        empty = np.zeros(0, dtype=np.int64)
        return empty, empty
    # Tables meet the same close pairs again and again: sort and keep each pair once (a sort
    # is several times faster here than np.unique's hashing).
    found = np.concatenate(pairs)
    del pairs
    found.sort()
    found = found[np.concatenate([[True], found[1:] != found[:-1]])]
    return found // n, found % n


@dataclass
class LinkResult:
    """Cluster ids (1..people, one per row in input order) and what the run did."""

    cluster_ids: np.ndarray
    pairs_compared: int = 0
    pairs_linked: int = 0
    method: str = ""
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def people(self) -> int:
        return int(self.cluster_ids.max()) if len(self.cluster_ids) else 0

    @property
    def comparisons_per_second(self) -> float:
        """Pairs compared per CPU second of the comparison (one core; numpy runs one thread)."""
        compare = self.seconds.get("compare_cpu") or self.seconds.get("compare", 0.0)
        return self.pairs_compared / compare if compare else 0.0


def _components(n: int, left: np.ndarray, right: np.ndarray) -> np.ndarray:
    parent = list(range(n))

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in zip(left.tolist(), right.tolist(), strict=True):
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    roots = np.fromiter((find(i) for i in range(n)), dtype=np.int64, count=n)
    # Number clusters 1.. in order of their first record.
    _, first, inverse = np.unique(roots, return_index=True, return_inverse=True)
    rank = np.empty(len(first), dtype=np.int64)
    rank[np.argsort(first)] = np.arange(1, len(first) + 1)
    return rank[inverse]


def _one_to_one(
    left: np.ndarray, right: np.ndarray, scores: np.ndarray, sources: np.ndarray
) -> np.ndarray:
    """Greedy best-first: each record links to at most one record of each other source."""
    taken: set[tuple[int, int]] = set()
    keep = np.zeros(len(left), dtype=bool)
    for k in np.argsort(-scores, kind="stable").tolist():
        a, b = int(left[k]), int(right[k])
        sa, sb = int(sources[a]), int(sources[b])
        if (a, sb) in taken or (b, sa) in taken:
            continue
        taken.add((a, sb))
        taken.add((b, sa))
        keep[k] = True
    return keep


def _best_links(
    n: int, left: np.ndarray, right: np.ndarray, scores: np.ndarray, threshold: float
) -> np.ndarray:
    """Pairs at or above ``threshold``, and below it the best pair of either record."""
    best = np.full(n, -1.0, dtype=np.float32)
    np.maximum.at(best, left, scores)
    np.maximum.at(best, right, scores)
    return (scores >= threshold) | (scores >= best[left]) | (scores >= best[right])


def link_encodings(
    packed: np.ndarray,
    sources: Sequence[str],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lower: float | None = None,
    one_to_one: bool = False,
    method: str = "auto",
) -> LinkResult:
    """Link encodings into people.

    ``one_to_one``: link only between sources, each record to at most one of every other
    source (for files already deduplicated), best pair first, from ``lower`` up; otherwise
    pairs within and between sources at or above ``threshold``, and those from ``lower`` up
    that are the best match of one of their records; clusters are the connected components.
    ``method``: "all" compares every pair, "index" uses the bit-sampling index, "auto" picks
    "all" up to ``ALL_PAIRS_LIMIT`` pairs.
    """
    n = len(packed)
    if lower is None:
        lower = ONE_TO_ONE_LOWER if one_to_one else DEFAULT_LOWER
    lower = min(lower, threshold)
    source_codes = np.unique(np.asarray(sources, dtype=object), return_inverse=True)[1]
    seconds: dict[str, float] = {}
    started, cpu = time.perf_counter(), time.process_time()
    total_pairs = n * (n - 1) // 2
    if method == "auto":
        method = "all" if total_pairs <= ALL_PAIRS_LIMIT else "index"
    if method == "all":
        if one_to_one:
            # Only pairs between two different sources are compared.
            groups = [np.flatnonzero(source_codes == code) for code in np.unique(source_codes)]
            parts = [
                all_pairs_above(packed, groups[x], groups[y], lower)
                for x in range(len(groups))
                for y in range(x + 1, len(groups))
            ]
        else:
            rows = np.arange(n)
            parts = [all_pairs_above(packed, rows, rows, lower, triangle=True)]
        empty = np.zeros(0, dtype=np.int64)
        left = np.concatenate([empty, *(p[0] for p in parts)])
        right = np.concatenate([empty, *(p[1] for p in parts)])
        scores = np.concatenate([np.zeros(0, dtype=np.float32), *(p[2] for p in parts)])
        compared = sum(p[3] for p in parts)
        seconds["compare"] = time.perf_counter() - started
        seconds["compare_cpu"] = time.process_time() - cpu
    elif method == "index":
        left, right = candidate_pairs(packed)
        seconds["index"] = time.perf_counter() - started
        seconds["index_cpu"] = time.process_time() - cpu
        started, cpu = time.perf_counter(), time.process_time()
        if one_to_one:
            between = source_codes[left] != source_codes[right]
            left, right = left[between], right[between]
        compared = len(left)
        scores = dice(packed, left, right)
        keep = scores >= lower
        left, right, scores = left[keep], right[keep], scores[keep]
        seconds["compare"] = time.perf_counter() - started
        seconds["compare_cpu"] = time.process_time() - cpu
    else:
        raise ValueError(f"unknown method {method!r}")
    started = time.perf_counter()
    if one_to_one:
        between = source_codes[left] != source_codes[right]
        left, right, scores = left[between], right[between], scores[between]
        keep = _one_to_one(left, right, scores, source_codes)
    else:
        keep = _best_links(n, left, right, scores, threshold)
    left, right = left[keep], right[keep]
    clusters = _components(n, left, right)
    seconds["cluster"] = time.perf_counter() - started
    return LinkResult(
        cluster_ids=clusters,
        pairs_compared=int(compared),
        pairs_linked=len(left),
        method=method,
        seconds=seconds,
    )
