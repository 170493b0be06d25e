"""The record-linkage pipeline: person records in, clusters of the same person out.

Plain Python, usable without Django (the ``safeharbor link-file`` command and the benchmarks
call it directly; the database side feeds it rows it read through the permission engine).

Steps, each reported to a ``progress(phase, fraction)`` callback:

1. **read** a CSV (or take rows) with the columns of the survivors importer:
   ``record_id`` (required, unique within its source), ``source``, ``given_name``,
   ``family_name``, ``alias``, ``dob`` (YYYY-MM-DD), ``sex`` (F/M/X/U), ``phone``,
   ``address``, ``city``, ``postcode``; several aliases or phones are separated by ``;``.
2. **prepare**: normalise names (accents, case, punctuation), map given names and aliases to a
   canonical form through the nickname table (Kate, Katie and Kathy are all Katherine),
   phonetic codes for blocking, dates of birth split into parts (an impossible date counts as
   missing and is reported), phone numbers to their last ten digits, addresses to a standard
   spelling.
3. **train** (or reuse a saved model): Splink's u from random sampling and m by unsupervised
   expectation maximisation on two blocking rules, saved as Splink JSON.
4. **predict**: score the record pairs that the blocking rules let through.
5. **cluster**: connected components of the pairs at or above the match threshold, split
   where a link chains two groups whose cross pairs score low (``clustering``); or, for
   sources declared duplicate-free, Splink's single-best-link clustering.

Everything Splink does is done by Splink (DuckDB by default, Spark with ``engine="spark"``);
this module only prepares the columns and chooses the model. Intermediate data stays in an
in-memory DuckDB database; anything DuckDB or Spark spills goes to a private temporary
directory that is removed when the run ends (see ``docs/linkage.md``).
"""

# SQL here is built from this module's constants and numbers, never from input values:
# ruff: noqa: S608

from __future__ import annotations

import contextlib
import csv
import datetime
import json
import logging
import math
import os
import re
import shutil
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import jellyfish
import pyarrow as pa
import pyarrow.compute as pc

from ..core.csv_export import write_csv_file
from .nicknames import nickname_table

__all__ = [
    "BLOCKING_RULES",
    "COLUMNS",
    "DEFAULT_THRESHOLD",
    "WIDE_BLOCKING_RULES",
    "LinkageInputError",
    "LinkageOptions",
    "LinkageResult",
    "RunSummary",
    "choose_blocking_rules",
    "link_file",
    "link_records",
    "prepare_records",
    "read_csv",
    "write_clusters",
]

log = logging.getLogger(__name__)

COLUMNS = (
    "record_id",
    "source",
    "given_name",
    "family_name",
    "alias",
    "dob",
    "sex",
    "phone",
    "address",
    "city",
    "postcode",
)
REQUIRED_COLUMNS = ("record_id",)
MULTI_SEPARATOR = ";"
DEFAULT_SOURCE = "file"
DEFAULT_THRESHOLD = 0.7
# Measured on the same scored pairs (docs/benchmarks.md): at 300,000 synthetic records 0.2
# to 0.4 all raise F1 (0.9729 without; 0.9791 at 0.25, 0.9796 at 0.3); on FEBRL3 0.3 splits
# three true pairs that 0.25 keeps (F1 0.9959 at 0.25 and without).
DEFAULT_MIN_SUPPORT = 0.25
# Below this many records EM has too few pairs to learn from: the bundled model is used.
MIN_RECORDS_TO_TRAIN = 5000
# Name frequencies come from the input itself; below this many records they are noise (in ten
# records every name is "common"), so exact name matches are not adjusted for frequency.
MIN_RECORDS_FOR_FREQUENCIES = 5000
# A phone number in common is weaker evidence the more records hold it (a shelter's front
# desk, a group home, a case manager's phone). The number of records one person's own number
# is usually found on: a number held by k records counts log2(k / this) bits less than one of
# a person's own (32 records of a shelter's number: 4 bits, a sixteenth). Counted in records,
# not as a share of the input, so it means the same in a file of 50 records and of a million.
PHONE_HOLDERS_OF_ONE_PERSON = 2
# The same for an address (house, street and postcode): a shelter, a group home or a youth
# drop-in centre is given by many people, one person's own address by her few records. An
# address held by k records makes "same house, street, postcode and city" count log2(k / this)
# bits less (30 records at a shelter: 3.9 bits, a fifteenth).
ADDRESS_HOLDERS_OF_ONE_PERSON = 2
BUNDLED_MODEL = Path(__file__).parent / "data" / "model.json"
EARLIEST_BIRTH_YEAR = 1900
MIN_PROBABILITY = 1e-12

Progress = Callable[[str, float], None]

# SQL is built only from this module's constants, column names checked against COLUMNS, and
# values rendered by _sql_text / _sql_number; nothing read from an input file is pasted into
# SQL (a file's header only decides which positional column c<i> feeds which of COLUMNS).
_IDENTIFIER = re.compile(r"[a-z_][a-z0-9_]*")
if not all(_IDENTIFIER.fullmatch(c) for c in COLUMNS):
    raise RuntimeError("linkage COLUMNS must be plain SQL identifiers")


def _identifier(name: str) -> str:
    """``name`` if it is a plain SQL identifier (lower-case letters, digits, underscores)."""
    if not _IDENTIFIER.fullmatch(name):
        raise ValueError(f"{name!r} is not a plain SQL identifier.")
    return name


def _sql_text(value: str) -> str:
    """``value`` as a SQL string literal (quotes doubled; a NUL, which ends text, refused)."""
    if "\x00" in value:
        raise ValueError("A NUL character cannot be part of SQL text.")
    return "'" + value.replace("'", "''") + "'"


def _sql_number(value: float) -> str:
    """``value`` as a SQL number literal; refuses anything that is not a finite number."""
    number = float(value)
    if not math.isfinite(number):
        raise ValueError(f"{value!r} is not a finite number.")
    return repr(number)


_DEFAULT_SOURCE_SQL = _sql_text(DEFAULT_SOURCE)
_SEPARATOR_SQL = _sql_text(MULTI_SEPARATOR)


class LinkageInputError(Exception):
    """The input cannot be linked at all (missing column, duplicate id, unreadable file).

    The message is meant for the person who made the file.
    """


@dataclass
class LinkageOptions:
    """How to run the linkage.

    ``model_path``: a saved model (Splink JSON). When it exists and ``retrain`` is false it is
    reused as it is; otherwise the model is trained on this input and saved there.
    ``threshold``: match probability at or above which two records are the same person.
    ``link_only_between_sources``: never join two records of the same source.
    """

    engine: str = "duckdb"
    link_only_between_sources: bool = False
    threshold: float = DEFAULT_THRESHOLD
    model_path: Path | None = None
    retrain: bool = False
    em_max_pairs: float = 2e6
    u_max_pairs: float = 1e6
    spark_session: Any = None
    # "persist" keeps intermediate tables in executor memory; "checkpoint" (for a cluster)
    # writes them to the checkpoint directory, which this run removes at its end.
    spark_break_lineage: str = "persist"
    spark_partitions: int = 2
    threads: int | None = None
    memory_limit: str | None = None
    # When set, the scored pairs at or above this match probability are returned too
    # (``LinkageResult.pairs``), for callers that review pairs or apply known links.
    keep_pairs_at: float | None = None
    # Sources known to hold at most one record per person (a deduplicated register, one
    # file of FEBRL4): a cluster then takes at most one record of each, joined by mutually
    # best links (Splink's single-best-link clustering) instead of connected components.
    duplicate_free_sources: tuple[str, ...] = ()
    # Chains in connected components are broken: two groups of records join only when the
    # mean match probability over their cross pairs reaches this (``clustering``); 0 keeps
    # plain connected components.
    min_support: float = DEFAULT_MIN_SUPPORT


