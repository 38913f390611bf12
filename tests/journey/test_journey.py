"""`launchready journey` end to end against a real loopback chat app, good and broken."""

from __future__ import annotations

import json
import os
import socket
import stat
from pathlib import Path
from typing import Any

import pytest

from .app import ChatApp, Receiver, journey_config, write_config

STEPS = ["signup", "login", "create-chat", "send-message"]


def _run(run_cli: Any, tmp_path: Path, doc: dict[str, Any], *extra: str) -> tuple[Any, dict[str, Any], str]:
    write_config(tmp_path / ".launchready.yml", doc)
    out = {k: tmp_path / f"r.{k}" for k in ("json", "junit", "sarif", "html")}
    res = run_cli(
        [
            "journey",
            "--json",
            str(out["json"]),
            "--junit",
            str(out["junit"]),
            "--sarif",
            str(out["sarif"]),
            "--html",
            str(out["html"]),
            "--github",
            "-v",
            *extra,
        ],
        tmp_path,
    )
    report = json.loads(out["json"].read_text())
    everything = res.out + res.err + "".join(p.read_text() for p in out.values())
    return res, report, everything


def _secrets(app: ChatApp) -> list[str]:
    return [*app.tokens, *app.users.values()]


def _by_id(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {c["id"].split(".", 1)[1]: c for c in report["checks"]}


def test_good_app_passes_every_step_with_its_latency(tmp_path: Path, run_cli: Any) -> None:
    with ChatApp() as app:
        res, report, everything = _run(run_cli, tmp_path, journey_config(app.url))
    assert res.code == 0, res.out + res.err
    assert report["command"] == "journey"
    assert [c["id"] for c in report["checks"]] == [f"journey.{s}" for s in STEPS]
    assert all(c["status"] == "pass" for c in report["checks"])
    assert all(c["evidence"]["ms"] == c["duration_ms"] for c in report["checks"])
    chat = _by_id(report)["send-message"]
    assert chat["evidence"]["reply_chars"] == len("Hello from the loopback model.")
    assert chat["target"].endswith("/api/chats/{var: chat}/messages")  # placeholders, not values
    assert report["summary"]["requests_sent"] == 4 == len(app.log)
    assert len(app.users) == 1 and len(app.tokens) == 1
    email = next(iter(app.users))
    assert email.startswith("launchready+") and email.endswith("@example.test")
    for secret in _secrets(app):
        assert secret not in everything
    monitoring = next(r for r in report["scorecard"] if r["row"] == "Monitoring readiness")
    assert "journey.send-message" in monitoring["checks"]


@pytest.mark.parametrize(
    ("broken", "step", "words"),
    [
        ("signup-500", "signup", "answered 500, expected 201"),
        ("login-no-cookie", "login", "could not capture session: no session cookie"),
        ("reply-never-finishes", "send-message", "streamed reply did not finish within the 1500 ms limit"),
        ("reply-too-slow", "send-message", "no reply within the 1500 ms limit"),
    ],
)
def test_broken_app_fails_at_exactly_the_broken_step(
    tmp_path: Path, run_cli: Any, broken: str, step: str, words: str
) -> None:
    with ChatApp(broken=broken, slow_s=5) as app:
        res, report, everything = _run(run_cli, tmp_path, journey_config(app.url, stream_limit_ms=1500))
    assert res.code == 1
    checks = _by_id(report)
    at = STEPS.index(step)
    assert [checks[s]["status"] for s in STEPS] == ["pass"] * at + ["fail"] + ["skip"] * (len(STEPS) - at - 1)
    assert words in checks[step]["message"], checks[step]
    assert checks[step]["fix"]
    for later in STEPS[at + 1 :]:
        assert checks[later]["message"] == f"not run: step '{step}' did not pass (fail)"
    assert len(app.log) == at + 1  # nothing sent after the broken step
    if broken.startswith("reply"):  # ended at the limit, not at a socket timeout much later
        assert 1500 <= checks[step]["duration_ms"] < 4000
    for secret in _secrets(app):
        assert secret not in everything


def test_token_login_and_chunked_stream(tmp_path: Path, run_cli: Any) -> None:
    doc = {
        "version": 1,
        "journey": {
            "email_domain": "example.test",
            "steps": [
                {"name": "signup", "path": "/api/signup", "form": {"ignored": "x"}, "expect": {"status": [201, 422]}},
                {"name": "signup-json", "path": "api/signup", "json": {"email": "{email}", "password": "{password}"}},
                {
                    "name": "login",
                    "path": "/api/login",
                    "json": {"email": "{email}", "password": "{password}"},
                    "expect": {"json": [{"path": "$.user", "equals": "{email}"}]},
                    "capture": {"token": "token"},
                },
                {
                    "name": "complete",
                    "path": "/api/complete",
                    "headers": {"Authorization": "Bearer {var: token}"},
                    "json": {"prompt": "hi"},
                    "stream": "chunked",
                    "expect": {"reply_contains": ["Hello", "model."]},
                },
            ],
        },
    }
    with ChatApp(auth="token") as app:
        res, report, everything = _run(run_cli, tmp_path, doc, "--url", app.url)
    assert res.code == 0, res.out + res.err
    assert _by_id(report)["complete"]["evidence"]["reply_chars"] == len("Hello from the loopback model.")
    assert _by_id(report)["login"]["evidence"]["captured"] == ["token"]
    for secret in _secrets(app):
        assert secret not in everything


def test_environment_values_are_used_and_redacted(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    password = "Env-Pw-" + "x7" * 8
    doc = {
        "version": 1,
        "journey": {
            "steps": [
                {
                    "name": "signup",
                    "path": "/api/signup",
                    "json": {"email": "fixed@example.test", "password": {"env": "LR_JOURNEY_PW"}},
                },
                {
                    "name": "login",
                    "path": "/api/login",
                    "json": {"email": "fixed@example.test", "password": "{env: LR_JOURNEY_PW}"},
                    "capture": {"session": {"cookie": "session"}},
                    "expect": {"body_contains": "{env: LR_JOURNEY_PW}"},
                },
            ]
        },
    }
    monkeypatch.setenv("LR_JOURNEY_PW", password)
    with ChatApp() as app:
        res, report, everything = _run(run_cli, tmp_path, doc, "--url", app.url)
    assert app.users == {"fixed@example.test": password}
    checks = _by_id(report)
    assert checks["signup"]["status"] == "pass"
    # the login reply does not echo the password: the expectation fails, and says so without it
    assert (
        checks["login"]["status"] == "fail" and "does not contain '{env: LR_JOURNEY_PW}'" in checks["login"]["message"]
    )
    assert password not in everything
    monkeypatch.delenv("LR_JOURNEY_PW")
    with ChatApp() as app:
        res, report, _ = _run(run_cli, tmp_path, doc, "--url", app.url)
    assert res.code == 1 and app.log == []
    assert _by_id(report)["signup"]["status"] == "error"
    assert "environment variable LR_JOURNEY_PW is not set" in _by_id(report)["signup"]["message"]


def test_site_down_is_error_never_pass(tmp_path: Path, run_cli: Any) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    res, report, _ = _run(run_cli, tmp_path, journey_config(f"http://127.0.0.1:{port}/"))
    assert res.code == 1
    assert [c["status"] for c in report["checks"]] == ["error", "skip", "skip", "skip"]
    assert "connection failed" in report["checks"][0]["message"]


def test_dry_run_sends_nothing(tmp_path: Path, run_cli: Any) -> None:
    with ChatApp() as app:
        write_config(tmp_path / ".launchready.yml", journey_config(app.url))
        res = run_cli(["journey", "--dry-run"], tmp_path)
    assert res.code == 0 and app.log == []
    assert "4 step(s)" in res.out and "/api/chats/{var: chat}/messages" in res.out and "streamed (sse)" in res.out


@pytest.mark.parametrize(
    ("journey", "key", "words"),
    [
        ({"steps": []}, "journey.steps", "at least one step"),
        (
            {"steps": [{"name": "a", "path": "/x", "headers": {"Cookie": "s={var: session}"}}]},
            "journey.steps.0",
            "before any earlier step captures it",
        ),
        ({"steps": [{"name": "a", "path": "/x", "json": {"e": "{email}"}}]}, "journey", "needs journey.email_domain"),
        (
            {"steps": [{"name": "a", "path": "/x", "expect": {"stauts": 200}}]},
            "journey.steps.0.expect.stauts",
            "unknown key",
        ),
        ({"steps": [{"name": "Bad Name", "path": "/x"}]}, "journey.steps.0.name", "lower-case"),
        ({"steps": [{"name": "a", "path": "/x", "identity": "a"}]}, "journey.steps.0.identity", "no identity 'a'"),
        (
            {"steps": [{"name": "a", "path": "/x", "capture": {"t": {"json": "a", "cookie": "b"}}}]},
            "journey.steps.0.capture.t",
            "exactly one",
        ),
        ({"steps": [{"name": "a", "path": "/x", "stream": "websocket"}]}, "journey.steps.0.stream", "one of"),
    ],
)
def test_config_errors_name_the_key(
    tmp_path: Path, run_cli: Any, journey: dict[str, Any], key: str, words: str
) -> None:
    write_config(tmp_path / ".launchready.yml", {"version": 1, "journey": journey})
    res = run_cli(["journey", "--url", "http://127.0.0.1:9/"], tmp_path)
    assert res.code == 2
    assert f" {key}: " in res.err and words in res.err, res.err


def test_no_journey_is_a_usage_error(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / ".launchready.yml").write_text("version: 1\n")
    res = run_cli(["journey", "--url", "http://127.0.0.1:9/"], tmp_path)
    assert res.code == 2 and "no journey configured" in res.err


def test_webhook_gets_one_message_per_change_and_no_secret(
    tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = tmp_path / "state" / "journey.json"
    seen: list[str] = []
    with Receiver() as rec:
        monkeypatch.setenv("LR_JOURNEY_WEBHOOK", rec.url)
        extra = {"notify": {"webhook_env": "LR_JOURNEY_WEBHOOK"}}
        for broken in (None, None, "login-no-cookie", "signup-500", None, None):
            with ChatApp(broken=broken) as app:
                _res, _report, everything = _run(
                    run_cli, tmp_path, journey_config(app.url, extra=extra), "--state", str(state)
                )
            seen += _secrets(app)
            assert rec.url not in everything
            assert json.loads(state.read_text())["status"] == ("pass" if broken is None else "fail")
    assert [b["event"] for b in rec.bodies] == ["journey.failing", "journey.recovered"]
    failing, recovered = rec.bodies
    assert failing["step"] == "login" and "could not capture session" in failing["text"]
    assert recovered["status"] == "pass" and "failing since" in recovered["text"]
    wire = b"".join(rec.raw).decode()
    assert seen and all(s not in wire for s in seen)


def test_first_failure_posts_and_formats_follow_the_flag(tmp_path: Path, run_cli: Any) -> None:
    with Receiver() as rec, ChatApp(broken="signup-500") as app:
        for fmt in ("slack", "discord"):
            state = tmp_path / f"{fmt}.json"
            res, _, _ = _run(
                run_cli,
                tmp_path,
                journey_config(app.url),
                "--state",
                str(state),
                "--notify-webhook",
                rec.url,
                "--notify-format",
                fmt,
            )
            assert res.code == 1
    slack, discord = rec.bodies
    assert set(slack) == {"text"} and "FAILING" in slack["text"] and "signup" in slack["text"]
    assert discord["content"] == slack["text"] and discord["allowed_mentions"] == {"parse": []}


def test_undelivered_message_keeps_the_old_state_and_a_bad_state_file_starts_fresh(
    tmp_path: Path, run_cli: Any
) -> None:
    state = tmp_path / "journey.json"
    state.write_text("{not json")
    with Receiver(status=500) as rec, ChatApp(broken="signup-500") as app:
        res, _report, _ = _run(
            run_cli, tmp_path, journey_config(app.url), "--state", str(state), "--notify-webhook", rec.url
        )
    assert res.code == 1 and len(rec.bodies) == 1
    assert "not a launchready journey state file" in res.err and "not delivered" in res.err
    assert state.read_text() == "{not json"  # the next run tries again
    with Receiver() as rec, ChatApp(broken="signup-500") as app:
        _run(run_cli, tmp_path, journey_config(app.url), "--state", str(state), "--notify-webhook", rec.url)
        _run(run_cli, tmp_path, journey_config(app.url), "--state", str(state), "--notify-webhook", rec.url)
    assert len(rec.bodies) == 1 and json.loads(state.read_text())["step"] == "signup"


def test_a_step_can_send_as_a_live_identity(tmp_path: Path, run_cli: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    token = "sess_" + "k9" * 16
    monkeypatch.setenv("LR_JOURNEY_USER_TOKEN", token)
    doc = {
        "version": 1,
        "live": {"identities": {"a": {"token_env": "LR_JOURNEY_USER_TOKEN"}}},
        "journey": {
            "steps": [
                {
                    "name": "create-chat",
                    "path": "/api/chats",
                    "identity": "a",
                    "json": {},
                    "expect": {"status": 201},
                    "capture": {"chat": "id"},
                }
            ]
        },
    }
    with ChatApp() as app:
        app.sessions[token] = "existing@example.test"
        res, report, everything = _run(run_cli, tmp_path, doc, "--url", app.url)
        assert res.code == 0, res.out + res.err
        chat_id = next(iter(app.chats))
    assert token not in everything and chat_id not in everything  # captures are secret by default
    monkeypatch.delenv("LR_JOURNEY_USER_TOKEN")
    with ChatApp() as app:
        res, report, _ = _run(run_cli, tmp_path, doc, "--url", app.url)
    assert res.code == 1 and app.log == []
    assert "LR_JOURNEY_USER_TOKEN is not set" in report["checks"][0]["message"]


def test_a_state_path_that_is_not_a_file_is_refused_before_the_journey_runs(tmp_path: Path, run_cli: Any) -> None:
    """``--state /dev/null`` (or a pipe) would be replaced by the rename that writes the state."""
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    with ChatApp() as app:
        write_config(tmp_path / ".launchready.yml", journey_config(app.url))
        res = run_cli(["journey", "--state", str(fifo)], tmp_path)
    assert res.code == 2 and "not a regular file" in res.err, (res.out, res.err)
    assert app.log == []  # refused before any request
    assert stat.S_ISFIFO(fifo.lstat().st_mode)


def test_a_state_path_that_links_to_a_pipe_is_read_as_no_state_and_replaced(tmp_path: Path, run_cli: Any) -> None:
    """A symlink to a pipe is neither read (it would wait for a writer forever) nor written
    through: the journey starts fresh, and the rename replaces the link itself."""
    fifo = tmp_path / "state.fifo"
    os.mkfifo(fifo)
    link = tmp_path / "journey.json"
    link.symlink_to(fifo)
    with ChatApp() as app:
        write_config(tmp_path / ".launchready.yml", journey_config(app.url))
        res = run_cli(["journey", "--state", str(link)], tmp_path)
    assert res.code == 0, (res.out, res.err)
    assert "cannot read" in res.err and "starting fresh" in res.err
    assert not link.is_symlink() and json.loads(link.read_text())["status"] == "pass"
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
