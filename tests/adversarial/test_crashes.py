"""Inputs that used to end in a traceback (exit 3) now give a clear error (exit 2) or an
``error``/``fail`` result, through the real CLI."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import action, launchready, pr_payload

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "email"))
from email_dns_server import Zone, dns_server

DEEP = "[" * 100_000 + "]" * 100_000


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


def test_deeply_nested_notebook_is_scanned_as_text(repo: Path) -> None:
    (repo / "deep.ipynb").write_text(DEEP)
    run = launchready(["scan", "deep.ipynb"], repo)
    assert run.code == 0, run.err
    assert "Traceback" not in run.err


@pytest.mark.parametrize("outputs", ["true", "5", '"text"', "{}"])
def test_notebook_with_outputs_that_are_not_a_list(repo: Path, outputs: str) -> None:
    """Found by test_fuzz: ``"outputs": true`` was a TypeError (exit 3)."""
    (repo / "x.ipynb").write_text('{"cells": [{"cell_type": "code", "source": "x = 1", "outputs": ' + outputs + "}]}")
    run = launchready(["scan", "x.ipynb"], repo)
    assert run.code == 0 and "Traceback" not in run.err, run.err


def test_deeply_nested_source_map_is_listed_as_skipped(repo: Path) -> None:
    dist = repo / "dist"
    dist.mkdir()
    (dist / "app.js").write_text("console.log(1)\n//# sourceMappingURL=app.js.map\n")
    (dist / "app.js.map").write_text('{"version": 3, "sources": ' + DEEP + "}")
    run = launchready(["scan", "--bundle", "dist", "--json", "r.json"], repo)
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
    report = json.loads((repo / "r.json").read_text())
    assert any(f["rule_id"] == "build.source-map-shipped" for f in report["findings"])


@pytest.mark.parametrize(
    ("text", "where"),
    [
        ("rules:\n  custom:\n    - id: x\n      regex: 'tok_[a-z]{20}'\n      prefix: 5\n", "prefix"),
        ("rules:\n  custom:\n    - id: x\n      regex: 'tok_[a-z]{20}'\n      secret_group: 3\n", "secret_group"),
        ("rules:\n  custom:\n    - id: x\n      regex: 'tok_[a-z]{20}'\n      allow: [5]\n", "allow"),
        ("rules:\n  custom:\n    - id: x\n      regex: 'tok_[a-z]{20}'\n      password_like: 'yes'\n", "password_like"),
        ("version: true\n", "version"),
    ],
    ids=["prefix-int", "missing-group", "allow-int", "password-like-str", "version-true"],
)
def test_bad_config_values_are_usage_errors(repo: Path, text: str, where: str) -> None:
    (repo / ".launchready.yml").write_text(text)
    (repo / "a.py").write_text("x = 'tok_abcdefghijklmnopqrst'\n")
    run = launchready(["scan", "a.py"], repo)
    assert run.code == 2, run
    assert where in run.err and "Traceback" not in run.err


@pytest.mark.parametrize("url", ["http://[::1", "http://[::1]:99999/", "http://host:port/"])
def test_malformed_target_url_is_a_usage_error(repo: Path, url: str) -> None:
    run = launchready(["live", "--url", url], repo)
    assert run.code == 2 and "Traceback" not in run.err, run
    (repo / ".launchready.yml").write_text(f"live:\n  targets:\n    - url: {json.dumps(url)}\n")
    run = launchready(["live"], repo)
    assert run.code == 2 and "live.targets" in run.err, run


@pytest.mark.parametrize("sha", [123, "--upload-pack=touch /tmp/x", None, ["a"]])
def test_event_with_a_non_sha_is_a_usage_error(
    repo: Path, tmp_path_factory: pytest.TempPathFactory, sha: object
) -> None:
    (repo / "a.py").write_text("x = 1\n")
    subprocess.run(["git", "-C", str(repo), "add", "."], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-qm", "x"], check=True
    )
    head = subprocess.run(["git", "-C", str(repo), "rev-parse", "HEAD"], capture_output=True, text=True).stdout.strip()
    payload = pr_payload(head, head)
    payload["pull_request"]["base"]["sha"] = sha  # type: ignore[index]
    run = action(tmp_path_factory.mktemp("gh"), repo, "pull_request", payload)
    assert run.code == 2, run
    assert "Traceback" not in run.err and "pull_request.base.sha" in run.err


class FanOut(dict):  # type: ignore[type-arg]
    """A zone where every name under fan.test has an SPF record including ten more names
    below it: a receiver stops after 10 lookups; an unbounded walk sends millions."""

    def get(self, name: str, default: object = None) -> object:
        if name.endswith("fan.test"):
            kids = " ".join(f"include:n{i}.{name}" for i in range(10))
            return [("TXT", f"v=spf1 {kids} -all")]
        return super().get(name, default)

    def __contains__(self, name: object) -> bool:
        return (isinstance(name, str) and name.endswith("fan.test")) or super().__contains__(name)


def _email(spec: str, domain: str, cwd: Path) -> tuple[int, dict, str]:  # type: ignore[type-arg]
    run = launchready(
        ["email", domain, "--dns-server", spec, "--only", "email.spf", "--json", "r.json"], cwd, timeout=60
    )
    assert "Traceback" not in run.err, run.err
    report = json.loads((cwd / "r.json").read_text())
    return run.code, {c["id"]: c for c in report["checks"]}, run.err


def test_spf_fan_out_stops_at_the_rfc_limits(tmp_path: Path) -> None:
    zone: Zone = {"fan.test": [("A", "192.0.2.1")]}
    with dns_server(zone) as server:
        server.resolver.zone = FanOut(server.resolver.zone)
        code, checks, _ = _email(server.spec, "fan.test", tmp_path)
        sent = len(server.resolver.queries)
    assert code == 1
    assert checks["email.spf.lookups"]["status"] == "fail"
    assert "stopped" in checks["email.spf.lookups"]["message"]
    assert sent <= 40, sent  # 10 lookups (plus the record itself); the fan-out zone once took 123k


def test_spf_invalid_names_are_syntax_errors_not_tracebacks(tmp_path: Path) -> None:
    zone: Zone = {
        "dots.test": [("TXT", "v=spf1 include:a..b.test -all")],
        "long.test": [("TXT", f"v=spf1 include:{'x' * 64}.test a:{'y' * 64}.test -all")],
        "redir.test": [("TXT", "v=spf1 redirect=a..b.test")],
    }
    with dns_server(zone) as server:
        for domain in zone:
            code, checks, err = _email(server.spec, domain, tmp_path)
            assert code == 1, err
            assert checks["email.spf.syntax"]["status"] == "fail", checks


@pytest.mark.parametrize("command", [["scan", "."], ["inventory"]])
def test_deeply_nested_manifests_and_yaml_are_not_tracebacks(repo: Path, command: list[str]) -> None:
    (repo / "package.json").write_text(DEEP)
    (repo / "vercel.json").write_text(DEEP)
    (repo / ".github" / "workflows").mkdir(parents=True)
    (repo / ".github" / "workflows" / "ci.yml").write_text("a: " + "[" * 5000 + "]" * 5000 + "\n")
    (repo / "k8s.yaml").write_text("kind: Secret\ndata:\n  x: " + "[" * 5000 + "]" * 5000 + "\n")
    run = launchready(command, repo)
    assert run.code in (0, 1), run.err
    assert "Traceback" not in run.err