@dataclass
class RunSummary:
    """What the run read, how it trained, what it found and how long each phase took."""

    records: int = 0
    sources: dict[str, int] = field(default_factory=dict)
    impossible_dob: int = 0
    missing_dob: int = 0
    model: str = ""
    model_trained: bool = False
    blocking_rules: int = 0
    pairs_scored: int = 0
    pairs_linked: int = 0
    clusters: int = 0
    records_in_multi_record_clusters: int = 0
    timings: dict[str, float] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        """A JSON-serialisable copy (for job records and benchmark output)."""
        return {
            "records": self.records,
            "sources": dict(self.sources),
            "impossible_dob": self.impossible_dob,
            "missing_dob": self.missing_dob,
            "model": self.model,
            "model_trained": self.model_trained,
            "blocking_rules": self.blocking_rules,
            "pairs_scored": self.pairs_scored,
            "pairs_linked": self.pairs_linked,
            "clusters": self.clusters,
            "records_in_multi_record_clusters": self.records_in_multi_record_clusters,
            "timings": {k: round(v, 3) for k, v in self.timings.items()},
        }


@dataclass
class LinkageResult:
    """Clusters (record_id, source, cluster_id) and the run summary."""

    clusters: pa.Table
    summary: RunSummary
    model_json: dict[str, Any]
    # record_id_l, source_l, record_id_r, source_r, match_probability (see keep_pairs_at).
    pairs: pa.Table | None = None


# --- reading -----------------------------------------------------------------------------


def _clean_header(name: str) -> str:
    return name.replace("\ufeff", "").strip().lower()


def read_csv(path: str | os.PathLike[str]) -> pa.Table:
    """Read a linkage CSV into an Arrow table of strings with exactly ``COLUMNS``.

    Header names are matched case-insensitively in any order; unknown columns are ignored and
    absent ones are empty. Raises ``LinkageInputError`` for an unreadable file, a missing
    ``record_id`` column, an empty ``record_id`` or a ``record_id`` repeated within a source.
    """
    path = Path(path)
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            header = next(csv.reader(handle), None)
    except FileNotFoundError:
        raise LinkageInputError(f"{path}: no such file.") from None
    except IsADirectoryError:
        raise LinkageInputError(f"{path}: is a directory, not a CSV file.") from None
    except PermissionError:
        raise LinkageInputError(f"{path}: the file cannot be read (permission denied).") from None
    except UnicodeDecodeError:
        raise LinkageInputError(
            f"{path}: the file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
        ) from None
    except csv.Error as exc:
        raise LinkageInputError(f"{path}: not a readable CSV file ({exc}).") from None
    if not header:
        raise LinkageInputError(f"{path}: the file is empty; a header row is needed.")
    names = [_clean_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in names]
    if missing:
        raise LinkageInputError(
            f"{path}: missing required column(s): {', '.join(missing)}. "
            f"The header has: {', '.join(h for h in names if h) or '(nothing)'}."
        )
    positions = {c: names.index(c) for c in COLUMNS if c in names}
    selects = ", ".join(
        f"nullif(trim(c{positions[c]}), '') as {c}" if c in positions else f"null::varchar as {c}"
        for c in COLUMNS
    )
    con = duckdb.connect()
    try:
        con.execute("set preserve_insertion_order = true")
        relation = con.read_csv(
            str(path),
            header=True,
            names=[f"c{i}" for i in range(len(names))],
            all_varchar=True,
            delimiter=",",
            quotechar='"',
            escapechar='"',
            null_padding=True,
            encoding="utf-8",
        )
        any_value = ", ".join(f"c{i}" for i in range(len(names)))
        table = relation.query(
            "source",
            # Only positional names c<i> and the checked COLUMNS reach this SQL.
            f"select {selects} from source where coalesce({any_value}) is not null",  # nosec B608
        ).to_arrow_table()
    except duckdb.Error as exc:
        message = str(exc).splitlines()[0]
        if "unicode" in message.lower() or "utf" in message.lower():
            raise LinkageInputError(
                f"{path}: the file is not UTF-8 text. Save it as 'CSV UTF-8' and try again."
            ) from None
        raise LinkageInputError(f"{path}: not a readable CSV file ({message}).") from None
    finally:
        con.close()
    check_records(table, where=str(path))
    return table


def records_to_table(rows: Iterable[Mapping[str, Any]]) -> pa.Table:
    """Rows (dicts with some of ``COLUMNS``; lists allowed for alias and phone) as a table."""
    columns: dict[str, list[str | None]] = {c: [] for c in COLUMNS}
    for row in rows:
        for column in COLUMNS:
            value = row.get(column)
            if isinstance(value, list | tuple):
                value = MULTI_SEPARATOR.join(str(v) for v in value if v)
            elif isinstance(value, datetime.date):
                value = value.isoformat()
            value = str(value).strip() if value is not None else ""
            columns[column].append(value or None)
    table = pa.table({c: pa.array(columns[c], type=pa.string()) for c in COLUMNS})
    check_records(table, where="input")
    return table


def check_records(table: pa.Table, *, where: str) -> None:
    """Every record has a record_id, unique within its source."""
    con = duckdb.connect()
    try:
        con.register("t", table)
        empty = con.execute("select count(*) from t where record_id is null").fetchone()[0]
        if empty:
            raise LinkageInputError(f"{where}: {empty} row(s) have no record_id.")
        dupes = con.execute(
            f"""select coalesce(source, {_DEFAULT_SOURCE_SQL}) as s, record_id, count(*) as n
            from t group by all having count(*) > 1 order by s, record_id limit 5""",  # nosec B608 - constant literal
        ).fetchall()
    finally:
        con.close()
    if dupes:
        shown = "; ".join(f"{rid!r} in source {s!r} ({n} times)" for s, rid, n in dupes)
        raise LinkageInputError(
            f"{where}: record_id must be unique within its source. Repeated: {shown}."
        )


# --- preparing ---------------------------------------------------------------------------

_NAME_SQL = """
create or replace macro sh_norm(x) as nullif(trim(regexp_replace(regexp_replace(regexp_replace(
    lower(strip_accents(coalesce(x, ''))), '[''`’]', '', 'g'), '[^a-z]+', ' ', 'g'),
    ' +', ' ', 'g')), '');
create or replace macro sh_first(x) as nullif(split_part(x, ' ', 1), '');
create or replace macro sh_last(x) as case when x like '% %'
    then nullif(split_part(x, ' ', -1), '') end;
"""

_DIRECTIONS = "n|s|e|w|ne|nw|se|sw|north|south|east|west|northeast|northwest|southeast|southwest"


def _address_sql(column: str) -> str:
    """Lower-case letters and digits only, single spaces."""
    _identifier(column)
    return (
        f"nullif(trim(regexp_replace(lower(strip_accents(coalesce({column}, ''))), "
        "'[^a-z0-9]+', ' ', 'g')), '')"
    )


