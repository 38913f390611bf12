"""A seeded generator of realistic-looking (but never real) credentials.

Tests, benchmarks and the demo generate their secret-shaped data here at run time, so no
live-looking key is ever committed to this repository (push protection and our own hook
would rightly block it). ``KeyGen(seed)`` is deterministic.

``KeyGen.sample(rule_id)`` returns a realistic snippet (file path, text, the secret in it)
for every built-in rule; ``tests/detection`` and ``bench/`` build their cases from it.
Prefixes are assembled from pieces so this file itself never matches a rule.
"""

from __future__ import annotations

import base64
import json
import random
import re._parser as _sre_parser  # type: ignore[import-not-found]
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from launchready.secrets.validators import github_checksum_append

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
B64URL = ALNUM + "-_"
B64 = ALNUM + "+/"
HEX = "0123456789abcdef"
UPPER_B32 = string.ascii_uppercase + "234567"
_BECH32 = "qpzry9x8gf2tvdw0s3jn54khce6mua7l"


def _p(*parts: str) -> str:
    """Join pieces: keeps whole token prefixes out of this source file."""
    return "".join(parts)


@dataclass(frozen=True)
class Sample:
    path: str
    text: str
    secret: str

    @property
    def line(self) -> int:
        """1-based line of the secret's first character."""
        return self.text[: self.text.index(self.secret)].count("\n") + 1


