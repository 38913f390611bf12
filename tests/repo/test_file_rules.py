"""Per-file repo rules: a true and a false case per rule and framework.

Each case is a real-shaped source file; the findings it must produce are written into it as
``# expect: <rule>`` / ``// expect: <rule>`` comments, and a case without markers must
produce nothing. Comparison is on exact (path, line, rule) sets.
"""

from __future__ import annotations

import textwrap

import pytest

from launchready.repo import checks_for_file

from .markers import actual, expected

CASES: list[tuple[str, str, str]] = [
    # ---------------------------------------------------------------- browser AI clients
    (
        "browser-allow-true",
        "src/lib/ai.ts",
        """
        import OpenAI from "openai";
        export const client = new OpenAI({
          apiKey: userKey,
          dangerouslyAllowBrowser: true, // expect: repo.secrets-ai-browser-client
        });
    """,
    ),
    (
        "browser-allow-false",
        "src/lib/ai.ts",
        """
        import OpenAI from "openai";
        // do not use dangerouslyAllowBrowser: true here
        const note = "dangerouslyAllowBrowser: true";
        export const client = new OpenAI({ apiKey: serverKey, dangerouslyAllowBrowser: false });
    """,
    ),
    (
        "use-client-component",
        "app/chat/page.tsx",
        """
        'use client';
        import Anthropic from '@anthropic-ai/sdk';
        export default function Chat() {
          const client = new Anthropic(); // expect: repo.secrets-ai-client-component
          return <div>Chat</div>;
        }
    """,
    ),
    (
        "server-component-ok",
        "app/chat/page.tsx",
        """
        import Anthropic from '@anthropic-ai/sdk';
        export default async function Chat() {
          const client = new Anthropic();
          return <div>'use client' is not here</div>;
        }
    """,
    ),
    (
        "client-component-fetches-api",
        "app/chat/page.tsx",
        """
        "use client";
        export default function Chat() {
          // new OpenAI() would be wrong here
          const send = () => fetch("/api/chat", { method: "POST" });
          return <button onClick={send}>Send</button>;
        }
    """,
    ),
    (
        "next-public-key",
        "lib/openai.ts",
        """
        import OpenAI from "openai";
        export const openai = new OpenAI({
          apiKey: process.env.NEXT_PUBLIC_OPENAI_API_KEY, // expect: repo.secrets-ai-public-env-key
        });
    """,
    ),
    (
        "vite-public-key",
        "src/ai.js",
        """
        import { createOpenAI } from '@ai-sdk/openai'
        const provider = createOpenAI({ apiKey: import.meta.env.VITE_OPENAI_KEY }) // expect: repo.secrets-ai-public-env-key
    """,
    ),
    (
        "server-env-key",
        "lib/openai.ts",
        """
        import OpenAI from "openai";
        const base = process.env.NEXT_PUBLIC_APP_URL;
        export const openai = new OpenAI({ apiKey: process.env.OPENAI_API_KEY });
    """,
    ),
    # ---------------------------------------------------------------- CORS
    (
        "fastapi-cors-wildcard",
        "app/main.py",
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        app = FastAPI()
        app.add_middleware(  # expect: repo.cors-wildcard-credentials
            CORSMiddleware,
            allow_origins=["*"],
            allow_credentials=True,
        )
    """,
    ),
    (
        "fastapi-cors-regex",
        "app/main.py",
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        app = FastAPI()
        app.add_middleware(CORSMiddleware, allow_origin_regex="https://.*", allow_credentials=True)  # expect: repo.cors-wildcard-credentials
    """,
    ),
    (
        "fastapi-cors-ok",
        "app/main.py",
        """
        from fastapi import FastAPI
        from fastapi.middleware.cors import CORSMiddleware
        ORIGINS = ["https://app.example.com"]
        app = FastAPI()
        app.add_middleware(CORSMiddleware, allow_origins=ORIGINS, allow_credentials=True)
        app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=False)
        app.add_middleware(CORSMiddleware, allow_origin_regex=r"https://[a-z]+\\.example\\.com", allow_credentials=True)
        # app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_credentials=True)
    """,
    ),
    (
        "starlette-cors-resolved-name",
        "app/server.py",
        """
        from starlette.middleware import Middleware
        from starlette.middleware.cors import CORSMiddleware
        ALLOWED = ["*"]
        middleware = [Middleware(CORSMiddleware, allow_origins=ALLOWED, allow_credentials=True)]  # expect: repo.cors-wildcard-credentials
    """,
    ),
    (
        "flask-cors-wildcard",
        "app.py",
        """
        from flask import Flask
        from flask_cors import CORS
        app = Flask(__name__)
        CORS(app, supports_credentials=True)  # expect: repo.cors-wildcard-credentials
    """,
    ),
    (
        "flask-cors-ok",
        "app.py",
        """
        from flask import Flask
        from flask_cors import CORS
        app = Flask(__name__)
        CORS(app, origins=["https://app.example.com"], supports_credentials=True)
        CORS(app)
    """,
    ),
    (
        "django-cors-all",
        "mysite/settings.py",
        """
        INSTALLED_APPS = ["corsheaders"]
        SESSION_COOKIE_SECURE = True
        CORS_ALLOW_ALL_ORIGINS = True  # expect: repo.cors-wildcard-credentials
        CORS_ALLOW_CREDENTIALS = True
    """,
    ),
    (
        "django-cors-ok",
        "mysite/settings.py",
        """
        INSTALLED_APPS = ["corsheaders"]
        CORS_ALLOWED_ORIGINS = ["https://app.example.com"]
        CORS_ALLOW_CREDENTIALS = True
        CORS_ORIGIN_ALLOW_ALL = False
    """,
    ),
    (
        "express-cors-true",
        "server/index.js",
        """
        const express = require('express');
        const cors = require('cors');
        const app = express();
        app.use(cors({
          origin: true, // expect: repo.cors-wildcard-credentials
          credentials: true,
        }));
    """,
    ),
    (
        "express-cors-options-var",
        "server/index.ts",
        """
        import cors from 'cors';
        const corsOptions = { origin: '*', credentials: true }; // expect: repo.cors-wildcard-credentials
        app.use(cors(corsOptions));
    """,
    ),
    (
        "express-cors-ok",
        "server/index.js",
        """
        const cors = require('cors');
        app.use(cors({ origin: ['https://app.example.com'], credentials: true }));
        app.use(cors({ origin: '*' }));
        // app.use(cors({ origin: true, credentials: true }))
    """,
    ),
    (
        "python-origin-echo",
        "app/views.py",
        """
        def api(request):
            response = JsonResponse({"ok": True})
            response["Access-Control-Allow-Origin"] = request.headers.get("Origin")  # expect: repo.cors-origin-reflected
            return response
    """,
    ),
    (
        "python-origin-echo-var",
        "app/main.py",
        """
        @app.middleware("http")
        async def cors(request, call_next):
            response = await call_next(request)
            origin = request.headers.get("origin")
            response.headers["Access-Control-Allow-Origin"] = origin  # expect: repo.cors-origin-reflected
            return response
    """,
    ),
    (
        "python-origin-checked",
        "app/main.py",
        """
        ALLOWED = {"https://app.example.com"}
        @app.middleware("http")
        async def cors(request, call_next):
            response = await call_next(request)
            origin = request.headers.get("origin")
            if origin in ALLOWED:
                response.headers["Access-Control-Allow-Origin"] = origin
            return response
    """,
    ),
    (
        "express-origin-echo",
        "server/app.js",
        """
        app.use((req, res, next) => {
          res.setHeader('Access-Control-Allow-Origin', req.headers.origin); // expect: repo.cors-origin-reflected
          next();
        });
    """,
    ),
    (
        "express-origin-checked",
        "server/app.js",
        """
        const allowed = ['https://app.example.com'];
        app.use((req, res, next) => {
          const origin = req.headers.origin;
          if (allowed.includes(origin)) res.setHeader('Access-Control-Allow-Origin', origin);
          next();
        });
    """,
    ),
    (
        "flask-cross-origin-decorator",
        "app/api.py",
        """
        from flask_cors import cross_origin
        @app.route("/api/me")
        @cross_origin(supports_credentials=True)  # expect: repo.cors-wildcard-credentials
        def me(): ...
        @app.route("/api/you")
        @cross_origin(origins=["https://app.example.com"], supports_credentials=True)
        def you(): ...
        @app.route("/api/res")
        def res(): ...
        CORS(app, resources={r"/api/*": {"origins": "*"}}, supports_credentials=True)  # expect: repo.cors-wildcard-credentials
        CORS(app, resources={r"/api/*": {"origins": ["https://app.example.com"]}}, supports_credentials=True)
    """,
    ),
    (
        "django-cors-regex",
        "config/settings.py",
        """
        INSTALLED_APPS = ["corsheaders"]
        CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://.*$"]  # expect: repo.cors-wildcard-credentials
        CORS_ALLOW_CREDENTIALS = True
    """,
    ),
    (
        "django-cors-regex-ok",
        "config/settings.py",
        """
        INSTALLED_APPS = ["corsheaders"]
        CORS_ALLOWED_ORIGIN_REGEXES = [r"^https://\\w+\\.example\\.com$"]
        CORS_ALLOW_CREDENTIALS = True
    """,
    ),
    (
        "express-cors-regex",
        "server/app.ts",
        r"""
        import cors from 'cors';
        app.use(cors({ origin: /.*/, credentials: true })); // expect: repo.cors-wildcard-credentials
        app.use(cors({ origin: /^https:\/\/app\.example\.com$/, credentials: true }));
    """,
    ),
    (
        "cra-public-key",
        "src/api.js",
        """
        import OpenAI from 'openai';
        const client = new OpenAI({ apiKey: process.env.REACT_APP_OPENAI_KEY, dangerouslyAllowBrowser: true }); // expect: repo.secrets-ai-public-env-key, repo.secrets-ai-browser-client
    """,
    ),
    (
        "vite-public-non-key",
        "src/api.ts",
        """
        import Groq from 'groq-sdk';
        const client = new Groq({ baseURL: import.meta.env.VITE_API_BASE });
    """,
    ),
    # ---------------------------------------------------------------- debug
    (
        "django-debug",
        "mysite/settings.py",
        """
        DEBUG = True  # expect: repo.debug-django
        ALLOWED_HOSTS = ['*']  # expect: repo.debug-allowed-hosts-wildcard
        SESSION_COOKIE_SECURE = True
        INSTALLED_APPS = []
    """,
    ),
    (
        "django-debug-env",
        "mysite/settings.py",
        """
        import os
        DEBUG = os.environ.get("DJANGO_DEBUG") == "1"
        ALLOWED_HOSTS = os.environ["ALLOWED_HOSTS"].split(",")
        INSTALLED_APPS = []
    """,
    ),
    (
        "django-dev-settings",
        "mysite/settings/dev.py",
        """
        from .base import *
        DEBUG = True
        ALLOWED_HOSTS = ['*']
    """,
    ),
    (
        "flask-debug",
        "app.py",
        """
        from flask import Flask
        app = Flask(__name__)
        if __name__ == "__main__":
            app.run(host="0.0.0.0", debug=True)  # expect: repo.debug-server
    """,
    ),
    (
        "flask-debug-env",
        "app.py",
        """
        import os
        from flask import Flask
        app = Flask(__name__)
        app.run(debug=os.environ.get("FLASK_DEBUG") == "1")
    """,
    ),
    (
        "fastapi-debug",
        "app/main.py",
        """
        from fastapi import FastAPI
        app = FastAPI(title="api", debug=True)  # expect: repo.debug-server
    """,
    ),
    (
        "starlette-flask-config-debug",
        "app/server.py",
        """
        from starlette.applications import Starlette
        from flask import Flask
        api = Starlette(debug=True, routes=[])  # expect: repo.debug-server
        app = Flask(__name__)
        app.config["DEBUG"] = True  # expect: repo.debug-server
        app.debug = True  # expect: repo.debug-server
        app.config.update(DEBUG=True)  # expect: repo.debug-server
    """,
    ),
    (
        "flask-debug-dev-entrypoint",
        "scripts/run_dev.py",
        """
        from flask import Flask
        app = Flask(__name__)
        app.run(debug=True)
    """,
    ),
    (
        "fastapi-nodebug",
        "app/main.py",
        """
        from fastapi import FastAPI
        app = FastAPI(title="api")
        print("debug=True")
    """,
    ),
    (
        "next-sourcemaps",
        "next.config.js",
        """
        /** @type {import('next').NextConfig} */
        module.exports = {
          reactStrictMode: true,
          productionBrowserSourceMaps: true, // expect: repo.debug-sourcemaps-next
        };
    """,
    ),
    (
        "next-sourcemaps-off",
        "next.config.mjs",
        """
        // productionBrowserSourceMaps: true was removed
        export default { productionBrowserSourceMaps: false };
    """,
    ),
    (
        "vite-sourcemap",
        "vite.config.ts",
        """
        import { defineConfig } from 'vite'
        export default defineConfig({
          build: { sourcemap: true }, // expect: repo.debug-sourcemaps-vite
        })
    """,
    ),
    (
        "vite-sourcemap-hidden",
        "vite.config.ts",
        """
        import { defineConfig } from 'vite'
        export default defineConfig({ build: { sourcemap: 'hidden' } })
    """,
    ),
    # ---------------------------------------------------------------- cookies
    (
        "django-cookie-false",
        "mysite/settings.py",
        """
        INSTALLED_APPS = ["django.contrib.sessions"]
        SESSION_COOKIE_SECURE = False  # expect: repo.auth-cookie-insecure
        CSRF_COOKIE_SECURE = True
    """,
    ),
    (
        "flask-cookie-config",
        "app.py",
        """
        from flask import Flask
        app = Flask(__name__)
        app.config.update(
            SESSION_COOKIE_SECURE=False,  # expect: repo.auth-cookie-insecure
            SESSION_COOKIE_HTTPONLY=True,
        )
        app.config["SESSION_COOKIE_SAMESITE"] = "None"  # expect: repo.auth-cookie-insecure
    """,
    ),
    (
        "flask-cookie-ok",
        "app.py",
        """
        from flask import Flask
        app = Flask(__name__)
        app.config.update(SESSION_COOKIE_SECURE=True, SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax")
    """,
    ),
    (
        "set-cookie-token",
        "app/auth.py",
        """
        def login(response):
            response.set_cookie("access_token", make_token(), httponly=True)  # expect: repo.auth-cookie-insecure
            response.set_cookie("theme", "dark")
            response.set_cookie("session", sid, secure=True, httponly=True, samesite="lax")
    """,
    ),
    (
        "express-session-insecure",
        "server/app.js",
        """
        const session = require('express-session');
        app.use(session({ secret: process.env.SESSION_SECRET, cookie: { secure: false } })); // expect: repo.auth-cookie-insecure
        app.use(session({ secret: process.env.SESSION_SECRET })); // expect: repo.auth-cookie-insecure
    """,
    ),
    (
        "express-session-ok",
        "server/app.js",
        """
        const session = require('express-session');
        app.use(session({
          secret: process.env.SESSION_SECRET,
          cookie: { secure: process.env.NODE_ENV === 'production', httpOnly: true, sameSite: 'lax' },
        }));
    """,
    ),
    (
        "cookie-session",
        "server/app.ts",
        """
        import cookieSession from 'cookie-session';
        app.use(cookieSession({ name: 'session', keys: [k1] })); // expect: repo.auth-cookie-insecure
        app.use(cookieSession({ name: 'session', keys: [k1], secure: true, httpOnly: true }));
    """,
    ),
    (
        "res-cookie",
        "server/auth.js",
        """
        res.cookie('token', jwt, { httpOnly: true }); // expect: repo.auth-cookie-insecure
        res.cookie('token', jwt, { httpOnly: true, secure: true, sameSite: 'strict' });
        res.cookie('theme', 'dark');
    """,
    ),
    # ---------------------------------------------------------------- logging
    (
        "py-env-dump",
        "app/main.py",
        """
        import os, logging
        logger = logging.getLogger(__name__)
        print(os.environ)  # expect: repo.logging-env-dump
        logger.info("env: %s", dict(os.environ))  # expect: repo.logging-env-dump
        logger.debug(f"config {os.environ.copy()}")  # expect: repo.logging-env-dump
    """,
    ),
    (
        "py-env-ok",
        "app/main.py",
        """
        import os, logging
        logger = logging.getLogger(__name__)
        print(os.environ.get("PORT"))
        logger.info("missing: %s", [k for k in ("A", "B") if k not in os.environ])
        logger.info("%d variables", len(os.environ))
        # print(os.environ)
    """,
    ),
    (
        "py-headers",
        "app/main.py",
        """
        import logging
        logger = logging.getLogger(__name__)
        async def handler(request):
            logger.info(request.headers)  # expect: repo.logging-request-headers
            logger.info("ua=%s", request.headers.get("user-agent"))
    """,
    ),
    (
        "py-secret",
        "app/llm.py",
        """
        import os
        api_key = os.environ["OPENAI_API_KEY"]
        print("key:", api_key)  # expect: repo.logging-secret-value
        print(os.getenv("STRIPE_SECRET_KEY"))  # expect: repo.logging-secret-value
        print("key set:", bool(api_key), "max_tokens", max_tokens, len(api_key))
    """,
    ),
    (
        "py-streamed-tokens-are-not-secrets",
        "app/stream.py",
        """
        import logging
        log = logging.getLogger(__name__)
        def stream(resp, upgrade_prompt):
            for token in resp:
                print(token, end="", flush=True)
            log.info("usage %s", resp.usage.total_tokens)
            log.info(upgrade_prompt)
            print("has key:", is_api_key_set, ignored_credentials)
    """,
    ),
    (
        "python-origin-checked-by-call",
        "app/s3.py",
        """
        def cors(headers, rules, response):
            origin = headers.get("Origin")
            if matches_origin(origin, rules.allowed):
                response["Access-Control-Allow-Origin"] = origin
    """,
    ),
    (
        "py-prompt",
        "app/llm.py",
        """
        import logging
        log = logging.getLogger("llm")
        def ask(prompt):
            log.info(f"prompt={prompt}")  # expect: repo.logging-prompt
            log.info("prompt length %d", len(prompt))
    """,
    ),
    (
        "py-sentry-pii",
        "app/main.py",
        """
        import sentry_sdk
        sentry_sdk.init(dsn=DSN, send_default_pii=True)  # expect: repo.logging-tracker-pii
        sentry_sdk.init(dsn=DSN, send_default_pii=False)
    """,
    ),
    (
        "js-env-dump",
        "server/index.js",
        """
        console.log(process.env); // expect: repo.logging-env-dump
        console.log(JSON.stringify(process.env, null, 2)); // expect: repo.logging-env-dump
        console.log(process.env.PORT, process.env.NODE_ENV);
        // console.log(process.env)
        const s = "console.log(process.env)";
    """,
    ),
    (
        "js-headers-and-secrets",
        "app/api/chat/route.ts",
        """
        export async function POST(req: Request) {
          console.log(req.headers); // expect: repo.logging-request-headers
          console.log('key', process.env.OPENAI_API_KEY); // expect: repo.logging-secret-value
          logger.info({ apiKey }); // expect: repo.logging-secret-value
          console.log('key length', apiKey.length, req.headers.get('x-request-id'));
          console.info({ model, prompt }); // expect: repo.logging-prompt
        }
    """,
    ),
    (
        "js-sentry",
        "sentry.client.config.ts",
        """
        import * as Sentry from '@sentry/nextjs';
        Sentry.init({ dsn: DSN, sendDefaultPii: true }); // expect: repo.logging-tracker-pii
        Sentry.init({ dsn: DSN, sendDefaultPii: false });
    """,
    ),
    # ---------------------------------------------------------------- uploads (per file)
    (
        "fastapi-upload",
        "app/routes/files.py",
        """
        from fastapi import APIRouter, UploadFile
        router = APIRouter()
        @router.post("/upload")
        async def upload(file: UploadFile):  # expect: repo.upload-no-limit
            data = await file.read()
            return {"size": len(data)}
    """,
    ),
    (
        "fastapi-upload-checked",
        "app/routes/files.py",
        """
        from fastapi import APIRouter, HTTPException, UploadFile
        MAX_BYTES = 10 * 1024 * 1024
        router = APIRouter()
        @router.post("/upload")
        async def upload(file: UploadFile):
            if file.size is None or file.size > MAX_BYTES:
                raise HTTPException(413)
            return {"ok": True}
    """,
    ),
    (
        "django-body-limit-off",
        "mysite/settings.py",
        """
        INSTALLED_APPS = []
        DATA_UPLOAD_MAX_MEMORY_SIZE = None  # expect: repo.upload-no-limit
    """,
    ),
    (
        "django-body-limit-set",
        "mysite/settings.py",
        """
        INSTALLED_APPS = []
        DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
    """,
    ),
    (
        "multer-nolimit",
        "server/upload.js",
        """
        const multer = require('multer');
        const upload = multer({ dest: 'uploads/' }); // expect: repo.upload-no-limit
    """,
    ),
    (
        "multer-limit",
        "server/upload.js",
        """
        const multer = require('multer');
        const upload = multer({ dest: 'uploads/', limits: { fileSize: 5 * 1024 * 1024 } });
    """,
    ),
    # ---------------------------------------------------------------- Dockerfiles
    (
        "dockerfile-secrets",
        "Dockerfile",
        """
        FROM python:3.12-slim
        ARG OPENAI_API_KEY  # expect: repo.secrets-dockerfile-secret
        ENV STRIPE_SECRET_KEY=${STRIPE_SECRET_KEY}  # expect: repo.secrets-dockerfile-secret
        ENV PORT=8000 TOKENIZERS_PARALLELISM=false
        COPY .env /app/.env  # expect: repo.secrets-dockerfile-copy-env
        COPY . /app
    """,
    ),
    (
        "dockerfile-ok",
        "docker/api.Dockerfile",
        """
        FROM node:20-alpine
        # ENV OPENAI_API_KEY=... is provided at run time
        ARG NODE_ENV=production
        ENV NEXT_PUBLIC_APP_URL=https://app.example.com PUBLIC_KEY_PATH=/keys/pub.pem PASSWORD_MIN_LENGTH=12
        COPY .env.example ./
        RUN --mount=type=secret,id=npmrc npm ci
    """,
    ),
    # ---------------------------------------------------------------- workflows
    (
        "workflow-bad",
        ".github/workflows/ci.yml",
        """
        name: ci
        on: pull_request_target
        permissions: write-all  # expect: repo.auth-workflow-write-all
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: ${{ github.event.pull_request.head.sha }}  # expect: repo.secrets-workflow-pr-target-checkout
              - uses: some-org/setup-tool@main  # expect: repo.secrets-workflow-unpinned-action
              - run: |
                  npm ci
                  echo "token is ${{ secrets.NPM_TOKEN }}"  # expect: repo.secrets-workflow-secret-echo
    """,
    ),
    (
        "workflow-ok",
        ".github/workflows/ci.yml",
        """
        name: ci
        on: [pull_request]
        permissions:
          contents: read
        jobs:
          test:
            runs-on: ubuntu-latest
            steps:
              - uses: actions/checkout@v4
                with:
                  ref: ${{ github.event.pull_request.head.sha }}
              - uses: some-org/setup-tool@0123456789abcdef0123456789abcdef01234567
              - uses: other-org/tool@v2.1.0
              - run: npm publish
                env:
                  NODE_AUTH_TOKEN: ${{ secrets.NPM_TOKEN }}
              - run: echo "::add-mask::${{ secrets.NPM_TOKEN }}"
              - run: |
                  echo "${{ secrets.GHCR_TOKEN }}" | docker login ghcr.io -u bot --password-stdin
                  echo "API_KEY=${{ secrets.API_KEY }}" >> "$GITHUB_ENV"
                  curl -H "Authorization: Bearer ${{ secrets.API_KEY }}" https://api.example.com && echo done
          reuse:
            uses: acme/workflows/.github/workflows/deploy.yml@v3
    """,
    ),
    (
        "workflow-reusable-unpinned",
        ".github/workflows/release.yaml",
        """
        on: push
        jobs:
          release:
            uses: acme/workflows/.github/workflows/release.yml@main  # expect: repo.secrets-workflow-unpinned-action
          notify:
            runs-on: ubuntu-latest
            steps:
              - run: npm ci && printf '%s' "${{ secrets.SLACK_WEBHOOK }}"  # expect: repo.secrets-workflow-secret-echo
    """,
    ),
]