def _address_key_sql(column: str) -> str:
    """House number and street name ("1200 SE Alder Street" -> "1200 alder"): survives
    "Street"/"St", a missing direction or apartment number."""
    _identifier(column)
    pattern = f"^([0-9]+) (?:(?:{_DIRECTIONS}) )?([a-z0-9]+)"
    return (
        f"nullif(trim(regexp_extract({column}, '{pattern}', 1) || ' ' || "
        f"regexp_extract({column}, '{pattern}', 2)), '')"
    )


def _phonetic(name: str) -> tuple[str, str]:
    """Two phonetic codes of a name: NYSIIS (first six letters) and Metaphone (first five).

    A typo changes one of them more often than both, so blocking on either survives it.
    """
    if not name:
        return "", ""
    return jellyfish.nysiis(name)[:6], jellyfish.metaphone(name)[:5]


def prepare_records(
    con: duckdb.DuckDBPyConnection,
    raw: pa.Table,
    *,
    today: datetime.date | None = None,
) -> tuple[pa.Table, RunSummary]:
    """Normalise raw records into the columns the Splink model reads.

    Returns the prepared table (one row per record, ``uid`` 1..n in input order) and a summary
    with the counts of records, sources, impossible and missing dates of birth.
    """
    today = today or datetime.date.today()
    con.execute(_NAME_SQL)
    # The nickname table as a constant map, so it can be used inside list lambdas too.
    entries = ", ".join(
        f"{_sql_text(name)}: {_sql_text(canonical)}" for name, canonical in nickname_table()
    )
    con.execute(
        "create or replace macro sh_canon(x) as "
        f"coalesce(map_extract_value(MAP {{{entries}}}, x), x)"  # nosec B608 - quoted literals
    )
    con.execute("create or replace temp table sh_nick (name varchar, canonical varchar)")
    con.executemany("insert into sh_nick values (?, ?)", nickname_table())
    con.register("sh_raw_input", raw)
    con.execute(
        f"""
        create or replace temp table sh_raw as
        select row_number() over () as uid, coalesce(source, {_DEFAULT_SOURCE_SQL}) as source, *
            exclude (source)
        from sh_raw_input
        """  # nosec B608 - a constant literal
    )
    con.unregister("sh_raw_input")
    con.execute(
        f"""
        create or replace temp table sh_base as
        select
            uid, source, record_id,
            sh_norm(given_name) as given_full,
            sh_norm(family_name) as family_full,
            list_filter(list_transform(string_split(coalesce(alias, ''), {_SEPARATOR_SQL}),
                lambda a: sh_norm(a)), lambda a: a is not null) as alias_list,
            dob as dob_raw,
            try_strptime(dob, '%Y-%m-%d')::date as dob_parsed,
            case upper(trim(coalesce(sex, '')))
                when 'F' then 'F' when 'FEMALE' then 'F'
                when 'M' then 'M' when 'MALE' then 'M'
                when 'X' then 'X' else null end as sex,
            list_distinct(list_filter(list_transform(
                string_split(coalesce(phone, ''), {_SEPARATOR_SQL}),
                lambda p: right(regexp_replace(p, '[^0-9]', '', 'g'), 10)),
                lambda p: length(p) >= 7)) as phone_list,
            {_address_sql("address")} as address_std,
            sh_norm(city) as city_std,
            nullif(left(regexp_replace(coalesce(postcode, ''), '[^0-9A-Za-z]', '', 'g'), 5), '')
                as postcode
        from sh_raw
        """  # nosec B608 - constants and _sql_text literals only
    )
    con.execute("drop table sh_raw")
    earliest = _sql_text(datetime.date(EARLIEST_BIRTH_YEAR, 1, 1).isoformat())
    latest = _sql_text(today.isoformat())
    con.execute(
        f"""
        create or replace temp table sh_dated as
        select *,
            case when dob_parsed >= date {earliest} and dob_parsed <= date {latest}
                then dob_parsed end as dob_date
        from sh_base
        """  # nosec B608 - two dates rendered by _sql_text
    )
    con.execute("drop table sh_base")
    # How many records hold each phone number, and each record's most widely held number
    # (its frequency adjusts a phone in common: ``phone_frequencies``).
    con.execute(
        """
        create or replace temp table sh_phone_common as
        with held as (select uid, unnest(phone_list) as phone from sh_dated),
        holders as (select phone, count(*) as holders from held group by phone)
        select uid, phone as phone_common, holders as phone_holders from (
            select h.uid, h.phone, n.holders, row_number() over (
                partition by h.uid order by n.holders desc, h.phone) as rank
            from held h join holders n using (phone)
        ) where rank = 1
        """
    )
    # Phonetic codes for blocking: computed once per distinct name, joined back.
    names = [
        r[0]
        for r in con.execute(
            """
            select distinct n from (
                select coalesce(nk.canonical, sh_first(given_full)) as n
                from sh_dated left join sh_nick nk on nk.name = sh_first(given_full)
                union select replace(family_full, ' ', '') from sh_dated
            ) where n is not null
            """
        ).fetchall()
    ]
    phonetic = [_phonetic(n) for n in names]
    codes = pa.table(
        {
            "name": pa.array(names, pa.string()),
            "code": pa.array([c for c, _ in phonetic], pa.string()),
            "sound": pa.array([m or None for _, m in phonetic], pa.string()),
        }
    )
    con.register("sh_codes", codes)
    con.execute(
        f"""
        create or replace temp table sh_prepared as
        with named as (
            select *,
                sh_first(given_full) as given_std,
                coalesce(nk.canonical, sh_first(given_full)) as given_canon,
                replace(family_full, ' ', '') as family_std,
                list_transform(alias_list, lambda a: sh_canon(sh_first(a))) as alias_given,
                list_filter(list_transform(alias_list, lambda a: sh_last(a)),
                    lambda a: a is not null) as alias_family,
                -- House, street and postcode: how many records give an address
                -- (``address_frequencies``); null when any part is missing.
                {_address_key_sql("address_std")} || ' ' || postcode as address_common
            from sh_dated left join sh_nick nk on nk.name = sh_first(given_full)
        )
        select
            uid, source, record_id,
            given_std, given_canon, gc.code as given_code, gc.sound as given_sound,
            left(given_std, 1) as given_initial,
            family_std, fc.code as family_code, fc.sound as family_sound,
            nullif(list_distinct(list_filter(
                list_concat([given_canon], alias_given), lambda x: x is not null)), [])
                as name_set,
            nullif(list_distinct(list_filter(
                list_concat(
                    list_concat([family_std], alias_family),
                    string_split(coalesce(family_full, ''), ' ')),
                lambda x: x is not null and x <> '')), []) as family_set,
            strftime(dob_date, '%Y-%m-%d') as dob_str,
            year(dob_date) as dob_year, month(dob_date) as dob_month, day(dob_date) as dob_day,
            (dob_date - date '1900-01-01')::integer as dob_days,
            -- Blocking keys that survive a wrong year or day and month written either way.
            strftime(dob_date, '%m-%d') as dob_month_day,
            strftime(dob_date, '%Y-') || least(month(dob_date), day(dob_date)) || '-'
                || greatest(month(dob_date), day(dob_date)) as dob_either_way,
            sex,
            nullif(phone_list, []) as phones, pc.phone_common, pc.phone_holders,
            address_std, {_address_key_sql("address_std")} as address_key,
            address_common, case when address_common is not null
                then count(*) over (partition by address_common) end as address_holders,
            -- The street without the house number, spaces dropped ("cope place" and
            -- "copeplace" are one street): a house number missing or mistyped.
            nullif(replace(regexp_replace(address_std, '^[0-9]+ ', ''), ' ', ''), '')
                as street_key,
            nullif(regexp_extract(address_std, '^([0-9]+) ', 1), '') as house_number,
            city_std, postcode,
            (dob_raw is not null and dob_date is null) as dob_impossible
        from named
        left join sh_codes gc on gc.name = named.given_canon
        left join sh_codes fc on fc.name = named.family_std
        left join sh_phone_common pc using (uid)
        order by uid
        """  # nosec B608 - a checked column name and a constant pattern only
    )
    con.unregister("sh_codes")
    con.execute("drop table sh_dated")
    con.execute("drop table sh_phone_common")
    summary = RunSummary()
    summary.records, summary.impossible_dob, summary.missing_dob = con.execute(
        """select count(*), count(*) filter (where dob_impossible),
        count(*) filter (where dob_str is null) from sh_prepared"""
    ).fetchone()
    summary.sources = dict(
        con.execute("select source, count(*) from sh_prepared group by 1 order by 1").fetchall()
    )
    prepared = con.sql("select * exclude (dob_impossible) from sh_prepared").to_arrow_table()
    if isinstance(prepared, pa.RecordBatchReader):
        prepared = prepared.read_all()
    con.execute("drop table sh_prepared")
    return prepared, summary


