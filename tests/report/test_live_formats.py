"""Live-check reports through the real CLI against a real HTTP server on loopback: every
format carries the checks the way the contract maps them."""

from __future__ import annotations

import json
import threading
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import jsonschema
import pytest

from .test_junit import dorny_parse

ROOT = Path(__file__).resolve().parents[2]


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    www = tmp_path / "www"
    www.mkdir()
    (www / "index.html").write_text("<!doctype html><title>app</title><p>hello</p>\n")
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(www)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)


def test_live_report_in_every_format(site: str, repo: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "out"
    res = run_cli(
        [
            "live",
            "--url",
            site,
            "--json",
            str(out / "r.json"),
            "--junit",
            str(out / "r.xml"),
            "--sarif",
            str(out / "r.sarif"),
            "--html",
            str(out / "r.html"),
        ],
        repo,
    )
    assert res.code in (0, 1), res.err
    report = json.loads((out / "r.json").read_text())
    schema = json.loads((ROOT / "schemas" / "report.schema.json").read_text())
    assert list(jsonschema.Draft202012Validator(schema).iter_errors(report)) == []
    checks = report["checks"]
    assert checks and report["findings"] == []
    assert report["summary"]["requests_sent"] > 0

    # JUnit: one case per check x target, classname = area, no file attribute.
    cases = dorny_parse((out / "r.xml").read_text())
    assert len(cases) == len(checks)
    by_name = {c.name: c for c in cases}
    for check in checks:
        case = by_name[f"{check['id']} {check['target']}"]
        assert "file" not in case.attrs
        assert case.group == check["id"].split(".")[0]
        expected = {"skip": "skipped", "error": "failed"}.get(check["status"])
        if expected:
            assert case.result == expected
        elif check["status"] == "fail" and check["severity"] in ("critical", "high"):
            assert case.result == "failed" and case.message and "\n" not in case.message
        else:
            assert case.result == "success"
    suites = [s.attrib["name"] for s in ET.fromstring((out / "r.xml").read_text()).findall("testsuite")]
    assert suites == ["launchready live"]

    # SARIF: live checks are not results.
    sarif = json.loads((out / "r.sarif").read_text())
    assert sarif["runs"][0]["results"] == [] and sarif["runs"][0]["tool"]["driver"]["rules"] == []

    # HTML: the checks table lists every check id.
    html = (out / "r.html").read_text()
    assert '<section id="checks">' in html
    for check in checks:
        assert f"<code>{check['id']}</code>" in html

    # Scorecard: the TLS/headers row was judged by the live run.
    rows = {r["row"]: r for r in report["scorecard"]}
    assert rows["TLS, redirects and headers"]["state"] != "not checked"
    assert rows["Backup and recovery"]["state"] == "not checked"
