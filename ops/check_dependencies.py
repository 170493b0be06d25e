"""Audit the pinned dependencies (requirements.lock) for known vulnerabilities with pip-audit.

    python ops/check_dependencies.py [requirements.lock]

Exit 0: no known vulnerability. Exit 1: at least one, listed with its advisory and fixed
versions. When the vulnerability service (PyPI's JSON API) cannot be reached, or answers
for none of the packages, pip-audit itself would report "No known vulnerabilities found";
this script says plainly that nothing was checked, prints a warning and exits 0, so an
offline machine can still run the test command. `make lint` runs it.
"""

from __future__ import annotations

import json
import subprocess  # pip-audit, with a fixed argument list  # nosec B404
import sys
from dataclasses import dataclass, field
from pathlib import Path

NETWORK_SIGNS = (
    "ConnectionError",
    "Max retries exceeded",
    "NameResolutionError",
    "Temporary failure in name resolution",
    "Failed to establish a new connection",
    "timed out",
    "Network is unreachable",
    "ProxyError",
    "SSLError",
)
NOT_LOOKED_UP = "could not be audited"


@dataclass
class AuditResult:
    """What one pip-audit run established."""

    audited: list[str] = field(default_factory=list)
    not_looked_up: list[str] = field(default_factory=list)
    vulnerable: list[str] = field(default_factory=list)
    unreachable: bool = False
    error: str = ""


def interpret(returncode: int, stdout: str, stderr: str) -> AuditResult:
    """Classify a ``pip-audit --format json`` run."""
    result = AuditResult()
    try:
        report = json.loads(stdout) if stdout.strip() else None
    except json.JSONDecodeError:
        report = None
    if report is None:
        if any(sign in stderr for sign in NETWORK_SIGNS):
            result.unreachable = True
        else:
            result.error = stderr.strip() or f"pip-audit exited {returncode} with no report"
        return result
    for dependency in report.get("dependencies", []):
        name = f"{dependency['name']} {dependency.get('version', '')}".strip()
        if NOT_LOOKED_UP in dependency.get("skip_reason", ""):
            result.not_looked_up.append(name)
            continue
        if "skip_reason" in dependency:
            continue
        result.audited.append(name)
        for vuln in dependency.get("vulns", []):
            fixes = ", ".join(vuln.get("fix_versions", [])) or "no fixed release yet"
            result.vulnerable.append(f"{name}: {vuln.get('id')} (fixed in: {fixes})")
    if not result.audited and result.not_looked_up:
        result.unreachable = True
    return result


def run(lock: Path) -> AuditResult:
    process = subprocess.run(  # fixed arguments, no shell  # noqa: S603  # nosec B603
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--requirement",
            str(lock),
            "--disable-pip",
            "--no-deps",
            "--progress-spinner",
            "off",
            "--format",
            "json",
            "--timeout",
            "20",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return interpret(process.returncode, process.stdout, process.stderr)


def report(result: AuditResult, lock: Path) -> int:
    if result.error:
        print(f"pip-audit failed on {lock}: {result.error}", file=sys.stderr)
        return 1
    if result.vulnerable:
        print(f"Known vulnerabilities in {lock}:", file=sys.stderr)
        for line in result.vulnerable:
            print(f"  {line}", file=sys.stderr)
        return 1
    if result.unreachable:
        print(
            f"WARNING: the vulnerability service could not be reached; the {lock} pins were "
            "NOT checked for known vulnerabilities. Run `python ops/check_dependencies.py` "
            "on a machine that can reach pypi.org.",
            file=sys.stderr,
        )
        return 0
    if result.not_looked_up:
        print(
            f"WARNING: {len(result.not_looked_up)} package(s) could not be looked up and were "
            f"not checked: {', '.join(result.not_looked_up)}",
            file=sys.stderr,
        )
    print(f"pip-audit: no known vulnerabilities in {len(result.audited)} pinned packages.")
    return 0


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    lock = Path(args[0] if args else "requirements.lock")
    if not lock.is_file():
        print(f"{lock} not found.", file=sys.stderr)
        return 1
    return report(run(lock), lock)


if __name__ == "__main__":
    sys.exit(main())
