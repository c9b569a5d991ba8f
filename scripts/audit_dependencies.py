"""Known vulnerabilities in our dependencies: pip-audit on the installed Python packages, npm
audit on package-lock.json. Run by scripts/run-tests.

Fails on any finding whose id is not in .audit-allow (one id and the reason it is accepted per
line). When the vulnerability data cannot be reached (no network, a registry mirror without
the audit API), it prints a loud warning and does not fail: a network blip must not fail CI,
but it must not pass silently either.
"""

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOW_FILE = ROOT / ".audit-allow"


def read_allowed(text: str) -> tuple[dict[str, str], list[str]]:
    """The allowed ids with their reasons, and the lines that give no reason."""
    allowed, unexplained = {}, []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        finding, _, reason = line.partition(" ")
        if reason.strip():
            allowed[finding] = reason.strip()
        else:
            unexplained.append(finding)
    return allowed, unexplained


def python_findings(report: dict) -> tuple[list[tuple[list[str], str]], int, int]:
    """pip-audit's JSON: (finding id, package) pairs, packages audited, packages skipped."""
    findings, audited, skipped = [], 0, 0
    for dependency in report.get("dependencies", []):
        if "skip_reason" in dependency:
            skipped += 1
            continue
        audited += 1
        for vulnerability in dependency.get("vulns", []):
            ids = [vulnerability["id"], *vulnerability.get("aliases", [])]
            findings.append((ids, f"{dependency['name']} {dependency.get('version', '')}"))
    return findings, audited, skipped


def npm_findings(report: dict) -> list[tuple[list[str], str]] | None:
    """npm audit's JSON: (finding ids, package) pairs; None when it reached no advisories."""
    if "vulnerabilities" not in report:
        return None
    findings = []
    for name, entry in report["vulnerabilities"].items():
        for via in entry.get("via", []):
            if isinstance(via, dict):  # a string names another package, listed on its own
                ids = [via.get("url", "").rstrip("/").rsplit("/", 1)[-1], str(via.get("source"))]
                findings.append(([i for i in ids if i], f"{name} ({via.get('title', '')})"))
    return findings


def unexplained(findings, allowed: dict[str, str]) -> list[str]:
    return [f"{ids[0]} in {package}" for ids, package in findings if not set(ids) & set(allowed)]


def run(command: list[str]) -> dict | None:
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=300)  # noqa: S603 (fixed commands of ours)
    try:
        return json.loads(result.stdout)
    except json.JSONDecodeError:
        print(result.stderr.strip().splitlines()[-1:] or result.stdout[:200], file=sys.stderr)
        return None


def warn(what: str) -> None:
    print(f"!! WARNING: {what}: NOT AUDITED (the vulnerability data could not be reached)")


def main() -> int:
    allowed, no_reason = read_allowed(ALLOW_FILE.read_text() if ALLOW_FILE.exists() else "")
    problems = [f"{finding} in .audit-allow gives no reason" for finding in no_reason]

    python = run(
        [
            sys.executable,
            "-m",
            "pip_audit",
            "--skip-editable",
            "--progress-spinner",
            "off",
            "--format",
            "json",
        ]
    )
    if python is None:
        warn("Python packages")
    else:
        findings, audited, skipped = python_findings(python)
        if not audited:
            warn(f"Python packages ({skipped} packages skipped by pip-audit)")
        else:
            print(f"== pip-audit: {audited} packages, {len(findings)} findings ({skipped} skipped)")
            problems += unexplained(findings, allowed)

    npm = run(["npm", "audit", "--json", "--package-lock-only"])
    findings = npm_findings(npm or {})
    if findings is None:
        warn(f"npm packages ({(npm or {}).get('message', 'no answer')})")
    else:
        print(f"== npm audit: {len(findings)} findings")
        problems += unexplained(findings, allowed)

    for problem in problems:
        print(f"!! {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
