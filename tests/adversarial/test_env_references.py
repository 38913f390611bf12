"""A pull request's config must not send environment variables to a host it chooses
(``headers: {X: {env: ACTIONS_RUNTIME_TOKEN}}``, ``targets: [http://attacker]``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.action.helpers import head, new_origin
from tests.conftest import commit_file, git
from tests.live.site import Site, html

from .drive import Runner, action, pr_payload  # noqa: F401

pytestmark = pytest.mark.timeout(120)
RUNTIME = "runtime-" + "7" * 24
TOKEN = "ghs_" + "Z" * 36
OURS = "lr-" + "3" * 24


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACTIONS_RUNTIME_TOKEN", RUNTIME)
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    monkeypatch.setenv("LR_BYPASS", OURS)
    monkeypatch.setenv("VERCEL_AUTOMATION_BYPASS_SECRET", OURS + "v")


def _config(url: str, headers: dict[str, str]) -> str:
    return yaml.safe_dump(
        {"version": 1, "live": {"targets": [url], "headers": {k: {"env": v} for k, v in headers.items()}}}
    )


def test_cli_reads_only_allowed_variables(run_cli, tmp_path: Path, env: None) -> None:
    with Site({"/": html("<p>x</p>")}) as site:
        (tmp_path / ".launchready.yml").write_text(
            _config(
                site.url,
                {
                    "x-runtime": "ACTIONS_RUNTIME_TOKEN",
                    "x-token": "GITHUB_TOKEN",
                    "x-vercel": "VERCEL_AUTOMATION_BYPASS_SECRET",
                    "x-ours": "LR_BYPASS",
                    "x-key": "LAUNCHREADY_FINGERPRINT_KEY",
                },
            )
        )
        res = run_cli(["live", "--resolve", site.resolve, "--only", "headers.csp", "--json", "-"], tmp_path)
        first = dict(site.log[0].headers)
        res2 = run_cli(
            [
                "live",
                "--resolve",
                site.resolve,
                "--only",
                "headers.csp",
                "--json",
                "-",
                "--allow-env",
                "GITHUB_TOKEN",
                "--allow-env",
                "VERCEL_*",
            ],
            tmp_path,
        )
        second = dict(site.log[-1].headers)
    assert first.get("x-ours") == OURS
    assert not {"x-runtime", "x-token", "x-vercel", "x-key"} & set(first)
    notes = json.loads(res.out).get("notes", [])
    text = res.out + res.err + " ".join(notes)
    assert "ACTIONS_RUNTIME_TOKEN" in text and "not read" in text
    assert second.get("x-token") == TOKEN and second.get("x-vercel") == OURS + "v" and "x-runtime" not in second
    assert res2.code in (0, 1)
    bad = run_cli(["live", "--url", site.url, "--allow-env", "ACTIONS_*"], tmp_path)
    assert bad.code == 2 and "exact name" in bad.err


def _pr_repo(tmp_path: Path, base_config: str | None, pr_config: str) -> tuple[Path, dict[str, Any]]:
    origin = new_origin(tmp_path / "origin")
    if base_config is not None:
        commit_file(origin, ".launchready.yml", base_config, "base config")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    tip = commit_file(origin, ".launchready.yml", pr_config, "pr config")
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--branch", "feature", f"file://{origin}", str(ws))
    return ws, pr_payload(base, tip, 1)


def test_action_ignores_env_references_of_a_config_the_pr_changed(action: Runner, tmp_path: Path, env: None) -> None:  # noqa: F811
    with Site({"/": html("<p>attacker</p>")}) as attacker:  # the host the PR's config chooses
        where = attacker.url.replace("app.launchready.test", "127.0.0.1")
        ws, payload = _pr_repo(tmp_path, None, _config(where, {"x-leak": "LR_BYPASS", "x-rt": "ACTIONS_RUNTIME_TOKEN"}))
        # even a variable the workflow allows is not read for a config the PR changed
        r = action(ws, "pull_request", payload, mode="live", allow_env="ACTIONS_RUNTIME_TOKEN")
        seen = [dict(x.headers) for x in attacker.log]
    text = r.summary + r.out + r.err
    assert "environment references refused" in r.summary and "changed by this pull request" in r.summary
    assert seen and all("x-leak" not in h and "x-rt" not in h for h in seen)
    assert OURS not in text and RUNTIME not in text


def test_action_honours_references_of_an_unchanged_or_base_config(action: Runner, tmp_path: Path, env: None) -> None:  # noqa: F811
    with Site({"/": html("<p>preview</p>")}) as site:
        url = site.url.replace("app.launchready.test", "127.0.0.1")
        cfg = _config(url, {"x-ours": "LR_BYPASS"})
        ws, payload = _pr_repo(tmp_path, cfg, cfg + "# only a comment changed\n")
        lax = action(ws, "pull_request", payload, mode="live")
        after_lax = len(site.log)
        strict = action(ws, "pull_request", payload, mode="live", strict_suppressions="true")
        lax_headers = [dict(x.headers) for x in site.log[:after_lax]]
        strict_headers = [dict(x.headers) for x in site.log[after_lax:]]
    assert lax_headers and all("x-ours" not in h for h in lax_headers)  # changed (a comment counts)
    assert "environment references refused" in lax.summary
    assert strict_headers and all(h.get("x-ours") == OURS for h in strict_headers)  # read from the base commit
    assert "environment references refused" not in strict.summary
