from __future__ import annotations

import re
from pathlib import Path

from launchready import redact
from launchready.demo.keygen import KeyGen
from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.report import Options
from launchready.report.github import (
    annotations,
    escape_data,
    escape_property,
    format_outputs,
    render,
    step_summary,
    write_github_outputs,
)

_CMD = re.compile(r"^::(error|warning|notice)(?: ([^:]*))?::(.*)$")


def parse_command(line: str) -> tuple[str, dict[str, str], str]:
    """Parse a workflow command the way the runner does (unescape properties and data)."""
    m = _CMD.match(line)
    assert m, line
    props = {}
    if m.group(2):
        for part in m.group(2).split(","):
            k, v = part.split("=", 1)
            props[k] = _unescape(v)
    return m.group(1), props, _unescape(m.group(3))


def _unescape(s: str) -> str:
    return s.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_escaping() -> None:
    assert escape_data("50% a\r\nb") == "50%25 a%0D%0Ab"
    assert escape_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def test_annotations_for_mixed_report(mixed_report: Report) -> None:
    lines, dropped = annotations(mixed_report, Options())
    assert dropped == 0
    parsed = [parse_command(line) for line in lines]
    for line in lines:
        assert "\n" not in line
    kinds = [k for k, _, _ in parsed]
    # worst first: three critical findings, then the high check fail/error, then medium
    assert kinds[:3] == ["error", "error", "error"]
    gh = next(p for p in parsed if p[1].get("file") == "config/ci,1.yml")
    assert gh[1]["line"] == "1" and gh[1]["col"] == "7" and gh[1]["title"].startswith("secret.github-pat-classic")
    assert "still in history" in gh[2] and "Fix: Rotate" in gh[2]
    assert "config/ci%2C1.yml" in next(line for line in lines if "ci%2C1" in line)
    smap = next(p for p in parsed if p[1].get("file") == "dist/app.js.map")
    assert smap[0] == "warning" and "line" not in smap[1]
    tls = next(p for p in parsed if p[1].get("title", "").startswith("tls.expiry"))
    assert tls[0] == "error" and "file" not in tls[1] and "certificate expires" in tls[2]
    dmarc = next(p for p in parsed if p[1].get("title", "").startswith("email.dmarc.present"))
    assert dmarc[0] == "error"
    csp = next(p for p in parsed if p[1].get("title", "").startswith("headers.csp"))
    assert csp[0] == "warning"
    # pass and skip checks do not annotate
    assert not any("cors.reflect" in line or "latency.p95" in line for line in lines)


def _many_findings(n: int, severity: Severity) -> list[Finding]:
    return [
        Finding(
            rule_id="repo.demo",
            severity=severity,
            path=f"f{i:03}.py",
            message=f"problem {i}",
            fix="fix it",
            fingerprint=f"repo.demo:{i}",
            line=i + 1,
        )
        for i in range(n)
    ]


def test_caps_rank_by_severity_and_count_dropped() -> None:
    r = Report(command="scan", root=".")
    r.findings += _many_findings(15, Severity.LOW) + _many_findings(12, Severity.MEDIUM)
    r.findings += _many_findings(8, Severity.HIGH) + _many_findings(7, Severity.CRITICAL)
    lines, dropped = annotations(r, Options())
    kinds = [parse_command(line)[0] for line in lines]
    assert kinds.count("error") == 10 and kinds.count("warning") == 10 and kinds.count("notice") == 10
    assert dropped == 15 + 12 + 15 - 30
    # the errors kept are the 7 criticals and 3 of the highs: severity ranks first
    titles = [parse_command(line)[1]["title"] for line in lines if line.startswith("::error")]
    assert sum("(critical)" in t for t in titles) == 7
    out = render(r, Options())
    assert out.splitlines()[-1].startswith("launchready: 12 more annotation(s) not shown")


