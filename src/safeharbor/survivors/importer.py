"""Reading and checking a CSV of survivors from another system.

The columns (documented in ``docs/import.md``) are named as in the linkage file mode where
they overlap. Parsing never writes anything: it returns the rows it understood and one
``RowError`` per problem (line, column, reason). ``services.survivors_import`` writes the
rows only when there are no errors at all.
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass, field
from typing import IO

from django.utils import timezone
from django.utils.translation import gettext as _

from .choices import IdentificationStatus, Sex

COLUMNS = (
    "record_id",
    "given_name",
    "family_name",
    "alias",
    "dob",
    "sex",
    "phone",
    "address",
    "city",
    "postcode",
    "identification_status",
    "identification_date",
)
REQUIRED_COLUMNS = ("record_id",)
MULTI_SEPARATOR = ";"
MAX_ROWS = 20000
MAX_LENGTH = {
    "record_id": 64,
    "given_name": 100,
    "family_name": 100,
    "alias": 500,
    "address": 200,
    "city": 100,
    "postcode": 20,
    "phone": 200,
}
PHONE_ALLOWED = re.compile(r"^\+?[0-9 ().\-]+$")
POSTCODE = re.compile(r"^[0-9A-Za-z \-]{3,10}$")


@dataclass(frozen=True)
class RowError:
    """One problem: the line in the file (1 is the header), the column, and why."""

    line: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"line {self.line}, column {self.column or '-'}: {self.reason}"


@dataclass
class ImportRow:
    """A row that passed every check, with values in the shape ``Person`` stores them."""

    line: int
    record_id: str
    given_name: str = ""
    family_name: str = ""
    aliases: list[str] = field(default_factory=list)
    dob: datetime.date | None = None
    sex: str = Sex.UNKNOWN
    phones: list[str] = field(default_factory=list)
    address: str = ""
    city: str = ""
    postcode: str = ""
    identification_status: str = ""
    identification_date: datetime.date | None = None


@dataclass
class ParseResult:
    rows: list[ImportRow]
    errors: list[RowError]

    @property
    def ok(self) -> bool:
        return not self.errors


def _split(value: str) -> list[str]:
    return [part.strip() for part in value.split(MULTI_SEPARATOR) if part.strip()]


def _date(value: str) -> datetime.date | None:
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return None


def parse_survivor_csv(stream: IO[str] | str, *, today: datetime.date | None = None) -> ParseResult:
    """Read a whole file and check every row; stops early only on a broken header."""
    today = today or timezone.localdate()
    text = stream if isinstance(stream, str) else stream.read()
    if text.startswith("\ufeff"):
        text = text[1:]
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    errors: list[RowError] = []
    rows: list[ImportRow] = []
    try:
        header = next(reader)
    except StopIteration:
        return ParseResult([], [RowError(1, "", _("The file is empty."))])
    except csv.Error as exc:
        return ParseResult([], [RowError(1, "", _("The header cannot be read: %s") % exc)])
    names = [h.strip().lower() for h in header]
    for name in names:
        if name not in COLUMNS:
            errors.append(
                RowError(1, name, _("Unknown column. The columns are: %s") % ", ".join(COLUMNS))
            )
    for name in set(names):
        if names.count(name) > 1:
            errors.append(RowError(1, name, _("This column appears more than once.")))
    for name in REQUIRED_COLUMNS:
        if name not in names:
            errors.append(RowError(1, name, _("This column is required.")))
    if errors:
        return ParseResult([], errors)

    seen_ids: dict[str, int] = {}
    line = reader.line_num
    while True:
        try:
            values = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            errors.append(RowError(reader.line_num, "", _("This line cannot be read: %s") % exc))
            break
        line_start = line + 1
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        if len(rows) + len(errors) >= MAX_ROWS:
            errors.append(
                RowError(line_start, "", _("A file may hold at most %d rows.") % MAX_ROWS)
            )
            break
        if len(values) != len(names):
            errors.append(
                RowError(
                    line_start,
                    "",
                    _("Expected %(expected)d values, found %(found)d.")
                    % {"expected": len(names), "found": len(values)},
                )
            )
            continue
        raw = {name: value.strip() for name, value in zip(names, values, strict=True)}
        row, row_errors = _check_row(line_start, raw, today=today, seen_ids=seen_ids)
        errors.extend(row_errors)
        if row is not None and not row_errors:
            rows.append(row)
    if not rows and not errors:
        errors.append(RowError(2, "", _("The file has a header but no rows.")))
    return ParseResult(rows, errors)


def _check_row(
    line: int, raw: dict[str, str], *, today: datetime.date, seen_ids: dict[str, int]
) -> tuple[ImportRow | None, list[RowError]]:
    errors: list[RowError] = []

    def err(column: str, reason: str) -> None:
        errors.append(RowError(line, column, reason))

    for column, limit in MAX_LENGTH.items():
        if len(raw.get(column, "")) > limit:
            err(column, _("Longer than %d characters.") % limit)

    record_id = raw.get("record_id", "")
    if not record_id:
        err("record_id", _("Every row needs a record_id."))
    elif record_id in seen_ids:
        err(
            "record_id",
            _("The same record_id is already on line %d.") % seen_ids[record_id],
        )
    else:
        seen_ids[record_id] = line

    if not raw.get("given_name") and not raw.get("family_name") and not raw.get("alias"):
        err("given_name", _("Give at least a given name, a family name or an alias."))

    dob = None
    if raw.get("dob"):
        dob = _date(raw["dob"])
        if dob is None:
            err("dob", _("Write the date of birth as YYYY-MM-DD, e.g. 2009-04-17."))
        elif dob > today:
            err("dob", _("The date of birth is in the future."))
        elif dob.year < 1900:
            err("dob", _("The date of birth is before 1900."))

    sex = (raw.get("sex") or Sex.UNKNOWN).upper()
    if sex not in Sex.values:
        err("sex", _("Use F, M, X or U."))

    phones = _split(raw.get("phone", ""))
    for phone in phones:
        digits = re.sub(r"\D", "", phone)
        if not PHONE_ALLOWED.match(phone) or not 7 <= len(digits) <= 15:
            err("phone", _("%s is not a phone number (7 to 15 digits).") % phone)

    postcode = raw.get("postcode", "")
    if postcode and not POSTCODE.match(postcode):
        err("postcode", _("Not a postcode."))

    status = raw.get("identification_status", "").lower().replace(" ", "_")
    ident_date = None
    if status and status not in IdentificationStatus.values:
        err(
            "identification_status",
            _("Use one of: %s.") % ", ".join(IdentificationStatus.values),
        )
    if raw.get("identification_date"):
        ident_date = _date(raw["identification_date"])
        if ident_date is None:
            err("identification_date", _("Write the date as YYYY-MM-DD."))
        elif ident_date > today:
            err("identification_date", _("The date is in the future."))
        elif dob is not None and ident_date < dob:
            err("identification_date", _("The date is before the date of birth."))
        if not status:
            err("identification_status", _("A date was given without a status."))
    elif status:
        err("identification_date", _("Give the date of the identification."))

    if errors:
        return None, errors
    return (
        ImportRow(
            line=line,
            record_id=record_id,
            given_name=raw.get("given_name", ""),
            family_name=raw.get("family_name", ""),
            aliases=_split(raw.get("alias", "")),
            dob=dob,
            sex=sex,
            phones=phones,
            address=raw.get("address", ""),
            city=raw.get("city", ""),
            postcode=postcode,
            identification_status=status,
            identification_date=ident_date,
        ),
        [],
    )
