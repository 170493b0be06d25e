"""Synthetic agency records: the SafeHarbor pipeline against a plain Splink model.

    .venv/bin/python bench/linkage/synthetic_bench.py --records 100000
    .venv/bin/python bench/linkage/synthetic_bench.py --records 1000000 --no-baseline

The data come from ``safeharbor.linkage.synthetic`` (aliases and nicknames, day/month swaps,
missing dates of birth, shared phones, typos, changed family names; 2 to 5 records for a third
of the people, within and across five agencies). Each run happens in its own process so the
peak memory printed is that run's alone. Printed: time per phase, total, peak memory,
pairwise precision, recall and F1 over the clusters, and for the baseline the same plus the
ratios. Before the runs it prints the share of the true pairs that the blocking rules let
through and the number of pairs they make (``blocking.py``; skip with
``--no-blocking-recall``).
"""

# Benchmark SQL is built from file paths and Splink table names this script made:
# ruff: noqa: S608

from __future__ import annotations

import argparse
import json
import logging
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import blocking
from common import cpu_seconds, load_average, pairwise_scores, peak_memory_mb

from safeharbor.linkage import pipeline, synthetic


def _truth(path: Path) -> dict[tuple[str, str], str]:
    import duckdb

    rows = duckdb.sql(
        f"select source, record_id, person_id from read_csv('{path}', all_varchar=true)"
    ).fetchall()
    return {(s, r): p for s, r, p in rows}


def _score(csv_path: Path, clusters: list[tuple[str, str, object]]) -> dict[str, float]:
    truth = _truth(csv_path)
    return pairwise_scores([truth[(s, r)] for s, r, _ in clusters], [c for _, _, c in clusters])


def run_pipeline(csv_path: Path, threshold: float) -> dict:
    """The SafeHarbor pipeline, read to write, as ``safeharbor link-file`` runs it."""
    out = csv_path.with_suffix(".clusters.csv")
    started = time.perf_counter()
    summary = pipeline.link_file(
        csv_path, out, pipeline.LinkageOptions(retrain=True, threshold=threshold, threads=2)
    )
    total = time.perf_counter() - started
    import duckdb

    clusters = duckdb.sql(
        f"select source, record_id, cluster_id from read_csv('{out}', all_varchar=true)"
    ).fetchall()
    return {
        "total_s": total,
        "phases": summary.timings,
        "peak_mb": peak_memory_mb(),
        "cpu_s": cpu_seconds(),
        "pairs_scored": summary.pairs_scored,
        **_score(csv_path, clusters),
    }


def run_baseline(csv_path: Path) -> dict:
    """A straightforward Splink model: blocking on dob, names, phone, postcode; EM on dob and
    on names (capped at 10 million pairs); out-of-the-box comparisons."""
    import duckdb
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    timings = {}
    started = time.perf_counter()
    con = duckdb.connect()
    con.execute("set threads = 2")
    con.execute(
        f"""create table records as select
        row_number() over () as unique_id, source, record_id, lower(given_name) given_name,
        lower(family_name) family_name, try_strptime(dob, '%Y-%m-%d')::date::varchar dob,
        nullif(sex, 'U') sex, split_part(phone, ';', 1) phone, lower(address) address,
        postcode from read_csv('{csv_path}', all_varchar=true)"""
    )
    db_api = DuckDBAPI(con)
    records = db_api.register("records")
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.NameComparison("given_name"),
            cl.NameComparison("family_name"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
            cl.ExactMatch("sex"),
            cl.ExactMatch("phone"),
            cl.LevenshteinAtThresholds("address", 2),
            cl.ExactMatch("postcode"),
        ],
        blocking_rules_to_generate_predictions=[
            block_on("dob"),
            block_on("given_name", "family_name"),
            block_on("phone"),
            block_on("postcode", "family_name"),
        ],
        additional_columns_to_retain=["source", "record_id"],
    )
    linker = Linker(records, settings, log_level=logging.ERROR)
    timings["prepare"] = time.perf_counter() - started
    started = time.perf_counter()
    linker.training.estimate_probability_two_random_records_match(
        [block_on("given_name", "family_name", "dob")], recall=0.7
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=5e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("dob"), max_pairs=1e7
    )
    linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("given_name", "family_name"), max_pairs=1e7
    )
    timings["train"] = time.perf_counter() - started
    started = time.perf_counter()
    predictions = linker.inference.predict(threshold_match_probability=0.05)
    timings["predict"] = time.perf_counter() - started
    started = time.perf_counter()
    clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.9)
    rows = con.sql(f"select source, record_id, cluster_id from {clustered.physical_name}")
    clusters = rows.fetchall()
    timings["cluster"] = time.perf_counter() - started
    return {
        "total_s": sum(timings.values()),
        "phases": timings,
        "peak_mb": peak_memory_mb(),
        "cpu_s": cpu_seconds(),
        **_score(csv_path, clusters),
    }


