"""Blocking rules measured for recall and size on synthetic agency records.

    .venv/bin/python bench/linkage/blocking.py --records 100000
    .venv/bin/python bench/linkage/blocking.py --csv synthetic-1000000.csv

For each prediction blocking rule of ``safeharbor.linkage.pipeline`` (in order) it prints
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


def analyse(csv_path: Path, *, link_only: bool = False) -> list[dict]:
    """Per rule: pairs added, pairs so far, true pairs let through so far (share)."""
    import duckdb
    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    con = duckdb.connect()
    con.execute("set threads = 2")
    raw = pipeline.read_csv(csv_path)
    prepared, _ = pipeline.prepare_records(con, raw)
    con.register("prep_arrow", prepared)
    con.execute("create table prep as select * from prep_arrow")
    con.execute(
        f"""create table truth as select t.person_id as person, p.uid
        from read_csv('{csv_path}', all_varchar=true) t
        join prep p on p.source = t.source and p.record_id = t.record_id"""
    )
    con.execute(
        """create table true_pairs as select a.uid as l, b.uid as r
        from truth a join truth b on a.person = b.person and a.uid < b.uid"""
    )
    rules = pipeline.BLOCKING_RULES
    conditions = [recall_condition(sql, explode) for sql, explode in rules]
    if link_only:
        conditions = [f"({c}) and l.source <> r.source" for c in conditions]
    flags = ", ".join(f"coalesce({c}, false) as k{i}" for i, c in enumerate(conditions))
    con.execute(
        f"""create table hits as select {flags}
        from true_pairs t join prep l on l.uid = t.l join prep r on r.uid = t.r"""
    )
    true_total = con.execute("select count(*) from hits").fetchall()[0][0]
    sample = 1.0 if prepared.num_rows <= 200_000 else 0.1
    counts = count_comparisons_from_blocking_rules(
        DuckDBAPI(con).register(prepared),
        blocking_rules=pipeline.blocking_rules(link_only),
        link_type="dedupe_only",
        unique_id_column_name="uid",
        record_sample_proportion=sample,
    )
    rows = []
    for i, ((sql, _), count) in enumerate(zip(rules, counts, strict=True)):
        so_far = " or ".join(f"k{j}" for j in range(i + 1))
        alone, cumulative = con.execute(
            f"select count(*) filter (where k{i}), count(*) filter (where {so_far}) from hits"
        ).fetchall()[0]
        rows.append(
            {
                "rule": sql,
                "pairs_added": int(count["marginal_comparison_count"]),
                "pairs_so_far": int(count["cumulative_comparison_count"]),
                "true_pairs_alone": alone / true_total if true_total else 1.0,
                "recall_so_far": cumulative / true_total if true_total else 1.0,
                "estimated": bool(count["is_estimate"]),
            }
        )
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
