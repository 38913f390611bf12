"""Running ``launchready live`` against the real-server stacks of servers.py."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from .servers import HOST, Deployment, Stack

CONFIG = """version: 1
live:
  targets:
    - url: {url}
      http_url: http://{host}:{http_port}/
  identities:
    a: {{token_env: LR_REAL_TOKEN_A}}
    b: {{token_env: LR_REAL_TOKEN_B}}
  redirect: {{paths: [/api/me]}}
  cors: {{endpoints: [/api/me]}}
  input:
    endpoints:
      - {{path: /api/echo, method: POST, body: {{name: "ada", count: 1}}}}
  ratelimit:
    endpoints:
      - {{path: /api/chat, method: POST, limit: 5, body: {{q: "hi"}}}}
  authz:
    resources: [/api/notes/1]
  latency: {{samples: 3}}
  monitoring: {{health: /health}}
"""


@dataclass
class LiveRun:
    code: int
    report: dict[str, Any]
    seconds: float

    def status(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for c in self.report["checks"]:
            assert c["id"] not in out, f"{c['id']} reported twice: {self.report['checks']}"
            out[c["id"]] = c["status"]
        return out

    def check(self, cid: str) -> dict[str, Any]:
        found = [c for c in self.report["checks"] if c["id"] == cid]
        assert len(found) == 1, (cid, found)
        return found[0]


@pytest.fixture
def live(run_cli: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., LiveRun]:
    def _live(stack: Stack, d: Deployment, *extra: str, url: str | None = None) -> LiveRun:
        (tmp_path / ".launchready.yml").write_text(CONFIG.format(url=url or d.url, host=HOST, http_port=d.http_port))
        monkeypatch.setenv("LR_REAL_TOKEN_A", stack.secrets.token_a)
        monkeypatch.setenv("LR_REAL_TOKEN_B", stack.secrets.token_b)
        args = [
            "live",
            "--ca-bundle",
            str(stack.ca_path),
            "--resolve",
            f"{HOST}:{d.https_port}:127.0.0.1",
            "--resolve",
            f"{HOST}:{d.http_port}:127.0.0.1",
            "--timeout",
            "5",
            "--json",
            "-",
            *extra,
        ]
        start = time.monotonic()
        res = run_cli(args, tmp_path)
        seconds = time.monotonic() - start
        assert res.code in (0, 1), res.err
        report = json.loads(res.out)
        out = res.out + res.err
        for value in (stack.secrets.token_a, stack.secrets.token_b, stack.secrets.bundle_key):
            assert value not in out  # our output never leaks a secret
        return LiveRun(res.code, report, seconds)

    return _live


def assert_statuses(run: LiveRun, expected: dict[str, str]) -> None:
    """Every check the run reported is judged as ``expected`` says (and nothing is missing)."""
    got = run.status()
    wrong = {cid: (got.get(cid), want) for cid, want in expected.items() if got.get(cid) != want}
    extra = sorted(set(got) - set(expected))
    detail = {cid: run.check(cid)["message"] for cid in wrong if cid in got}
    assert not wrong and not extra, f"(got, expected): {wrong}; not expected: {extra}; messages: {detail}"
    by_sev = run.report["summary"]["findings_by_severity"]
    fails = [c for c in run.report["checks"] if c["status"] == "fail"]
    assert sum(by_sev.values()) == len(fails) + len(run.report["findings"])
