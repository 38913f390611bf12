"""The shared section reader (``section_reader``), through the real CLI: every section of
``.launchready.yml`` reports an unknown key, a wrong type or a bad value as exit 2 with
``file:line: key.path: problem``, the line being the key's own, however deep it is."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from launchready.config import load_config
from launchready.demo.keygen import KeyGen
from launchready.section_reader import describe, id_hint, shown_key

LIVE_DRY = ["live", "--dry-run"]
JOURNEY_DRY = ["journey", "--dry-run"]
SCAN = ["scan", "."]

# (config text, command, the exact "line: key: problem" expected after the file name)
CASES = [
    pytest.param(
        "version: 1\nfail_onn: high\n",
        SCAN,
        ":2: fail_onn: unknown key (allowed: baseline, email, exclude, fail_on, gitleaks_config, gitleaks_mode, "
        "journey, live, rules, scan, version); did you mean fail_on?",
        id="top-unknown-key",
    ),
    pytest.param(
        "version: 1\nexclude: vendor\n",
        SCAN,
        ":2: exclude: must be a list of path globs (got a string of 6 characters)",
        id="top-wrong-type",
    ),
    pytest.param(
        "version: 1\nfail_on: hihg\n",
        SCAN,
        ":2: fail_on: unknown severity (choose from critical, high, medium, low, info; got a string of 4 characters; "
        "did you mean high?)",
        id="top-enum",
    ),
    pytest.param(
        "version: 1\nrules:\n  custom:\n    - id: acme\n      regex: 'acme_[0-9]{8}'\n      keywords:\n"
        "        - acme_\n        - 5\n",
        SCAN,
        ":8: rules.custom.0.keywords.1: must be a list of strings (got a whole number)",
        id="custom-rule-list-item",
    ),
    pytest.param(
        "version: 1\nrules:\n  custom:\n    - id: acme\n      regex: 'acme_[0-9]{8}'\n      severty: high\n",
        SCAN,
        ":6: rules.custom.0.severty: unknown key (allowed: allow, description, entropy, fix, id, keywords, "
        "password_like, paths, prefix, regex, secret_group, severity); did you mean severity?",
        id="custom-rule-unknown-key",
    ),
    pytest.param(
        "version: 1\ngitleaks_mode: replce\n",
        SCAN,
        ":2: gitleaks_mode: must be one of extend, replace (got a string of 6 characters; did you mean replace?)",
        id="suppressions-choice",
    ),
    pytest.param(
        "version: 1\nscan: [1]\n",
        SCAN,
        ":2: scan: must be a mapping (got a list of 1 item)",
        id="scan-reserved-mapping",
    ),
    pytest.param(
        "version: 1\nlive:\n  targets:\n    - url: https://127.0.0.1:1/\n    - url: ftp://127.0.0.1/\n",
        LIVE_DRY,
        ":5: live.targets.1.url: must be an http:// or https:// URL with a host: it does not start with http:// "
        "or https://",
        id="live-nested-list",
    ),
    pytest.param(
        "version: 1\nlive:\n  url: https://127.0.0.1:1/\n  input:\n    endpoints:\n      - path: /chat\n"
        "        methd: POST\n",
        LIVE_DRY,
        ":7: live.input.endpoints.0.methd: unknown key (allowed: body, content_type, headers, identity, kind, "
        "limit, margin, markers, method, model, owner, path, url); did you mean method?",
        id="live-deep-unknown-key",
    ),
    pytest.param(
        "version: 1\nlive:\n  url: https://127.0.0.1:1/\n  budget:\n    requests: many\n",
        LIVE_DRY,
        ":5: live.budget.requests: must be an integer >= 1 (got a string of 4 characters)",
        id="live-number-type",
    ),
    pytest.param(
        "version: 1\nlive:\n  url: https://127.0.0.1:1/\n  email:\n    domain: example.test\n    retries: 11\n",
        LIVE_DRY,
        ":6: live.email.retries: must be a whole number between 0 and 10",
        id="live-email-range",
    ),
    pytest.param(
        "version: 1\njourney:\n  url: https://127.0.0.1:1/\n  steps:\n    - name: home\n      path: /\n"
        "      expect:\n        status: ok\n",
        JOURNEY_DRY,
        ":8: journey.steps.0.expect.status: must be an integer >= 100 (got a string of 2 characters)",
        id="journey-deep-type",
    ),
    pytest.param(
        "version: 1\njourney:\n  url: https://127.0.0.1:1/\n  steps:\n    - name: home\n      path: /\n"
        "      stream: yes-please\n",
        JOURNEY_DRY,
        ":7: journey.steps.0.stream: one of auto, chunked, sse (or true for auto)",
        id="journey-choice",
    ),
]


@pytest.mark.parametrize(("text", "args", "expected"), CASES)
def test_every_section_reports_file_line_and_key_path(run_cli, tmp_path: Path, text: str, args, expected) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".launchready.yml").write_text(text)
    res = run_cli(args, tmp_path)
    assert res.code == 2, (res.out, res.err)
    assert (
        f"launchready: error: .launchready.yml{expected}\n" in res.err or f".launchready.yml{expected}\n" in res.err
    ), res.err
    assert "Traceback" not in res.err


def test_top_level_email_section_is_read_by_the_same_reader(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".launchready.yml").write_text("version: 1\nemail:\n  domian: example.test\n")
    res = run_cli(["email", "example.test", "--dns-server", "127.0.0.1:9"], tmp_path)
    assert res.code == 2, res.err
    assert (
        ".launchready.yml:3: email.domian: unknown key (allowed: dkim_selectors, dns_servers, domain, retries, "
        "timeout); did you mean domain?"
    ) in res.err


def test_config_flag_errors_name_the_file_given(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    cfg = tmp_path / "conf" / "lr.yml"
    cfg.parent.mkdir()
    cfg.write_text("version: 1\nrules:\n  disable: [secret.private-key, 3]\n")
    res = run_cli(["scan", "--config", str(cfg), "."], tmp_path)
    assert res.code == 2
    assert f"{cfg}:3: rules.disable.1: must be a list of rule ids (got a whole number)" in res.err


def test_installed_command_exits_2_with_file_line(tmp_path: Path) -> None:
    """The console entry point, in its own process (as the hook and CI run it)."""
    (tmp_path / ".launchready.yml").write_text("version: 1\nlive:\n  timeout: soon\n")
    proc = subprocess.run(
        [sys.executable, "-m", "launchready", "live", "--dry-run", "--url", "https://127.0.0.1:1/"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 2, proc.stderr
    assert ".launchready.yml:3: live.timeout: must be a number >= 0.1 (got a string of 4 characters)" in proc.stderr


def test_the_line_map_follows_flow_style_and_comments(tmp_path: Path) -> None:
    path = tmp_path / ".launchready.yml"
    path.write_text(
        "# team config\nversion: 1\n\nrules: {disable: [secret.private-key],\n  custom: [{id: a, regex: 7}]}\n"
    )
    with pytest.raises(Exception) as info:
        load_config(path)
    assert (
        str(info.value)
        == f"{path}:5: rules.custom.0.regex: 'regex' is required and must be a string (got a whole number)"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        (True, "true"),
        (3, "a whole number"),
        (2.5, "a number"),
        ("", "an empty string"),
        ("abc", "a string of 3 characters"),
        ([1], "a list of 1 item"),
        ({"a": 1}, "a mapping"),
    ],
)
def test_describe_says_the_kind_never_the_content(value: object, text: str) -> None:
    assert describe(value) == text


def test_keys_and_ids_are_shown_unless_shaped_like_a_credential() -> None:
    assert shown_key("live.headers.X-Vercel-Protection-Bypass.env") == "live.headers.X-Vercel-Protection-Bypass.env"
    assert shown_key("rules.disable.12") == "rules.disable.12"
    token = KeyGen(1407).stripe_secret()
    assert shown_key(f"live.headers.{token}") == f"live.headers.<a key of {len(token)} characters>"
    assert shown_key("a" * 80) == "<a key of 80 characters>"
    assert id_hint("secret.stripe-secret-kye") == "'secret.stripe-secret-kye'"
    assert id_hint("ghp_" + "x1" * 18) == "a string of 40 characters"
    assert id_hint("0123456789abcdef" * 2) == "a string of 32 characters"
