"""``safeharbor encode``: turn an agency's person records into keyed Bloom-filter encodings,
on the agency's own machine, with no database, settings or server.

Reads the same CSV columns as ``safeharbor link-file`` (and fails with the same errors), plus
an optional ``consent`` column: with ``--vawa`` only rows whose consent covers statistical
linkage (yes, y, true, 1 or x) are encoded; the others are counted and enter the count as a
total only.

Exit status: 0 when the encodings were written; 2 when the input or key cannot be used (the
reason is printed and no output file is written).
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import sys
import tempfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.compute as pc

from ..pipeline import DEFAULT_SOURCE, LinkageInputError, prepare_records, read_csv
from .document import SOURCE_PATTERN, build_document
from .encoding import (
    DEFAULT_SCHEMA,
    EncodingSchema,
    KeyFileError,
    encode_records,
    key_fingerprint,
    read_key,
)

__all__ = ["CONSENT_YES", "DEMO_KEY_FILE", "EncodeSummary", "encode_file", "is_demo_key", "main"]

CONSENT_COLUMN = "consent"
CONSENT_YES = {"yes", "y", "true", "1", "x"}
# The Portland demo's key: public (it is in the source tree), so never for real records.
DEMO_KEY_FILE = Path(__file__).resolve().parent / "demo" / "PUBLIC-DEMO-ONLY.key"


def is_demo_key(fingerprint: str) -> bool:
    """Whether encodings of this check value were made with the public demo key."""
    try:
        return fingerprint == key_fingerprint(read_key(DEMO_KEY_FILE))
    except KeyFileError:
        return False


class EncodeSummary:
    """What the encoder did, for the printed report."""

    def __init__(
        self,
        *,
        source: str,
        encoded: int,
        totals_only: int,
        missing_dob: int,
        fingerprint: str,
        output: Path,
    ) -> None:
        self.source = source
        self.encoded = encoded
        self.totals_only = totals_only
        self.missing_dob = missing_dob
        self.fingerprint = fingerprint
        self.output = output

    def lines(self) -> list[str]:
        return [
            f"Source: {self.source}",
            f"Records encoded: {self.encoded:,}",
            f"Records without consent to statistical linkage (counted as a total only): "
            f"{self.totals_only:,}",
            f"Dates of birth missing or impossible (of the encoded records): {self.missing_dob:,}",
            f"Key check value: {self.fingerprint} (every agency in a round must show the same)",
            f"Encodings written to {self.output}",
        ]


def _consent_keys(path: Path) -> set[tuple[str, str]] | None:
    """(source, record_id) of the rows whose consent covers statistical linkage; None when
    the file has no consent column."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.reader(handle)
        header = [h.replace("\ufeff", "").strip().lower() for h in next(reader, [])]
        if CONSENT_COLUMN not in header:
            return None
        at = {
            name: header.index(name)
            for name in ("record_id", "source", CONSENT_COLUMN)
            if name in header
        }
        keys = set()
        for row in reader:

            def value(name: str, row: list[str] = row) -> str:
                i = at.get(name)
                return row[i].strip() if i is not None and i < len(row) else ""

            if value(CONSENT_COLUMN).lower() in CONSENT_YES:
                keys.add((value("source") or DEFAULT_SOURCE, value("record_id")))
    return keys