def test_step_summary(mixed_report: Report) -> None:
    text = step_summary(mixed_report, Options(), ["allow comment added by this PR: src/x.py:3"])
    assert text.startswith("## ❌ launchready action: FAIL")
    assert "| Area | State | Checks |" in text
    for row in ("Secret handling", "Auth boundaries", "Backup and recovery"):
        assert f"| {row} |" in text
    assert "| Auth boundaries | ⚪ not checked | — | needs two identities" in text
    assert "| TLS, redirects and headers | ❌ fail |" in text
    assert "| Email authentication | ❌ fail |" in text  # an error is never green
    assert "### Top findings (4 of 4)" in text
    assert "`config/ci,1.yml:1:7 @ aaaaaaaaaaaa`" in text
    assert "Rotate the secret.openai-project-key credential." in text
    assert "### Checks that need attention" in text
    assert "### Suppressions added by this change" in text
    assert "- allow comment added by this PR: src/x.py:3" in text
    assert "### Notes" not in text  # the report itself has no notes
    assert "more annotations not shown" not in text


def test_summary_escapes_markdown_and_html() -> None:
    r = Report(command="scan", root=".")
    r.findings.append(
        Finding(
            rule_id="repo.x",
            severity=Severity.HIGH,
            path="a|b.py",
            message="<script>alert(1)</script> | pipe",
            fix="x\ny",
            fingerprint="f",
            line=1,
        )
    )
    text = step_summary(r, Options())
    assert "<script>" not in text and "&lt;script&gt;" in text
    assert "\\| pipe" in text and "a\\|b.py" in text
    assert "x y" in text


def test_summary_stays_under_limit_and_notes_dropped() -> None:
    r = Report(command="history", root=".")
    r.findings += _many_findings(400, Severity.CRITICAL)
    r.notes += ["n" * 3000 for _ in range(10)]
    text = step_summary(r, Options())
    assert len(text.encode()) < 1024 * 1024
    assert "390 more annotations not shown" in text
    small = step_summary(r, Options(), limit=4000)
    assert len(small.encode()) <= 4000
    assert "truncated" in small or "Top findings (1 of 400)" in small
    # a tiny budget keeps the verdict line and cuts cleanly
    tiny = step_summary(r, Options(), limit=600)
    assert len(tiny.encode()) <= 600 and tiny.startswith("## ❌ launchready history: FAIL")


def test_outputs_file(tmp_path: Path) -> None:
    out = tmp_path / "github_output"
    out.write_text("existing=1\n")
    write_github_outputs(
        out, {"findings": 3, "failed_checks": 0, "report_path": "r/report.json", "multi": "line one\nline two"}
    )
    text = out.read_text()
    assert text.startswith("existing=1\nfindings=3\nfailed_checks=0\nreport_path=r/report.json\n")
    m = re.search(r"multi<<(ghadelimiter_[0-9a-f]{16})\nline one\nline two\n\1\n$", text)
    assert m, text


def test_outputs_reject_bad_names() -> None:
    import pytest

    with pytest.raises(ValueError):
        format_outputs({"a=b": "x"})


def test_everything_is_scrubbed() -> None:
    secret = KeyGen(3).stripe_secret()
    redact.remember(secret)
    r = Report(command="live", root=".")
    r.checks.append(
        CheckResult(
            "exposure.env", Status.FAIL, Severity.CRITICAL, "https://x/.env", f"served {secret}", f"remove {secret}"
        )
    )
    lines, _ = annotations(r, Options())
    assert secret not in "".join(lines)
    assert secret not in step_summary(r, Options(), [f"note {secret}"])
    assert secret not in format_outputs({"x": secret})


def test_commit_message_and_stdin_findings_carry_no_file() -> None:
    r = Report(command="history", root=".")
    for path in ("(commit message)", "-"):
        r.findings.append(
            Finding(
                rule_id="secret.generic-assignment",
                severity=Severity.HIGH,
                path=path,
                message="High-entropy value",
                fix="Rotate it",
                fingerprint=f"fp{path}",
                line=1,
                column=1,
                commit="a" * 40,
            )
        )
    lines, _ = annotations(r, Options())
    assert len(lines) == 2
    for line in lines:
        _, props, message = parse_command(line)
        assert "file" not in props and "line" not in props
        assert message.startswith(("(commit message): ", "-: "))
