"""Whole-application repo rules: true and false cases per framework, as small multi-file apps.

Expected findings are ``expect`` markers inside the files (see markers.py).
"""

from __future__ import annotations

import textwrap

import pytest

from launchready.repo import checks_for_app, checks_for_file

from .markers import actual, expected

APPS: dict[str, dict[str, str]] = {
    # ------------------------------------------------------------------ rate limiting
    "fastapi-no-limiter": {
        "app/main.py": """
            from fastapi import FastAPI
            app = FastAPI()
            @app.post("/v1/chat/completions")  # expect: repo.ratelimit-missing
            async def completions() -> dict: ...
            @app.get("/chat")
            async def chat_page() -> str: ...
            @app.post("/items")
            async def items() -> dict: ...
        """,
    },
    "fastapi-slowapi": {
        "app/limits.py": "from slowapi import Limiter\nlimiter = Limiter(key_func=lambda r: 'x')\n",
        "app/main.py": """
            from fastapi import FastAPI
            app = FastAPI()
            @app.post("/v1/chat/completions")
            async def completions() -> dict: ...
        """,
    },
    "flask-no-limiter": {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)
            @app.route("/login", methods=["GET", "POST"])  # expect: repo.ratelimit-missing
            def login(): ...
            @app.route("/login-help")
            def login_help(): ...
        """,
    },
    "flask-limiter": {
        "app.py": """
            from flask import Flask
            from flask_limiter import Limiter
            app = Flask(__name__)
            @app.route("/login", methods=["POST"])
            def login(): ...
        """,
    },
    "django-drf-throttle": {
        "mysite/settings.py": """
            INSTALLED_APPS = ["rest_framework"]
            SESSION_COOKIE_SECURE = True
            REST_FRAMEWORK = {"DEFAULT_THROTTLE_RATES": {"anon": "10/min"}}
        """,
        "mysite/urls.py": """
            from django.urls import path
            from api import views
            urlpatterns = [path("api/chat/", views.chat)]
        """,
    },
    "express-no-limiter-then-nginx": {
        "server.js": """
            const express = require('express');
            const app = express();
            app.post('/api/generate', handler); // expect: repo.ratelimit-missing
            app.get('/api/generate/status', status);
            axios.post('/api/login', body);
        """,
    },
    "express-behind-nginx-limit": {
        "server.js": """
            const express = require('express');
            const app = express();
            app.post('/api/generate', handler);
        """,
        "deploy/nginx.conf": """
            http {
              limit_req_zone $binary_remote_addr zone=api:10m rate=5r/s;
              server { location /api/ { limit_req zone=api burst=10; } }
            }
        """,
    },
    "express-commented-nginx": {
        "server.js": """
            import express from 'express';
            const app = express();
            app.post('/signup', handler); // expect: repo.ratelimit-missing
        """,
        "deploy/nginx.conf": "# limit_req zone=api burst=10;\nserver { listen 80; }\n",
    },
    "fastify-rate-limit": {
        "server.ts": """
            import Fastify from 'fastify';
            import rateLimit from '@fastify/rate-limit';
            const app = Fastify();
            await app.register(rateLimit, { max: 100, timeWindow: '1 minute' });
            app.post('/api/chat', handler);
        """,
    },
    "fastify-no-limit": {
        "server.ts": """
            import Fastify from 'fastify';
            const app = Fastify();
            app.post('/api/chat', handler); // expect: repo.ratelimit-missing
        """,
    },
    "hono-no-limit-then-limited": {
        "src/index.ts": """
            import { Hono } from 'hono';
            const app = new Hono();
            app.post('/api/chat', (c) => c.json({})); // expect: repo.ratelimit-missing
            app.get('/api/chat/history', (c) => c.json([]));
        """,
    },
    "hono-limited": {
        "src/index.ts": """
            import { Hono } from 'hono';
            import { rateLimiter } from 'hono-rate-limiter';
            const app = new Hono();
            app.use(rateLimiter({ windowMs: 60000, limit: 20, keyGenerator: (c) => 'k' }));
            app.post('/api/chat', (c) => c.json({}));
        """,
    },
    "caddy-rate-limit": {
        "server.js": "const express = require('express');\nconst app = express();\napp.post('/login', h);\n",
        "Caddyfile": "example.com {\n  rate_limit {remote.ip} 10r/m\n  reverse_proxy localhost:3000\n}\n",
    },
    "traefik-rate-limit": {
        "app.py": "from fastapi import FastAPI\napp = FastAPI()\n@app.post('/login')\ndef login(): ...\n",
        "traefik/dynamic.yml": "http:\n  middlewares:\n    api-limit:\n      rateLimit:\n        average: 10\n",
    },
    "next-upstash": {
        "app/api/chat/route.ts": "export async function POST(req: Request) { return new Response('ok'); }\n",
        "middleware.ts": "import { Ratelimit } from '@upstash/ratelimit';\nexport function middleware() {}\n",
    },
    "next-pages-api": {
        "pages/api/upload.ts": """
            export default async function handler(req, res) { // expect: repo.ratelimit-missing
              res.status(200).json({ ok: true });
            }
        """,
        "pages/api/hello.ts": "export default function handler(req, res) { res.json({}) }\n",
    },
    # ------------------------------------------------------------------ webhooks
    "stripe-python-verified-elsewhere": {
        "app/main.py": """
            from fastapi import FastAPI, Request
            from app.stripe_util import verified_event
            app = FastAPI()
            @app.post("/webhooks/stripe")
            async def stripe_webhook(request: Request) -> dict:
                return await verified_event(request)
        """,
        "app/stripe_util.py": """
            import stripe
            async def verified_event(request):
                return stripe.Webhook.construct_event(await request.body(), request.headers["stripe-signature"], SECRET)
        """,
    },
    "github-js-unverified": {
        "server.js": """
            const express = require('express');
            const app = express();
            app.post('/github/webhook', express.json(), (req, res) => { // expect: repo.auth-webhook-unverified
              if (req.headers['x-github-event'] === 'push') deploy();
              res.sendStatus(204);
            });
            // crypto.timingSafeEqual(a, b) would verify it
        """,
    },
    "github-js-verified": {
        "server.js": """
            const crypto = require('crypto');
            const express = require('express');
            const app = express();
            app.post('/github/webhook', express.raw({ type: '*/*' }), (req, res) => {
              const sig = Buffer.from(req.get('X-Hub-Signature-256') || '');
              const mac = Buffer.from('sha256=' + crypto.createHmac('sha256', SECRET).update(req.body).digest('hex'));
              if (sig.length !== mac.length || !crypto.timingSafeEqual(sig, mac)) return res.sendStatus(401);
              res.sendStatus(204);
            });
        """,
    },
    "slack-flask-unverified": {
        "app.py": """
            from flask import Flask, request
            app = Flask(__name__)
            @app.route("/slack/events", methods=["POST"])  # expect: repo.auth-webhook-unverified
            def slack_events():
                return {"challenge": request.json.get("challenge")}
        """,
    },
    "slack-flask-verified": {
        "app.py": """
            from flask import Flask, abort, request
            from slack_sdk.signature import SignatureVerifier
            verifier = SignatureVerifier(SIGNING)
            app = Flask(__name__)
            @app.route("/slack/events", methods=["POST"])
            def slack_events():
                if not verifier.is_valid_request(request.get_data(), request.headers):
                    abort(401)
                return {"ok": True}
        """,
    },
    "slack-bolt-js": {
        "server.js": """
            const express = require('express');
            const { App } = require('@slack/bolt');
            const app = express();
            app.post('/slack/events', handler);
        """,
        "limits.js": "const rateLimit = require('express-rate-limit');\n",
    },
    "stripe-next-unverified-pages-api": {
        "pages/api/webhooks/stripe.ts": """
            export default async function handler(req, res) { // expect: repo.auth-webhook-unverified
              const event = req.body;
              res.json({ received: true });
            }
        """,
    },
    "stripe-express-named-handler": {
        "server.js": """
            const express = require('express');
            const stripe = require('stripe')(process.env.STRIPE_API_KEY);
            const { onStripeEvent } = require('./billing');
            const app = express();
            app.post('/webhook', express.json(), onStripeEvent); // expect: repo.auth-webhook-unverified
        """,
        "limits.js": "const rateLimit = require('express-rate-limit');\n",
    },
    "generic-webhook-unknown-provider": {
        "app.py": """
            from flask import Flask
            app = Flask(__name__)
            @app.route("/webhook", methods=["POST"])
            def hook():
                return "ok"
        """,
    },
    # ------------------------------------------------------------------ .env and .gitignore
    "dotenv-next-not-ignored": {
        "package.json": '{"dependencies": {"next": "14.2.14", "react": "18.3.1"}}\n',
        ".gitignore": "node_modules/\n# expect-file: repo.secrets-dotenv-not-ignored\n",
    },
    "dotenv-file-only-is-left-to-env-rules": {
        ".env": "PORT=8000\n",
        ".gitignore": "node_modules/\n",
    },
    "dotenv-ignored-by-glob": {
        ".env": "PORT=8000\n",
        ".gitignore": "node_modules/\n.env*\n!.env.example\n",
        "server.js": "require('dotenv').config();\n",
    },
    "dotenv-negated": {
        "app/settings.py": "import environ\nenv = environ.Env()\nenviron.Env.read_env()\n",
        ".gitignore": ".env\n!.env\n# expect-file: repo.secrets-dotenv-not-ignored\n",
    },
    "no-env-files": {
        "app.py": "import os\nPORT = os.environ.get('PORT')\n# load_dotenv()\n",
        ".gitignore": "__pycache__/\n",
    },
    # ------------------------------------------------------------------ uploads (Flask, Django)
    "flask-upload-no-limit": {
        "app.py": """
            from flask import Flask, request
            app = Flask(__name__)
            @app.post("/avatar")
            def avatar():
                f = request.files["avatar"]  # expect: repo.upload-no-limit
                f.save("/tmp/a")
                return "ok"
        """,
        "limits.py": "from flask_limiter import Limiter\n",
    },
    "flask-upload-limit-in-config": {
        "app.py": """
            from flask import Flask, request
            app = Flask(__name__)
            app.config.from_object("config.Production")
            @app.post("/avatar")
            def avatar():
                request.files["avatar"].save("/tmp/a")
                return "ok"
        """,
        "config.py": "class Production:\n    MAX_CONTENT_LENGTH = 5 * 1024 * 1024\n",
        "limits.py": "from flask_limiter import Limiter\n",
    },
    "http-client-request-files-is-not-flask": {
        "client/session.py": """
            def send(request):
                return encode(request.files, request.data)
        """,
    },
    "django-upload-checked": {
        "docs/views.py": """
            from django.http import JsonResponse
            def upload(request):
                f = request.FILES["file"]
                if f.size > 5_000_000:
                    return JsonResponse({}, status=413)
                return JsonResponse({"name": f.name})
        """,
    },
    "django-upload-proxy-limit": {
        "docs/views.py": """
            def upload(request):
                return save(request.FILES["file"])
        """,
        "nginx/site.conf": "server {\n  client_max_body_size 10m;\n}\n",
    },
    # ------------------------------------------------------------------ Flask session cookie
    "flask-session-secure-unset": {
        "app.py": """
            from flask import Flask, session  # expect: repo.auth-cookie-insecure
            app = Flask(__name__)
            app.config["SECRET_KEY"] = load_key()
        """,
    },
    "flask-session-secure-set": {
        "app.py": "from flask import Flask, session\napp = Flask(__name__)\napp.config.from_object('settings')\n",
        "settings.py": "SESSION_COOKIE_SECURE = True\nSESSION_COOKIE_SAMESITE = 'Lax'\n",
    },
    "flask-session-from-env": {
        "app.py": "from flask import Flask, session\napp = Flask(__name__)\napp.config.from_prefixed_env()\n",
    },
    # ------------------------------------------------------------------ Docker build context
    "docker-copy-context-with-dotenv": {
        "Dockerfile": """
            FROM python:3.12-slim
            # expect-next: repo.secrets-dockerfile-copy-env
            COPY . /app
            COPY --from=builder /out /app/out
        """,
        "app/main.py": "from dotenv import load_dotenv\nload_dotenv()\n",
        ".gitignore": ".env\n",
    },
    "docker-copy-context-dockerignore": {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        ".dockerignore": "**/.env\n.git\n",
        "app/main.py": "from dotenv import load_dotenv\nload_dotenv()\n",
        ".gitignore": ".env\n",
    },
    "docker-copy-context-no-env-files": {
        "Dockerfile": "FROM python:3.12-slim\nCOPY . /app\n",
        "app/main.py": "import os\nPORT = os.environ.get('PORT', '8000')\n",
    },
    # ------------------------------------------------------------------ Django session cookie
    "django-split-settings-secure": {
        "mysite/settings/base.py": """
            INSTALLED_APPS = ["django.contrib.sessions"]
            ROOT_URLCONF = "mysite.urls"
        """,
        "mysite/settings/production.py": "from .base import *\nSESSION_COOKIE_SECURE = True\n",
    },
    "django-settings-dev-only": {
        "mysite/settings/dev.py": 'INSTALLED_APPS = ["django.contrib.sessions"]\nDEBUG = True\n',
    },
}


# The whole-app error-tracking rule would fire on nearly every small app here: its own cases
# are in test_error_tracking.py.
NOT_HERE = {"repo.error-tracking-missing"}


def _app(name: str) -> list[tuple[str, str]]:
    return [(p, textwrap.dedent(t).lstrip("\n")) for p, t in APPS[name].items()]


@pytest.mark.parametrize("name", sorted(APPS))
def test_app(name: str) -> None:
    files = _app(name)
    want = set()
    found = list(checks_for_app(files, disabled=NOT_HERE))
    for path, text in files:
        want |= expected(path, text)
        found.extend(checks_for_file(path, text))
    assert sorted(actual(found), key=str) == sorted(want, key=str)


def test_ratelimit_is_one_finding_per_application_listing_its_routes() -> None:
    files = [
        (
            "server.js",
            "const express = require('express');\nconst app = express();\n"
            "app.post('/api/chat', h);\napp.post('/login', h);\n"
            "app.post('/upload', h);  // launchready:allow limited at the proxy\n",
        )
    ]
    [found] = checks_for_app(files, disabled=NOT_HERE)
    assert found.line == 3
    assert "2 sensitive route(s)" in found.message
    assert "POST /api/chat (server.js:3)" in found.message and "POST /login (server.js:4)" in found.message
    assert "/upload" not in found.message  # its line says it is limited elsewhere


def test_app_rules_ignore_test_files() -> None:
    files = [("tests/test_api.py", 'from fastapi import FastAPI\napp = FastAPI()\n@app.post("/chat")\ndef c(): ...\n')]
    assert checks_for_app(files) == []


def test_app_rules_tolerate_unparsable_files() -> None:
    files = [
        ("app/main.py", "@app.post('/chat'\ndef broken(:\n"),
        ("server.js", "app.post('/login', (req, res) => {{{"),
    ]
    found = checks_for_app(files)
    assert {f.rule_id for f in found} <= {"repo.ratelimit-missing"}


def test_dotenv_without_any_gitignore_points_at_the_missing_file() -> None:
    found = checks_for_app([("server.js", "import 'dotenv/config';\n")])
    assert [(f.path, f.line, f.rule_id) for f in found] == [(".gitignore", None, "repo.secrets-dotenv-not-ignored")]
    assert "server.js loads env files" in found[0].message