def _write_atomically(document: dict, out: Path) -> None:
    fd, tmp_name = tempfile.mkstemp(prefix=".encodings-", suffix=".json", dir=out.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(document, handle, separators=(",", ":"))
        os.replace(tmp_name, out)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise


def encode_table(
    raw: pa.Table,
    secret: bytes,
    *,
    source: str,
    totals_only: int = 0,
    schema: EncodingSchema = DEFAULT_SCHEMA,
    summary: dict | None = None,
) -> dict:
    """Encode a table of ``pipeline.COLUMNS`` rows; returns the encodings document.

    ``summary``, when given, receives the preparation's counts (``missing_dob``, which
    includes the impossible dates treated as missing)."""
    ids: list[str] = []
    if raw.num_rows:
        con = duckdb.connect()
        try:
            prepared, prepared_summary = prepare_records(con, raw)
        finally:
            con.close()
        if summary is not None:
            summary["missing_dob"] = prepared_summary.missing_dob
        rows = prepared.to_pylist()
        ids = [row["record_id"] for row in rows]
        packed = encode_records(rows, secret, schema)
    else:
        import numpy as np

        packed = np.zeros((0, schema.output_bits // 8), dtype=np.uint8)
    return build_document(
        schema=schema,
        key_fingerprint=key_fingerprint(secret),
        source=source,
        ids=ids,
        packed=packed,
        totals_only=totals_only,
    )


def encode_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    *,
    key_path: str | os.PathLike[str],
    source: str | None = None,
    vawa: bool = False,
) -> EncodeSummary:
    """Read, check, encode and write; raises ``LinkageInputError`` or ``KeyFileError``."""
    secret = read_key(key_path)
    path = Path(input_path)
    raw = read_csv(path)
    sources = sorted({s or DEFAULT_SOURCE for s in raw["source"].to_pylist()})
    if source is None:
        if len(sources) > 1:
            raise LinkageInputError(
                f"{path}: the file has records of several sources ({', '.join(sources[:5])}); "
                "encode one agency's records at a time, or give --source."
            )
        source = sources[0] if sources else DEFAULT_SOURCE
    elif len(sources) > 1:
        raise LinkageInputError(
            f"{path}: the file has records of several sources; --source names one agency."
        )
    if not SOURCE_PATTERN.fullmatch(source):
        raise LinkageInputError(
            f"source {source!r}: use 1 to 80 letters, digits, spaces, dots, dashes or underscores."
        )
    bad_ids = [r for r in raw["record_id"].to_pylist() if not _id_ok(r)]
    if bad_ids:
        raise LinkageInputError(
            f"{path}: record_id must be 1 to 64 letters, digits or . _ : / - characters "
            f"(first unusable: {bad_ids[0][:20]!r})."
        )
    totals_only = 0
    if vawa:
        consented = _consent_keys(path)
        if consented is None:
            raise LinkageInputError(
                f"{path}: --vawa needs a '{CONSENT_COLUMN}' column saying whether each person's "
                "consent covers statistical linkage (yes or no)."
            )
        keep = pa.array(
            [
                ((s or DEFAULT_SOURCE), r) in consented
                for s, r in zip(
                    raw["source"].to_pylist(), raw["record_id"].to_pylist(), strict=True
                )
            ],
            type=pa.bool_(),
        )
        totals_only = raw.num_rows - int(pc.sum(keep).as_py() or 0)
        raw = raw.filter(keep)
    counts: dict = {}
    document = encode_table(raw, secret, source=source, totals_only=totals_only, summary=counts)
    out = Path(output_path)
    _write_atomically(document, out)
    return EncodeSummary(
        source=source,
        encoded=document["records"],
        totals_only=totals_only,
        missing_dob=counts.get("missing_dob", 0),
        fingerprint=document["key_fingerprint"],
        output=out,
    )


def _id_ok(value: str) -> bool:
    from .document import ID_PATTERN

    return bool(ID_PATTERN.fullmatch(value or ""))


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safeharbor encode",
        description=(
            "Encode one agency's person records as keyed Bloom filters for privacy-preserving "
            "linkage. Same columns as link-file (record_id required; given_name, family_name, "
            "alias, dob, sex, phone, address, city, postcode), plus 'consent' for --vawa. "
            "No database or settings are needed; names never leave this machine."
        ),
    )
    parser.add_argument("input", help="the CSV file of person records")
    parser.add_argument("--key-file", required=True, help="the secret shared by the agencies")
    parser.add_argument("--out", required=True, help="where to write the encodings (JSON)")
    parser.add_argument("--source", help="the agency's name in the round (default: the file's)")
    parser.add_argument(
        "--vawa",
        action="store_true",
        help="VAWA-covered agency: encode only rows whose consent column says yes; "
        "the others are counted as a total only",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    out = Path(args.out)
    if not out.parent.exists():
        print(f"error: the folder {out.parent} does not exist.", file=sys.stderr)
        return 2
    try:
        summary = encode_file(
            args.input, out, key_path=args.key_file, source=args.source, vawa=args.vawa
        )
    except (LinkageInputError, KeyFileError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("No output was written.", file=sys.stderr)
        return 2
    print("\n".join(summary.lines()))
    if is_demo_key(summary.fingerprint):
        print(
            "Warning: this is SafeHarbor's public demo key; anyone can read it. Use it only for "
            "the demo's invented records, never for real people.",
            file=sys.stderr,
        )
    return 0
