"""The same pipeline on Splink's Spark backend, with pyspark in local mode (Java 17+): the
file mode's pipeline and the database mode's ``safeharbor link run --engine spark``."""

from __future__ import annotations

import io
import shutil

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone

from safeharbor.linkage import pipeline
from safeharbor.linkage.models import ClusterMembership, DuplicatePair, LinkageRun
from tests.browser import IN_CI

from .conftest import born
from .test_pipeline import HEADER, ROWS

pyspark = pytest.importorskip("pyspark", reason="pyspark is pinned in requirements.lock")

# Under CI (CI=true) nothing skips: .ci/run installs a Java runtime when the machine lacks one.
needs_java = pytest.mark.skipif(
    shutil.which("java") is None and not IN_CI, reason="Spark needs a Java runtime"
)


@needs_java
def test_spark_engine_gives_the_same_clusters_as_duckdb():
    raw = pipeline.records_to_table([dict(zip(HEADER, row, strict=True)) for row in ROWS])
    on_spark = pipeline.link_records(raw, pipeline.LinkageOptions(engine="spark"))
    on_duckdb = pipeline.link_records(raw)
    assert on_spark.clusters.to_pylist() == on_duckdb.clusters.to_pylist()
    clusters = {r["record_id"]: r["cluster_id"] for r in on_spark.clusters.to_pylist()}
    assert clusters["p1"] == clusters["d1"] == clusters["n1"]
    assert clusters["p4"] != clusters["d4"]
    assert on_spark.summary.clusters == 8


def _memberships(run_pk: int) -> dict[int, int]:
    return dict(ClusterMembership.objects.filter(run_id=run_pk).values_list("person_id", "cluster"))


@needs_java
@pytest.mark.django_db
def test_link_run_on_spark_counts_the_same_people_as_on_duckdb(
    dhs, police, city, record, monkeypatch
):
    """Twelve young people known to child welfare, six of them also to the police (one
    with her name spelt differently there), one with two child-welfare records."""
    started = []
    real_session = pipeline._spark_session

    def spark_session(tmp):
        started.append(tmp)
        return real_session(tmp)

    # Not a stand-in: the real local Spark, only noted when the run starts it.
    monkeypatch.setattr(pipeline, "_spark_session", spark_session)
    for n in range(12):
        dob = born(13 + n % 5, 1 + n % 12, 1 + n)
        given, family = f"Synth{chr(65 + n)}", f"Family{chr(75 + n)}a"
        record(dhs, given, family, dob, phone=f"503-555-01{n:02d}")
        if n < 6:
            record(police, given if n else "Synthia", family, dob, phone=f"503-555-01{n:02d}")
    record(dhs, "SynthL", "FamilyVa", born(13 + 11 % 5, 12, 12))
    year = timezone.localdate().year
    outputs = {}
    for engine in ("duckdb", "spark"):
        out = io.StringIO()
        call_command("link", "run", "--engine", engine, "--quiet", stdout=out, stderr=io.StringIO())
        outputs[engine] = out.getvalue()
        assert len(started) == (1 if engine == "spark" else 0)
    duckdb_run, spark_run = LinkageRun.objects.order_by("pk")
    assert "Engine: Spark" in outputs["spark"] and "Engine: DuckDB" in outputs["duckdb"]
    assert f"Unique young people suspected or confirmed, {year}: 12\n" in outputs["spark"]
    assert _memberships(spark_run.pk) == _memberships(duckdb_run.pk)
    # The duplicate inside child welfare was queued for review by the first run; the
    # second finds the same pair and only updates it.
    assert duckdb_run.counts.pop("new_review_pairs") == 1
    assert spark_run.counts.pop("new_review_pairs") == 0
    assert DuplicatePair.objects.count() == 1
    assert spark_run.counts == duckdb_run.counts
    assert spark_run.counts["records"] == 19 and spark_run.counts["people_among_linked"] == 12


@pytest.mark.django_db
def test_link_run_on_spark_without_java_is_a_clear_error_and_starts_no_run(
    city, monkeypatch, tmp_path
):
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(CommandError, match="Spark needs Java 17 or newer"):
        call_command("link", "run", "--engine", "spark", stdout=io.StringIO())
    assert not LinkageRun.objects.exists()
