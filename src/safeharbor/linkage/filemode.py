"""``safeharbor link-file``: link the person records of a CSV file, without a database.

Runs before Django is configured (``safeharbor.cli`` dispatches here first), so an agency
can link its own spreadsheet, and the benchmarks can run, on a machine with no settings.

Exit status: 0 when the clusters file was written; 2 when the input cannot be linked (the
reason is printed and no output file is written); 1 on an unexpected failure.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path
from typing import TextIO

from .pipeline import (
    DEFAULT_THRESHOLD,
    LinkageInputError,
    LinkageOptions,
    RunSummary,
    link_file,
    spark_unavailable,
)

__all__ = ["ProgressBar", "main"]

# Share of a typical run each phase takes, so the bar moves at an even pace.
PHASES = {
    "read": 0.05,
    "prepare": 0.10,
    "train": 0.30,
    "predict": 0.35,
    "cluster": 0.15,
    "write": 0.05,
}
PHASE_LABELS = {
    "read": "reading",
    "prepare": "preparing",
    "train": "training",
    "predict": "scoring pairs",
    "cluster": "clustering",
    "write": "writing",
}


class ProgressBar:
    """A one-line progress bar (phase and percentage) on a terminal; plain lines otherwise."""

    def __init__(self, stream: TextIO, width: int = 30) -> None:
        self.stream = stream
        self.width = width
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = time.perf_counter()
        self._last_phase = ""

    def __call__(self, phase: str, fraction: float) -> None:
        done = 0.0
        for name, share in PHASES.items():
            if name == phase:
                done += share * max(0.0, min(1.0, fraction))
                break
            done += share
        label = PHASE_LABELS.get(phase, phase)
        elapsed = time.perf_counter() - self.started
        if self.tty:
            filled = round(done * self.width)
            bar = "#" * filled + "-" * (self.width - filled)
            self.stream.write(f"\r[{bar}] {done:4.0%} {label:<14} {elapsed:6.1f}s")
            self.stream.flush()
        elif phase != self._last_phase:
            self.stream.write(f"{done:4.0%} {label} ({elapsed:.1f}s)\n")
            self.stream.flush()
        self._last_phase = phase

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safeharbor link-file",
        description=(
            "Find the records of one person in a CSV of person records and write one "
            "cluster id per record. Columns: record_id (required, unique within its "
            "source), source, given_name, family_name, alias, dob (YYYY-MM-DD), sex "
            "(F/M/X/U), phone, address, city, postcode; ';' separates several aliases or "
            "phones. No database or settings are needed."
        ),
    )
    parser.add_argument("input", help="the CSV file of person records")
    parser.add_argument("--out", required=True, help="where to write record_id,source,cluster_id")
    parser.add_argument("--engine", choices=("duckdb", "spark"), default="duckdb")
    parser.add_argument(
        "--link-only-between-sources",
        action="store_true",
        help="never put two records of the same source in one cluster by themselves",
    )
    parser.add_argument(
        "--one-record-per-person",
        action="append",
        default=[],
        metavar="SOURCE",
        help="this source holds at most one record per person (a deduplicated register): "
        "a cluster takes at most one of its records, by each record's best match; repeatable",
    )
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"match probability at which two records are one person (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--model",
        type=Path,
        help="a saved model (JSON): reused if it exists, otherwise trained here and saved",
    )
    parser.add_argument(
        "--retrain", action="store_true", help="train on this input even if --model exists"
    )
    parser.add_argument("--quiet", action="store_true", help="no progress bar")
    return parser


def format_summary(summary: RunSummary, output: str) -> str:
    """The plain-text report printed after a run."""
    lines = [
        f"Records read: {summary.records:,}"
        + (
            " (" + ", ".join(f"{s}: {n:,}" for s, n in summary.sources.items()) + ")"
            if len(summary.sources) > 1
            else ""
        ),
        f"Dates of birth missing: {summary.missing_dob:,}"
        + (
            f", of which impossible and treated as missing: {summary.impossible_dob:,}"
            if summary.impossible_dob
            else ""
        ),
        f"Model: {summary.model}",
        f"Pairs scored: {summary.pairs_scored:,}; linked: {summary.pairs_linked:,}",
        f"People (clusters): {summary.clusters:,}; records sharing a cluster with another: "
        f"{summary.records_in_multi_record_clusters:,}",
        "Time: "
        + ", ".join(f"{phase} {seconds:.1f}s" for phase, seconds in summary.timings.items()),
        f"Clusters written to {output}",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    options = LinkageOptions(
        engine=args.engine,
        link_only_between_sources=args.link_only_between_sources,
        duplicate_free_sources=tuple(args.one_record_per_person),
        threshold=args.threshold,
        model_path=args.model,
        retrain=args.retrain,
    )
    if not 0 < args.threshold < 1:
        print("error: --threshold must be between 0 and 1.", file=sys.stderr)
        return 2
    if args.engine == "spark" and (reason := spark_unavailable()):
        print(f"error: {reason}", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.exists():
        print(f"error: the folder {out.parent} does not exist.", file=sys.stderr)
        return 2
    bar = None if args.quiet else ProgressBar(sys.stderr)
    try:
        summary = link_file(args.input, out, options, progress=bar)
    except LinkageInputError as exc:
        if bar:
            bar.close()
        print(f"error: {exc}", file=sys.stderr)
        print("No output was written.", file=sys.stderr)
        return 2
    if bar:
        bar.close()
    print(format_summary(summary, str(out)))
    return 0
