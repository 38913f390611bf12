"""Small, fully known reports for the writer tests (secrets generated at run time)."""

from __future__ import annotations

import pytest

from launchready import redact
from launchready.demo.keygen import KeyGen
from launchready.model import CheckResult, Finding, Report, Severity, Status


def secret_finding(
    secret: str,
    rule_id: str,
    path: str,
    line: int | None,
    column: int | None = None,
    severity: Severity = Severity.CRITICAL,
    prefix: str = "",
    **extra: object,
) -> Finding:
    shown = redact.redact(secret, prefix)
    return Finding(
        rule_id=rule_id,
        severity=severity,
        path=path,
        message=f"{rule_id.split('.')[-1]} ({shown})",
        fix=f"Rotate the {rule_id} credential.",
        fingerprint=redact.fingerprint(rule_id, secret),
        line=line,
        column=column,
        end_line=line,
        end_column=(column + len(secret)) if column else None,
        secret=shown,
        **extra,  # type: ignore[arg-type]
    )


@pytest.fixture
def keys() -> KeyGen:
    return KeyGen(20261129)


@pytest.fixture
def mixed_report(keys: KeyGen) -> Report:
    """Two files, three findings (two of one rule in one file), checks of every status."""
    openai1, openai2, gh = keys.openai_project(), keys.openai_project(), keys.github_classic()
    r = Report(command="action", root="/work/repo")
    r.findings += [
        secret_finding(openai1, "secret.openai-project-key", "src/app.py", 3, 11, prefix="sk-proj-"),
        secret_finding(openai2, "secret.openai-project-key", "src/app.py", 9, 5, prefix="sk-proj-"),
        secret_finding(
            gh,
            "secret.github-pat-classic",
            "config/ci,1.yml",
            1,
            7,
            prefix="ghp_",
            commit="a" * 40,
            author="Dev <dev@example.test>",
            date="2026-01-02",
            present_at_head=False,
        ),
        Finding(
            rule_id="build.source-map",
            severity=Severity.MEDIUM,
            path="dist/app.js.map",
            message="Source map shipped with the build",
            fix="Do not deploy *.map files.",
            fingerprint=redact.location_fingerprint("build.source-map", "dist/app.js.map"),
        ),
    ]
    r.checks += [
        CheckResult(
            "tls.expiry",
            Status.FAIL,
            Severity.HIGH,
            "https://127.0.0.1:8443",
            "certificate expires in 3 days",
            "Renew the certificate.",
        ),
        CheckResult(
            "headers.csp",
            Status.WARN,
            Severity.MEDIUM,
            "https://127.0.0.1:8443/",
            "no Content-Security-Policy header",
            "Send a CSP header.",
        ),
        CheckResult("cors.reflect", Status.PASS, Severity.HIGH, "https://127.0.0.1:8443/api", "origin not reflected"),
        CheckResult("email.dmarc.present", Status.ERROR, Severity.HIGH, "example.test", "DNS timeout after 2.0 s"),
        CheckResult(
            "latency.p95", Status.SKIP, Severity.LOW, "https://127.0.0.1:8443/", "no latency endpoints configured"
        ),
    ]
    r.summary.files_scanned = 12
    r.summary.commits_scanned = 40
    r.ran |= {"secrets", "history", "tls", "headers", "cors", "email"}
    return r
