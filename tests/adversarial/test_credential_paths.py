"""Every other way a credential could reach an origin nobody configured, through the journey
and its webhook: redirects are never followed, an identity's credentials are refused for
another origin (an ``error``, never a traceback), metadata addresses are never contacted,
and ``{env: VAR}`` and ``webhook_env`` follow the same variable rule as the live checks.
Real loopback sites, the real CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from tests.live.site import Resp, Site, jsonr

from .drive import loopback_only  # noqa: F401

pytestmark = pytest.mark.timeout(60)
OTHER = "elsewhere.launchready.test"
HOOK = "hooks.launchready.test"


def _journey(run_cli: Any, tmp_path: Path, doc: dict[str, Any], *args: str) -> tuple[Any, dict[str, dict[str, Any]]]:
    (tmp_path / ".launchready.yml").write_text(yaml.safe_dump({"version": 1, **doc}))
    res = run_cli(["journey", "--json", str(tmp_path / "r.json"), *args], tmp_path)
    path = tmp_path / "r.json"
    report = json.loads(path.read_text()) if path.is_file() else {"checks": [], "notes": []}
    return res, {c["id"]: c for c in report["checks"]} | {"notes": report.get("notes", [])}


@pytest.fixture
def token(monkeypatch: pytest.MonkeyPatch) -> str:
    value = "tok-" + "7" * 24
    monkeypatch.setenv("LR_TOKEN_A", value)
    return value


def test_a_journey_step_that_redirects_is_not_followed(run_cli: Any, tmp_path: Path, token: str) -> None:
    with (
        Site({"/": jsonr({"ok": True})}, host=OTHER) as other,
        Site({"/me": Resp(302, "", [("Location", f"{other.url}")])}) as site,
    ):
        doc = {
            "live": {"targets": [{"url": site.url}], "identities": {"a": {"token_env": "LR_TOKEN_A"}}},
            "journey": {"url": site.url, "steps": [{"name": "me", "path": "/me", "identity": "a"}]},
        }
        res, checks = _journey(run_cli, tmp_path, doc, "--resolve", site.resolve, "--resolve", other.resolve)
        sent, elsewhere = list(site.log), list(other.log)
    assert res.code == 1, res.err
    assert sent[0].headers["authorization"] == f"Bearer {token}"
    assert elsewhere == []  # the redirect target was never contacted
    c = checks["journey.me"]
    assert c["status"] == "fail" and "302" in c["message"], c


def test_an_identity_for_another_origin_is_refused_as_an_error(run_cli: Any, tmp_path: Path, token: str) -> None:
    """Before: ``CredentialsRefused`` escaped the step and the run ended in a traceback (exit 3)."""
    with Site({"/": jsonr({"ok": True})}) as site, Site({"/x": jsonr({"ok": True})}, host=OTHER) as other:
        doc = {
            "live": {"targets": [{"url": site.url}], "identities": {"a": {"token_env": "LR_TOKEN_A"}}},
            "journey": {"url": site.url, "steps": [{"name": "elsewhere", "url": f"{other.url}x", "identity": "a"}]},
        }
        res, checks = _journey(run_cli, tmp_path, doc, "--resolve", site.resolve, "--resolve", other.resolve)
        elsewhere = list(other.log)
    assert res.code == 1, res.err
    assert elsewhere == []
    c = checks["journey.elsewhere"]
    assert c["status"] == "error" and "not a configured target" in c["message"], c
    assert token not in res.out + res.err


def test_a_journey_step_to_a_metadata_address_is_refused(
    run_cli: Any,
    tmp_path: Path,
    loopback_only: list[str],  # noqa: F811 - the fixture, by name
) -> None:
    with Site({"/": jsonr({"ok": True})}) as site:
        doc = {"journey": {"url": site.url, "steps": [{"name": "meta", "url": "http://169.254.169.254/latest/"}]}}
        res, checks = _journey(run_cli, tmp_path, doc, "--resolve", site.resolve)
    assert loopback_only == []  # refused before connecting, not by the test's guard
    assert res.code == 1, res.err
    c = checks["journey.meta"]
    assert c["status"] == "error" and "metadata" in c["message"], c


def test_the_journey_webhook_does_not_follow_a_redirect(run_cli: Any, tmp_path: Path) -> None:
    with (
        Site({"/hook": Resp(200, "ok")}, host=OTHER) as other,
        Site({"/hook": Resp(307, "", [("Location", f"{other.url}hook")])}, host=HOOK) as hook,
        Site({"/": Resp(500, "down")}) as site,
    ):
        doc = {"journey": {"url": site.url, "steps": [{"name": "home", "path": "/"}]}}
        res, checks = _journey(
            run_cli,
            tmp_path,
            doc,
            *("--state", str(tmp_path / "state.json"), "--notify-webhook", f"{hook.url}hook"),
            *("--resolve", site.resolve, "--resolve", hook.resolve, "--resolve", other.resolve),
        )
        posted, elsewhere = list(hook.log), list(other.log)
    assert res.code == 1, res.err
    assert len(posted) == 1 and elsewhere == []
    assert any("not delivered" in n and "307" in n for n in checks["notes"]), checks["notes"]


def test_journey_environment_references_follow_the_live_variable_rule(
    run_cli: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A config may name LR_*/LAUNCHREADY_* variables; any other needs --allow-env (GITHUB_*
    by exact name), for ``{env: VAR}`` in a step and for ``notify.webhook_env`` alike.
    Before: a journey read any variable, ``{env: GITHUB_TOKEN}`` included, and sent it
    wherever its step pointed."""
    runner_token = "ghs_" + "R" * 36
    monkeypatch.setenv("GITHUB_TOKEN", runner_token)
    with Site({}) as hook, Site({"/": jsonr({"ok": True})}) as site:
        monkeypatch.setenv("SOME_HOOK", f"{hook.url}hook")
        doc = {
            "journey": {
                "url": site.url,
                "steps": [{"name": "home", "path": "/", "headers": {"X-Token": "{env: GITHUB_TOKEN}"}}],
                "notify": {"webhook_env": "SOME_HOOK"},
            }
        }
        state = str(tmp_path / "state.json")
        res, checks = _journey(run_cli, tmp_path, doc, "--resolve", site.resolve, "--state", state)
        refused_sent, refused_posted = list(site.log), list(hook.log)
        assert res.code == 1, res.err
        c = checks["journey.home"]
        assert c["status"] == "error" and "GITHUB_TOKEN" in c["message"] and "not read" in c["message"], c
        assert refused_sent == [] and refused_posted == []
        assert any("webhook_env" in n and "SOME_HOOK" in n for n in checks["notes"]), checks["notes"]
        (tmp_path / "state.json").unlink(missing_ok=True)
        res, checks = _journey(
            run_cli,
            tmp_path,
            doc,
            *("--resolve", site.resolve, "--resolve", hook.resolve, "--state", state),
            *("--allow-env", "GITHUB_TOKEN", "--allow-env", "SOME_HOOK"),
        )
        allowed_sent = list(site.log)
    assert checks["journey.home"]["status"] == "pass", checks["journey.home"]
    assert allowed_sent[0].headers["x-token"] == runner_token
    assert runner_token not in res.out + res.err
