"""The demo's git repository: a small FastAPI + Vite chatbot, flawed or fixed.

Flawed: a committed ``.env`` that ``.gitignore`` does not cover, a ``VITE_`` variable holding
a key, a build bundle (``dist/``, ignored as build output usually is) shipping a key and its
source map, a Stripe key committed and then deleted (alive in history), a GitHub token staged
but not committed, and code-level flaws in ``app/main.py`` (CORS ``*`` with credentials,
debug on, secrets and headers logged, no rate limiter). Fixed: the same project done right.

Every secret-shaped value comes from ``DemoValues`` (generated at run time).
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path
from typing import Any

import yaml

from launchready.demo import APP_HOST, DOMAIN
from launchready.demo.frontend import BUNDLE_NAME, api_source, build
from launchready.demo.server import env_file
from launchready.demo.values import DemoValues

GIT_ID = ("launchready demo", f"founder@{DOMAIN}")
GIT_FLAGS = [
    "-c",
    f"user.name={GIT_ID[0]}",
    "-c",
    f"user.email={GIT_ID[1]}",
    "-c",
    "commit.gpgsign=false",
    "-c",
    "core.hooksPath=/dev/null",
    "-c",
    "init.defaultBranch=main",
    "-c",
    "core.autocrlf=false",
]


def git(repo: Path, *args: str, date: str | None = None) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    env.update(GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0")
    env.update(
        GIT_AUTHOR_NAME=GIT_ID[0],
        GIT_AUTHOR_EMAIL=GIT_ID[1],
        GIT_COMMITTER_NAME=GIT_ID[0],
        GIT_COMMITTER_EMAIL=GIT_ID[1],
    )
    if date:
        env.update(GIT_AUTHOR_DATE=date, GIT_COMMITTER_DATE=date)
    proc = subprocess.run(
        ["git", *GIT_FLAGS, "-C", str(repo), *args], env=env, capture_output=True, text=True, check=False
    )
    if proc.returncode != 0:
        raise RuntimeError(f"git {args[0]} failed in the demo repository: {proc.stderr.strip()}")
    return proc.stdout


GITIGNORE_FLAWED = "node_modules/\ndist/\n__pycache__/\n"
GITIGNORE_FIXED = "node_modules/\ndist/\n__pycache__/\n.env\n.env.*\n!.env.example\n"

REQUIREMENTS_FLAWED = "fastapi==0.115.6\nuvicorn==0.34.0\nopenai==1.59.7\n"
REQUIREMENTS_FIXED = REQUIREMENTS_FLAWED + "slowapi==0.1.9\nsentry-sdk==2.19.2\n"

MAIN_FLAWED = '''"""Demo Chat API."""

import logging
import os

from fastapi import FastAPI, Request, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from openai import OpenAI

from app.store import chats

logger = logging.getLogger("chat")
OPENAI_API_KEY = os.environ["OPENAI_API_KEY"]
client = OpenAI(api_key=OPENAI_API_KEY)

app = FastAPI(debug=True)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)


@app.middleware("http")
async def log_requests(request: Request, call_next):
    logger.info("request headers: %s", request.headers)
    return await call_next(request)


@app.post("/api/login")
async def login(body: dict):
    return {"user": body["username"]}


@app.post("/api/chat")
async def chat(body: dict):
    logger.info("calling the model with key %s", OPENAI_API_KEY)
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": body["message"]}]
    )
    return {"reply": reply.choices[0].message.content}


@app.get("/api/chats/{chat_id}")
async def read_chat(chat_id: str):
    return chats[chat_id]


@app.post("/api/upload")
async def upload(file: UploadFile):
    data = await file.read()
    return {"bytes": len(data)}


if __name__ == "__main__":
    import uvicorn

    print(os.environ)
    uvicorn.run(app, host="0.0.0.0", port=8000)
'''

MAIN_FIXED = '''"""Demo Chat API."""

import logging
import os

import sentry_sdk
from fastapi import Depends, FastAPI, HTTPException, Request, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from openai import OpenAI
from slowapi import Limiter, _rate_limit_exceeded_handler
from slowapi.errors import RateLimitExceeded
from slowapi.util import get_remote_address

from app.auth import current_user
from app.store import chats

logger = logging.getLogger("chat")
sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), send_default_pii=False)
client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
limiter = Limiter(key_func=get_remote_address)
MAX_UPLOAD_BYTES = 1_048_576

app = FastAPI()
app.state.limiter = limiter
app.add_exception_handler(RateLimitExceeded, _rate_limit_exceeded_handler)
app.add_middleware(
    CORSMiddleware,
    allow_origins=["https://__APP_HOST__"],
    allow_credentials=True,
    allow_methods=["GET", "POST"],
    allow_headers=["Content-Type", "Authorization"],
)


@app.post("/api/login")
@limiter.limit("5/minute")
async def login(request: Request, body: dict):
    return {"user": body["username"]}


@app.post("/api/chat")
@limiter.limit("10/minute")
async def chat(request: Request, body: dict, user: str = Depends(current_user)):
    logger.info("chat request from user %s", user)
    reply = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": body["message"]}]
    )
    return {"reply": reply.choices[0].message.content}


@app.get("/api/chats/{chat_id}")
async def read_chat(chat_id: str, user: str = Depends(current_user)):
    chat = chats.get(chat_id)
    if chat is None or chat["owner"] != user:
        raise HTTPException(status_code=404)
    return chat


@app.post("/api/upload")
@limiter.limit("5/minute")
async def upload(request: Request, file: UploadFile, user: str = Depends(current_user)):
    data = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413)
    return {"bytes": len(data)}
'''.replace("__APP_HOST__", APP_HOST)

AUTH_FIXED = '''"""Who is calling: the session token, checked against the session store."""

from fastapi import Header, HTTPException

from app.store import sessions


def current_user(authorization: str = Header(default="")) -> str:
    user = sessions.get(authorization.removeprefix("Bearer ").strip())
    if user is None:
        raise HTTPException(status_code=401)
    return user
'''

STORE = '''"""In-memory stores (the real app uses Postgres)."""

chats: dict[str, dict] = {}
sessions: dict[str, str] = {}
'''

ENV_EXAMPLE = "# copy to .env and fill in (never commit .env)\nOPENAI_API_KEY=\nDATABASE_URL=\n"

PACKAGE_JSON = (
    '{\n  "name": "demo-chat-web",\n  "private": true,\n  "scripts": {"build": "vite build"},\n'
    '  "devDependencies": {"vite": "^5.4.0"}\n}\n'
)
VITE_CONFIG_FLAWED = (
    "import { defineConfig } from 'vite';\n\nexport default defineConfig({\n  build: { sourcemap: true },\n});\n"
)
VITE_CONFIG_FIXED = (
    "import { defineConfig } from 'vite';\n\nexport default defineConfig({\n  build: { sourcemap: false },\n});\n"
)

README = "# Demo Chat\n\nA small AI chatbot: FastAPI backend (`app/`), Vite frontend (`web/`).\n"


def live_config(base_url: str, http_url: str, alice_chat: str, fixed: bool) -> dict[str, Any]:
    """The ``live:`` section a user of this app would write (see docs/live-checks.md)."""
    return {
        "targets": [{"url": base_url + "/", "http_url": http_url + "/"}],
        "allowed_origins": [base_url],
        "identities": {"a": {"token_env": "LR_DEMO_USER_A_TOKEN"}, "b": {"token_env": "LR_DEMO_USER_B_TOKEN"}},
        "budget": {"requests": 300, "seconds": 25},
        "concurrency": 4,
        "timeout": 5,
        "redirect": {"paths": ["/api/login", "/api/chat"]},
        "cors": {"endpoints": [{"path": "/api/chat", "method": "POST"}]},
        "input": {
            "endpoints": [{"path": "/api/echo", "method": "POST", "body": {"message": "hello"}}],
            "max_body_bytes": 65536,
        },
        "ratelimit": {
            "endpoints": [
                {
                    "path": "/api/chat",
                    "method": "POST",
                    "kind": "chat",
                    "identity": "b",
                    "limit": 10,
                    "body": {"message": "hi"},
                },
            ]
        },
        "authz": {
            "resources": [{"path": f"/api/chats/{alice_chat}", "owner": "a", "markers": ["Alice's launch plan"]}]
        },
        "latency": {
            "endpoints": [{"path": "/api/history", "identity": "a"}, {"path": "/health"}],
            "samples": 4,
            "threshold_ms": 500,
        },
        "email": {"domain": DOMAIN, "dkim_selectors": ["demo"]},
        "monitoring": {"health": "/health", "status_page": base_url + "/status"},
    }


def journey_config() -> dict[str, Any]:
    """The ``journey:`` a user of this app would write (see docs/journey.md): a new user signs
    up, logs in and reads the streamed chat reply. The site is live.targets[0]."""
    creds = {"email": "{email}", "password": "{password}"}
    return {
        "email_domain": DOMAIN,
        "latency_ms": 3000,
        "stream_latency_ms": 5000,
        "steps": [
            {"name": "signup", "path": "/api/signup", "json": creds, "expect": {"status": 201}},
            {
                "name": "login",
                "path": "/api/login",
                "json": {"username": "{email}", "password": "{password}"},
                "expect": {"status": 200},
                "capture": {"session": {"cookie": "session"}},
            },
            {
                "name": "chat",
                "path": "/api/chat/stream",
                "headers": {"Cookie": "session={var: session}"},
                "json": {"message": "Say hello"},
                "stream": "sse",
                "expect": {"reply_contains": "hello"},
            },
        ],
    }


def write_config(repo: Path, live: dict[str, Any]) -> Path:
    path = repo / ".launchready.yml"
    text = (
        "# launchready configuration for Demo Chat (written by `launchready demo`).\n"
        "# The live checks run against the deployed site; identities come from environment\n"
        "# variables, never from this file. The journey is a new user's first minute.\n"
        + yaml.safe_dump(
            {"version": 1, "live": live, "journey": journey_config()}, sort_keys=False, default_flow_style=False
        )
    )
    path.write_text(text, encoding="utf-8")
    return path


def _write(repo: Path, rel: str, text: str) -> None:
    p = repo / rel
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def create_repo(repo: Path, values: DemoValues, fixed: bool, live: dict[str, Any]) -> Path:
    """Create the demo repository at ``repo`` (history, working tree, index). Returns it."""
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q")
    # 1. the first commit: the skeleton
    _write(repo, "README.md", README)
    _write(repo, ".gitignore", GITIGNORE_FIXED if fixed else GITIGNORE_FLAWED)
    _write(repo, "requirements.txt", REQUIREMENTS_FIXED if fixed else REQUIREMENTS_FLAWED)
    _write(repo, "app/__init__.py", "")
    _write(repo, "app/store.py", STORE)
    _write(repo, "web/package.json", PACKAGE_JSON)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Start Demo Chat", date="2026-01-05T10:00:00+00:00")
    # 2. billing: flawed commits a Stripe key, then "removes" it (it stays in history)
    if fixed:
        _write(repo, "app/billing.py", 'import os\n\nSTRIPE_KEY = os.environ["STRIPE_SECRET_KEY"]\n')
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Add billing", date="2026-01-08T15:30:00+00:00")
    else:
        _write(repo, "app/billing.py", f'STRIPE_KEY = "{values.stripe_key}"\n')
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Add billing", date="2026-01-08T15:30:00+00:00")
        (repo / "app/billing.py").unlink()
        git(repo, "add", "-A")
        git(repo, "commit", "-q", "-m", "Remove hard-coded Stripe key", date="2026-01-09T09:10:00+00:00")
    # 3. the app and the frontend
    front = build(values, fixed)
    _write(repo, "app/main.py", MAIN_FIXED if fixed else MAIN_FLAWED)
    if fixed:
        _write(repo, "app/auth.py", AUTH_FIXED)
        _write(repo, ".env.example", ENV_EXAMPLE)
    else:
        _write(repo, ".env", env_file(values))
        _write(repo, "web/.env", f"VITE_OPENAI_API_KEY={values.openai_key}\n")
    _write(repo, "web/vite.config.ts", VITE_CONFIG_FIXED if fixed else VITE_CONFIG_FLAWED)
    _write(repo, "web/src/api.ts", api_source(values, fixed))
    _write(repo, "web/index.html", front.index_html)
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "Chat API and web client", date="2026-01-12T18:45:00+00:00")
    # 4. build output (ignored by git, shipped to users): scanned with --bundle
    _write(repo, f"dist/static/{BUNDLE_NAME}", front.bundle_js)
    _write(repo, "dist/index.html", front.index_html)
    if front.source_map is not None:
        _write(repo, f"dist/static/{BUNDLE_NAME}.map", front.source_map)
    # 5. the live config, committed like a user would
    write_config(repo, live)
    git(repo, "add", ".launchready.yml")
    git(repo, "commit", "-q", "-m", "Configure launchready live checks", date="2026-01-14T11:00:00+00:00")
    # 6. the index: flawed stages a script with a token; fixed stages a harmless change
    if fixed:
        _write(repo, "scripts/seed_admin.py", 'import os\n\nTOKEN = os.environ["GITHUB_TOKEN"]\n')
    else:
        _write(repo, "scripts/seed_admin.py", f'GITHUB_TOKEN = "{values.github_token}"\n')
    git(repo, "add", "scripts/seed_admin.py")
    return repo