def _dedent(code: str) -> str:
    return textwrap.dedent(code).lstrip("\n")


@pytest.mark.parametrize(("path", "code"), [(p, c) for _, p, c in CASES], ids=[n for n, _, _ in CASES])
def test_case(path: str, code: str) -> None:
    text = _dedent(code)
    assert actual(checks_for_file(path, text)) == expected(path, text)


def test_cases_parse() -> None:
    """A case that does not parse would pass vacuously (broken files are skipped)."""
    import ast

    import yaml

    for _, path, code in CASES:
        if path.endswith((".yml", ".yaml")):
            assert isinstance(yaml.safe_load(_dedent(code)), dict), path
        elif path.endswith(".py"):
            ast.parse(_dedent(code))


def test_every_file_rule_has_a_true_case() -> None:
    from launchready.repo import rules

    file_rules = {r.id for r in rules() if "file" in r.scope}
    covered = {rule for _, p, c in CASES for (_, _, rule) in expected(p, _dedent(c))}
    assert file_rules <= covered


def test_test_files_never_report() -> None:
    code = "import os\nprint(os.environ)\n"
    for path in (
        "tests/test_app.py",
        "app/test_main.py",
        "app/main_test.py",
        "conftest.py",
        "src/__tests__/x.js",
        "src/x.test.ts",
        "fixtures/app.py",
    ):
        text = code if path.endswith(".py") else "console.log(process.env);\n"
        assert checks_for_file(path, text) == [], path
    assert checks_for_file("app/main.py", code) != []