class KeyGen:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)

    def chars(self, n: int, alphabet: str = ALNUM) -> str:
        # Rejection-sample until the value is mixed enough to pass entropy floors and
        # the obvious-fake filters (runs like "123456789", "abcdefgh").
        while True:
            s = "".join(self.rng.choice(alphabet) for _ in range(n))
            if len(set(s)) < min(n, len(alphabet)) * 0.5:
                continue
            if len(alphabet) > 20 and n >= 8 and len(set(s)) < 6:
                continue
            low = s.lower()
            if any(w in low for w in ("example", "sample", "dummy", "fake", "xxxx", "1234", "abcd", "test", "lorem")):
                continue
            if n >= 8 and (s.isalpha() or s.isdigit()) and not (alphabet.isalpha() or alphabet.isdigit()):
                continue  # letters alone read as a word or an identifier, digits alone as a number
            return s

    def hex(self, n: int) -> str:
        return self.chars(n, HEX)

    def uuid(self) -> str:
        h = self.hex(32)
        return f"{h[:8]}-{h[8:12]}-4{h[13:16]}-a{h[17:20]}-{h[20:]}"

    def word(self) -> str:
        return self.rng.choice(
            ["acme", "orbit", "lumen", "harbor", "cedar", "quartz", "ember", "nimbus", "atlas", "pylon"]
        )

    # ---- AI providers -------------------------------------------------------------------
    def openai_legacy(self) -> str:
        return _p("sk-", self.chars(20), "T3Blb", "kFJ", self.chars(20))

    def openai_project(self) -> str:
        return _p("sk-", "proj-", self.chars(74, B64URL), "T3Blb", "kFJ", self.chars(74, B64URL))

    def openai_svcacct(self) -> str:
        return _p("sk-", "svcacct-", self.chars(74, B64URL), "T3Blb", "kFJ", self.chars(74, B64URL))

    def openai_admin(self) -> str:
        return _p("sk-", "admin-", self.chars(74, B64URL), "T3Blb", "kFJ", self.chars(74, B64URL))

    def anthropic(self) -> str:
        return _p("sk-", "ant-", "api03-", self.chars(93, B64URL), "AA")

    def anthropic_admin(self) -> str:
        return _p("sk-", "ant-", "admin01-", self.chars(93, B64URL), "AA")

    def google_api(self) -> str:
        return _p("AI", "za", "Sy", self.chars(33, B64URL))

    def huggingface(self) -> str:
        return _p("hf", "_", self.chars(34, string.ascii_letters))

    def huggingface_org(self) -> str:
        return _p("api", "_org_", self.chars(34, string.ascii_letters))

    def groq(self) -> str:
        return _p("gs", "k_", self.chars(52))

    def replicate(self) -> str:
        return _p("r8", "_", self.chars(37))

    def openrouter(self) -> str:
        return _p("sk-", "or-v1-", self.hex(64))

    def perplexity(self) -> str:
        return _p("pp", "lx-", self.chars(48))

    def xai(self) -> str:
        return _p("xa", "i-", self.chars(80))

    def deepseek(self) -> str:
        return _p("sk-", self.hex(32))

    def pinecone(self) -> str:
        return _p("pc", "sk_", self.chars(5), "_", self.chars(64))

    def langsmith(self) -> str:
        return _p("lsv2", "_pt_", self.hex(32), "_", self.hex(10))

    # ---- cloud and code hosting -----------------------------------------------------------
    def aws_key_id(self) -> str:
        return _p("AK", "IA", self.chars(16, UPPER_B32))

    def aws_secret(self) -> str:
        return self.chars(40, B64)

    def github_classic(self) -> str:
        return github_checksum_append(_p("gh", "p_", self.chars(30)))

    def github_token(self, kind: str) -> str:
        return github_checksum_append(_p("gh", kind, "_", self.chars(30)))

    def github_fine_grained(self) -> str:
        return _p("github", "_pat_", self.chars(22), "_", self.chars(59))

    def gitlab_pat(self) -> str:
        return _p("gl", "pat-", self.chars(20, B64URL.replace("-", "")))

    def cloudflare_token(self) -> str:
        return self.chars(40, B64URL.replace("-", ""))

    def npm(self) -> str:
        return github_checksum_append(_p("np", "m_", self.chars(30)))

    def pypi(self) -> str:
        return _p("py", "pi-", "AgEIcHl", "waS5vcmc", self.chars(120, B64URL))

    # ---- SaaS ---------------------------------------------------------------------------
    def slack_bot(self) -> str:
        return _p("xo", "xb-", self.chars(11, string.digits), "-", self.chars(12, string.digits), "-", self.chars(24))

    def slack_user(self) -> str:
        return _p(
            "xo",
            "xp-",
            self.chars(11, string.digits),
            "-",
            self.chars(11, string.digits),
            "-",
            self.chars(12, string.digits),
            "-",
            self.hex(32),
        )

    def stripe_secret(self) -> str:
        return _p("sk", "_live_", self.chars(99))

    def stripe_restricted(self) -> str:
        return _p("rk", "_live_", self.chars(99))

    def stripe_webhook(self) -> str:
        return _p("wh", "sec_", self.chars(32))

    def sendgrid(self) -> str:
        return _p("S", "G.", self.chars(22, B64URL), ".", self.chars(43, B64URL))

    def password(self, n: int = 16) -> str:
        return self.chars(n, ALNUM + "!#%*+-_")

    def jwt(self, claims: dict[str, object]) -> str:
        def enc(obj: object) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

        return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(claims)}.{self.chars(43, B64URL)}"

    def supabase_service_role(self) -> str:
        ref = self.chars(20, string.ascii_lowercase)
        return self.jwt({"iss": "supabase", "ref": ref, "role": "service_role", "iat": 1700000000, "exp": 2015576000})

    def supabase_anon(self) -> str:
        ref = self.chars(20, string.ascii_lowercase)
        return self.jwt({"iss": "supabase", "ref": ref, "role": "anon", "iat": 1700000000, "exp": 2015576000})

    def pem_private_key(self, kind: str = "RSA ", lines: int = 12) -> str:
        body = "\n".join(self.chars(64, B64) for _ in range(lines))
        return _p("-----BEGIN ", kind, "PRIVATE", " KEY-----\n", body, "\n-----END ", kind, "PRIVATE", " KEY-----")

    def from_regex(self, pattern: str) -> str:
        """A value matching ``pattern`` (classes, repeats, alternation), mixed enough to pass the
        obvious-fake filters; the table-built rules describe their samples this way."""
        parsed = _sre_parser.parse(pattern)
        for _ in range(200):
            s = self._gen(parsed)
            low = s.lower()
            if not any(
                w in low for w in ("example", "sample", "dummy", "fake", "xxxx", "1234", "abcd", "test", "lorem")
            ):
                return s
        raise ValueError(f"cannot draw a plausible value for {pattern!r}")

    def _gen(self, items: Any) -> str:
        out: list[str] = []
        for op, av in items:
            name = str(op)
            if name == "LITERAL":
                out.append(chr(av))
            elif name == "IN":
                pool: list[str] = []
                for iop, iav in av:
                    if str(iop) == "LITERAL":
                        pool.append(chr(iav))
                    elif str(iop) == "RANGE":
                        pool.extend(chr(c) for c in range(iav[0], iav[1] + 1))
                    elif str(iop) == "CATEGORY":
                        pool.extend(string.digits if "DIGIT" in str(iav) else ALNUM)
                out.append(self.rng.choice(pool))
            elif name in ("MAX_REPEAT", "MIN_REPEAT"):
                lo, hi, sub = av
                hi = lo + 8 if hi == _sre_parser.MAXREPEAT else hi
                n = self.rng.randint(lo, hi) if lo > 1 or hi > 1 else (hi if sub and str(sub[0][0]) == "IN" else lo)
                out.extend(self._gen(sub) for _ in range(n))
            elif name == "SUBPATTERN":
                out.append(self._gen(av[-1]))
            elif name == "BRANCH":
                out.append(self._gen(self.rng.choice(av[1])))
            elif name == "CATEGORY":
                out.append(self.rng.choice(string.digits if "DIGIT" in str(av) else ALNUM))
        return "".join(out)

    # ---- per-rule realistic samples -----------------------------------------------------------
    def sample(self, rule_id: str) -> Sample:
        """A realistic snippet holding one secret that ``rule_id`` (and only it) must report."""
        try:
            make = _SAMPLES[rule_id]
        except KeyError:
            raise KeyError(f"no sample generator for {rule_id}") from None
        path, text, secret = make(self)
        return Sample(path, text, secret)


