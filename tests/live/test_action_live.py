"""The post-deploy step end to end: `launchready action` with INPUT_MODE=live and INPUT_URL
against a loopback deployment (HTTPS with a throwaway CA trusted via SSL_CERT_FILE and
REQUESTS_CA_BUNDLE, as a workflow would install a corporate CA)."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any

import pytest

from .apps import deployed


def _outputs(text: str) -> dict[str, str]:
    out: dict[str, str] = {}
    lines = iter(text.splitlines())
    for line in lines:
        if "<<" in line and "=" not in line.split("<<", 1)[0]:
            name, delim = line.split("<<", 1)
            out[name] = "\n".join(iter(lambda: next(lines), delim))
        elif "=" in line:
            k, v = line.split("=", 1)
            out[k] = v
    return out


def _action(
    run_cli: Any, monkeypatch: pytest.MonkeyPatch, tmp: Path, ws: Path, url: str, extra_env: dict[str, str]
) -> tuple[Any, dict[str, str], str]:
    files = tmp / "gh"
    files.mkdir()
    (files / "event.json").write_text(json.dumps({"deployment_status": {"state": "success", "environment_url": url}}))
    for k in [k for k in os.environ if k.startswith(("INPUT_", "GITHUB_"))]:
        monkeypatch.delenv(k)
    env = {
        "GITHUB_ACTIONS": "true",
        "GITHUB_EVENT_NAME": "deployment_status",
        "GITHUB_EVENT_PATH": str(files / "event.json"),
        "GITHUB_WORKSPACE": str(ws),
        "GITHUB_OUTPUT": str(files / "output"),
        "GITHUB_STEP_SUMMARY": str(files / "summary"),
        "INPUT_MODE": "live",
        "INPUT_URL": url,
        **extra_env,
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    res = run_cli(["action"], ws)
    outputs = _outputs((files / "output").read_text()) if (files / "output").exists() else {}
    summary = (files / "summary").read_text() if (files / "summary").exists() else ""
    return res, outputs, summary


@pytest.mark.parametrize("flawed", [True, False])
def test_action_live_post_deploy(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch, flawed: bool) -> None:
    ws = tmp_path / "ws"
    ws.mkdir()
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    with deployed(ws, flawed=flawed, host="127.0.0.1") as app:
        trust = {"SSL_CERT_FILE": str(app.ca.path), "REQUESTS_CA_BUNDLE": str(app.ca.path), **app.env}
        res, outputs, summary = _action(run_cli, monkeypatch, tmp_path, ws, app.https.url, trust)
        served = len(app.https.log) + len(app.http.log)
    assert served > 50  # the checks really ran against the deployment
    report = json.loads((ws / outputs["report_path"]).read_text())
    assert report["summary"]["requests_sent"] >= served
    rows = {line.split("|")[1].strip(): line for line in summary.splitlines() if line.startswith("|")}
    text = res.out + summary + json.dumps(report)
    assert app.secret not in text and app.env["LR_E2E_USER_A"] not in text
    if flawed:
        assert res.code == 1, res.err
        assert int(outputs["failed_checks"]) >= 10
        errors = [a for a in res.out.splitlines() if a.startswith("::error")]
        assert any("bundle.secret" in a for a in errors) and any("authz.cross-user" in a for a in errors)
        assert any("cors.arbitrary-origin" in a for a in errors)
        for row in (
            "Secret handling",
            "Auth boundaries",
            "CORS",
            "Rate limits",
            "TLS, redirects and headers",
            "Performance",
        ):
            assert "fail" in rows[row].lower(), (row, rows.get(row))
    else:
        bad = [c["id"] for c in report["checks"] if c["status"] in ("fail", "error")]
        assert res.code == 0, (bad, res.err)
        assert outputs["failed_checks"] == "0"
        assert not [a for a in res.out.splitlines() if a.startswith("::error")]
        for row in ("Auth boundaries", "CORS", "Rate limits", "TLS, redirects and headers", "Performance"):
            assert "pass" in rows[row].lower(), (row, rows.get(row))
        # the health check answered, but monitoring is ready only with a journey and error tracking too
        monitoring = next(r for r in report["scorecard"] if r["row"] == "Monitoring readiness")
        assert monitoring["state"] == "warn" and "monitoring.health" in monitoring["checks"], monitoring
        assert "missing: a synthetic journey" in monitoring["reason"] and "error tracking" in monitoring["reason"]
    assert "not checked" in rows["Email authentication"].lower()
