"""A config error never prints a value from the config (#11): a pull request's
``.launchready.yml``, ``.gitleaks.toml`` or baseline may hold a secret where something else
belongs (a password pasted as an environment variable's name) or a workflow command. Errors
show the key path, the line and what was expected; of the value only its kind.

``redact.scrub`` (the error handler's last line of defence) is switched off here, so these
tests fail if a message repeats a value, whatever the engine happened to remember."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import head, new_origin
from tests.conftest import commit_file, git

from launchready import redact
from launchready.demo.keygen import KeyGen

from .drive import Runner, action, pr_payload, workflow_commands  # noqa: F401

pytestmark = pytest.mark.timeout(180)

URL = "https://127.0.0.1:1/"
SCAN, LIVE, JOURNEY = ["scan", "a.txt"], ["live", "--dry-run"], ["journey", "--dry-run"]
LIVE_OK = ["live", "--dry-run"]  # not a config error: the dry run goes on and lists the refusal


@pytest.fixture(autouse=True)
def no_scrub(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(redact, "scrub", lambda text: text)


def _secret(seed: int) -> str:
    return KeyGen(seed).stripe_secret()


def _hostile(secret: str) -> str:
    """The secret with workflow commands and an escape sequence around it."""
    return f"{secret}\n::add-mask::{secret}\r::error file=a.py,line=1::forged\x1b]0;t\x07"


def _journey(**step: Any) -> dict[str, Any]:
    return {"url": URL, "steps": [{"name": "home", "path": "/", **step}]}


def _yaml_cases(s: str) -> list[tuple[str, dict[str, Any], list[str]]]:
    v = _hostile(s)
    custom = {"id": "acme", "regex": "acme_[0-9]{8}"}
    return [
        ("fail_on", {"fail_on": v}, SCAN),
        ("version", {"version": v}, SCAN),
        ("gitleaks_mode", {"gitleaks_mode": v}, SCAN),
        ("rules.disable", {"rules": {"disable": [s]}}, SCAN),
        ("exclude", {"exclude": v}, SCAN),
        ("unknown key", {v: 1}, SCAN),
        ("unknown rules key", {"rules": {s: 1}}, SCAN),
        ("custom regex", {"rules": {"custom": [{**custom, "regex": "(" + s}]}}, SCAN),
        ("custom allow", {"rules": {"custom": [{**custom, "allow": ["(?<=x)" + s]}]}}, SCAN),
        ("custom paths", {"rules": {"custom": [{**custom, "paths": "(?<=x)" + s}]}}, SCAN),
        ("custom secret_group", {"rules": {"custom": [{**custom, "secret_group": v}]}}, SCAN),
        ("custom entropy", {"rules": {"custom": [{**custom, "entropy": v}]}}, SCAN),
        ("custom severity", {"rules": {"custom": [{**custom, "severity": v}]}}, SCAN),
        ("custom id", {"rules": {"custom": [{**custom, "id": 5, "keywords": [v, 3]}]}}, SCAN),
        # a token is a valid variable name: not an error, a refusal that must not name it
        ("basic_auth env", {"live": {"url": URL, "basic_auth": {"username": "u", "password_env": s}}}, LIVE_OK),
        ("header env", {"live": {"url": URL, "headers": {"X-Key": {"env": v}}}}, LIVE),
        ("identity env", {"live": {"url": URL, "identities": {"a": {"token_env": s}}}}, LIVE_OK),
        ("env name", {"live": {"url": URL, "basic_auth": {"username": "u", "password_env": v}}}, LIVE),
        ("identity value", {"live": {"url": URL, "identities": {"a": {"token": s}}}}, LIVE),
        ("target", {"live": {"targets": [v]}}, LIVE),
        ("target userinfo", {"live": {"targets": [f"ftp://admin:{s}@127.0.0.1/"]}}, LIVE),
        ("method", {"live": {"url": URL, "input": {"endpoints": [{"path": "/", "method": v}]}}}, LIVE),
        ("owner", {"live": {"url": URL, "authz": {"resources": [{"path": "/", "owner": s}]}}}, LIVE),
        ("status page", {"live": {"url": URL, "monitoring": {"status_page": v}}}, LIVE),
        ("email domain", {"live": {"url": URL, "email": {"domain": f"https://{s}/"}}}, LIVE),
        ("email dns", {"live": {"url": URL, "email": {"domain": "example.test", "dns_servers": [v]}}}, LIVE),
        ("email selector", {"live": {"url": URL, "email": {"domain": "example.test", "dkim_selectors": [v]}}}, LIVE),
        ("email timeout", {"live": {"url": URL, "email": {"domain": "example.test", "timeout": v}}}, LIVE),
        ("journey email_domain", {"journey": {**_journey(), "email_domain": v}}, JOURNEY),
        ("journey step name", {"journey": {"url": URL, "steps": [{"name": v, "path": "/"}]}}, JOURNEY),
        ("journey json path", {"journey": _journey(expect={"json": [v]})}, JOURNEY),
        ("journey method", {"journey": _journey(method=v)}, JOURNEY),
        ("journey identity", {"journey": _journey(identity=s)}, JOURNEY),
        ("journey webhook env", {"journey": {**_journey(), "notify": {"webhook_env": v}}}, JOURNEY),
    ]


def _assert_clean(text: str, secret: str, what: str) -> None:
    assert secret not in text, (what, text)
    assert workflow_commands(text) == [], (what, text)
    assert "\x1b" not in text, (what, text)


def test_no_config_error_prints_a_value(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = _secret(1401)
    for n, (what, doc, args) in enumerate(_yaml_cases(s)):
        d = tmp_path / f"c{n}"
        d.mkdir()
        (d / ".launchready.yml").write_text(
            json.dumps({"version": 1, **doc}) if "version" not in doc else json.dumps(doc)
        )
        (d / "a.txt").write_text("nothing\n")
        res = run_cli(args, d)
        if args is LIVE_OK:
            assert res.code == 0 and "not read" in res.out, (what, res.out, res.err)
        else:
            assert res.code == 2, (what, res.out, res.err)
            assert ".launchready.yml:" in res.err, (what, res.err)  # file:line named
        _assert_clean(res.out + res.err, s, what)


@pytest.mark.parametrize(
    "text",
    [
        "version: 1\nfail_on: *{s}\n",  # an undefined alias: PyYAML quotes its name
        'version: 1\nfail_on: "\\q{s}"\n',  # an unknown escape
        "version: 1\nfail_on: {s}: {s}\n",  # a mapping where a scalar ends
        "version: 1\n{s}: [\n",  # unclosed flow sequence
    ],
)
def test_yaml_syntax_errors_do_not_quote_the_file(run_cli, tmp_path: Path, text: str) -> None:  # type: ignore[no-untyped-def]
    s = _secret(1402)
    (tmp_path / ".launchready.yml").write_text(text.format(s=s))
    res = run_cli(["scan", "."], tmp_path)
    assert res.code == 2 and "invalid YAML" in res.err, res.err
    _assert_clean(res.out + res.err, s, text)


def test_gitleaks_config_warnings_and_errors_do_not_quote_it(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = _secret(1403)
    (tmp_path / "a.txt").write_text("nothing\n")
    (tmp_path / ".gitleaks.toml").write_text(
        "[extend]\nuseDefault = true\n"
        f"[allowlist]\nregexes = ['''(?<=x){s}''']\npaths = ['''(?<=y){s}''']\n"
        f"[[rules]]\nid = \"lb\"\nregex = '''(?<=k){s}'''\n"
        f"[[rules]]\nid = \"e\"\nregex = '''acme_[0-9]{{8}}'''\nentropy = \"{s}\"\nsecretGroup = \"{s}\"\n"
        f"path = '''(?<=z){s}'''\n"
    )
    res = run_cli(["scan", "a.txt", "-v"], tmp_path)
    assert res.code == 0, res.err
    assert "'lb': regex cannot be used (RE2: invalid perl operator)" in res.err  # the reason, not the pattern
    _assert_clean(res.out + res.err, s, "warnings")
    (tmp_path / ".gitleaks.toml").write_text(f"title = {s}\n")  # not TOML: a bare value
    res = run_cli(["scan", "a.txt"], tmp_path)
    assert res.code == 2 and "invalid TOML" in res.err, res.err
    _assert_clean(res.out + res.err, s, "toml")


def test_baseline_errors_do_not_quote_it(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = _secret(1404)
    (tmp_path / "a.txt").write_text("nothing\n")
    for n, body in enumerate(
        [
            json.dumps({"version": _hostile(s), "entries": {}}),
            json.dumps({"version": 2, "salt": s, "entries": {}}),
            json.dumps({"version": 1, "entries": {s: s}}),
            '{"version": 1, "entries": {"' + s + '": ' + s + "}}",  # invalid JSON around it
        ]
    ):
        (tmp_path / f"b{n}.json").write_text(body)
        res = run_cli(["scan", "a.txt", "--baseline", f"b{n}.json"], tmp_path)
        assert res.code == 2, (body, res.err)
        _assert_clean(res.out + res.err, s, body)
    (tmp_path / "ds.json").write_text(json.dumps({"plugins_used": [{"name": s}], "results": {"a": s}}))
    res = run_cli(["baseline", "import", "ds.json"], tmp_path)
    assert res.code == 2, res.err
    _assert_clean(res.out + res.err, s, "detect-secrets")


def test_gitleaksignore_lines_are_never_echoed(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    s = _secret(1405)
    commit_file(repo, "a.txt", "nothing\n", "a")
    (repo / ".gitleaksignore").write_text(f"{_hostile(s)}\na.txt:{s}:1\n")
    res = run_cli(["history", "--all", "-v"], repo)
    assert res.code == 0, res.err
    _assert_clean(res.out + res.err, s, ".gitleaksignore")


def _pr(tmp_path: Path, files: dict[str, str]) -> tuple[Path, dict[str, Any]]:
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    for name, text in files.items():
        (origin / name).write_text(text)
        git(origin, "add", name)
    git(origin, "commit", "-q", "-m", "config")
    tip = commit_file(origin, "app.py", "x = 1\n", "app")
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--branch", "feature", f"file://{origin}", str(ws))
    return ws, pr_payload(base, tip, 2)


@pytest.mark.parametrize(
    ("files", "code"),
    [
        ({".launchready.yml": json.dumps({"version": 1, "fail_on": "{v}"})}, 2),
        ({".launchready.yml": json.dumps({"version": 1, "rules": {"disable": ["{s}"]}})}, 2),
        ({".launchready.yml": json.dumps({"version": 1, "{s}": 1})}, 2),
        ({".launchready.yml": json.dumps({"version": 1, "rules": {"custom": [{"id": "a", "regex": "({s}"}]}})}, 2),
        ({".launchready.yml": "version: 1\nfail_on: *{s}\n"}, 2),
        # the key in it is found in the diff (exit 1, shown redacted); the warning names the rule only
        ({".gitleaks.toml": "[extend]\nuseDefault = true\n[[rules]]\nid = 'lb'\nregex = '''(?<=k){s}'''\n"}, 1),
        ({".gitleaks.toml": "title = {s}\n"}, 2),
    ],
    ids=["fail_on", "disable", "key", "custom-regex", "yaml", "gitleaks-warning", "gitleaks-toml"],
)
def test_the_action_prints_no_config_value(action: Runner, tmp_path: Path, files: dict[str, str], code: int) -> None:  # noqa: F811
    s = _secret(1406)
    v = json.dumps(_hostile(s))[1:-1]  # escaped for a JSON document
    ws, payload = _pr(tmp_path, {name: text.replace("{v}", v).replace("{s}", s) for name, text in files.items()})
    r = action(ws, "pull_request", payload)
    assert r.code == code, (r.out, r.err)
    everything = r.out + r.err + r.summary + json.dumps(r.outputs) + json.dumps(r.report or {})
    assert s not in everything, everything
    assert all(c.startswith(("::error file=", "::warning file=", "::notice")) for c in workflow_commands(r.out + r.err))
    assert "forged" not in "".join(workflow_commands(r.out + r.err))


def test_a_long_near_miss_json_path_is_refused_at_once(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    """``journey.steps[].expect.json`` paths were matched by a regex that backtracked
    exponentially: 40 characters and a stray one at the end stalled config loading."""
    import time

    doc = {"version": 1, "journey": _journey(expect={"json": ["a" * 40 + "!", "ab" * 20_000 + " "]})}
    (tmp_path / ".launchready.yml").write_text(json.dumps(doc))
    started = time.monotonic()
    res = run_cli(JOURNEY, tmp_path)
    assert res.code == 2 and "journey.steps.0.expect.json.0: not a JSON path" in res.err, res.err
    assert time.monotonic() - started < 10