# --- the model ---------------------------------------------------------------------------


def _between_sources(sql: str, link_only: bool) -> str:
    return f"({sql}) and l.source <> r.source" if link_only else sql


# Chosen on the synthetic agency data and FEBRL (bench/linkage/blocking.py measures each rule's
# pairs and the share of true pairs it lets through): together they let through the true
# pairs that survive a typo in a name (two phonetic codes, the initial), a nickname or alias
# used as the given name, a changed or swapped family name, a date of birth with a wrong year,
# day and month swapped or missing, a shared phone or the same house. Every rule keeps its
# blocks small at a million records (no rule on a given name, birth year or postcode alone).
BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.dob_str = r.dob_str and l.given_code = r.given_code", ()),
    ("l.dob_str = r.dob_str and l.family_code = r.family_code", ()),
    ("l.given_code = r.given_code and l.family_code = r.family_code", ()),
    ("l.given_sound = r.given_sound and l.family_sound = r.family_sound", ()),
    ("l.given_code = r.family_code and l.family_code = r.given_code", ()),
    ("l.given_sound = r.family_sound and l.family_sound = r.given_sound", ()),
    ("l.dob_str = r.dob_str and l.given_code = r.family_code", ()),
    ("l.dob_str = r.dob_str and l.family_code = r.given_code", ()),
    ("l.dob_str = r.dob_str and l.given_initial = r.given_initial", ()),
    ("l.dob_either_way = r.dob_either_way and l.given_sound = r.given_sound", ()),
    ("l.dob_either_way = r.dob_either_way and l.family_sound = r.family_sound", ()),
    ("l.dob_either_way = r.dob_either_way and l.postcode = r.postcode", ()),
    ("l.dob_month_day = r.dob_month_day and l.given_sound = r.given_sound", ()),
    ("l.address_key = r.address_key", ()),
    ("l.house_number = r.house_number and l.postcode = r.postcode", ()),
    ("l.house_number = r.house_number and l.dob_year = r.dob_year", ()),
    ("l.house_number = r.house_number and l.family_sound = r.family_sound", ()),
    ("l.family_std = r.family_std and l.postcode = r.postcode", ()),
    ("l.phones = r.phones", ("phones",)),
    ("l.name_set = r.name_set and l.family_std = r.family_std", ("name_set",)),
    ("l.name_set = r.name_set and l.dob_either_way = r.dob_either_way", ("name_set",)),
    ("l.family_set = r.family_set and l.given_sound = r.given_sound", ("family_set",)),
    ("l.family_set = r.family_set and l.dob_month_day = r.dob_month_day", ("family_set",)),
)


# Rules that are cheap on a small input and far too wide at scale: the same street in the
# same area, the same area, an initial or a given name in the same area. They let through
# true pairs whose names *and* date of birth were all changed or mistyped. Each is used when
# the pairs it makes alone (counted by Splink) are at most WIDE_RULE_MAX_PAIRS_PER_RECORD per
# record and still fit in WIDE_RULE_PAIRS_PER_RECORD pairs per record for all wide rules
# together, so a small input gets wider blocking and a large one (where each of these makes
# millions of pairs) keeps only BLOCKING_RULES. The pairs of a rule per record grow with the
# input: same street and postcode makes 0.7 per record at 100,000 synthetic records and 3.4
# at a million (where it added no true pair), while FEBRL3's widest rule makes 0.9.
WIDE_BLOCKING_RULES: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("l.street_key = r.street_key and l.postcode = r.postcode", ()),
    ("l.street_key = r.street_key and l.city_std = r.city_std", ()),
    ("l.city_std = r.city_std and l.postcode = r.postcode", ()),
    ("l.postcode = r.postcode and l.given_initial = r.given_initial", ()),
    ("l.city_std = r.city_std and l.given_std = r.given_std", ()),
)
WIDE_RULE_PAIRS_PER_RECORD = 5
WIDE_RULE_MAX_PAIRS_PER_RECORD = 1
# Up to this many records the pairs are counted exactly; above it, from a 10% sample.
EXACT_COUNT_RECORDS = 50_000

Rule = tuple[str, tuple[str, ...]]


def choose_blocking_rules(
    con: duckdb.DuckDBPyConnection, prepared: pa.Table, *, link_only: bool
) -> tuple[Rule, ...]:
    """``BLOCKING_RULES`` and the wide rules that fit this input's pair budget.

    Counted in DuckDB on the prepared records whatever the engine (the preparation ran
    there), with Splink's ``count_comparisons_from_blocking_rules``.
    """
    import warnings

    from splink import DuckDBAPI
    from splink.blocking_analysis import count_comparisons_from_blocking_rules

    budget = WIDE_RULE_PAIRS_PER_RECORD * prepared.num_rows
    sample = 1.0 if prepared.num_rows <= EXACT_COUNT_RECORDS else 0.1
    table = DuckDBAPI(con).register(
        prepared.select(
            ["uid", "source", "street_key", "postcode", "city_std", "given_initial", "given_std"]
        ),
        dataset_display_name="sh_wide_rule_counts",
    )
    chosen: list[Rule] = []
    used = 0
    for rule in WIDE_BLOCKING_RULES:
        with warnings.catch_warnings():
            # Splink warns when a sampled rule saw few pairs; such a rule is small anyway.
            warnings.simplefilter("ignore", UserWarning)
            counted = count_comparisons_from_blocking_rules(
                table,
                blocking_rules=blocking_rules(link_only, (rule,)),
                link_type="dedupe_only",
                unique_id_column_name="uid",
                record_sample_proportion=sample,
            )
        pairs = int(counted[-1]["cumulative_comparison_count"])
        if pairs <= WIDE_RULE_MAX_PAIRS_PER_RECORD * prepared.num_rows and used + pairs <= budget:
            chosen.append(rule)
            used += pairs
    con.unregister("sh_wide_rule_counts")
    return BLOCKING_RULES + tuple(chosen)