def _env(name: str, value: str) -> tuple[str, str, str]:
    return ".env", f"# service credentials\n{name}={value}\nDEBUG=false\n", value


def _py(name: str, value: str) -> tuple[str, str, str]:
    return "app/settings.py", f'import os\n\n{name} = "{value}"\nTIMEOUT = 30\n', value


def _ts(name: str, value: str) -> tuple[str, str, str]:
    return "src/config.ts", f"export const config = {{\n  {name}: '{value}',\n  retries: 3,\n}};\n", value


def _pem(g: KeyGen) -> tuple[str, str, str]:
    key = g.pem_private_key()
    return "deploy/id_rsa.pem", key + "\n", key


def _docker(g: KeyGen) -> tuple[str, str, str]:
    auth = base64.b64encode(f"ci-bot:{g.password(20)}".encode()).decode()
    text = json.dumps({"auths": {"registry.example.io": {"auth": auth}}}, indent=2) + "\n"
    return ".docker/config.json", text, auth


def _url(scheme: str, g: KeyGen, host: str, port: str, env: str) -> tuple[str, str, str]:
    pw = g.chars(20, ALNUM)
    return ".env", f"{env}={scheme}://app_user:{pw}@{host}:{port}/app\n", pw


def _gcp_sa(g: KeyGen) -> tuple[str, str, str]:
    kid = g.hex(40)
    doc = {
        "type": "service_account",
        "project_id": f"{g.word()}-prod",
        "private_key_id": kid,
        "client_email": f"runner@{g.word()}-prod.iam.gserviceaccount.com",
    }
    return "gcp-key.json", json.dumps(doc, indent=2) + "\n", kid


