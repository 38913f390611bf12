"""JUnit output, read the way dorny/test-reporter's java-junit parser reads it.

The parser (src/parsers/java-junit/java-junit-parser.ts) takes ``testsuites/testsuite``
(name trimmed, ``time`` as float), groups ``testcase`` by ``classname``, parses each case's
``time`` as float, and derives the result: ``failure`` or ``error`` -> failed, ``skipped`` ->
skipped, else success; the error message is the failure's ``message`` attribute.
"""

from __future__ import annotations

import math
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

from launchready.demo.keygen import KeyGen
from launchready.model import Report, Severity
from launchready.report import Options
from launchready.report.junit import render


@dataclass
class Case:
    suite: str
    group: str
    name: str
    result: str
    time: float
    message: str | None
    details: str | None
    attrs: dict[str, str]
    stdout: str | None


def dorny_parse(xml: str) -> list[Case]:
    root = ET.fromstring(xml)
    suites = [root] if root.tag == "testsuite" else root.findall("testsuite")
    cases = []
    for ts in suites:
        suite_name = ts.attrib["name"].strip()
        assert not math.isnan(float(ts.attrib["time"]))
        for tc in ts.findall("testcase"):
            classname = tc.attrib.get("classname", "")
            group = "" if classname == ts.attrib["name"] else classname
            time = float(tc.attrib["time"])  # NaN/missing would break the reporter's totals
            failure = tc.find("failure")
            if failure is None:
                failure = tc.find("error")
            if failure is not None:
                result = "failed"
            elif tc.find("skipped") is not None:
                result = "skipped"
            else:
                result = "success"
            out = tc.find("system-out")
            cases.append(
                Case(
                    suite_name,
                    group,
                    tc.attrib["name"].strip(),
                    result,
                    time,
                    failure.attrib.get("message") if failure is not None else None,
                    failure.text if failure is not None else None,
                    dict(tc.attrib),
                    out.text if out is not None else None,
                )
            )
    return cases


def test_mixed_report(mixed_report: Report) -> None:
    xml = render(mixed_report, Options())
    cases = {c.name: c for c in dorny_parse(xml)}
    root = ET.fromstring(xml)
    # action reports split into the commands they ran
    assert [s.attrib["name"] for s in root.findall("testsuite")] == [
        "launchready history",
        "launchready scan",
        "launchready live",
        "launchready email",
    ]

    openai = cases["secret.openai-project-key src/app.py"]
    assert openai.group == "secret" and openai.result == "failed"
    assert openai.attrs["file"] == "src/app.py" and openai.attrs["line"] == "3"
    assert openai.message is not None and "\n" not in openai.message
    assert "(+1 more in this file)" in openai.message
    assert openai.details is not None
    assert "src/app.py:3:11" in openai.details and "src/app.py:9:5" in openai.details
    assert "fix: Rotate" in openai.details
    assert openai.suite == "launchready scan"

    assert cases["secret.github-pat-classic config/ci,1.yml"].suite == "launchready history"
    # medium finding below --fail-on high passes, with a note
    smap = cases["build.source-map dist/app.js.map"]
    assert smap.result == "success" and smap.stdout and "below --fail-on high" in smap.stdout
    assert "line" not in smap.attrs

    tls = cases["tls.expiry https://127.0.0.1:8443"]
    assert tls.group == "tls" and tls.result == "failed" and "file" not in tls.attrs
    assert tls.message == "certificate expires in 3 days"
    dmarc = cases["email.dmarc.present example.test"]
    assert dmarc.group == "email.dmarc" and dmarc.result == "failed"
    assert ET.fromstring(xml).find(".//testcase[@name='email.dmarc.present example.test']/error") is not None
    csp = cases["headers.csp https://127.0.0.1:8443/"]
    assert csp.result == "success" and csp.stdout and csp.stdout.startswith("warning (medium)")
    assert cases["latency.p95 https://127.0.0.1:8443/"].result == "skipped"
    assert cases["cors.reflect https://127.0.0.1:8443/api"].result == "success"


def test_counts_match(mixed_report: Report) -> None:
    root = ET.fromstring(render(mixed_report, Options(fail_on=Severity.MEDIUM)))
    for suite in root.findall("testsuite"):
        cases = suite.findall("testcase")
        assert int(suite.attrib["tests"]) == len(cases)
        assert int(suite.attrib["failures"]) == sum(1 for c in cases if c.find("failure") is not None)
        assert int(suite.attrib["errors"]) == sum(1 for c in cases if c.find("error") is not None)
        assert int(suite.attrib["skipped"]) == sum(1 for c in cases if c.find("skipped") is not None)
    # with --fail-on medium the source map fails too
    assert root.find(".//testcase[@name='build.source-map dist/app.js.map']/failure") is not None
    # the file-level finding has a file but no line
    smap = root.find(".//testcase[@name='build.source-map dist/app.js.map']")
    assert smap is not None and smap.attrib["file"] == "dist/app.js.map" and "line" not in smap.attrib


def test_clean_scan_has_a_passing_case(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    (repo / "ok.py").write_text("print('hello')\n")
    res = run_cli(["scan", "--junit", "-"], repo)
    assert res.code == 0, res.err
    [case] = dorny_parse(res.out)
    assert (case.suite, case.group, case.name, case.result) == (
        "launchready scan",
        "secret",
        "no secrets found",
        "success",
    )


def test_real_scan_junit(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    keys = KeyGen(12)
    a, b = keys.openai_project(), keys.openai_project()
    (repo / "app.py").write_text(f'A = "{a}"\n\nB = "{b}"\n')
    res = run_cli(["scan", "--junit", "-"], repo)
    assert res.code == 1
    assert a not in res.out and b not in res.out
    [case] = dorny_parse(res.out)
    assert case.name == "secret.openai-project-key app.py" and case.result == "failed"
    assert case.attrs["file"] == "app.py" and case.attrs["line"] == "1"
    assert case.details is not None and "app.py:3:" in case.details
