"""The live: section: validation with file:line:key errors, identities from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from launchready.config import load_config
from launchready.errors import ConfigError, UsageError
from launchready.live.config import MissingIdentity, load_live


def _load(tmp_path: Path, text: str, url: str | None = None):
    p = tmp_path / ".launchready.yml"
    p.write_text(text)
    return load_live(load_config(p), url=url)


FULL = """\
version: 1
live:
  targets:
    - url: https://app.example.com
      api_url: https://api.example.com/v1
      http_url: http://app.example.com:8080
  allowed_origins: [https://app.example.com]
  headers:
    x-vercel-protection-bypass: {env: LR_BYPASS}
    X-Env: preview
  basic_auth: {username: preview, password_env: LR_BASIC_PASSWORD}
  identities:
    a: {token_env: LR_USER_A_TOKEN}
    b: {cookie: session, value_env: LR_USER_B_COOKIE}
  budget: {requests: 200, seconds: 60, per_check: 30}
  concurrency: 2
  timeout: 5
  tls: {expiry_warn_days: 21, expiry_fail_days: 5}
  hsts: {min_max_age: 31536000}
  cdn: {required: true}
  redirect: {paths: [/login]}
  cors: {endpoints: [/api/chat, {path: /api/upload, method: POST}]}
  input: {endpoints: [{path: /api/chat, method: POST, body: {message: hi}}], max_body_bytes: 10000}
  ratelimit: {endpoints: [{path: /api/chat, method: POST, limit: 20, identity: a}, {path: /api/login, method: POST, kind: login, limit: 5}]}
  authz: {resources: [{path: /api/chats/123, markers: [Alice]}]}
  latency: {endpoints: [/health, {path: /api/chat, method: POST, model: true}], samples: 5, threshold_ms: 300}
  monitoring: {health: /health, status_page: https://status.example.com}
"""


def test_full_config(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LR_BYPASS", "bypass-value-123")
    monkeypatch.setenv("LR_BASIC_PASSWORD", "hunter2-long")
    monkeypatch.setenv("LR_USER_A_TOKEN", "token-aaaa-1111")
    s = _load(tmp_path, FULL)
    t = s.targets[0]
    assert (t.url, t.api, t.plain_http) == (
        "https://app.example.com",
        "https://api.example.com/v1",
        "http://app.example.com:8080",
    )
    assert s.headers == {"x-vercel-protection-bypass": "bypass-value-123", "X-Env": "preview"}
    assert s.basic_auth == ("preview", "hunter2-long")
    assert s.identities["a"].headers() == {"Authorization": "Bearer token-aaaa-1111"}
    with pytest.raises(MissingIdentity, match="LR_USER_B_COOKIE"):
        s.identities["b"].headers()
    assert (s.budget.requests, s.budget.seconds, s.budget.per_check, s.concurrency, s.timeout) == (200, 60, 30, 2, 5)
    assert (s.tls_warn_days, s.tls_fail_days, s.hsts_min_age, s.cdn_required) == (21, 5, 31536000, True)
    assert [e.path for e in s.cors_endpoints] == ["/api/chat", "/api/upload"]
    assert s.ratelimit_endpoints[1].kind == "login" and s.ratelimit_endpoints[0].identity == "a"
    assert s.authz_resources[0].markers == ("Alice",)
    assert s.latency_endpoints[1].model and s.latency_samples == 5
    assert (s.monitoring_health, s.monitoring_status_page) == ("/health", "https://status.example.com")


def test_url_flag_overrides_and_derives_http(tmp_path: Path) -> None:
    s = _load(tmp_path, "version: 1\n", url="https://site.example.com")
    assert s.targets[0].plain_http == "http://site.example.com/"
    assert s.origins_for(s.targets[0]) == ["https://site.example.com"]
    s = _load(tmp_path, FULL, url="https://preview-123.example.com")
    assert (
        s.targets[0].url == "https://preview-123.example.com" and s.targets[0].api_url == "https://api.example.com/v1"
    )
    with pytest.raises(UsageError):
        _load(tmp_path, "version: 1\n", url="ftp://nope")


@pytest.mark.parametrize(
    ("text", "line", "key", "words"),
    [
        ("live:\n  targets:\n    - url: notaurl\n", 3, "live.targets.0.url", "http:// or https://"),
        ("live:\n  targets:\n    - {api_url: https://x.example.com}\n", 3, "live.targets.0", "needs 'url'"),
        ("live:\n  bogus: 1\n", 2, "live.bogus", "unknown key"),
        ("live:\n  identities:\n    a: {token: abc}\n", 3, "live.identities.a", "never read from the file"),
        ("live:\n  identities:\n    a: {cookie: sid}\n", 3, "live.identities.a", "value_env"),
        ("live:\n  budget:\n    requests: -1\n", 3, "live.budget.requests", ">= 1"),
        ("live:\n  concurrency: 99\n", 2, "live.concurrency", "at most 16"),
        (
            "live:\n  ratelimit:\n    endpoints:\n      - {path: /api/chat}\n",
            4,
            "live.ratelimit.endpoints.0",
            "needs 'limit'",
        ),
        (
            "live:\n  identities:\n    a: {token_env: A}\n  authz:\n    resources: [/api/x]\n",
            4,
            "live.authz",
            "identities 'a'",
        ),
        (
            "live:\n  identities:\n    a: {token_env: A}\n    b: {token_env: B}\n  authz:\n    resources:\n      - {path: /x, method: DELETE}\n",
            7,
            "live.authz.resources.0.method",
            "writes: true",
        ),
        (
            "live:\n  input:\n    endpoints:\n      - {path: /x, method: FETCH}\n",
            4,
            "live.input.endpoints.0.method",
            "unknown method",
        ),
        (
            "live:\n  identities:\n    a: {token_env: A}\n    b: {token_env: B}\n  authz:\n    resources:\n      - {path: /x, owner: c}\n",
            7,
            "live.authz.resources.0.owner",
            "no identity",
        ),
        (
            "live:\n  latency:\n    endpoints:\n      - {path: /x, identity: c}\n",
            4,
            "live.latency.endpoints.0.identity",
            "no identity",
        ),
        (
            "live:\n  headers:\n    X-Bypass: {env: 'not a var'}\n",
            3,
            "live.headers.X-Bypass.env",
            "environment variable",
        ),
    ],
)
def test_errors_name_file_line_and_key(tmp_path: Path, text: str, line: int, key: str, words: str) -> None:
    with pytest.raises(ConfigError) as info:
        _load(tmp_path, "version: 1\n" + text)
    err = info.value
    assert err.key == key and words in err.problem
    assert err.line == line + 1, str(err)
    assert str(err).startswith(str(tmp_path / ".launchready.yml") + f":{line + 1}:")


def test_schema_matches_the_loader_and_the_example(tmp_path: Path) -> None:
    import json

    import jsonschema
    import yaml

    from launchready.live.config import SECTION_KEYS

    root = Path(__file__).resolve().parents[2]
    schema = json.loads((root / "schemas" / "config.schema.json").read_text())
    live = schema["properties"]["live"]
    assert set(live["properties"]) == SECTION_KEYS
    validator = jsonschema.Draft202012Validator(schema)
    example = root / "docs" / "examples" / "launchready.live.yml"
    assert list(validator.iter_errors(yaml.safe_load(example.read_text()))) == []
    assert list(validator.iter_errors(yaml.safe_load(FULL))) == []
    load_live(load_config(example))  # and the loader accepts it too
    bad = yaml.safe_load("version: 1\nlive:\n  identities:\n    a: {token: abc}\n")
    assert list(validator.iter_errors(bad))