_SAMPLES: dict[str, Callable[[KeyGen], tuple[str, str, str]]] = {
    "secret.openai-api-key": lambda g: _env("OPENAI_API_KEY", g.openai_legacy()),
    "secret.openai-project-key": lambda g: _py("OPENAI_API_KEY", g.openai_project()),
    "secret.openai-service-account-key": lambda g: _env("OPENAI_API_KEY", g.openai_svcacct()),
    "secret.openai-admin-key": lambda g: _env("OPENAI_ADMIN_KEY", g.openai_admin()),
    "secret.anthropic-api-key": lambda g: _ts("anthropicApiKey", g.anthropic()),
    "secret.anthropic-admin-key": lambda g: _env("ANTHROPIC_ADMIN_KEY", g.anthropic_admin()),
    "secret.google-api-key": lambda g: _env("GEMINI_API_KEY", g.google_api()),
    "secret.gcp-service-account": _gcp_sa,
    "secret.gcp-oauth-client-secret": lambda g: _env("GOOGLE_CLIENT_SECRET", _p("GOC", "SPX-", g.chars(28, B64URL))),
    "secret.azure-openai-key": lambda g: _env("AZURE_OPENAI_API_KEY", g.hex(32)),
    "secret.huggingface-token": lambda g: _py("HF_TOKEN", g.huggingface()),
    "secret.huggingface-org-token": lambda g: _env("HF_ORG_TOKEN", g.huggingface_org()),
    "secret.cohere-api-key": lambda g: _env("COHERE_API_KEY", g.chars(40)),
    "secret.mistral-api-key": lambda g: _env("MISTRAL_API_KEY", g.chars(32)),
    "secret.groq-api-key": lambda g: _ts("groqKey", g.groq()),
    "secret.replicate-api-token": lambda g: _env("REPLICATE_API_TOKEN", g.replicate()),
    "secret.openrouter-api-key": lambda g: _env("OPENROUTER_API_KEY", g.openrouter()),
    "secret.perplexity-api-key": lambda g: _env("PERPLEXITY_API_KEY", g.perplexity()),
    "secret.xai-api-key": lambda g: _env("XAI_API_KEY", g.xai()),
    "secret.deepseek-api-key": lambda g: _py("DEEPSEEK_API_KEY", g.deepseek()),
    "secret.pinecone-api-key": lambda g: _env("PINECONE_API_KEY", g.pinecone()),
    "secret.pinecone-legacy-key": lambda g: _env("PINECONE_API_KEY", g.uuid()),
    "secret.langsmith-api-key": lambda g: _env("LANGSMITH_API_KEY", g.langsmith()),
    "secret.aws-access-key-id": lambda g: _env("AWS_ACCESS_KEY_ID", g.aws_key_id()),
    "secret.aws-secret-access-key": lambda g: _env("AWS_SECRET_ACCESS_KEY", g.aws_secret()),
    "secret.github-pat-classic": lambda g: _env("GITHUB_TOKEN", g.github_classic()),
    "secret.github-fine-grained-pat": lambda g: _env("GH_TOKEN", g.github_fine_grained()),
    "secret.github-oauth-token": lambda g: _py("GITHUB_OAUTH", g.github_token("o")),
    "secret.github-app-token": lambda g: _env("GITHUB_INSTALLATION", g.github_token("s")),
    "secret.github-refresh-token": lambda g: _env("GITHUB_REFRESH", _p("gh", "r_", g.chars(76))),
    "secret.gitlab-pat": lambda g: _env("GITLAB_TOKEN", g.gitlab_pat()),
    "secret.gitlab-token": lambda g: _env("CI_DEPLOY", _p("gl", "dt-", g.chars(20))),
    "secret.cloudflare-api-token": lambda g: _env("CLOUDFLARE_API_TOKEN", g.cloudflare_token()),
    "secret.cloudflare-global-api-key": lambda g: _env("CLOUDFLARE_API_KEY", g.hex(37)),
    "secret.cloudflare-origin-ca-key": lambda g: _env("ORIGIN_CA", _p("v1", ".0-", g.hex(24), "-", g.hex(146))),
    "secret.digitalocean-token": lambda g: _env("DIGITALOCEAN_TOKEN", _p("do", "p_v1_", g.hex(64))),
    "secret.heroku-api-key": lambda g: _env("HEROKU_API_KEY", g.uuid()),
    "secret.vault-token": lambda g: _env("VAULT_TOKEN", _p("hv", "s.", g.chars(95, B64URL))),
    "secret.databricks-token": lambda g: _env("DATABRICKS_TOKEN", _p("da", "pi", g.hex(32))),
    "secret.doppler-token": lambda g: _env("DOPPLER_TOKEN", _p("dp", ".pt.", g.chars(43))),
    "secret.grafana-token": lambda g: _env("GRAFANA_TOKEN", _p("gl", "sa_", g.chars(32), "_", g.hex(8))),
    "secret.planetscale-token": lambda g: _env("PLANETSCALE_TOKEN", _p("psc", "ale_tkn_", g.chars(43))),
    "secret.slack-bot-token": lambda g: _env("SLACK_BOT_TOKEN", g.slack_bot()),
    "secret.slack-user-token": lambda g: _env("SLACK_USER_TOKEN", g.slack_user()),
    "secret.slack-app-token": lambda g: _env(
        "SLACK_APP_TOKEN", _p("xa", "pp-1-", g.chars(11, UPPER_B32), "-", g.chars(13, string.digits), "-", g.hex(64))
    ),
    "secret.slack-webhook": lambda g: _sub_url(
        g,
        "SLACK_WEBHOOK_URL",
        _p("https://hooks.", "slack.com/"),
        _p("services/T", g.chars(10, UPPER_B32), "/B", g.chars(10, UPPER_B32), "/", g.chars(24)),
    ),
    "secret.discord-webhook": lambda g: _sub_url(
        g,
        "DISCORD_WEBHOOK",
        _p("https://discord", ".com/api/", "webhooks/"),
        _p(g.chars(18, string.digits), "/", g.chars(68, B64URL)),
    ),
    "secret.discord-bot-token": lambda g: _env(
        "DISCORD_BOT_TOKEN", _p("M", g.chars(25), ".", g.chars(6, B64URL), ".", g.chars(38, B64URL))
    ),
    "secret.stripe-secret-key": lambda g: _env("STRIPE_SECRET_KEY", g.stripe_secret()),
    "secret.stripe-restricted-key": lambda g: _env("STRIPE_KEY", g.stripe_restricted()),
    "secret.stripe-webhook-secret": lambda g: _env("STRIPE_WEBHOOK_SECRET", g.stripe_webhook()),
    "secret.stripe-test-key": lambda g: _env("STRIPE_SECRET_KEY", _p("sk", "_test_", g.chars(99))),
    "secret.twilio-api-key": lambda g: _env("TWILIO_API_KEY", _p("S", "K", g.hex(32))),
    "secret.twilio-auth-token": lambda g: _env("TWILIO_AUTH_TOKEN", g.hex(32)),
    "secret.sendgrid-api-key": lambda g: _env("SENDGRID_API_KEY", g.sendgrid()),
    "secret.mailgun-api-key": lambda g: _env("MAILGUN_API_KEY", _p("ke", "y-", g.hex(32))),
    "secret.postmark-server-token": lambda g: _env("POSTMARK_SERVER_TOKEN", g.uuid()),
    "secret.resend-api-key": lambda g: _env("RESEND_API_KEY", _p("r", "e_", g.chars(8), "_", g.chars(24))),
    "secret.mailchimp-api-key": lambda g: _env("MAILCHIMP_API_KEY", _p(g.hex(32), "-us", "14")),
    "secret.supabase-service-role-key": lambda g: _env("SUPABASE_SERVICE_ROLE_KEY", g.supabase_service_role()),
    "secret.supabase-secret-key": lambda g: _env("SUPABASE_SECRET_KEY", _p("sb", "_secret_", g.chars(31, B64URL))),
    "secret.firebase-fcm-server-key": lambda g: _env(
        "FCM_SERVER_KEY", _p("AAAA", g.chars(7, B64URL), ":APA9", "1b", g.chars(134, B64URL))
    ),
    "secret.npm-token": lambda g: _env("NPM_TOKEN", g.npm()),
    "secret.pypi-token": lambda g: _env("TWINE_PASSWORD", g.pypi()),
    "secret.shopify-token": lambda g: _env("SHOPIFY_ACCESS_TOKEN", _p("shp", "at_", g.hex(32))),
    "secret.linear-api-key": lambda g: _env("LINEAR_API_KEY", _p("lin", "_api_", g.chars(40))),
    "secret.sentry-auth-token": lambda g: _env("SENTRY_AUTH_TOKEN", _p("sntr", "yu_", g.hex(64))),
    "secret.telegram-bot-token": lambda g: _env(
        "TELEGRAM_BOT_TOKEN", _p(g.chars(10, string.digits), ":A", "A", g.chars(33, B64URL))
    ),
    "secret.private-key": _pem,
    "secret.postgres-url": lambda g: _url("postgresql", g, "db.internal", "5432", "DATABASE_URL"),
    "secret.mysql-url": lambda g: _url("mysql", g, "mysql.internal", "3306", "MYSQL_URL"),
    "secret.mongodb-url": lambda g: _url("mongodb+srv", g, "cluster0.mongo.internal", "27017", "MONGO_URI"),
    "secret.redis-url": lambda g: _url("rediss", g, "cache.internal", "6380", "REDIS_URL"),
    "secret.amqp-url": lambda g: _url("amqps", g, "mq.internal", "5671", "BROKER_URL"),
    "secret.smtp-url": lambda g: _url("smtps", g, "smtp.mailhost.internal", "465", "EMAIL_URL"),
    "secret.url-password": lambda g: _url("sftp", g, "files.example-host.net", "22", "DEPLOY_TARGET"),
    "secret.smtp-password": lambda g: _py("EMAIL_HOST_PASSWORD", g.password(18)),
    "secret.jwt-signing-secret": lambda g: _env("JWT_SECRET", g.chars(48, B64URL)),
    "secret.git-credentials": lambda g: _cred_file(g, ".git-credentials", "https://ci-bot:{}@git.internal\n", 30),
    "secret.netrc-password": lambda g: _cred_file(
        g, ".netrc", "machine api.internal\n  login deploy\n  password {}\n", 22
    ),
    "secret.npmrc-auth-token": lambda g: _cred_file(
        g, ".npmrc", "registry=https://npm.internal/\n//npm.internal/:_authToken={}\n", 36
    ),
    "secret.pypirc-password": lambda g: _cred_file(
        g,
        ".pypirc",
        "[distutils]\nindex-servers = internal\n\n[internal]\nrepository = https://pypi.internal/\nusername = deploy\npassword = {}\n",
        24,
    ),
    "secret.pgpass-password": lambda g: _cred_file(g, ".pgpass", "db.internal:5432:app:app_user:{}\n", 22),
    "secret.s3cfg-secret-key": lambda g: _cred_file(
        g, ".s3cfg", "[default]\naccess_key = AKIDEXAMPLEID\nsecret_key = {}\n", 40, B64
    ),
    "secret.htpasswd-hash": lambda g: _cred_file(g, ".htpasswd", "admin:{}\n", 0),
    "secret.docker-config-auth": _docker,
    "secret.password-assignment": lambda g: _py("admin_password", g.password(14)),
    "secret.bearer-token": lambda g: _bearer(g),
    "secret.curl-credential": lambda g: _curl_user(g),
    "secret.url-query-credential": lambda g: _query(g),
    "secret.http-url-password": lambda g: _index_url(g),
    "secret.google-browser-api-key": lambda g: _firebase_config(g),
    "secret.paystack-secret-key": lambda g: _env("PAYSTACK_SECRET_KEY", "sk_live_" + g.hex(40)),
    "secret.paystack-test-secret-key": lambda g: _py("PAYSTACK_SECRET_KEY", "sk_test_" + g.hex(40)),
    "secret.clerk-secret-key": lambda g: _env("CLERK_SECRET_KEY", "sk_live_" + g.chars(42, ALNUM)),
    "secret.clerk-test-secret-key": lambda g: _ts("clerkSecretKey", "sk_test_" + g.chars(42, ALNUM)),
    "secret.svix-webhook-secret": lambda g: _env("CLERK_WEBHOOK_SIGNING_SECRET", "whsec_" + g.chars(32, B64)),
    "secret.jwt": lambda g: _session_jwt(g),
    "secret.generic-assignment": lambda g: _env("INTERNAL_SERVICE_TOKEN", g.chars(32, B64URL)),
}


