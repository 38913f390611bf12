"""``launchready action`` on real repositories for each event shape GitHub sends."""

from __future__ import annotations

import http.server
import json
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import (
    Runner,
    clone,
    commits,
    head,
    in_process_runner,
    new_origin,
)
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def action(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runner:  # type: ignore[no-untyped-def]
    return in_process_runner(run_cli, monkeypatch, tmp_path)


def pr_payload(base: str, head_sha: str, n: int) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "commits": n,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head_sha, "ref": "feature"},
        },
        "repository": {"default_branch": "main", "full_name": "acme/app"},
    }


@pytest.fixture
def pr_repo(tmp_path: Path) -> dict[str, Any]:
    """origin: main with an old (removed) secret; feature: 41 commits, a secret added in the
    35th (beyond the API's first 30) and removed again in the 38th."""
    kg = KeyGen(31)
    old, new = kg.stripe_secret(), kg.stripe_secret()
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "legacy.py", f"KEY = '{old}'\n", "old key")
    commit_file(origin, "legacy.py", "KEY = None\n", "drop old key")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    shas = commits(origin, 41, "feature", {35: f"STRIPE_KEY = '{new}'"})
    commit_file(origin, "feature/f35.py", "x = 35\n", "feature commit 35 cleanup")  # 42nd commit
    git(origin, "checkout", "-q", "main")
    return {"origin": origin, "base": base, "head": head(origin, "feature"), "intro": shas[34], "new": new, "old": old}


def test_pull_request_of_42_commits_scans_every_commit(action: Runner, pr_repo: dict[str, Any], tmp_path: Path) -> None:
    ws = clone(pr_repo["origin"], tmp_path / "ws")
    git(ws, "checkout", "-q", pr_repo["head"])
    r = action(ws, "pull_request", pr_payload(pr_repo["base"], pr_repo["head"], 42))
    assert r.code == 1, r.err
    assert r.report is not None
    assert r.report["summary"]["commits_scanned"] == 42
    [f] = r.report["findings"]
    assert f["rule_id"] == "secret.stripe-secret-key"
    assert f["introduced_in"] == pr_repo["intro"] and f["path"] == "feature/f35.py" and f["line"] == 2
    assert f["present_at_head"] is False
    [ann] = r.annotations
    assert ann.startswith("::error file=feature/f35.py,line=2,endLine=2,col=")
    assert "title=secret.stripe-secret-key (critical)::" in ann
    assert r.outputs["findings"] == "1" and r.outputs["failed_checks"] == "0"
    for key, name in (("report_path", "report.json"), ("junit_path", "junit.xml"), ("sarif_path", "results.sarif")):
        assert r.outputs[key] == f"launchready-report/{name}"  # relative: usable by later steps
        assert (ws / r.outputs[key]).is_file()
    sarif = json.loads((ws / r.outputs["sarif_path"]).read_text())
    assert sarif["runs"][0]["results"][0]["ruleId"] == "secret.stripe-secret-key"
    junit = (ws / r.outputs["junit_path"]).read_text()
    assert 'file="feature/f35.py"' in junit
    assert "## ❌ launchready action: FAIL" in r.summary
    assert "### Launch scorecard" in r.summary and "| Secret handling | ❌ fail |" in r.summary
    assert "removed in" in r.summary and "still in history: rotate it" in r.summary
    assert f"pull request: {pr_repo['base'][:12]}..{pr_repo['head'][:12]}" in r.summary
    assert "live checks not run: no url input" in r.summary
    everything = r.out + r.err + r.summary + json.dumps(r.report) + json.dumps(sarif) + junit
    assert pr_repo["new"] not in everything and pr_repo["old"] not in everything


