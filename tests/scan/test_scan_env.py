"""env.* rules on real .env files in real git repositories (ignored ones included)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import git

from launchready.demo.keygen import KeyGen


def _scan(cwd: Path, run_cli: Any, *extra: str) -> tuple[Any, dict[str, Any]]:
    res = run_cli(["scan", "--json", "-", *extra], cwd)
    assert res.code in (0, 1), res.err
    return res, json.loads(res.out)


def _env(data: dict[str, Any]) -> list[tuple[str, str, int | None, str]]:
    return sorted(
        (f["rule_id"], f["path"], f["line"], f["severity"]) for f in data["findings"] if f["rule_id"].startswith("env.")
    )


def test_public_prefix_secret_in_ignored_env_file_is_critical(repo: Path, run_cli: Any) -> None:
    key = KeyGen(21).openai_project()
    (repo / ".gitignore").write_text(".env*\n!.env.example\n")
    (repo / ".env.local").write_text(
        "# local settings\n"
        f"NEXT_PUBLIC_OPENAI_API_KEY={key}\n"
        "NEXT_PUBLIC_SUPABASE_ANON_KEY=eyJhbGciOiJIUzI1NiJ9.anon.public\n"
        "VITE_STRIPE_PUBLISHABLE_KEY=pk_live_abcdefghijklmnop\n"
        "REACT_APP_ADMIN_SECRET=\n"
        "NEXT_PUBLIC_SITE_URL=https://example.com\n"
    )
    res, data = _scan(repo, run_cli)
    assert res.code == 1
    assert _env(data) == [
        ("env.public-prefix-secret", ".env.local", 2, "critical"),
        ("env.public-prefix-secret", ".env.local", 5, "medium"),  # empty: a warning, not critical
    ]
    # the secret.* finding on the same line is folded into the env finding
    assert not [f for f in data["findings"] if f["rule_id"].startswith("secret.")]
    assert key not in res.out and key[8:30] not in res.out
    msg = next(f["message"] for f in data["findings"] if f["line"] == 2)
    assert "NEXT_PUBLIC_" in msg and "browser" in msg


def test_unignored_and_tracked_env_files(repo: Path, run_cli: Any) -> None:
    pw = KeyGen(22).password(20)
    (repo / ".env").write_text(f"DATABASE_PASSWORD={pw}\nDEBUG=true\n")
    (repo / "svc").mkdir()
    (repo / "svc" / ".env.production").write_text("PORT=8080\nNODE_ENV=production\n")  # no real values
    _res, data = _scan(repo, run_cli)
    [f] = [f for f in data["findings"] if f["rule_id"] == "env.file-not-ignored"]
    assert f["path"] == ".env" and f["line"] is None and "does not ignore" in f["message"]
    git(repo, "add", ".env")
    (repo / ".gitignore").write_text(".env\n")  # ignored now, but tracked: still a problem
    _res, data = _scan(repo, run_cli)
    [f] = [f for f in data["findings"] if f["rule_id"] == "env.file-not-ignored"]
    assert "tracks it" in f["message"]
    git(repo, "rm", "-q", "--cached", ".env")
    _res, data = _scan(repo, run_cli)
    assert _env(data) == []


def test_a_committed_env_file_of_public_settings_is_no_leak(repo: Path, run_cli: Any) -> None:
    """DocsGPT commits its Vite `.env.development` (Vite's docs say to): URLs, flags, a notice's
    text and a Google OAuth client id, all under `VITE_`, all in the bundle every visitor gets."""
    (repo / "frontend").mkdir()
    client_id = f"{KeyGen(24).chars(12, '0123456789')}-{KeyGen(25).chars(32)}.apps.googleusercontent.com"
    (repo / "frontend" / ".env.development").write_text(
        "VITE_BASE_URL=http://localhost:5173\nVITE_API_STREAMING=true\n"
        f'VITE_NOTIFICATION_TEXT="What\'s new in 0.17 — Changelog"\nVITE_GOOGLE_CLIENT_ID={client_id}\n'
    )
    _res, data = _scan(repo, run_cli)
    assert _env(data) == []
    # a server-side value beside them is what committing the file leaks
    (repo / "frontend" / ".env.development").write_text(f"VITE_BASE_URL=/\nSESSION_SECRET={KeyGen(26).chars(32)}\n")
    _res, data = _scan(repo, run_cli)
    [f] = [f for f in data["findings"] if f["rule_id"] == "env.file-not-ignored"]
    assert "SESSION_SECRET" in f["message"] and "VITE_BASE_URL" not in f["message"]


def test_example_file_with_real_secret(repo: Path, run_cli: Any) -> None:
    kg = KeyGen(23)
    (repo / ".env.example").write_text(
        "OPENAI_API_KEY=your-key-here\n"
        f"STRIPE_SECRET_KEY={kg.stripe_secret()}\n"
        f"SESSION_SECRET={kg.password(32)}\n"
        "DATABASE_URL=postgres://user:password@localhost:5432/app\n"
    )
    _res, data = _scan(repo, run_cli)
    assert _env(data) == [
        ("env.example-real-secret", ".env.example", 2, "high"),
        ("env.example-real-secret", ".env.example", 3, "high"),
    ]


def test_example_values_that_are_no_credentials_under_secret_sounding_names(repo: Path, run_cli: Any) -> None:
    """documenso's .env.example: NEXT_PRIVATE_ (server-only) names a sender's address and a local
    Redis; neither is a credential. A real-looking value under the same prefix still is."""
    kg = KeyGen(27)
    (repo / ".env.example").write_text(
        'NEXT_PRIVATE_SMTP_FROM_ADDRESS="noreply@documenso.com"\n'
        'NEXT_PRIVATE_REDIS_URL="redis://localhost:63790"\n'
        'NEXT_PRIVATE_UPLOAD_ENDPOINT="http://127.0.0.1:9002"\n'
        "PRIVATE_QUEUE_URL=amqp://db:5672/jobs\n"
        f"NEXT_PRIVATE_SIGNING_SECRET={kg.password(32)}\n"
        f"NEXT_PRIVATE_SMTP_API_KEY={kg.chars(36)}@acme.io\n"  # a token before an @host: not a mailbox
    )
    _res, data = _scan(repo, run_cli)
    assert _env(data) == [
        ("env.example-real-secret", ".env.example", 5, "high"),
        ("env.example-real-secret", ".env.example", 6, "high"),
    ]


def test_a_database_on_this_machine_as_a_container_sees_it(repo: Path, run_cli: Any) -> None:
    """The env checks and the database URL rules read the same hosts as this machine
    (``filters.THIS_MACHINE``): a password for a database at ``host.docker.internal`` or
    Docker's bridge gateway is a local default to both, as at ``localhost``. Before, the rules
    were quiet and the env check called the file's values real (``env.file-not-ignored``).
    The same password on a public host is reported by both."""
    pw = KeyGen(28).password(20)
    local = (
        f"DATABASE_URL=postgres://app:{pw}@host.docker.internal:5432/app\n"
        f"CACHE_URL=redis://default:{pw}@172.17.0.1:6379/0\n"
        f"QUEUE_URL=amqp://app:{pw}@localhost:5672/\n"
    )
    (repo / ".env").write_text(local)
    (repo / "settings.cfg").write_text(local)
    _res, data = _scan(repo, run_cli)
    assert data["findings"] == []
    (repo / ".env").write_text(local + f"REPLICA_URL=postgres://app:{pw}@db.acme-prod.io:5432/app\n")
    _res, data = _scan(repo, run_cli)
    assert sorted((f["rule_id"], f["path"], f["line"]) for f in data["findings"]) == [
        ("env.file-not-ignored", ".env", None),
        ("secret.postgres-url", ".env", 4),
    ]


def test_same_secret_in_two_environments(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(24)
    shared, other = kg.password(24), kg.password(24)
    (tmp_path / ".env.development").write_text(f"JWT_SECRET={shared}\nAPI_TOKEN={other}\n")
    (tmp_path / ".env.production").write_text(f"PORT=80\nJWT_SECRET={shared}\nAPI_TOKEN={kg.password(24)}\n")
    res, data = _scan(tmp_path, run_cli, "--env-only")
    assert _env(data) == [("env.shared-secret-across-envs", ".env.production", 2, "medium")]
    assert data["summary"]["files_scanned"] == 2
    assert res.code == 0  # a warning: below the default fail threshold
    assert shared not in res.out


def test_allow_marker_in_env_file(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(25).openai_project()
    (tmp_path / ".env").write_text(f"VITE_OPENAI_API_KEY={key}  # launchready:allow\n")
    _res, data = _scan(tmp_path, run_cli, "--env-only")
    assert data["findings"] == [] and data["summary"]["suppressed"] >= 1


def test_staged_env_file_is_reported(repo: Path, run_cli: Any) -> None:
    pw = KeyGen(26).password(20)
    (repo / ".env").write_text(f"SMTP_PASSWORD={pw}\n")
    git(repo, "add", ".env")
    res, data = _scan(repo, run_cli, "--staged")
    assert any(f["rule_id"] == "env.file-not-ignored" and "staged" in f["message"] for f in data["findings"])
    assert res.code == 1 and pw not in res.out


def test_public_by_design_values_under_public_names(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(27)
    browser_key = "AIza" + kg.chars(35)
    anon_jwt = kg.jwt({"iss": "supabase", "ref": kg.chars(20), "role": "anon", "iat": 1700000000, "exp": 2000000000})
    (tmp_path / ".env").write_text(
        f"NEXT_PUBLIC_FIREBASE_API_KEY={browser_key}\n"
        f"NEXT_PUBLIC_SUPABASE_ANON_KEY={anon_jwt}\n"
        f"VITE_GEMINI_API_KEY={browser_key}\n"
    )
    _res, data = _scan(tmp_path, run_cli, "--env-only")
    assert _env(data) == [("env.public-prefix-secret", ".env", 3, "critical")]


def test_publishable_prefixes_are_public_in_env_files_and_code(tmp_path: Path, run_cli: Any) -> None:
    """One list of publishable prefixes (``filters.PUBLIC_PREFIXES``) for the rules and for env
    files' browser variables: a Mapbox ``pk.`` token is public under any name, and so is a
    Plaid ``public-`` token shipped to the browser; a Mapbox ``sk.`` token is still a secret."""
    kg = KeyGen(28)
    public = f"pk.eyJ{kg.chars(60)}.{kg.chars(22)}"  # Mapbox's token shape (base64 JSON, a signature)
    plaid = "public-sandbox-" + kg.uuid()
    (tmp_path / ".env").write_text(f"NEXT_PUBLIC_MAP_TOKEN={public}\nNEXT_PUBLIC_PLAID_LINK_TOKEN={plaid}\n")
    (tmp_path / "map.py").write_text(f'MAP_SECRET_TOKEN = "{public}"\n')
    _res, data = _scan(tmp_path, run_cli, "--env-only")
    assert _env(data) == []
    _res, data = _scan(tmp_path, run_cli)
    assert [f for f in data["findings"] if f["category"] == "secret"] == []
    secret = f"sk.eyJ{kg.chars(60)}.{kg.chars(22)}"
    (tmp_path / "map.py").write_text(f'MAPBOX_SECRET_TOKEN = "{secret}"\n')
    _res, data = _scan(tmp_path, run_cli)
    assert [f["rule_id"] for f in data["findings"] if f["category"] == "secret"] == ["secret.mapbox-secret-token"]


def test_env_file_names_and_environments() -> None:
    from launchready.envfiles import EnvFile, is_env_name

    envs = {
        n: EnvFile(n, None, "").environment
        for n in (".env", ".env.local", ".env.prod", ".env.production.local", "staging.env")
    }
    assert envs == {
        ".env": "default",
        ".env.local": "default",
        ".env.prod": "production",
        ".env.production.local": "production",
        "staging.env": "staging",
    }
    assert [is_env_name(n) for n in (".env.vault", ".envrc", ".env.keys", "docker.env", "env.ts")] == [
        False,
        False,
        True,
        True,
        False,
    ]
    assert EnvFile(".env.example", None, "").is_example and EnvFile(".env.sample.local", None, "").is_example
    assert not EnvFile(".env.production", None, "").is_example


def test_default_env_file_is_not_an_environment(tmp_path: Path, run_cli: Any) -> None:
    shared = KeyGen(28).password(24)
    (tmp_path / ".env").write_text(f"JWT_SECRET={shared}\n")
    (tmp_path / ".env.production").write_text(f"JWT_SECRET={shared}\n")
    _res, data = _scan(tmp_path, run_cli, "--env-only")
    assert _env(data) == []


def test_quiet_on_what_real_ai_repos_commit(repo: Path, run_cli: Any) -> None:
    """False findings real AI chatbot repositories produced (issue 12): placeholders with a
    provider prefix, words naming what goes there, settings under a provider's name, empty
    and id-like public variables. Each stays quiet or, for a secret-named public variable
    without a real value, is at most a medium warning."""
    (repo / ".env.example").write_text(
        "ANTHROPIC_API_KEY=sk-ant-your_anthropic_api_key_here\n"
        "OPENAI_API_KEY=sk-your_openai_api_key_here\n"
        "LANGSMITH_API_KEY=lsv2_your_langsmith_api_key_here\n"
        "LANGGRAPH_AUTH_SECRET=your_langgraph_auth_secret_here\n"
        "STRIPE_WEBHOOK_SECRET=whsec_your_webhook_secret\n"
        "ANON_USAGE_HMAC_SECRET=replace_with_strong_secret\n"
        "INTERNAL_CLEANUP_TOKEN=dev_cleanup_token\n"
        'OPENAI_EMBEDDING_MODEL="text-embedding-ada-002"\n'
        'OPENAI_RETRIEVAL_EMBEDDING_DEPLOYMENT="docs-chatbot-embedding-ada-002"\n'
        "OPENROUTER_ROOT_PROMPT_FILE=lib/prompts/root-system-prompt.txt\n"
        "OPENROUTER_MODELS_LIST=x-ai/grok-3-mini,anthropic/claude-3-haiku,openai/gpt-4o-mini\n"
        "DATABASE_URL=sqlite:///./app.db\n"
    )
    (repo / ".env.local.example").write_text(
        "NEXT_PUBLIC_OPENAI_ORGANIZATION_ID=\n"
        "NEXT_PUBLIC_LANGGRAPH_AUTH_KEY=your_langgraph_auth_secret_here\n"
        "NEXT_PUBLIC_API_KEY_NAME=x-api-key\n"
    )
    _res, data = _scan(repo, run_cli)
    assert _env(data) == [
        ("env.public-prefix-secret", ".env.local.example", 2, "medium"),
        ("env.public-prefix-secret", ".env.local.example", 3, "medium"),
    ]
    assert not [f for f in data["findings"] if f["rule_id"].startswith("secret.")]
    # a real value in the same example file is still reported
    key = KeyGen(23).chars(40)
    with (repo / ".env.example").open("a") as fh:
        fh.write(f"INTERNAL_SERVICE_TOKEN={key}\n")
    _res, data = _scan(repo, run_cli)
    assert ("env.example-real-secret", ".env.example", 13, "high") in _env(data)