def _bearer(g: KeyGen) -> tuple[str, str, str]:
    token = g.chars(40, B64URL)
    return (
        "scripts/smoke.sh",
        f'#!/bin/sh\ncurl -sS -H "Authorization: Bearer {token}" https://api.internal/v1/ping\n',
        token,
    )


def _curl_user(g: KeyGen) -> tuple[str, str, str]:
    pw = g.password(18)
    return (
        "docs/ops.md",
        f"```sh\ncurl -sS -X POST https://search.internal:9200/_bulk \\\n  -H 'Content-Type: application/json' \\\n  -u deploy:{pw}\n```\n",
        pw,
    )


def _query(g: KeyGen) -> tuple[str, str, str]:
    key = g.chars(32, ALNUM)
    return (
        "src/weather.js",
        f'const res = await fetch("https://api.weather.internal/v1/now?city=Paris&apikey={key}");\n',
        key,
    )


def _firebase_config(g: KeyGen) -> tuple[str, str, str]:
    key = "AIza" + g.chars(35, B64URL)
    text = (
        "import { initializeApp } from 'firebase/app';\n\nconst firebaseConfig = {\n"
        f'  apiKey: "{key}",\n  authDomain: "acme-chat.firebaseapp.com",\n  projectId: "acme-chat",\n'
        '  messagingSenderId: "402118822781",\n};\n\nexport const app = initializeApp(firebaseConfig);\n'
    )
    return "src/lib/firebase.ts", text, key