def test_inline_allow_suppresses_and_counts() -> None:
    from launchready.repo import RepoStats

    text = "import os\nprint(os.environ)  # launchready:allow debugging aid\nprint(os.environ)\n"
    stats = RepoStats()
    found = checks_for_file("app/main.py", text, stats=stats)
    assert [(f.line, f.rule_id) for f in found] == [(3, "repo.logging-env-dump")]
    assert stats.suppressed == 1


def test_disabled_rules_are_skipped() -> None:
    text = "import os\nprint(os.environ)\n"
    assert checks_for_file("app/main.py", text, disabled={"repo.logging-env-dump"}) == []


def test_finding_fields_and_stable_fingerprint() -> None:
    text = "import os\n\nprint(os.environ)\n"
    (f,) = checks_for_file("app/main.py", text)
    assert (f.line, f.column, f.severity.value, f.path) == (3, 1, "high", "app/main.py")
    assert f.fix and f.message
    moved = checks_for_file("app/main.py", "import os\n\n\n\nprint(os.environ)\n")
    assert moved[0].fingerprint == f.fingerprint and moved[0].line == 5
    assert f.fingerprint.startswith("repo.logging-env-dump:")


def test_broken_sources_do_not_crash() -> None:
    assert checks_for_file("app/main.py", "def f(:\n  print(os.environ)\n") == []
    js = "'use client'\nconst a = `unterminated ${ {\nnew OpenAI({dangerouslyAllowBrowser: true\n"
    assert {f.rule_id for f in checks_for_file("app/x.tsx", js)} <= {
        "repo.secrets-ai-browser-client",
        "repo.secrets-ai-client-component",
    }
    assert checks_for_file(".github/workflows/x.yml", "on: [push\njobs: {") == []


def test_every_repo_rule_feeds_exactly_one_scorecard_row() -> None:
    from launchready.repo import rules
    from launchready.scorecard import ROWS

    for r in rules():
        rows = [spec.name for spec in ROWS if r.id.startswith(spec.prefixes)]
        assert len(rows) == 1, (r.id, rows)


def test_own_config_excludes_the_corpus() -> None:
    from pathlib import Path

    from launchready.config import load_config
    from launchready.secrets.sources import excluded

    root = Path(__file__).resolve().parents[2]
    cfg = load_config(root / ".launchready.yml")
    assert excluded("tests/repo/corpus/express/flawed/src/server.js", cfg.exclude)
    assert not excluded("tests/repo/test_corpus.py", cfg.exclude)