def blocking_rules(link_only: bool, rules: Iterable[Rule] = BLOCKING_RULES) -> list[Any]:
    """Prediction blocking rules (by default ``BLOCKING_RULES``) as Splink rule creators."""
    from splink.blocking_rule_library import CustomRule

    return [
        CustomRule(_between_sources(sql, link_only), arrays_to_explode=list(explode) or None)
        for sql, explode in rules
    ]


def _overlap(column: str, dialect: str) -> str:
    """Two array columns share an element (DuckDB's list_has_any is 3x its list_intersect)."""
    function = "arrays_overlap" if dialect == "spark" else "list_has_any"
    return f"{function}({column}_l, {column}_r)"


def _comparisons(dialect: str, *, term_frequencies: bool = True) -> list[Any]:
    import splink.comparison_level_library as cll
    import splink.comparison_library as cl
    from splink.internals.dialects import SplinkDialect

    jaro_winkler = SplinkDialect.from_string(dialect).jaro_winkler_function_name
    # Swapped: one name in the other's place exactly, the other at least similar (a typo).
    swapped = (
        f"(given_std_l = family_std_r and {jaro_winkler}(family_std_l, given_std_r) >= 0.9) "
        f"or (family_std_l = given_std_r and {jaro_winkler}(given_std_l, family_std_r) >= 0.9)"
    )
    crossed = "given_std_l = family_std_r or family_std_l = given_std_r"
    forename = cl.CustomComparison(
        output_column_name="given_name",
        comparison_description="Given name, nickname, alias",
        comparison_levels=[
            cll.NullLevel("given_std"),
            # Term-frequency adjusted: a shared common name is weaker evidence than a rare one.
            cll.ExactMatchLevel("given_std", term_frequency_adjustments=term_frequencies),
            cll.CustomLevel("given_canon_l = given_canon_r", "Same name or nickname"),
            cll.JaroWinklerLevel("given_std", 0.92),
            cll.CustomLevel(_overlap("name_set", dialect), "Alias matches a name of the other"),
            cll.CustomLevel(swapped, "Given and family names swapped"),
            cll.CustomLevel(crossed, "Given name written as the other's family name"),
            cll.JaroWinklerLevel("given_std", 0.8),
            cll.ElseLevel(),
        ],
    )
    surname = cl.CustomComparison(
        output_column_name="family_name",
        comparison_description="Family name, earlier or alias family names",
        comparison_levels=[
            cll.NullLevel("family_std"),
            cll.ExactMatchLevel("family_std", term_frequency_adjustments=term_frequencies),
            cll.JaroWinklerLevel("family_std", 0.92),
            cll.CustomLevel(_overlap("family_set", dialect), "A family name in common"),
            # Swapped names are evidence once, in the given-name comparison; here they
            # neither add nor subtract.
            {
                "sql_condition": swapped,
                "label_for_charts": "Given and family names swapped (counted once)",
                "is_null_level": True,
            },
            cll.JaroWinklerLevel("family_std", 0.8),
            cll.ElseLevel(),
        ],
    )
    dob = cl.CustomComparison(
        output_column_name="dob",
        comparison_description="Date of birth",
        comparison_levels=[
            cll.NullLevel("dob_str"),
            cll.ExactMatchLevel("dob_str"),
            cll.CustomLevel(
                "dob_year_l = dob_year_r and dob_month_l = dob_day_r and dob_day_l = dob_month_r",
                "Day and month swapped",
            ),
            cll.CustomLevel(
                "abs(dob_year_l - dob_year_r) = 1 and dob_month_l = dob_month_r "
                "and dob_day_l = dob_day_r",
                "Year off by one",
            ),
            # A typo in one part; cheaper than an edit distance on the whole date.
            cll.CustomLevel(
                "(case when dob_year_l = dob_year_r then 1 else 0 end)"
                " + (case when dob_month_l = dob_month_r then 1 else 0 end)"
                " + (case when dob_day_l = dob_day_r then 1 else 0 end) = 2",
                "Two of year, month and day agree",
            ),
            cll.CustomLevel("abs(dob_days_l - dob_days_r) <= 366", "Within a year (estimated)"),
            cll.CustomLevel("abs(dob_days_l - dob_days_r) <= 1100", "Within three years"),
            cll.ElseLevel(),
        ],
    )
    # Address, postcode and city in one comparison: they are not independent (a postcode
    # follows from the address), so their joint agreement gets its own level and weight.
    same_city_or_postcode = "(postcode_l = postcode_r or city_std_l = city_std_r)"
    area = cl.CustomComparison(
        output_column_name="address",
        comparison_description="Last known address and area",
        comparison_levels=[
            {
                "sql_condition": "(address_std_l is null and postcode_l is null "
                "and city_std_l is null) or (address_std_r is null and postcode_r is null "
                "and city_std_r is null)",
                "label_for_charts": "Null",
                "is_null_level": True,
            },
            # Adjusted for how many records give the address (``address_frequencies``), as
            # a phone in common is: a shelter's address says little about who is who.
            cll.CustomLevel(
                "address_key_l = address_key_r and postcode_l = postcode_r "
                "and city_std_l = city_std_r",
                "Same house, street, postcode and city",
            ).configure(
                tf_adjustment_column="address_common", disable_tf_exact_match_detection=True
            ),
            cll.CustomLevel(
                f"address_key_l = address_key_r and {same_city_or_postcode}",
                "Same house and street, postcode or city",
            ),
            cll.ExactMatchLevel("address_key").configure(
                label_for_charts="Same house number and street"
            ),
            cll.And(
                cll.JaroWinklerLevel("address_std", 0.9), cll.CustomLevel(same_city_or_postcode)
            ).configure(label_for_charts="Similar address, same postcode or city"),
            cll.JaroWinklerLevel("address_std", 0.9),
            cll.CustomLevel(
                f"house_number_l = house_number_r and {same_city_or_postcode}",
                "Same house number and postcode or city",
            ),
            cll.CustomLevel(
                "postcode_l = postcode_r and city_std_l = city_std_r", "Same postcode and city"
            ),
            cll.ExactMatchLevel("postcode"),
            cll.ExactMatchLevel("city_std", term_frequency_adjustments=term_frequencies),
            cll.ElseLevel(),
        ],
    )
    return [
        forename,
        surname,
        dob,
        cl.CustomComparison(
            output_column_name="sex",
            comparison_description="Sex",
            comparison_levels=[
                cll.NullLevel("sex"),
                cll.ExactMatchLevel("sex"),
                # Fixed, not trained: records of one person rarely disagree on sex (a slip, a
                # change), and a sample where they never do would otherwise drive it to 0.
                cll.ElseLevel().configure(m_probability=0.01, fix_m_probability=True),
            ],
        ),
        cl.CustomComparison(
            output_column_name="phones",
            comparison_description="Phone numbers",
            comparison_levels=[
                cll.NullLevel("phones"),
                # Adjusted for how many records hold the number (``phone_frequencies``):
                # the larger of the two records' most widely held numbers, so a number
                # shared by many people weakens the pair even if one of them also lists
                # a number of their own.
                cll.CustomLevel(_overlap("phones", dialect), "A phone number in common").configure(
                    tf_adjustment_column="phone_common", disable_tf_exact_match_detection=True
                ),
                cll.ElseLevel(),
            ],
        ),
        area,
    ]