def _index_url(g: KeyGen) -> tuple[str, str, str]:
    token = g.chars(32, ALNUM)
    return (
        "requirements.txt",
        f"--extra-index-url https://ci-reader:{token}@pypi.acme-corp.net/simple/\nacme-billing==2.4.1\n",
        token,
    )


def _session_jwt(g: KeyGen) -> tuple[str, str, str]:
    token = g.jwt({"sub": "svc-deploy", "scope": "admin", "iat": 1700000000})
    return "notes/debug-session.txt", f"captured from the browser:\n{token}\n", token


def _sub_url(g: KeyGen, env: str, base: str, secret: str) -> tuple[str, str, str]:
    return ".env", f"{env}={base}{secret}\n", secret


def _cred_file(g: KeyGen, path: str, template: str, n: int, alphabet: str = ALNUM) -> tuple[str, str, str]:
    # n == 0: an .htpasswd entry, an apr1 MD5 hash
    value = _p("$ap", "r1$", g.chars(8), "$", g.chars(22, ALNUM + "./")) if n == 0 else g.chars(n, alphabet)
    return path, template.format(value), value


def _age(g: KeyGen) -> tuple[str, str, str]:
    key = _p("AGE-SECRET", "-KEY-1", g.chars(58, _BECH32.upper()))
    return "keys.txt", f"# created: 2025-01-01\n# public key: age1{g.chars(58, _BECH32)}\n{key}\n", key


_SAMPLES["secret.age-secret-key"] = _age


def _table_sample(name: str, pattern: str) -> Callable[[KeyGen], tuple[str, str, str]]:
    return lambda g: _env(name, g.from_regex(pattern))


def _table_samples() -> None:
    from launchready.secrets.rules.pack import SAMPLES

    for rule_id, (name, pattern) in SAMPLES.items():
        _SAMPLES.setdefault(rule_id, _table_sample(name, pattern))


_table_samples()


def _teams(g: KeyGen) -> tuple[str, str, str]:
    from launchready.secrets.rules.chat import TEAMS_PATH

    return _sub_url(
        g, "TEAMS_WEBHOOK_URL", _p("https://", g.word(), ".webhook.", "office.com/"), g.from_regex(TEAMS_PATH)
    )


_SAMPLES["secret.teams-webhook"] = _teams


def _pem_in_log(g: KeyGen) -> tuple[str, str, str]:
    first = "MII" + g.chars(61, B64)
    body = [first] + [g.chars(64, B64) for _ in range(8)]
    stamp = "2026-01-02 03:04:05 "
    lines = [_p("-----BEGIN ", "PRIVATE", " KEY-----"), *body, _p("-----END ", "PRIVATE", " KEY-----")]
    text = "$ openssl genpkey -algorithm ed25519 && cat key.pem\n" + "".join(stamp + ln + "\n" for ln in lines)
    return "build.log", text, first


_SAMPLES["secret.private-key-embedded"] = _pem_in_log