def test_push_scans_before_to_after(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(32)
    key = kg.github_classic()
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "old.py", f"T = '{kg.github_classic()}'\n", "old secret")
    commit_file(origin, "old.py", "T = None\n", "drop it")
    before = head(origin)
    commits(origin, 2, "new", {2: f"TOKEN = '{key}'"})
    after = head(origin)
    ws = clone(origin, tmp_path / "ws")
    payload = {
        "ref": "refs/heads/main",
        "before": before,
        "after": after,
        "forced": False,
        "repository": {"default_branch": "main"},
    }
    r = action(ws, "push", payload, mode="history")
    assert r.code == 1
    assert r.report is not None and r.report["summary"]["commits_scanned"] == 2
    assert [f["path"] for f in r.report["findings"]] == ["new/f2.py"]
    assert r.report["findings"][0]["present_at_head"] is True
    assert f"push: {before[:12]}..{after[:12]}" in r.summary


def test_push_of_a_new_branch_scans_only_what_the_default_branch_lacks(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(33)
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "main.py", f"T = '{kg.stripe_secret()}'\n", "secret on main")
    commit_file(origin, "main.py", "T = None\n", "removed on main")
    git(origin, "checkout", "-q", "-b", "topic")
    commits(origin, 3, "topic", {1: f"K = '{kg.stripe_secret()}'"})
    after = head(origin)
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws")
    git(ws, "checkout", "-q", after)
    payload = {
        "ref": "refs/heads/topic",
        "before": "0" * 40,
        "after": after,
        "created": True,
        "repository": {"default_branch": "main"},
    }
    r = action(ws, "push", payload, mode="history")
    assert r.report is not None
    assert r.report["summary"]["commits_scanned"] == 3
    assert [f["path"] for f in r.report["findings"]] == ["topic/f1.py"]
    assert "push of a new ref refs/heads/topic" in r.summary


def test_forced_push_whose_before_is_gone_starts_at_the_merge_base(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(34)
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "main.py", f"T = '{kg.stripe_secret()}'\n", "secret on main")
    commit_file(origin, "main.py", "T = None\n", "removed on main")
    git(origin, "checkout", "-q", "-b", "topic")
    commits(origin, 4, "topic", {4: f"K = '{kg.stripe_secret()}'"})
    after = head(origin)
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws")
    git(ws, "checkout", "-q", after)
    gone = "d" * 40  # the rewritten tip is not in any clone any more
    payload = {
        "ref": "refs/heads/topic",
        "before": gone,
        "after": after,
        "forced": True,
        "repository": {"default_branch": "main"},
    }
    r = action(ws, "push", payload, mode="history")
    assert r.code == 1
    assert r.report is not None and r.report["summary"]["commits_scanned"] == 4
    assert [f["path"] for f in r.report["findings"]] == ["topic/f4.py"]
    assert f"forced push: the previous tip {gone[:12]} no longer exists" in r.summary


def test_dispatch_scans_the_whole_history_of_every_ref(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(35)
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "a.py", f"T = '{kg.stripe_secret()}'\n", "secret")
    commit_file(origin, "a.py", "T = None\n", "removed")
    git(origin, "checkout", "-q", "-b", "side")
    commit_file(origin, "b.py", f"T = '{kg.stripe_secret()}'\n", "side secret")
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws")
    for event in ("workflow_dispatch", "schedule"):
        r = action(ws, event, {"repository": {"default_branch": "main"}})
        assert r.code == 1
        assert r.report is not None and r.report["summary"]["commits_scanned"] == 4
        assert sorted(f["path"] for f in r.report["findings"]) == ["a.py", "b.py"]
        assert "the whole history (every ref)" in r.summary
    # mode all: b.py's key is in the checked-out tree and in history: one finding, both views
    git(ws, "checkout", "-q", "side")
    r = action(ws, "workflow_dispatch", {})
    [tree] = [f for f in r.report["findings"] if f["path"] == "b.py"] if r.report else []
    assert tree["commit"] == head(ws) and tree["present_at_head"] is True and tree["line"] == 1


