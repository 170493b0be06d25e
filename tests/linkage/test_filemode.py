"""``safeharbor link-file``: runs without a database or settings; clear errors, no output."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from pathlib import Path

from safeharbor.linkage import filemode

from .test_pipeline import ROWS, write_rows


def read_clusters(path: Path) -> dict[str, str]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "source", "cluster_id"]
    return {row["record_id"]: row["cluster_id"] for row in rows}


def test_link_file_runs_without_django_settings_or_database(tmp_path):
    source = write_rows(tmp_path / "people.csv", ROWS)
    out = tmp_path / "clusters.csv"
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE"}}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    code = (
        "import sys; from safeharbor.cli import main; "
        "sys.argv = ['safeharbor', 'link-file', sys.argv[1], '--out', sys.argv[2]]; main()"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(source), str(out)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "django" not in result.stderr.lower()
    clusters = read_clusters(out)
    assert len(clusters) == len(ROWS)
    assert clusters["p1"] == clusters["d1"] == clusters["n1"]
    assert "Records read: 13" in result.stdout
    assert "impossible and treated as missing: 1" in result.stdout
    assert "People (clusters): 8" in result.stdout


def test_missing_column_is_an_error_with_no_output(tmp_path, capsys):
    source = write_rows(tmp_path / "bad.csv", [("Kate", "Orlowen")], ["given_name", "surname"])
    out = tmp_path / "clusters.csv"
    assert filemode.main([str(source), "--out", str(out), "--quiet"]) == 2
    err = capsys.readouterr().err
    assert "missing required column(s): record_id" in err
    assert "No output was written." in err
    assert not out.exists()


def test_duplicate_record_id_is_an_error_with_no_output(tmp_path, capsys):
    rows = [("1", "police", "Kate"), ("1", "police", "Dalia")]
    source = write_rows(tmp_path / "dupes.csv", rows, ["record_id", "source", "given_name"])
    out = tmp_path / "clusters.csv"
    out.write_text("an earlier result\n")
    assert filemode.main([str(source), "--out", str(out), "--quiet"]) == 2
    assert "record_id must be unique within its source" in capsys.readouterr().err
    assert out.read_text() == "an earlier result\n"


def test_unreadable_file_is_an_error(tmp_path, capsys):
    out = tmp_path / "clusters.csv"
    assert filemode.main([str(tmp_path / "nothing.csv"), "--out", str(out)]) == 2
    assert "no such file" in capsys.readouterr().err
    assert not out.exists()


def test_progress_bar_draws_phase_and_percentage():
    class Terminal:
        def __init__(self):
            self.text = ""

        def isatty(self):
            return True

        def write(self, text):
            self.text += text

        def flush(self):
            pass

    terminal = Terminal()
    bar = filemode.ProgressBar(terminal, width=10)
    bar("read", 1.0)
    bar("predict", 0.5)
    bar.close()
    assert "[----------]   5% reading" in terminal.text
    assert "[######----]  62% scoring pairs" in terminal.text
    assert terminal.text.endswith("\n")


def test_sources_with_one_record_per_person_get_at_most_one_record_in_a_cluster(tmp_path, capsys):
    rows = [*ROWS, ("p1b", "police", *ROWS[0][2:])]  # the police file lists Katherine twice
    source = write_rows(tmp_path / "people.csv", rows)
    out = tmp_path / "clusters.csv"
    assert filemode.main([str(source), "--out", str(out), "--quiet"]) == 0
    plain = read_clusters(out)
    assert plain["p1"] == plain["p1b"] == plain["d1"]
    arguments = [str(source), "--out", str(out), "--quiet"]
    declared = [*arguments, "--one-record-per-person", "police", "--one-record-per-person", "dhs"]
    assert filemode.main(declared) == 0
    clusters = read_clusters(out)
    assert clusters["p1"] != clusters["p1b"]
    by_cluster: dict[tuple[str, str], int] = {}
    for record_id, _source, *_rest in rows:
        key = (clusters[record_id], _source)
        by_cluster[key] = by_cluster.get(key, 0) + 1
    assert all(n == 1 for (_c, s), n in by_cluster.items() if s in {"police", "dhs"})

    out.unlink()
    assert filemode.main([*arguments, "--one-record-per-person", "polise"]) == 2
    error = capsys.readouterr().err
    assert "not in the input: polise" in error
    assert "police" in error
    assert not out.exists()
