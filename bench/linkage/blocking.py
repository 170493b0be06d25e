"""Blocking rules measured for recall and size on synthetic agency records.

    .venv/bin/python bench/linkage/blocking.py --records 100000
    .venv/bin/python bench/linkage/blocking.py --csv synthetic-1000000.csv

For each prediction blocking rule that ``safeharbor.linkage.pipeline`` chooses for the input
(``BLOCKING_RULES`` and the wide rules that fit its pair budget), in order, it prints
how many record pairs the rule adds (Splink's ``count_comparisons_from_blocking_rules``,
estimated from a sample of records above 200,000) and the share of the true pairs that the
rules so far let through. A true pair is counted as let through when a rule's condition
holds for it; an exploded (array) rule holds when the two arrays share an element, which is
what Splink's exploding join compares. Nothing is scored, so this runs at a million records
in about a minute.
"""

# Benchmark SQL is built from file paths and the pipeline's own rule constants:
# ruff: noqa: S608

from __future__ import annotations

import argparse
import re
import sys
import tempfile
import time
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from common import load_average

from safeharbor.linkage import pipeline, synthetic


def recall_condition(sql: str, explode: tuple[str, ...]) -> str:
    """The rule as a condition on a pair (``l``/``r``), exploded columns as overlap."""
    for column in explode:
        sql = re.sub(
            rf"\bl\.{column} = r\.{column}\b", f"list_has_any(l.{column}, r.{column})", sql
        )
    return sql


def true_pair_recall(
    con, prepared, entity: list[str], *, link_only: bool = False, rules=None
) -> tuple[list[float], list[float], int]:
    """For each rule: the share of true pairs it lets through alone, and with the rules
    before it; and the number of true pairs. ``entity[i]`` is the truth for uid ``i + 1``.
    ``rules``: by default those the pipeline chooses for this input."""
    import pyarrow as pa

    if rules is None:
        rules = pipeline.choose_blocking_rules(con, prepared, link_only=link_only)

    con.register("sh_bench_prep", prepared)
    con.register(
        "sh_bench_truth",
        pa.table({"uid": pa.array(range(1, len(entity) + 1), pa.int64()), "person": entity}),
    )
    con.execute(
        """create or replace temp table sh_bench_pairs as select a.uid as l, b.uid as r
        from sh_bench_truth a join sh_bench_truth b on a.person = b.person and a.uid < b.uid"""
    )
    conditions = [recall_condition(sql, explode) for sql, explode in rules]
    if link_only:
        conditions = [f"({c}) and l.source <> r.source" for c in conditions]
        con.execute(
            """create or replace temp table sh_bench_pairs as select t.* from sh_bench_pairs t
            join sh_bench_prep l on l.uid = t.l join sh_bench_prep r on r.uid = t.r
            where l.source <> r.source"""
        )
    flags = ", ".join(f"coalesce({c}, false) as k{i}" for i, c in enumerate(conditions))
    con.execute(
        f"""create or replace temp table sh_bench_hits as select {flags} from sh_bench_pairs t
        join sh_bench_prep l on l.uid = t.l join sh_bench_prep r on r.uid = t.r"""
    )
    total = con.execute("select count(*) from sh_bench_hits").fetchall()[0][0]
    alone, so_far = [], []
    for i in range(len(conditions)):
        cumulative = " or ".join(f"k{j}" for j in range(i + 1))
        one, up_to = con.execute(
            f"select count(*) filter (where k{i}), count(*) filter (where {cumulative}) "
            "from sh_bench_hits"
        ).fetchall()[0]
        alone.append(one / total if total else 1.0)
        so_far.append(up_to / total if total else 1.0)
    for name in ("sh_bench_hits", "sh_bench_pairs"):
        con.execute(f"drop table {name}")
    con.unregister("sh_bench_prep")
    con.unregister("sh_bench_truth")
    return alone, so_far, total


def analyse(csv_path: Path, *, link_only: bool = False) -> list[dict]:
    """Per rule: pairs added, pairs so far, true pairs let through so far (share)."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    con = duckdb.connect()
    con.execute("set threads = 2")
    prepared, _ = pipeline.prepare_records(con, pipeline.read_csv(csv_path))
    truth = {
        (s, r): p
        for s, r, p in con.execute(
            f"select source, record_id, person_id from read_csv('{csv_path}', all_varchar=true)"
        ).fetchall()
    }
    entity = [
        truth[(s, r)]
        for s, r in zip(
            prepared["source"].to_pylist(), prepared["record_id"].to_pylist(), strict=True
        )
    ]
    rules = pipeline.choose_blocking_rules(con, prepared, link_only=link_only)
    alone, so_far, _ = true_pair_recall(con, prepared, entity, link_only=link_only, rules=rules)
    sample = 1.0 if prepared.num_rows <= 200_000 else 0.1
    with warnings.catch_warnings():
        # Splink warns when a sampled rule saw under 1,000 pairs: those rules are the small
        # ones, and their estimate barely moves the total.
        warnings.simplefilter("ignore", UserWarning)
        counts = count_comparisons_from_blocking_rules(
            DuckDBAPI(con).register(prepared),
            blocking_rules=pipeline.blocking_rules(link_only, rules),
            link_type="dedupe_only",
            unique_id_column_name="uid",
            record_sample_proportion=sample,
        )
    rows = [
        {
            "rule": sql,
            "pairs_added": int(count["marginal_comparison_count"]),
            "pairs_so_far": int(count["cumulative_comparison_count"]),
            "true_pairs_alone": one,
            "recall_so_far": up_to,
            "estimated": bool(count["is_estimate"]),
        }
        for (sql, _), count, one, up_to in zip(rules, counts, alone, so_far, strict=True)
    ]
    con.close()
    return rows


def report(rows: list[dict]) -> None:
    width = max(len(r["rule"]) for r in rows)
    print(f"{'rule':<{width}}  {'pairs added':>12}  {'pairs so far':>13}  alone  recall so far")
    for r in rows:
        print(
            f"{r['rule']:<{width}}  {r['pairs_added']:>12,}  {r['pairs_so_far']:>13,}  "
            f"{r['true_pairs_alone']:.3f}  {r['recall_so_far']:.4f}"
        )
    estimated = " (estimated from a 10% sample of records)" if rows[-1]["estimated"] else ""
    print(
        f"blocking recall {rows[-1]['recall_so_far']:.4f} of the true pairs; "
        f"{rows[-1]['pairs_so_far']:,} pairs to score{estimated}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--csv", type=Path, help="an existing synthetic CSV (with person_id)")
    args = parser.parse_args()
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="safeharbor-blocking-") as tmp:
        path = args.csv
        if path is None:
            path = synthetic.write_csv(Path(tmp) / "synthetic.csv", args.records, seed=args.seed)
        report(analyse(path))
    print(f"{time.perf_counter() - started:.1f} s; load {load_average()}")


if __name__ == "__main__":
    main()
