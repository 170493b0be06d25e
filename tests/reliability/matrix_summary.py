"""Pytest hooks that total the permission matrix at the end of a run.

Each matrix test records its counts with ``record_property("permission_matrix", {...})``;
the properties travel with the test reports (also from xdist workers), and the terminal
summary prints one line per run, e.g.::

    permission matrix: 33 models x 11 roles x 2 scopes x 5 relations x 3 consent states
    = 21780 cases, 148104 checks, 0 leaks, 0 missing

``tests/conftest.py`` imports these hooks so they run for the whole suite as well as for
``pytest tests/reliability``.
"""

from __future__ import annotations

from typing import Any

KEY = "permission_matrix"
_rows: list[dict[str, Any]] = []


def pytest_runtest_logreport(report: Any) -> None:
    if report.when != "call":
        return
    for name, value in getattr(report, "user_properties", ()):
        if name == KEY:
            _rows.append(dict(value))


def summary_line(rows: list[dict[str, Any]]) -> str:
    from safeharbor.core.testing.matrix import CONSENT_STATES, RELATIONS

    roles = max((r["roles"] for r in rows), default=0)
    return (
        f"permission matrix: {len(rows)} models x {roles} roles x 2 scopes x "
        f"{len(RELATIONS)} relations x {len(CONSENT_STATES)} consent states = "
        f"{sum(r['cases'] for r in rows)} cases, {sum(r['checks'] for r in rows)} checks, "
        f"{sum(r['leaks'] for r in rows)} leaks, {sum(r['missing'] for r in rows)} missing"
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _rows:
        return
    terminalreporter.write_sep("-", "permission matrix")
    terminalreporter.write_line(summary_line(_rows))
