"""``safeharbor link-encodings``: link encodings files (from ``safeharbor encode``) into people,
offline and without names: record_id, source, cluster_id.

Exit status: 0 when the clusters file was written; 2 when the files cannot be linked (not an
encodings document, different schemas or keys, the same source twice; the reason is printed
and no output file is written).
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ...core.csv_export import write_csv_file
from ..counts import UniqueCount, unduplicated_count
from .document import DocumentError, Encodings, parse_document
from .matching import (
    DEFAULT_LOWER,
    DEFAULT_THRESHOLD,
    ONE_TO_ONE_LOWER,
    LinkResult,
    link_encodings,
)

__all__ = ["LinkInputError", "RoundFiles", "link_documents", "load_documents", "main"]


class LinkInputError(Exception):
    """The encodings cannot be linked together; the message is for the person running it."""


@dataclass
class RoundFiles:
    """Encodings of several sources, stacked, with what the link found."""

    documents: list[Encodings]
    packed: np.ndarray
    sources: list[str]
    ids: list[str]
    result: LinkResult
    count: UniqueCount


def check_compatible(documents: list[Encodings]) -> None:
    """Same schema, same key, distinct sources; raises ``LinkInputError``."""
    if not documents:
        raise LinkInputError("no encodings to link.")
    first = documents[0]
    for doc in documents[1:]:
        if doc.schema != first.schema:
            raise LinkInputError(
                f"{doc.source}: encoded with a different schema from {first.source}; "
                "every agency must use the same version of safeharbor encode."
            )
        if doc.key_fingerprint != first.key_fingerprint:
            raise LinkInputError(
                f"{doc.source}: encoded with a different key from {first.source} (key check "
                f"{doc.key_fingerprint} against {first.key_fingerprint}); encodings made with "
                "different keys cannot be compared."
            )
    names = [doc.source for doc in documents]
    repeated = sorted({n for n in names if names.count(n) > 1})
    if repeated:
        raise LinkInputError(f"the source {repeated[0]!r} appears more than once.")


def link_documents(
    documents: list[Encodings],
    *,
    threshold: float = DEFAULT_THRESHOLD,
    lower: float | None = None,
    one_to_one: bool = False,
    method: str = "auto",
) -> RoundFiles:
    """Link validated documents; the count joins the totals-only records as unlinkable."""
    check_compatible(documents)
    width = documents[0].schema.output_bits // 8
    packed = (
        np.concatenate([doc.packed for doc in documents])
        if documents
        else np.zeros((0, width), dtype=np.uint8)
    )
    sources = [doc.source for doc in documents for _ in doc.ids]
    ids = [rid for doc in documents for rid in doc.ids]
    result = link_encodings(
        packed, sources, threshold=threshold, lower=lower, one_to_one=one_to_one, method=method
    )
    count = unduplicated_count(
        result.cluster_ids.tolist(),
        unlinkable_records=sum(doc.totals_only for doc in documents),
    )
    return RoundFiles(documents, packed, sources, ids, result, count)


def load_documents(paths: list[str]) -> list[Encodings]:
    documents = []
    for name in paths:
        path = Path(name)
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            raise LinkInputError(f"{path}: no such file.") from None
        except (IsADirectoryError, PermissionError):
            raise LinkInputError(f"{path}: the file cannot be read.") from None
        try:
            documents.append(parse_document(data))
        except DocumentError as exc:
            raise LinkInputError(f"{path}: {exc}") from None
    return documents


def _write_clusters(linked: RoundFiles, out: Path) -> None:
    """record_id, source, cluster_id, atomically; formula-like ids are written inert."""
    write_csv_file(
        out,
        ["record_id", "source", "cluster_id"],
        zip(linked.ids, linked.sources, linked.result.cluster_ids.tolist(), strict=True),
    )


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="safeharbor link-encodings",
        description=(
            "Link encodings files written by 'safeharbor encode' (one per agency, same key) "
            "and write record_id,source,cluster_id. Works on encodings only: no names."
        ),
    )
    parser.add_argument("inputs", nargs="+", help="encodings files (JSON)")
    parser.add_argument("--out", required=True, help="where to write record_id,source,cluster_id")
    parser.add_argument(
        "--threshold",
        type=float,
        default=DEFAULT_THRESHOLD,
        help=f"Dice similarity at which two records are one person (default {DEFAULT_THRESHOLD})",
    )
    parser.add_argument(
        "--lower",
        type=float,
        help="from this Dice up, a pair links when it is the best match of one of its records "
        f"(default {DEFAULT_LOWER}; with --one-to-one {ONE_TO_ONE_LOWER})",
    )
    parser.add_argument(
        "--one-to-one",
        action="store_true",
        help="link only between sources, each record to at most one of every other source",
    )
    parser.add_argument(
        "--method",
        choices=("auto", "all", "index"),
        default="auto",
        help="compare every pair, use the bit-sampling index, or choose by size (default)",
    )
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run the command; returns the exit status."""
    args = _parser().parse_args(argv)
    if not 0 < args.threshold < 1 or (args.lower is not None and not 0 < args.lower < 1):
        print("error: --threshold and --lower must be between 0 and 1.", file=sys.stderr)
        return 2
    out = Path(args.out)
    if not out.parent.exists():
        print(f"error: the folder {out.parent} does not exist.", file=sys.stderr)
        return 2
    try:
        linked = link_documents(
            load_documents(args.inputs),
            threshold=args.threshold,
            lower=args.lower,
            one_to_one=args.one_to_one,
            method=args.method,
        )
    except LinkInputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        print("No output was written.", file=sys.stderr)
        return 2
    _write_clusters(linked, out)
    result, count = linked.result, linked.count
    per_source = ", ".join(
        f"{doc.source}: {doc.records:,}"
        + (f" (+{doc.totals_only:,} totals only)" if doc.totals_only else "")
        for doc in linked.documents
    )
    print(f"Encodings read: {len(linked.ids):,} ({per_source})")
    print(
        f"Pairs compared: {result.pairs_compared:,} ({result.method}); linked: "
        f"{result.pairs_linked:,}; {result.comparisons_per_second / 1e6:,.1f} million per second"
    )
    interval = "" if count.exact else f" (between {count.lower:,} and {count.upper:,})"
    print(f"Unique people: {count.point:,}{interval}")
    print(f"Clusters written to {out}")
    return 0
