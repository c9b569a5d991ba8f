"""The security checks CI runs besides the tests: the dependency audit's verdicts, and every
silenced security rule of ruff explained."""

import importlib.util
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
spec = importlib.util.spec_from_file_location("audit", ROOT / "scripts" / "audit_dependencies.py")
audit = importlib.util.module_from_spec(spec)
spec.loader.exec_module(audit)

PIP_AUDIT = {
    "dependencies": [
        {
            "name": "django",
            "version": "6.1",
            "vulns": [
                {"id": "PYSEC-2026-1", "aliases": ["CVE-2026-1", "GHSA-aaaa-bbbb-cccc"]},
            ],
        },
        {"name": "nh3", "version": "0.3.7", "vulns": [{"id": "GHSA-dddd-eeee-ffff"}]},
        {"name": "pillow", "version": "12.0", "vulns": []},
        {"name": "painrelief", "skip_reason": "Dependency not found on PyPI"},
    ]
}
NPM_AUDIT = {
    "vulnerabilities": {
        "bootstrap": {
            "via": [
                {
                    "source": 1234,
                    "title": "XSS in tooltips",
                    "url": "https://github.com/advisories/GHSA-gggg-hhhh-iiii",
                }
            ]
        },
        "popper": {"via": ["bootstrap"]},
    }
}


def test_a_finding_is_accepted_only_when_the_allow_list_names_it_by_any_of_its_ids():
    allowed, _ = audit.read_allowed("# accepted\nCVE-2026-1 only in the admin's unused API\n")
    findings, audited, skipped = audit.python_findings(PIP_AUDIT)

    assert (audited, skipped) == (3, 1)
    assert audit.unexplained(findings, allowed) == ["GHSA-dddd-eeee-ffff in nh3 0.3.7"]


def test_an_allow_list_line_without_a_reason_is_refused():
    allowed, no_reason = audit.read_allowed("GHSA-dddd-eeee-ffff\nPYSEC-2026-1 reason given\n")

    assert no_reason == ["GHSA-dddd-eeee-ffff"] and list(allowed) == ["PYSEC-2026-1"]


def test_npm_findings_are_named_by_their_advisory_and_an_unreachable_audit_is_told_apart():
    findings = audit.npm_findings(NPM_AUDIT)

    assert audit.unexplained(findings, {}) == ["GHSA-gggg-hhhh-iiii in bootstrap (XSS in tooltips)"]
    assert audit.unexplained(findings, {"1234": "fixed upstream"}) == []
    assert audit.npm_findings({"message": "405 Method Not Allowed", "statusCode": 405}) is None


def test_the_allow_list_in_the_repository_gives_a_reason_for_every_id():
    _, no_reason = audit.read_allowed((ROOT / ".audit-allow").read_text())

    assert no_reason == []


SECURITY_NOQA = re.compile(r"#\s*noqa:\s*((?:S\d+[,\s]*)+)(.*)$")


def test_every_silenced_security_rule_says_why():
    """`# noqa: S…` needs a reason after the codes, or a comment on the line above."""
    unexplained = []
    sources = [*ROOT.glob("*.py")]
    for folder in ("painrelief", "articles", "questions", "scripts", "tests"):
        sources += (ROOT / folder).rglob("*.py")
    for path in sources:
        name = path.relative_to(ROOT)
        lines = path.read_text().splitlines()
        for number, line in enumerate(lines):
            found = SECURITY_NOQA.search(line)
            if not found or found.group(2).strip():
                continue
            if number and lines[number - 1].strip().startswith("#"):
                continue
            unexplained.append(f"{name}:{number + 1}")

    assert unexplained == []
