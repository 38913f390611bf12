"""`launchready inventory` on four realistic apps (Next.js, FastAPI, Express, Django): each
app's code and deployment configs are committed under tests/inventory/apps/, its env files
(with generated, key-shaped values) and a git history with a leaked key are made at test
time. The handover document is compared with tests/inventory/expected/<app>.md (commit ids
and keyed hashes normalised), and no output ever holds a value."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path

import pytest
from tests.conftest import git

from launchready.demo.keygen import KeyGen

HERE = Path(__file__).resolve().parent
APPS = HERE / "apps"
EXPECTED = HERE / "expected"
UPDATE = os.environ.get("LAUNCHREADY_UPDATE_EXPECTED") == "1"


def _env_files(app: str, kg: KeyGen) -> dict[str, str]:
    """Per app: the env files a developer has on disk (values generated, never committed)."""
    if app == "nextjs":
        return {
            ".env.local": (
                f"OPENAI_API_KEY={kg.openai_project()}\nPINECONE_API_KEY={kg.pinecone()}\n"
                f"STRIPE_SECRET_KEY={kg.stripe_secret()}\nSTRIPE_WEBHOOK_SECRET={kg.stripe_webhook()}\n"
                f"RESEND_API_KEY=re_{kg.chars(32)}\nNEXT_PUBLIC_POSTHOG_KEY=phc_{kg.chars(40)}\n"
                f"SENTRY_DSN=https://{kg.hex(32)}@o1.ingest.sentry.io/42\n"
                f"ANALYTICS_LEGACY_TOKEN={kg.chars(24)}\n"
            ),
            ".env.example": (
                "OPENAI_API_KEY=your-openai-key\nPINECONE_API_KEY=\nSTRIPE_SECRET_KEY=sk_test_xxx\n"
                "STRIPE_WEBHOOK_SECRET=\nRESEND_API_KEY=\nNEXT_PUBLIC_POSTHOG_KEY=\nSENTRY_DSN=\n"
            ),
        }
    if app == "fastapi":
        return {
            ".env": (
                f"ANTHROPIC_API_KEY={kg.anthropic()}\nQDRANT_URL=http://localhost:6333\nQDRANT_API_KEY=\n"
                "DATABASE_URL=postgresql://localhost:5432/chat\nS3_BUCKET=chat-uploads-dev\n"
                f"AWS_ACCESS_KEY_ID={kg.aws_key_id()}\nAWS_SECRET_ACCESS_KEY={kg.aws_secret()}\n"
                f"SENDGRID_API_KEY={kg.sendgrid()}\nOPENAI_API_KEY={kg.openai_project()}\n"
            ),
        }
    if app == "express":
        return {
            ".env": (
                "MONGODB_URI=mongodb://localhost:27017/chat\n"
                f"GEMINI_API_KEY={kg.google_api()}\nTWILIO_ACCOUNT_SID=AC{kg.hex(32)}\n"
                f"TWILIO_AUTH_TOKEN={kg.hex(32)}\nTWILIO_FROM=+15005550006\nREDIS_URL=redis://localhost:6379\n"
            ),
        }
    return {
        ".env": (
            f"DJANGO_SECRET_KEY={kg.chars(50)}\nDJANGO_DEBUG=true\n"
            "DATABASE_URL=postgres://localhost:5432/chat\n"
            f"OPENAI_API_KEY={kg.openai_project()}\nPINECONE_API_KEY={kg.pinecone()}\n"
            f"STRIPE_SECRET_KEY={kg.stripe_secret()}\nSTRIPE_WEBHOOK_SECRET={kg.stripe_webhook()}\n"
            f"EMAIL_HOST_PASSWORD={kg.password()}\nCELERY_BROKER_URL=redis://localhost:6379/0\n"
        ),
    }


def _make(app: str, tmp: Path) -> tuple[Path, list[str]]:
    """The app as a git repository whose history once held a live key, plus its env files."""
    kg = KeyGen(sum(map(ord, app)))
    repo = tmp / app
    shutil.copytree(APPS / app, repo)
    leaked = {
        "nextjs": kg.openai_project(),
        "fastapi": kg.aws_key_id(),
        "express": kg.google_api(),
        "django": kg.stripe_secret(),
    }[app]
    git(repo, "init", "-q")
    (repo / ".gitignore").write_text(".env\n.env.local\n")
    oops = repo / "config.txt"
    oops.write_text(f"key = {leaked}\n")
    env = {"GIT_AUTHOR_DATE": "2026-01-01T00:00:00Z", "GIT_COMMITTER_DATE": "2026-01-01T00:00:00Z"}
    os.environ.update(env)
    try:
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "first version")
        oops.unlink()
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "remove the key")
    finally:
        for k in env:
            os.environ.pop(k, None)
    files = _env_files(app, kg)
    for name, text in files.items():
        (repo / name).write_text(text)
    values = [leaked] + [
        line.split("=", 1)[1]
        for text in files.values()
        for line in text.splitlines()
        if "=" in line and len(line.split("=", 1)[1]) >= 12
    ]
    return repo, values


def _normalise(text: str) -> str:
    text = re.sub(r"\b[0-9a-f]{12}\b", "<commit>", text)
    return re.sub(r"#[0-9a-f]{6}\]", "#<hash>]", text)


@pytest.mark.parametrize("app", ["nextjs", "fastapi", "express", "django"])
def test_inventory_matches_the_expected_handover(app: str, tmp_path: Path, run_cli) -> None:
    repo, values = _make(app, tmp_path)
    res = run_cli(["inventory", "--markdown", "handover.md", "--json", "inv.json", "--fail-on", "low"], repo)
    doc = (repo / "handover.md").read_text()
    report = (repo / "inv.json").read_text()
    for value in values:  # names, places and states only: never a value
        for out in (doc, report, res.out, res.err):
            assert value not in out, (app, value[:4])
    expected = EXPECTED / f"{app}.md"
    if UPDATE:
        expected.write_text(_normalise(doc))
    assert _normalise(doc) == expected.read_text()
    data = json.loads(report)
    rules = {f["rule_id"] for f in data["findings"]}
    assert "env.missing-in-production" in rules and "env.defined-unused" in rules
    assert res.code == 1  # a warning at --fail-on low
    leaked = [s for s in data["inventory"]["services"] if s["leaked_in_history"]]
    assert leaked and all(not x["present_at_head"] for s in leaked for x in s["leaked_in_history"])


def test_inventory_report_validates_and_renders(tmp_path: Path, run_cli) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    repo, values = _make("express", tmp_path)
    res = run_cli(["inventory", "--no-history", "--json", "inv.json", "--html", "inv.html"], repo)
    assert res.code == 0, res.err  # warnings only at the default --fail-on high
    schema = json.loads((HERE.parents[1] / "schemas" / "report.schema.json").read_text())
    data = json.loads((repo / "inv.json").read_text())
    jsonschema.validate(data, schema)
    assert data["command"] == "inventory"
    assert "history not scanned" in data["inventory"]["history"]
    html = (repo / "inv.html").read_text()
    assert "TWILIO_AUTH_TOKEN" in html and "Integrations" in html
    assert "Twilio" in res.out and "TWILIO_AUTH_TOKEN" in res.out
    for value in values:
        assert value not in html and value not in res.out


def test_no_production_definitions_means_unknown_not_missing(tmp_path: Path, run_cli) -> None:
    app = tmp_path / "app"
    app.mkdir()
    (app / "server.js").write_text("const key = process.env.OPENAI_API_KEY;\n")
    (app / ".env").write_text("OPENAI_API_KEY=\n")
    res = run_cli(["inventory", "--json", "inv.json", "--markdown", "doc.md", "--fail-on", "info"], app)
    data = json.loads((app / "inv.json").read_text())
    assert not [f for f in data["findings"] if f["rule_id"] == "env.missing-in-production"]
    assert "unknown" in (app / "doc.md").read_text()
    assert "not a git repository" in data["inventory"]["history"]
    assert res.code == 0


def test_a_monorepo_frontend_is_not_judged_by_the_backend_deploy(tmp_path: Path, run_cli) -> None:
    app = tmp_path / "mono"
    (app / "frontend").mkdir(parents=True)
    (app / ".github" / "workflows").mkdir(parents=True)
    (app / "pyproject.toml").write_text('[project]\nname = "api"\ndependencies = ["openai"]\n')
    (app / "api.py").write_text('import os\nKEY = os.environ["OPENAI_API_KEY"]\nDSN = os.environ["SENTRY_DSN"]\n')
    (app / "frontend" / "package.json").write_text('{"dependencies": {"next": "15.0.0"}}')
    (app / "frontend" / "page.tsx").write_text("const url = process.env.NEXT_PUBLIC_SUPABASE_URL!;\n")
    (app / ".github" / "workflows" / "deploy.yml").write_text(
        "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n"
        "    steps:\n      - run: ./deploy.sh\n        env:\n          OPENAI_API_KEY: ${{ secrets.OPENAI_API_KEY }}\n"
    )
    run_cli(["inventory", "--json", "inv.json", "-q"], app)
    missing = {
        f["message"].split()[0]
        for f in json.loads((app / "inv.json").read_text())["findings"]
        if f["rule_id"] == "env.missing-in-production"
    }
    assert missing == {"SENTRY_DSN"}  # the backend's; the frontend deploys elsewhere