def _sidekiq_url(g: KeyGen) -> tuple[str, str, str]:
    login = g.hex(8) + ":" + g.hex(8)
    return "Gemfile", f'source "https://{login}@gems.contribsys.com/" do\n  gem "sidekiq-pro"\nend\n', login


_SAMPLES["secret.sidekiq-url"] = _sidekiq_url


def _putty(g: KeyGen) -> tuple[str, str, str]:
    private = "\n".join(g.chars(64, B64) for _ in range(14)) + "\n" + g.chars(20, B64)
    public = "\n".join(g.chars(64, B64) for _ in range(6))
    text = (
        _p("PuTTY-User-Key-File-", "3: ssh-rsa\nEncryption: none\nComment: deploy@build\nPublic-Lines: 6\n")
        + public
        + "\nPrivate-Lines: 15\n"
        + private
        + "\nPrivate-MAC: "
        + g.hex(64)
        + "\n"
    )
    return "deploy/deploy.ppk", text, private + "\n"


def _b64_pem(g: KeyGen) -> tuple[str, str, str]:
    value = base64.b64encode((g.pem_private_key("RSA ", 10) + "\n").encode()).decode()
    text = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: tls\ndata:\n  tls.key: {value}\n"
    return "k8s/tls-secret.yaml", text, value


_SAMPLES["secret.putty-private-key"] = _putty


def _secret_file(path: str, template: str, kind: str = "password") -> Callable[[KeyGen], tuple[str, str, str]]:
    """A credential file of a known format holding one generated value (``{}`` in the template)."""

    def make(g: KeyGen) -> tuple[str, str, str]:
        if kind == "password":
            value = g.chars(18, ALNUM + "!#%*+-_")
        elif kind == "b64":
            value = base64.b64encode(g.chars(16).encode()).decode()
        elif kind == "hex128":
            value = g.hex(128)
        elif kind == "bcrypt":
            value = _p("$2", "y$10$", g.chars(53, ALNUM + "./"))
        elif kind == "sha512crypt":
            value = _p("$", "6$", g.chars(16, ALNUM + "./"), "$", g.chars(86, ALNUM + "./"))
        else:  # a token
            value = g.chars(40)
        return path, template.format(value), value

    return make


_SAMPLES.update(
    {
        "secret.filezilla-password": _secret_file(
            "ftp/sitemanager.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<FileZilla3>\n<Servers>\n<Server>\n<Host>ftp.internal</Host>\n'
            '<User>deploy</User>\n<Pass encoding="base64">{}</Pass>\n</Server>\n</Servers>\n</FileZilla3>\n',
            "b64",
        ),
        "secret.deploy-config-password": _secret_file(
            "sftp-config.json",
            '{{\n    "type": "sftp",\n    "host": "web.internal",\n    "user": "deploy",\n    "password": "{}",\n    "remote_path": "/var/www/"\n}}\n',
        ),
        "secret.jetbrains-datasource-password": _secret_file(
            ".idea/webServers.xml",
            '<?xml version="1.0" encoding="UTF-8"?>\n<project version="4">\n  <component name="WebServers">\n'
            '    <webServer id="1" name="prod" url="https://web.internal">\n      <fileTransfer host="web.internal" port="22" '
            'accessType="SFTP" username="deploy" password="{}" />\n    </webServer>\n  </component>\n</project>\n',
        ),
        "secret.dbtool-password": _secret_file(
            "robo3t.json",
            '{{\n  "connections": [\n    {{\n      "serverHost": "db.internal",\n      "credentials": [\n        {{\n'
            '          "userName": "admin",\n          "userPassword": "{}"\n        }}\n      ]\n    }}\n  ]\n}}\n',
        ),
        "secret.mongoid-password": _secret_file(
            "config/mongoid.yml",
            "production:\n  clients:\n    default:\n      database: app\n      hosts:\n        - db.internal:27017\n"
            "      options:\n        user: app\n        password: {}\n",
        ),
        "secret.rails-secret-key-base": _secret_file(
            "config/secrets.yml", "production:\n  secret_key_base: {}\n", "hex128"
        ),
        "secret.django-secret-key": lambda g: (
            "mysite/settings.py",
            (v := g.chars(50, ALNUM + "!#%*+-_")) and f"DEBUG = False\nSECRET_KEY = '{v}'\nALLOWED_HOSTS = []\n",
            v,
        ),
        "secret.wordpress-config-secret": _secret_file(
            "wp-config.php",
            "<?php\ndefine( 'DB_NAME', 'wordpress' );\ndefine( 'DB_USER', 'wp' );\ndefine( 'DB_PASSWORD', '{}' );\n",
        ),
        "secret.esmtprc-password": _secret_file(
            ".esmtprc",
            'hostname = smtp.mailhost.internal:587\nusername = "app"\npassword = "{}"\nstarttls = required\n',
        ),
        "secret.shadow-hash": _secret_file(
            "backup/etc/shadow", "root:*:19000:0:99999:7:::\ndeploy:{}:19500:0:99999:7:::\n", "sha512crypt"
        ),
        "secret.sql-dump-password-hash": _secret_file(
            "db/dump.sql",
            "INSERT INTO `users` (`id`, `email`, `password`) VALUES (1, 'admin@app.internal', '{}');\n",
            "bcrypt",
        ),
        "secret.tugboat-key": _secret_file(
            ".tugboat", "---\nauthentication:\n  access_token: {}\nssh:\n  ssh_user: root\n", "token"
        ),
        "secret.hub-oauth-token": _secret_file(
            "config/hub", "github.com:\n- user: deploy\n  oauth_token: {}\n  protocol: https\n", "token"
        ),
        "secret.firefox-logins": _secret_file(
            "profile/logins.json",
            '{{"nextId":2,"logins":[{{"id":1,"hostname":"https://app.internal","encryptedUsername":"MDIEEPgAAAAA",'
            '"encryptedPassword":"{}"}}]}}\n',
            "b64",
        ),
    }
)
_SAMPLES["secret.base64-private-key"] = _b64_pem
_SAMPLES["secret.nuget-config-password"] = _secret_file(
    "NuGet.Config",
    '<?xml version="1.0" encoding="utf-8"?>\n<configuration>\n  <packageSourceCredentials>\n    <Feed>\n'
    '      <add key="Username" value="ci-bot" />\n      <add key="ClearTextPassword" value="{}" />\n'
    "    </Feed>\n  </packageSourceCredentials>\n</configuration>\n",
)