def test_shallow_clone_is_deepened_as_far_as_the_pr_needs(
    action: Runner, pr_repo: dict[str, Any], tmp_path: Path
) -> None:
    ws = clone(pr_repo["origin"], tmp_path / "ws", "--depth", "3", "--branch", "feature")
    assert git(ws, "rev-parse", "--is-shallow-repository").strip() == "true"
    r = action(ws, "pull_request", pr_payload(pr_repo["base"], pr_repo["head"], 42), mode="history")
    assert r.code == 1, r.err
    assert r.report is not None and r.report["summary"]["commits_scanned"] == 42
    assert [f["introduced_in"] for f in r.report["findings"]] == [pr_repo["intro"]]
    assert "shallow clone: fetched" in r.summary


def test_shallow_clone_with_enough_depth_fetches_nothing(
    action: Runner, pr_repo: dict[str, Any], tmp_path: Path
) -> None:
    ws = clone(pr_repo["origin"], tmp_path / "ws", "--depth", "60", "--no-single-branch")
    git(ws, "checkout", "-q", pr_repo["head"])
    r = action(ws, "pull_request", pr_payload(pr_repo["base"], pr_repo["head"], 42), mode="history")
    assert r.code == 1, r.err
    assert r.report is not None and r.report["summary"]["commits_scanned"] == 42
    assert "shallow clone: fetched" not in r.summary


def test_shallow_clone_that_cannot_be_deepened_fails_naming_fetch_depth(
    action: Runner, pr_repo: dict[str, Any], tmp_path: Path
) -> None:
    ws = clone(pr_repo["origin"], tmp_path / "ws", "--depth", "5", "--branch", "feature")
    git(ws, "remote", "set-url", "origin", f"file://{tmp_path}/gone")
    r = action(ws, "pull_request", pr_payload(pr_repo["base"], pr_repo["head"], 42), mode="history")
    assert r.code == 2
    assert "shallow clone" in r.err and "fetch-depth: 0" in r.err and "at least 44" in r.err
    assert r.report is None and r.outputs == {}


def test_dispatch_on_a_shallow_clone_unshallows(action: Runner, pr_repo: dict[str, Any], tmp_path: Path) -> None:
    ws = clone(pr_repo["origin"], tmp_path / "ws", "--depth", "2")
    r = action(ws, "workflow_dispatch", {}, mode="history")
    assert git(ws, "rev-parse", "--is-shallow-repository").strip() == "false"
    assert r.report is not None and {f["path"] for f in r.report["findings"]} == {"legacy.py"}
    assert "fetched the whole history" in r.summary


