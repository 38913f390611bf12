"""repo.error-tracking-missing: server apps with and without an error tracker initialised."""

from __future__ import annotations

import textwrap

import pytest

from launchready.repo import RepoStats, checks_for_app

RULE = "repo.error-tracking-missing"

CASES: dict[str, tuple[dict[str, str], tuple[str, int | None] | None]] = {
    # name: (files, expected (path, line) of the finding or None)
    "fastapi-bare": ({"app/main.py": "from fastapi import FastAPI\n\napp = FastAPI(title='x')\n"}, ("app/main.py", 3)),
    "fastapi-sentry": (
        {"app/main.py": "import sentry_sdk\nfrom fastapi import FastAPI\nsentry_sdk.init(dsn=None)\napp = FastAPI()\n"},
        None,
    ),
    "fastapi-sentry-in-other-module": (
        {
            "app/main.py": "from fastapi import FastAPI\nimport app.obs\napp = FastAPI()\n",
            "app/obs.py": "import sentry_sdk\nsentry_sdk.init()\n",
        },
        None,
    ),
    "flask-commented-sentry": (
        {"app.py": "from flask import Flask\n# sentry_sdk.init(dsn=DSN)\napp = Flask(__name__)\n"},
        ("app.py", 3),
    ),
    "flask-rollbar": (
        {"app.py": "import rollbar\nfrom flask import Flask\napp = Flask(__name__)\nrollbar.init('t', 'production')\n"},
        None,
    ),
    "flask-bugsnag": (
        {"app.py": "import bugsnag\nfrom flask import Flask\nbugsnag.configure(api_key=KEY)\napp = Flask(__name__)\n"},
        None,
    ),
    "fastapi-honeybadger": (
        {
            "main.py": "from honeybadger import honeybadger\nhoneybadger.configure(api_key=K)\nfrom fastapi import FastAPI\napp = FastAPI()\n"
        },
        None,
    ),
    "fastapi-ddtrace-run": (
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "Dockerfile": 'FROM python:3.12\nCMD ["ddtrace-run", "uvicorn", "main:app"]\n',
        },
        None,
    ),
    "fastapi-otel-exporter": (
        {
            "main.py": "from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter\n"
            "from fastapi import FastAPI\napp = FastAPI()\n"
        },
        None,
    ),
    "fastapi-sentry-only-in-tests": (
        {
            "main.py": "from fastapi import FastAPI\napp = FastAPI()\n",
            "tests/conftest.py": "import sentry_sdk\nsentry_sdk.init()\n",
        },
        ("main.py", 2),
    ),
    "django-bare": ({"mysite/settings.py": "SECRET_KEY = x\nINSTALLED_APPS = ['chat']\n"}, ("mysite/settings.py", 2)),
    "django-honeybadger-middleware": (
        {
            "mysite/settings.py": "INSTALLED_APPS = ['chat']\n"
            "MIDDLEWARE = ['honeybadger.contrib.DjangoHoneybadgerMiddleware']\n"
        },
        None,
    ),
    "express-bare": (
        {"src/server.js": "const express = require('express');\nconst app = express();\napp.listen(3000);\n"},
        ("src/server.js", 2),
    ),
    "express-sentry": (
        {
            "src/server.js": "const Sentry = require('@sentry/node');\nSentry.init({ dsn: process.env.DSN });\n"
            "const express = require('express');\nconst app = express();\n"
        },
        None,
    ),
    "express-dd-trace": (
        {"src/server.js": "require('dd-trace').init();\nconst express = require('express');\nconst app = express();\n"},
        None,
    ),
    "express-browser-sentry-only": (
        {
            "src/server.js": "const express = require('express');\nconst app = express();\n",
            "web/main.ts": "import * as Sentry from '@sentry/react';\nSentry.init({ dsn: D });\n",
        },
        ("src/server.js", 2),
    ),
    "hono-otel": (
        {
            "src/index.ts": "import { NodeSDK } from '@opentelemetry/sdk-node';\nimport { Hono } from 'hono';\nconst app = new Hono();\n"
        },
        None,
    ),
    "next-client-only": (
        {
            "package.json": '{"dependencies": {"next": "14.2.0", "@sentry/nextjs": "8"}}',
            "next.config.js": "module.exports = {};\n",
            "sentry.client.config.ts": "import * as Sentry from '@sentry/nextjs';\nSentry.init({ dsn: D });\n",
        },
        ("next.config.js", None),
    ),
    "next-instrumentation": (
        {
            "package.json": '{"dependencies": {"next": "14.2.0"}}',
            "instrumentation.ts": "import { registerOTel } from '@vercel/otel';\nexport function register() { registerOTel('app'); }\n",
        },
        None,
    ),
    "library-no-server": (
        {"lib/util.py": "def add(a, b):\n    return a + b\n", "index.js": "module.exports = () => 1;\n"},
        None,
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_error_tracking(name: str) -> None:
    files, want = CASES[name]
    stats = RepoStats()
    found = [
        f for f in checks_for_app([(p, textwrap.dedent(t)) for p, t in files.items()], stats=stats) if f.rule_id == RULE
    ]
    if want is None:
        assert found == []
    else:
        assert [(f.path, f.line) for f in found] == [want]
        assert want[0] in found[0].message and found[0].severity.value == "low"
    if want is None and name != "library-no-server":
        assert stats.error_tracking, "the tracker that was found is reported for the scorecard"


def test_python_source_inside_strings_is_neither_an_app_nor_a_tracker() -> None:
    template = 'MAIN = """\nimport sentry_sdk\nfrom fastapi import FastAPI\nsentry_sdk.init()\napp = FastAPI()\n"""\n'
    assert [f for f in checks_for_app([("tools/templates.py", template)]) if f.rule_id == RULE] == []
    real = "from fastapi import FastAPI\n\napp = FastAPI()\n"
    found = [f for f in checks_for_app([("tools/templates.py", template), ("app/main.py", real)]) if f.rule_id == RULE]
    assert [(f.path, f.line) for f in found] == [("app/main.py", 3)]  # the string's sentry_sdk.init does not count