def _vault_legacy(g: KeyGen) -> tuple[str, str, str]:
    token = _p("s", ".", g.chars(24, ALNUM))
    return "deploy/vault.yml", f"vault:\n  address: https://vault.internal:8200\n  token: {token}\n", token


_SAMPLES["secret.vault-legacy-token"] = _vault_legacy


def _nested_b64_pem(g: KeyGen) -> tuple[str, str, str]:
    doc = "tls:\n  enabled: true\n  key: |\n" + "".join(
        "    " + ln + "\n" for ln in g.pem_private_key("EC ", 4).splitlines()
    )
    value = base64.b64encode(("replicas: 2\nimage: api:1.4\n" + doc).encode()).decode()
    return "deploy/values.b64", f"{value}\n", value


def _der_key(g: KeyGen) -> tuple[str, str, str]:
    value = _p("MIIEvQIBADAN", "BgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQ") + g.chars(600, B64)
    return "src/main/resources/signing.properties", f"signing.alg=RS256\nsigning.key={value}\n", value


_SAMPLES["secret.base64-nested-private-key"] = _nested_b64_pem
_SAMPLES["secret.der-private-key"] = _der_key


def _curl_option(g: KeyGen) -> tuple[str, str, str]:
    pw = g.password(20)
    text = f'#include <curl/curl.h>\n\nvoid login(CURL *h) {{\n  curl_easy_setopt(h, CURLOPT_PASSWORD, "{pw}");\n}}\n'
    return "src/client.c", text, pw


def _pwsh_securestring(g: KeyGen) -> tuple[str, str, str]:
    pw = g.password(18)
    text = f'$user = "svc-deploy"\n$pass = ConvertTo-SecureString "{pw}" -AsPlainText -Force\n'
    return "deploy/connect.ps1", text, pw


def _ntlm_message(g: KeyGen) -> tuple[str, str, str]:
    msg = _p("TlRMTVNTUAAD", "AAAA") + g.chars(180, B64) + "="
    return "logs/proxy.log", f"12:00:01 > Authorization: NTLM {msg}\n12:00:01 < HTTP/1.1 200 OK\n", msg


def _terraform_password(g: KeyGen) -> tuple[str, str, str]:
    pw = g.password(16)
    text = (
        'resource "azurerm_mssql_server" "main" {\n  name                         = "sql-main"\n'
        f'  administrator_login          = "sqladmin"\n  administrator_login_password = "{pw}"\n}}\n'
    )
    return "infra/main.tf", text, pw


def _jwk(g: KeyGen) -> tuple[str, str, str]:
    d = g.chars(43, ALNUM + "_-")
    text = f'{{"keys": [{{"kty": "EC", "crv": "P-256", "x": "{g.chars(43, ALNUM)}", "y": "{g.chars(43, ALNUM)}", "d": "{d}"}}]}}\n'
    return "config/jwks.json", text, d


_SAMPLES.update(
    {
        "secret.curl-option-credential": _curl_option,
        "secret.powershell-plaintext-securestring": _pwsh_securestring,
        "secret.ntlm-authenticate-message": _ntlm_message,
        "secret.terraform-password": _terraform_password,
        "secret.jwk-private-key": _jwk,
    }
)
