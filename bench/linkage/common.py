"""Shared helpers of the linkage benchmarks: pairwise metrics and resource measurement."""

from __future__ import annotations

import resource
import sys
from collections.abc import Sequence

import duckdb
import pyarrow as pa


def pairwise_scores(truth: Sequence[str], clusters: Sequence[object]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the true entity ids.

    A pair of records is predicted when both are in one cluster and true when both belong to
    one entity; the counts come from group sizes, never from listing pairs.
    """
    con = duckdb.connect()
    table = pa.table({"truth": list(truth), "cluster": [str(c) for c in clusters]})
    con.register("t", table)
    pairs = "select coalesce(sum(n * (n - 1) / 2), 0) from (select count(*) n from t group by {})"
    tp, true_pairs, predicted = con.execute(
        "select ({}), ({}), ({})".format(
            pairs.format("truth, cluster"), pairs.format("truth"), pairs.format("cluster")
        )
    ).fetchone()
    precision = tp / predicted if predicted else 1.0
    recall = tp / true_pairs if true_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": precision,
        "recall": recall,
        "f1": f1,
        "true_pairs": int(true_pairs),
        "predicted_pairs": int(predicted),
    }


def peak_memory_mb() -> float:
    """Peak resident memory of this process so far (DuckDB runs in-process), in MB."""
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def cpu_seconds() -> float:
    """CPU time (user and system, all threads) of this process so far: under a loaded
    machine it says more about the work than the wall-clock time does."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def load_average() -> str:
    """The machine's 1/5/15-minute load, printed with each result (other work skews times)."""
    try:
        with open("/proc/loadavg", encoding="ascii") as handle:
            return " ".join(handle.read().split()[:3])
    except OSError:
        return "unknown"
