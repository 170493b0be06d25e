"""CSV exports that are safe to open in a spreadsheet.

A cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (or their
full-width forms) can be run as a formula by Excel, LibreOffice or Google Sheets ("CSV
injection"). Every text cell is checked and such a cell is prefixed with an apostrophe, which
spreadsheets show as text. Numbers, dates and booleans pass unchanged, so a negative amount
stays a number. Every area's CSV export goes through ``csv_response`` or ``write_csv``.
"""

from __future__ import annotations

import contextlib
import csv
import datetime
import decimal
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from typing import IO, Any

from django.http import StreamingHttpResponse

__all__ = [
    "FORMULA_STARTS",
    "csv_response",
    "neutralise",
    "safe_filename",
    "write_csv",
    "write_csv_file",
]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_TYPED = (int, float, decimal.Decimal, datetime.date, datetime.time, bool)
_FILENAME_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
BOM = "\ufeff"


def neutralise(value: Any) -> Any:
    """The cell as it should be written: formula-like text made inert, typed values as-is."""
    if value is None:
        return ""
    if isinstance(value, _TYPED):
        return value
    text = str(value)
    if text.startswith(FORMULA_STARTS):
        return "'" + text
    return text


def safe_filename(name: str, *, default: str = "export.csv") -> str:
    """A download name with no quotes, slashes or control characters, ending in .csv."""
    cleaned = _FILENAME_UNSAFE.sub("-", name).strip(".-")[:120]
    if not cleaned:
        return default
    return cleaned if cleaned.lower().endswith(".csv") else f"{cleaned}.csv"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _lines(header: Iterable[Any], rows: Iterable[Iterable[Any]], *, bom: bool) -> Iterator[str]:
    writer = csv.writer(_Echo())
    first = writer.writerow([neutralise(cell) for cell in header])
    yield (BOM + first) if bom else first
    for row in rows:
        yield writer.writerow([neutralise(cell) for cell in row])


def csv_response(
    filename: str,
    header: Iterable[Any],
    rows: Iterable[Iterable[Any]],
    *,
    bom: bool = True,
) -> StreamingHttpResponse:
    """A streamed CSV download; ``rows`` may be a lazy iterator over a large queryset.

    The byte-order mark (on by default) makes Excel read the file as UTF-8.
    """
    response = StreamingHttpResponse(
        _lines(header, rows, bom=bom), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{safe_filename(filename)}"'
    response["Cache-Control"] = "no-store"
    return response


def write_csv(
    handle: IO[str], header: Iterable[Any], rows: Iterable[Iterable[Any]], *, bom: bool = False
) -> int:
    """Write a safe CSV to an open text file (reports, background jobs); returns data rows."""
    count = -1
    for count, line in enumerate(_lines(header, rows, bom=bom)):  # noqa: B007
        handle.write(line)
    return max(count, 0)


def write_csv_file(
    path: str | os.PathLike[str], header: Iterable[Any], rows: Iterable[Iterable[Any]]
) -> int:
    """Write a safe CSV file atomically: the whole file appears at ``path`` or nothing does
    (an earlier file there is kept until the new one is complete). Returns data rows."""
    target = os.fspath(path)
    fd, tmp_name = tempfile.mkstemp(
        prefix=".csv-", suffix=".tmp", dir=os.path.dirname(target) or "."
    )
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = write_csv(handle, header, rows)
        os.replace(tmp_name, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp_name)
        raise
    return count