def _child(kind: str, csv_path: Path, args: argparse.Namespace) -> dict:
    command = [sys.executable, __file__, "--child", kind, "--csv", str(csv_path)]
    command += ["--threshold", str(args.threshold)]
    output = subprocess.run(command, capture_output=True, text=True, check=False)
    if output.returncode != 0:
        sys.exit(f"{kind} run failed:\n{output.stderr[-3000:]}")
    return json.loads(output.stdout.strip().splitlines()[-1])


def _print(label: str, result: dict) -> None:
    phases = ", ".join(f"{k} {v:.1f}s" for k, v in result["phases"].items())
    print(
        f"{label}: total {result['total_s']:.1f} s ({phases}; CPU {result['cpu_s']:.0f} s); "
        "peak memory "
        f"{result['peak_mb']:,.0f} MB; precision {result['precision']:.4f}, recall "
        f"{result['recall']:.4f}, F1 {result['f1']:.4f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=pipeline.DEFAULT_THRESHOLD)
    parser.add_argument("--no-baseline", action="store_true")
    parser.add_argument(
        "--no-blocking-recall", action="store_true", help="skip the blocking-rule analysis"
    )
    parser.add_argument("--child", choices=("pipeline", "baseline"), help=argparse.SUPPRESS)
    parser.add_argument("--csv", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child == "pipeline":
        print(json.dumps(run_pipeline(args.csv, args.threshold)))
        return
    if args.child == "baseline":
        print(json.dumps(run_baseline(args.csv)))
        return
    with tempfile.TemporaryDirectory(prefix="safeharbor-bench-") as tmp:
        csv_path = Path(tmp) / f"synthetic-{args.records}.csv"
        started = time.perf_counter()
        synthetic.write_csv(csv_path, args.records, seed=args.seed)
        print(
            f"{args.records:,} synthetic records generated in "
            f"{time.perf_counter() - started:.1f} s; load before the run {load_average()}"
        )
        if not args.no_blocking_recall:
            # In this process, not the measured ones: it prepares the records once more.
            rows = blocking.analyse(csv_path)
            print(
                f"Blocking: {len(rows)} rules let through {rows[-1]['recall_so_far']:.4f} of the "
                f"true pairs with {rows[-1]['pairs_so_far']:,} pairs to score"
                + (" (estimated from a 10% sample)" if rows[-1]["estimated"] else "")
                + f"; load {load_average()}"
            )
        ours = _child("pipeline", csv_path, args)
        _print("SafeHarbor pipeline", ours)
        print(f"  load after: {load_average()}")
        if not args.no_baseline:
            plain = _child("baseline", csv_path, args)
            _print("Plain Splink baseline", plain)
            print(
                f"  ratio baseline/SafeHarbor: time {plain['total_s'] / ours['total_s']:.2f}x, "
                f"memory {plain['peak_mb'] / ours['peak_mb']:.2f}x; "
                f"F1 {ours['f1']:.4f} vs {plain['f1']:.4f}"
            )
            print(f"  load after: {load_average()}")


if __name__ == "__main__":
    main()