def test_suppressions_added_by_the_pr_are_listed_and_strict_mode_ignores_them(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(36)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    commit_file(origin, "pay.py", f"KEY = '{kg.stripe_secret()}'\n", "add key")
    commit_file(origin, "ok.py", f"T = '{kg.github_classic()}'  # launchready:allow\n", "allowed")
    commit_file(origin, ".launchready.yml", "version: 1\nrules:\n  disable: [secret.stripe-secret-key]\n", "silence it")
    tip = head(origin)
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    payload = pr_payload(base, tip, 3)
    lax = action(ws, "pull_request", payload)
    assert lax.code == 0, lax.out
    assert "Suppression added by this change: disables rule secret.stripe-secret-key in .launchready.yml" in lax.summary
    assert "Suppression added by this change: adds an allow comment (launchready:allow) at ok.py:1" in lax.summary
    strict = action(ws, "pull_request", payload, strict_suppressions="true")
    assert strict.code == 1
    assert strict.report is not None
    assert {f["rule_id"] for f in strict.report["findings"]} == {"secret.stripe-secret-key"}
    assert "strict suppressions: " in strict.summary


def test_inputs_paths_switches_and_bad_values(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(37)
    origin = new_origin(tmp_path / "origin")
    for i in range(12):
        commit_file(origin, f"k{i}.py", f"K = '{kg.stripe_secret()}'\n", f"key {i}")
    ws = clone(origin, tmp_path / "ws")
    r = action(ws, "workflow_dispatch", {}, mode="scan", json_path="out/r.json", junit_path="", sarif_path="")
    assert r.code == 1
    assert len(r.annotations) == 10  # GitHub shows 10 errors per step: the rest are counted
    assert "2 more annotations not shown" in r.summary
    assert r.outputs["report_path"] == "out/r.json" and r.outputs["junit_path"] == ""
    assert json.loads((ws / "out" / "r.json").read_text())["command"] == "action"
    assert r.outputs["findings"] == "12"
    quiet = action(ws, "workflow_dispatch", {}, mode="scan", annotations="false", summary="false", fail_on="critical")
    assert quiet.annotations == [] and quiet.summary == "" and quiet.code == 1
    assert action(ws, "workflow_dispatch", {}, mode="bogus").code == 2
    bad = action(ws, "workflow_dispatch", {}, fail_on="severe")
    assert bad.code == 2 and "fail_on" in bad.err
    assert action(ws, "workflow_dispatch", {}, mode="live").code == 2  # no url, no live config


def test_not_a_repository_is_a_usage_error(action: Runner, tmp_path: Path) -> None:
    ws = tmp_path / "plain"
    ws.mkdir()
    r = action(ws, "pull_request", pr_payload("a" * 40, "b" * 40, 1))
    assert r.code == 2 and "not a git repository" in r.err
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    r = action(ws, "pull_request", {"pull_request": {}})
    assert r.code == 2 and "base.sha" in r.err


class _Site(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        body = b"<html><body>ok</body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_HEAD = do_GET

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def site() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_mode_all_runs_live_checks_when_a_url_is_given(action: Runner, site: str, tmp_path: Path) -> None:
    origin = new_origin(tmp_path / "origin")
    ws = clone(origin, tmp_path / "ws")
    r = action(ws, "workflow_dispatch", {}, url=site)
    assert r.report is not None and r.report["checks"], r.err
    failed = [
        c for c in r.report["checks"] if c["status"] in ("fail", "error") and c["severity"] in ("critical", "high")
    ]
    assert r.outputs["failed_checks"] == str(
        len([c for c in r.report["checks"] if c["status"] == "error"])
        + len([c for c in failed if c["status"] == "fail"])
    )
    assert int(r.outputs["failed_checks"]) >= 1 and r.code == 1  # plain HTTP, no security headers
    assert "| TLS, redirects and headers | ❌ fail |" in r.summary
    assert "live checks not run" not in r.summary


def test_strict_mode_applies_no_baseline_the_pr_adds(action: Runner, tmp_path: Path) -> None:
    """No baseline at the base commit: a baseline the pull request commits (its fingerprints
    made with the salt the Action will use, as an attacker can) silences nothing."""
    from launchready import ScanRequest, redact, scan
    from launchready.secrets import suppress

    kg = KeyGen(38)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    commit_file(origin, "pay.py", f"KEY = '{kg.stripe_secret()}'\n", "add key")
    try:
        redact.use_salt(redact.repository_salt(origin))
        crafted = suppress.Baseline()
        assert [crafted.add(f) for f in scan(ScanRequest(cwd=origin)).findings] == [True]
    finally:
        redact.set_salt_resolver(None)
    suppress.save(crafted, origin / ".launchready-baseline.json")
    git(origin, "add", ".launchready-baseline.json")
    git(origin, "commit", "-q", "-m", "silence it")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    payload = pr_payload(base, head(origin), 2)
    strict = action(ws, "pull_request", payload, mode="scan", strict_suppressions="true")
    assert strict.code == 1 and strict.report is not None
    assert [f["rule_id"] for f in strict.report["findings"]] == ["secret.stripe-secret-key"]
    assert "a baseline in the pull request is not read" in strict.summary
