"""``safeharbor encode`` and ``safeharbor link-encodings``: no Django, the same input errors as
link-file, VAWA consent, clear errors and no output on failure."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys

from safeharbor.linkage.pprl import encode_command, link_command

from .helpers import AGENCY_A, AGENCY_B, HEADER, OTHER_KEY, write_key, write_rows


def _encode(tmp_path, rows, name, *extra, key=None):
    source = write_rows(tmp_path / f"{name}.csv", rows)
    key_file = key or write_key(tmp_path / "shared.key")
    out = tmp_path / f"{name}.json"
    code = encode_command.main(
        [str(source), "--key-file", str(key_file), "--out", str(out), "--source", name, *extra]
    )
    return code, out


def test_encode_and_link_run_without_django_settings_or_database(tmp_path):
    write_rows(tmp_path / "a.csv", AGENCY_A)
    write_rows(tmp_path / "b.csv", AGENCY_B)
    write_key(tmp_path / "shared.key")
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"}
    env["DATABASE_URL"] = "postgres://nobody@127.0.0.1:1/none"
    script = (
        "import sys; from safeharbor.cli import main; sys.argv = ['safeharbor', *sys.argv[1:]]; "
        "main()"
    )

    def run(*args):
        return subprocess.run(
            [sys.executable, "-c", script, *args],
            capture_output=True,
            text=True,
            env=env,
            cwd=tmp_path,
            timeout=300,
            check=False,
        )

    for name in ("a", "b"):
        result = run(
            "encode",
            f"{name}.csv",
            "--key-file",
            "shared.key",
            "--out",
            f"{name}.json",
            "--source",
            f"agency_{name}",
        )
        assert result.returncode == 0, result.stderr
        assert "django" not in (result.stdout + result.stderr).lower()
    result = run("link-encodings", "a.json", "b.json", "--out", "clusters.csv")
    assert result.returncode == 0, result.stderr
    with (tmp_path / "clusters.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert list(rows[0]) == ["record_id", "source", "cluster_id"]
    cluster = {(r["source"], r["record_id"]): r["cluster_id"] for r in rows}
    assert cluster[("agency_a", "a1")] == cluster[("agency_b", "b1")]  # Katherine / Kate
    assert cluster[("agency_a", "a2")] == cluster[("agency_b", "b2")]  # Tenfeld / Tenfeldt
    assert len(set(cluster.values())) == 5
    assert "Unique people: 5" in result.stdout
    assert "million per second" in result.stdout


def test_the_output_holds_no_plaintext_and_is_private(tmp_path):
    code, out = _encode(tmp_path, AGENCY_A, "victim_services")
    assert code == 0
    text = out.read_text()
    for value in ("Katherine", "Orlowen", "Marisol", "2007-03-14", "503-555-0101", "Alder"):
        assert value.lower() not in text.lower()
    assert oct(out.stat().st_mode & 0o777) == "0o600"
    assert json.loads(text)["schema"]["fields"][0]["name"] == "given_names"


def test_vawa_encodes_only_rows_with_consent_and_counts_the_rest(tmp_path, capsys):
    code, out = _encode(tmp_path, AGENCY_A, "victim_services", "--vawa")
    assert code == 0
    document = json.loads(out.read_text())
    assert [e["id"] for e in document["encodings"]] == ["a1", "a2", "a4"]
    assert document["totals_only"] == 1
    printed = capsys.readouterr().out
    assert "counted as a total only): 1" in printed
    assert "Dates of birth missing or impossible (of the encoded records): 0" in printed


def test_an_impossible_date_of_birth_is_reported_not_fatal(tmp_path, capsys):
    rows = [(*AGENCY_B[0][:4], "2007-02-30", *AGENCY_B[0][5:])]
    code, out = _encode(tmp_path, rows, "police")
    assert code == 0 and out.exists()
    assert (
        "Dates of birth missing or impossible (of the encoded records): 1"
        in capsys.readouterr().out
    )


def test_vawa_without_a_consent_column_is_an_error(tmp_path, capsys):
    header = [h for h in HEADER if h != "consent"]
    source = write_rows(tmp_path / "a.csv", [row[:-1] for row in AGENCY_A], header)
    out = tmp_path / "a.json"
    key = write_key(tmp_path / "shared.key")
    assert (
        encode_command.main([str(source), "--key-file", str(key), "--out", str(out), "--vawa"]) == 2
    )
    err = capsys.readouterr().err
    assert "--vawa needs a 'consent' column" in err and "No output was written." in err
    assert not out.exists()


def test_encode_reports_link_file_errors_and_writes_nothing(tmp_path, capsys):
    key = write_key(tmp_path / "shared.key")
    out = tmp_path / "out.json"
    missing = write_rows(tmp_path / "bad.csv", [("Kate", "Orlowen")], ["given_name", "surname"])
    assert encode_command.main([str(missing), "--key-file", str(key), "--out", str(out)]) == 2
    assert "missing required column(s): record_id" in capsys.readouterr().err
    dupes = write_rows(tmp_path / "dupes.csv", [AGENCY_A[0], AGENCY_A[0]])
    assert encode_command.main([str(dupes), "--key-file", str(key), "--out", str(out)]) == 2
    assert "record_id must be unique within its source" in capsys.readouterr().err
    latin = tmp_path / "latin.csv"
    latin.write_bytes("record_id,given_name\nx1,Jos\xe9\n".encode("latin-1"))
    assert encode_command.main([str(latin), "--key-file", str(key), "--out", str(out)]) == 2
    assert "not UTF-8" in capsys.readouterr().err
    assert (
        encode_command.main([str(tmp_path / "nope.csv"), "--key-file", str(key), "--out", str(out)])
        == 2
    )
    assert "no such file" in capsys.readouterr().err
    assert not out.exists()


def test_encode_refuses_a_weak_or_missing_key(tmp_path, capsys):
    source = write_rows(tmp_path / "a.csv", AGENCY_A)
    weak = tmp_path / "weak.key"
    weak.write_text("secret")
    out = tmp_path / "a.json"
    assert encode_command.main([str(source), "--key-file", str(weak), "--out", str(out)]) == 2
    assert "too short" in capsys.readouterr().err
    assert (
        encode_command.main([str(source), "--key-file", str(tmp_path / "x"), "--out", str(out)])
        == 2
    )
    assert "no such key file" in capsys.readouterr().err
    assert not out.exists()


def test_link_refuses_files_made_with_different_keys(tmp_path, capsys):
    _, a = _encode(tmp_path, AGENCY_A, "a")
    other = write_key(tmp_path / "other.key", OTHER_KEY)
    _, b = _encode(tmp_path, AGENCY_B, "b", key=other)
    out = tmp_path / "clusters.csv"
    assert link_command.main([str(a), str(b), "--out", str(out)]) == 2
    err = capsys.readouterr().err
    assert "different key" in err and "No output was written." in err
    assert not out.exists()


def test_link_refuses_plaintext_and_repeated_sources(tmp_path, capsys):
    _, a = _encode(tmp_path, AGENCY_A, "a")
    spreadsheet = write_rows(tmp_path / "b.csv", AGENCY_B)
    out = tmp_path / "clusters.csv"
    assert link_command.main([str(a), str(spreadsheet), "--out", str(out)]) == 2
    assert "it is not JSON" in capsys.readouterr().err
    assert link_command.main([str(a), str(a), "--out", str(out)]) == 2
    assert "appears more than once" in capsys.readouterr().err
    assert not out.exists()


def test_link_counts_totals_only_records_in_the_interval(tmp_path, capsys):
    _, a = _encode(tmp_path, AGENCY_A, "a", "--vawa")
    _, b = _encode(tmp_path, AGENCY_B, "b")
    capsys.readouterr()
    assert link_command.main([str(a), str(b), "--out", str(tmp_path / "c.csv")]) == 0
    # 6 encoded records, 2 pairs linked: 4 people; 1 record counted as a total only.
    assert "Unique people: 5 (between 4 and 5)" in capsys.readouterr().out