def settings_for(
    *,
    link_only: bool,
    dialect: str = "duckdb",
    trained: Mapping[str, Any] | None = None,
    term_frequencies: bool = True,
    rules: Iterable[Rule] = BLOCKING_RULES,
) -> dict[str, Any]:
    """The Splink settings for ``dialect``: untrained, or with a saved model's parameters.

    A saved model contributes its parameters only (m and u per level, by position, and the
    prior); the SQL is always built here, so a model trained on DuckDB runs on Spark too and
    the blocking rules follow this run's ``link_only`` choice. ``term_frequencies``: adjust
    exact name matches for how common the name is in this input (name frequencies are never
    saved with the model). ``rules``: the prediction blocking rules (``choose_blocking_rules``).
    """
    from splink import SettingsCreator

    creator = SettingsCreator(
        link_type="dedupe_only",
        unique_id_column_name="uid",
        comparisons=_comparisons(dialect, term_frequencies=term_frequencies),
        blocking_rules_to_generate_predictions=blocking_rules(link_only, rules),
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
        additional_columns_to_retain=["source", "record_id"],
    )
    settings = creator.create_settings_dict(dialect)
    if trained is None:
        return settings
    trained_comparisons = {c["output_column_name"]: c for c in trained.get("comparisons", [])}
    for comparison in settings["comparisons"]:
        saved = trained_comparisons.get(comparison["output_column_name"])
        if saved is None or len(saved["comparison_levels"]) != len(comparison["comparison_levels"]):
            raise LinkageInputError(
                "The saved model does not fit this version of the linkage; retrain it."
            )
        for level, saved_level in zip(
            comparison["comparison_levels"], saved["comparison_levels"], strict=True
        ):
            for key in ("m_probability", "u_probability"):
                if key in saved_level:
                    # EM on a small input can leave a level it never saw at exactly 0, which
                    # Splink refuses to load; a tiny probability keeps its meaning.
                    level[key] = max(float(saved_level[key]), MIN_PROBABILITY)
    settings["probability_two_random_records_match"] = trained[
        "probability_two_random_records_match"
    ]
    return settings


# The near-deterministic rule whose pairs estimate the prior (the probability that two
# records compared are one person): exact given name, family name and date of birth.
PRIOR_RULE_COLUMNS = ("given_std", "family_std", "dob_str")
# Before EM has measured it, the rule is assumed to find this share of the true pairs.
PROVISIONAL_PRIOR_RULE_RECALL = 0.6
# Bounds on the measured recall, should EM land on a degenerate model.
PRIOR_RULE_RECALL_BOUNDS = (0.05, 1.0)


def prior_rule_recall(model_json: Mapping[str, Any], prepared: pa.Table) -> float:
    """The share of the true pairs that the prior rule finds, as the trained model sees it.

    A true pair satisfies the rule when both records have each of its columns and agree on
    it exactly; with the comparisons treated as independent given a match (the model's own
    assumption) that is the product, over the columns, of the share of pairs with both
    values present and the m probability of the exact level. It replaces a guessed recall,
    which made the prior wrong by the ratio of the guess to the truth.
    """
    comparisons = {c["output_column_name"]: c for c in model_json["comparisons"]}
    recall = 1.0
    for column, name in zip(PRIOR_RULE_COLUMNS, ("given_name", "family_name", "dob"), strict=True):
        # Level 0 is the null level, level 1 the exact match on the column.
        exact = comparisons[name]["comparison_levels"][1]
        present = 1.0 - prepared[column].null_count / max(prepared.num_rows, 1)
        recall *= present * present * float(exact.get("m_probability", 0.0))
    low, high = PRIOR_RULE_RECALL_BOUNDS
    return min(max(recall, low), high)


def _holder_frequencies(
    prepared: pa.Table, key: str, holders: str, one_person: int, u: float
) -> pa.Table:
    """A term-frequency lookup (``key``, ``tf_<key>``) from a count of the records holding
    each value (``holders``): Splink divides the level's u probability by the larger of the
    two records' values here; a value held by at most ``one_person`` records gets the level's
    own u (no change), one held by k records k / ``one_person`` times it. Splink's default
    table (the share of the input holding a value) would treat every value in a small input as
    common; this one counts records and means the same at any size. ``u``: the level's u
    probability in the model in use (``_level_u``).
    """
    held = (
        prepared.select([key, holders])
        .filter(pc.is_valid(prepared[key]))
        .group_by(key)
        .aggregate([(holders, "max")])
    )
    ratio = pc.max_element_wise(
        pc.divide(pc.cast(held[f"{holders}_max"], pa.float64()), one_person), 1.0
    )
    return pa.table({key: held[key], f"tf_{key}": pc.multiply(ratio, u)})


def phone_frequencies(prepared: pa.Table, u: float) -> pa.Table:
    """The term-frequency lookup for a phone in common (``phone_common``, ``tf_phone_common``),
    counted against ``PHONE_HOLDERS_OF_ONE_PERSON`` (``_holder_frequencies``)."""
    return _holder_frequencies(
        prepared, "phone_common", "phone_holders", PHONE_HOLDERS_OF_ONE_PERSON, u
    )


def address_frequencies(prepared: pa.Table, u: float) -> pa.Table:
    """The term-frequency lookup for "same house, street, postcode and city"
    (``address_common``, ``tf_address_common``), counted against
    ``ADDRESS_HOLDERS_OF_ONE_PERSON`` (``_holder_frequencies``)."""
    return _holder_frequencies(
        prepared, "address_common", "address_holders", ADDRESS_HOLDERS_OF_ONE_PERSON, u
    )


def _level_u(linker: Any, comparison_name: str, level: int) -> float:
    """The u probability Splink uses for a level (a level the sample never saw has Splink's
    stand-in, which the saved JSON leaves out, so it is read here)."""
    for comparison in linker._settings_obj.comparisons:
        if comparison.output_column_name == comparison_name:
            return float(comparison.comparison_levels[level].u_probability)
    raise LookupError(f"The model has no {comparison_name} comparison.")


def _between_source_share(prepared: pa.Table) -> float:
    """The share of all record pairs whose two records come from different sources."""
    n = prepared.num_rows
    if n < 2:
        return 1.0
    sizes = pc.value_counts(prepared["source"]).field("counts").to_pylist()
    between = (n * n - sum(s * s for s in sizes)) / 2
    return between / (n * (n - 1) / 2)


def _estimate_prior(linker: Any, recall: float, *, link_only: bool, prepared: pa.Table) -> None:
    from splink.blocking_rule_library import CustomRule

    rule = " and ".join(f"l.{c} = r.{c}" for c in PRIOR_RULE_COLUMNS)
    if link_only:
        # Splink divides by all pairs of the input; a model that links only between sources
        # compares between-source pairs, so the prior is scaled to those.
        recall *= _between_source_share(prepared)
    linker.training.estimate_probability_two_random_records_match(
        [CustomRule(_between_sources(rule, link_only))], recall=max(recall, 1e-6)
    )


