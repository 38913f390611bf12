"""The Monitoring readiness row: pass only with a journey that passed, a health check that
answered and error tracking found in the code; otherwise it says what is missing."""

from __future__ import annotations

from launchready.model import CheckResult, Finding, Report, Severity, Status
from launchready.scorecard import FAIL, NOT_CHECKED, PASS, WARN, scorecard


def _row(r: Report):  # type: ignore[no-untyped-def]
    return next(x for x in scorecard(r) if x.row == "Monitoring readiness")


def _check(id: str, status: Status) -> CheckResult:
    return CheckResult(
        id,
        status,
        Severity.HIGH,
        "https://127.0.0.1:1/",
        f"{id} {status.value}",
        "fix it" if status is not Status.PASS else "",
    )


def _full() -> Report:
    r = Report(command="demo", root=".")
    r.ran |= {"journey", "monitoring", "repo", "error-tracking"}
    r.checks += [
        _check("journey.signup", Status.PASS),
        _check("journey.chat", Status.PASS),
        _check("monitoring.health", Status.PASS),
    ]
    return r


def test_all_three_pass() -> None:
    row = _row(_full())
    assert row.state == PASS and row.reason == ""
    assert {"journey.signup", "journey.chat", "monitoring.health"} <= set(row.checks)


def test_each_missing_piece_is_named() -> None:
    for drop, words in (
        ("journey", "a synthetic journey"),
        ("monitoring.health", "a health check"),
        ("error-tracking", "error tracking"),
    ):
        r = _full()
        r.checks = [c for c in r.checks if not c.id.startswith(drop)]
        r.ran.discard(drop)
        row = _row(r)
        assert row.state == WARN and f"missing: {words}" in row.reason, (drop, row)
        assert row.top_fix.startswith("Add " + words)


def test_health_alone_is_not_a_pass() -> None:
    r = Report(command="live", root=".")
    r.ran.add("monitoring")
    r.checks.append(_check("monitoring.health", Status.PASS))
    row = _row(r)
    assert row.state == WARN
    assert "a synthetic journey" in row.reason and "error tracking" in row.reason and "health" not in row.reason


def test_failing_journey_or_missing_tracker_finding() -> None:
    r = _full()
    r.checks[1] = _check("journey.chat", Status.FAIL)
    assert _row(r).state == FAIL and _row(r).top_fix == "fix it"
    r = _full()
    r.ran.discard("error-tracking")
    r.findings.append(
        Finding(
            "repo.error-tracking-missing", Severity.LOW, "app/main.py", "no tracker", "Initialise Sentry", "fp", line=3
        )
    )
    row = _row(r)
    assert row.state == WARN and row.top_fix == "Initialise Sentry" and "1 finding(s)" in row.reason


def test_nothing_ran_stays_not_checked() -> None:
    row = _row(Report(command="scan", root="."))
    assert row.state == NOT_CHECKED and row.top_fix == "" and row.reason
