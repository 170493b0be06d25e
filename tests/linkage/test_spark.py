"""The same pipeline on Splink's Spark backend, with pyspark in local mode (Java 17+)."""

from __future__ import annotations

import shutil

import pytest

from safeharbor.linkage import pipeline

from .test_pipeline import HEADER, ROWS

pyspark = pytest.importorskip("pyspark", reason="pyspark is pinned in requirements.lock")


@pytest.mark.skipif(shutil.which("java") is None, reason="Spark needs a Java runtime")
def test_spark_engine_gives_the_same_clusters_as_duckdb():
    raw = pipeline.records_to_table([dict(zip(HEADER, row, strict=True)) for row in ROWS])
    on_spark = pipeline.link_records(raw, pipeline.LinkageOptions(engine="spark"))
    on_duckdb = pipeline.link_records(raw)
    assert on_spark.clusters.to_pylist() == on_duckdb.clusters.to_pylist()
    clusters = {r["record_id"]: r["cluster_id"] for r in on_spark.clusters.to_pylist()}
    assert clusters["p1"] == clusters["d1"] == clusters["n1"]
    assert clusters["p4"] != clusters["d4"]
    assert on_spark.summary.clusters == 8