def _train(linker: Any, options: LinkageOptions, prepared: pa.Table) -> float:
    """Train u, m and the prior; returns the prior rule's recall as measured by the model."""
    from splink.blocking_rule_library import CustomRule

    link_only = options.link_only_between_sources
    training = linker.training
    _estimate_prior(linker, PROVISIONAL_PRIOR_RULE_RECALL, link_only=link_only, prepared=prepared)
    training.estimate_u_using_random_sampling(max_pairs=options.u_max_pairs, seed=1)
    large = prepared.num_rows > 50_000
    em_kwargs: dict[str, Any] = {"max_pairs": options.em_max_pairs} if large else {}
    training.estimate_parameters_using_expectation_maximisation(
        CustomRule("l.dob_str = r.dob_str"), estimate_without_term_frequencies=True, **em_kwargs
    )
    training.estimate_parameters_using_expectation_maximisation(
        CustomRule("l.given_std = r.given_std and l.family_std = r.family_std"),
        estimate_without_term_frequencies=True,
        **em_kwargs,
    )
    # With m trained, the rule's recall is measured rather than assumed, and the prior is
    # estimated again from it.
    recall = prior_rule_recall(linker.misc.save_model_to_json(), prepared)
    _estimate_prior(linker, recall, link_only=link_only, prepared=prepared)
    return recall


# --- running -----------------------------------------------------------------------------


@contextlib.contextmanager
def _private_tempdir() -> Iterator[Path]:
    path = Path(tempfile.mkdtemp(prefix="safeharbor-linkage-"))
    path.chmod(0o700)
    try:
        yield path
    finally:
        shutil.rmtree(path, ignore_errors=True)


def _duckdb_connection(tmp: Path, options: LinkageOptions) -> duckdb.DuckDBPyConnection:
    con = duckdb.connect(":memory:")
    con.execute(f"set temp_directory = '{tmp / 'duckdb'}'")
    if options.threads:
        con.execute(f"set threads = {int(options.threads)}")
    if options.memory_limit:
        con.execute(f"set memory_limit = '{options.memory_limit}'")
    con.execute("set preserve_insertion_order = false")
    return con


def spark_unavailable() -> str | None:
    """Why ``engine="spark"`` cannot start a local Spark here, or None when it can."""
    import importlib.util

    if importlib.util.find_spec("pyspark") is None:
        return "Spark is not installed: install SafeHarbor with the spark extra (pyspark 4.0)."
    java_home = os.environ.get("JAVA_HOME")
    if not (java_home and Path(java_home, "bin", "java").exists()) and not shutil.which("java"):
        return "Spark needs Java 17 or newer: none was found (set JAVA_HOME or install it)."
    return None


def _spark_session(tmp: Path) -> Any:
    from pyspark.sql import SparkSession
    from splink.backends.spark import similarity_jar_location

    return (
        SparkSession.builder.master("local[2]")
        .appName("safeharbor-linkage")
        .config("spark.jars", similarity_jar_location())
        .config("spark.local.dir", str(tmp / "spark"))
        .config("spark.sql.warehouse.dir", str(tmp / "warehouse"))
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.default.parallelism", "2")
        .config("spark.sql.adaptive.enabled", "true")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )


def _load_model(options: LinkageOptions, records: int) -> tuple[dict[str, Any] | None, str]:
    if options.model_path and Path(options.model_path).exists() and not options.retrain:
        return json.loads(Path(options.model_path).read_text()), str(options.model_path)
    if records < MIN_RECORDS_TO_TRAIN and not options.retrain:
        return json.loads(BUNDLED_MODEL.read_text()), "bundled"
    return None, ""


def _table(df: Any) -> pa.Table:
    """A Splink dataframe as an Arrow table, whichever the backend."""
    if hasattr(df, "as_spark_dataframe"):
        with contextlib.suppress(NotImplementedError, AttributeError):
            spark_df = df.as_spark_dataframe()
            return spark_df.toArrow()
    table = df.as_pyarrow_table()
    return table.read_all() if isinstance(table, pa.RecordBatchReader) else table


def _cluster_single_best_links(
    db_api: Any,
    prepared: pa.Table,
    predictions: Any,
    duplicate_free: tuple[str, ...],
    threshold: float,
) -> Any:
    """Clusters with at most one record of each duplicate-free source (mutual best links).

    Splink offers this as ``cluster_using_single_best_links`` for its link types that name
    a source column; this model is a dedupe over all sources (so that duplicates inside an
    agency are found too), so the same Splink routine is called with the source given here.
    """
    from splink.internals.one_to_one_clustering import one_to_one_clustering

    nodes = db_api.register(
        prepared.select(["uid", "source"]).rename_columns(["node_id", "source_dataset"]),
        dataset_display_name="sh_nodes",
    )
    edges = db_api.register(
        _table(
            predictions.query_sql(
                f"""select uid_l as node_id_l, uid_r as node_id_r,
                source_l as source_dataset_l, source_r as source_dataset_r, match_probability
                from {{this}} where match_probability >= {_sql_number(threshold)}"""  # nosec B608
            )
        ),
        dataset_display_name="sh_edges",
    )
    clustered = one_to_one_clustering(
        nodes_table=nodes,
        edges_table=edges,
        node_id_column_name="node_id",
        source_dataset_column_name="source_dataset",
        edge_id_column_name_left="node_id_l",
        edge_id_column_name_right="node_id_r",
        duplicate_free_datasets=list(duplicate_free),
        ties_method="drop",
        db_api=db_api,
        threshold_match_probability=threshold,
    )
    return clustered


def _break_chains(
    con: duckdb.DuckDBPyConnection, clusters: pa.Table, predictions: Any, options: LinkageOptions
) -> pa.Table:
    """Split Splink's connected components where a link chains groups the model keeps apart.

    Only components of three or more records can chain; their scored pairs (those above the
    prediction floor, any engine's, brought into DuckDB) are clustered again by
    ``clustering.cluster_with_decisions`` with ``options.min_support``. Returns uid,
    cluster_id (text) for every record Splink clustered.
    """
    from .clustering import cluster_with_decisions

    scored = _table(predictions.query_sql("select uid_l, uid_r, match_probability from {this}"))
    con.register("sh_cc", clusters)
    con.register("sh_scored", scored)
    con.execute(
        """create or replace temp table sh_cc_large as
        select uid, cast(cluster_id as varchar) as cluster_id from (
            select uid, cluster_id, count(*) over (partition by cluster_id) as size from sh_cc
        ) where size >= 3"""
    )
    nodes = [uid for (uid,) in con.sql("select uid from sh_cc_large").fetchall()]
    pairs = con.sql(
        """select s.uid_l, s.uid_r, s.match_probability from sh_scored s
        join sh_cc_large l on l.uid = s.uid_l join sh_cc_large r on r.uid = s.uid_r
        where l.cluster_id = r.cluster_id"""
    ).fetchall()
    split = cluster_with_decisions(
        nodes, pairs, threshold=options.threshold, min_support=options.min_support
    )
    con.register(
        "sh_split",
        pa.table(
            {
                "uid": pa.array(list(split), pa.int64()),
                "part": pa.array(list(split.values()), pa.int64()),
            }
        ),
    )
    result = con.sql(
        """select c.uid, case when s.uid is null then cast(c.cluster_id as varchar)
            else 'split-' || s.part end as cluster_id
        from sh_cc c left join sh_split s on s.uid = c.uid"""
    ).to_arrow_table()
    con.execute("drop table sh_cc_large")
    for name in ("sh_cc", "sh_scored", "sh_split"):
        con.unregister(name)
    return result.read_all() if isinstance(result, pa.RecordBatchReader) else result


def link_records(
    raw: pa.Table,
    options: LinkageOptions | None = None,
    *,
    progress: Progress | None = None,
) -> LinkageResult:
    """Link records (a table with ``COLUMNS``, as from ``read_csv``) into clusters."""
    from splink import Linker

    options = options or LinkageOptions()
    if options.engine not in ("duckdb", "spark"):
        raise LinkageInputError(f"Unknown engine {options.engine!r}; use duckdb or spark.")
    report = progress or (lambda phase, fraction: None)
    timings: dict[str, float] = {}
    started = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal started
        now = time.perf_counter()
        timings[name] = now - started
        started = now

    spark = None
    with _private_tempdir() as tmp:
        con = _duckdb_connection(tmp, options)
        try:
            report("prepare", 0.0)
            prepared, summary = prepare_records(con, raw)
            unknown = sorted(set(options.duplicate_free_sources) - set(summary.sources))
            if unknown:
                raise LinkageInputError(
                    "Sources declared to hold one record per person are not in the input: "
                    + ", ".join(unknown)
                    + " (the input's sources: "
                    + (", ".join(map(str, summary.sources)) or "none")
                    + ")."
                )
            link_only = options.link_only_between_sources
            rules = choose_blocking_rules(con, prepared, link_only=link_only)
            summary.blocking_rules = len(rules)
            lap("prepare")
            report("prepare", 1.0)
            trained, model_name = _load_model(options, summary.records)
            settings = settings_for(
                link_only=link_only,
                dialect=options.engine,
                trained=trained,
                term_frequencies=summary.records >= MIN_RECORDS_FOR_FREQUENCIES,
                rules=rules,
            )
            if options.engine == "spark":
                from splink import SparkAPI

                spark = options.spark_session or _spark_session(tmp)
                spark.sparkContext.setLogLevel("ERROR")
                spark.sparkContext.setCheckpointDir(str(tmp / "checkpoints"))
                db_api = SparkAPI(
                    spark_session=spark,
                    break_lineage_method=options.spark_break_lineage,
                    num_partitions_on_repartition=options.spark_partitions,
                )
            else:
                from splink import DuckDBAPI

                db_api = DuckDBAPI(connection=con)
            table = db_api.register(prepared, dataset_display_name="records")
            linker = Linker(table, settings, log_level=logging.ERROR)
            report("train", 0.0)
            if trained is None:
                recall = _train(linker, options, prepared)
                log.info("prior rule recall measured by the model: %.3f", recall)
                model_name = "trained on this input"
                summary.model_trained = True
            lap("train")
            report("train", 1.0)
            model_json = linker.misc.save_model_to_json()
            if summary.model_trained and options.model_path:
                Path(options.model_path).write_text(json.dumps(model_json, indent=2))
                model_name = f"trained on this input, saved to {options.model_path}"
            summary.model = model_name
            # Level 0 of each is the null level, level 1 a number in common and the same
            # house, street, postcode and city.
            for column, frequencies, comparison in (
                ("phone_common", phone_frequencies, "phones"),
                ("address_common", address_frequencies, "address"),
            ):
                linker.table_management.register_term_frequency_lookup(
                    db_api.register(
                        frequencies(prepared, _level_u(linker, comparison, 1)),
                        dataset_display_name=frequencies.__name__,
                    ),
                    column,
                )
            report("predict", 0.0)
            # Pairs far below the threshold are dropped early to keep the scored table small.
            predictions = linker.inference.predict(
                threshold_match_probability=min(0.05, options.threshold)
            )
            lap("predict")
            report("predict", 1.0)
            report("cluster", 0.0)
            if options.duplicate_free_sources:
                clustered = _cluster_single_best_links(
                    db_api, prepared, predictions, options.duplicate_free_sources, options.threshold
                )
            else:
                clustered = linker.clustering.cluster_pairwise_predictions_at_threshold(
                    predictions, threshold_match_probability=options.threshold
                )
            counts = predictions.query_sql(
                f"""select count(*) as scored,
                count(*) filter (where match_probability >= {_sql_number(options.threshold)})
                as linked from {{this}}"""  # nosec B608 - a number rendered by _sql_number
            )
            scored, linked = _table(counts).to_pylist()[0].values()
            pairs = None
            if options.keep_pairs_at is not None:
                pairs = _table(
                    predictions.query_sql(
                        f"""select record_id_l, source_l, record_id_r, source_r,
                        match_probability from {{this}}
                        where match_probability >= {_sql_number(options.keep_pairs_at)}"""  # nosec B608
                    )
                )
            summary.pairs_scored, summary.pairs_linked = int(scored), int(linked)
            clusters = _table(
                clustered.query_sql(
                    "select node_id as uid, cluster_id from {this}"
                    if options.duplicate_free_sources
                    else "select uid, cluster_id from {this}"
                )
            )
            if options.min_support > 0 and not options.duplicate_free_sources:
                clusters = _break_chains(con, clusters, predictions, options)
            lap("cluster")
            report("cluster", 1.0)
            con.register("sh_clusters", clusters)
            con.register("sh_prepared_out", prepared.select(["uid", "record_id", "source"]))
            result = con.sql(
                """
                with c as (
                    select p.record_id, p.source, p.uid,
                        coalesce(cast(c.cluster_id as varchar), 'u' || p.uid) as cid
                    from sh_prepared_out p left join sh_clusters c using (uid)
                ), sized as (
                    select *, count(*) over (partition by cid) as size,
                        min(uid) over (partition by cid) as first_uid
                    from c
                )
                select record_id, source, dense_rank() over (order by first_uid) as cluster_id,
                    size
                from sized order by uid
                """
            ).to_arrow_table()
            if isinstance(result, pa.RecordBatchReader):
                result = result.read_all()
            summary.clusters = int(pc.max(result["cluster_id"]).as_py() or 0)
            summary.records_in_multi_record_clusters = int(
                pc.sum(pc.greater(result["size"], 1)).as_py() or 0
            )
            result = result.drop_columns(["size"])
        finally:
            con.close()
            # A session this run started is stopped before its directories are removed.
            if spark is not None and options.spark_session is None:
                spark.stop()
    summary.timings = timings
    return LinkageResult(clusters=result, summary=summary, model_json=model_json, pairs=pairs)


def write_clusters(table: pa.Table, path: str | os.PathLike[str]) -> None:
    """Write record_id, source, cluster_id to ``path`` atomically (no partial file).

    record_id and source come from the input files: a value a spreadsheet would run as a
    formula is written inert (``core.csv_export``'s rule: a leading apostrophe).
    """
    cols = [table[c].to_pylist() for c in ("record_id", "source", "cluster_id")]
    write_csv_file(path, ["record_id", "source", "cluster_id"], zip(*cols, strict=True))


def link_file(
    input_path: str | os.PathLike[str],
    output_path: str | os.PathLike[str],
    options: LinkageOptions | None = None,
    *,
    progress: Progress | None = None,
) -> RunSummary:
    """Read a CSV, link it and write the clusters CSV; returns the run summary."""
    report = progress or (lambda phase, fraction: None)
    started = time.perf_counter()
    report("read", 0.0)
    raw = read_csv(input_path)
    read_time = time.perf_counter() - started
    report("read", 1.0)
    result = link_records(raw, options, progress=progress)
    started = time.perf_counter()
    report("write", 0.0)
    write_clusters(result.clusters, output_path)
    report("write", 1.0)
    result.summary.timings = {
        "read": read_time,
        **result.summary.timings,
        "write": time.perf_counter() - started,
    }
    return result.summary
