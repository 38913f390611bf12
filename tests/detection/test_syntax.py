"""Every syntax a secret is written in, and the look-alikes real repositories are full of.

The generic and keyword-anchored rules read assignments the way real files write them (issue
12). Secret-shaped values are generated at test time (KeyGen); nothing live-looking is
committed. Each quiet case is a false finding a real AI app repository produced.
"""

from __future__ import annotations

import base64
import json

import pytest

from launchready.demo.keygen import B64URL, KeyGen
from launchready.secrets.engine import Engine
from launchready.secrets.rules import default_rules

ENGINE = Engine(default_rules())
G = KeyGen(1201)
TOKEN = G.chars(32, B64URL)  # a random credential-shaped value
PASSWORD = G.password(16)
HEX64 = G.hex(64)


def found(text: str, path: str = "app.py") -> list[tuple[str, str]]:
    return [(m.rule.id, m.secret) for m in ENGINE.scan(text, path)]


def secrets(text: str, path: str = "app.py") -> list[str]:
    return [s for _, s in found(text, path)]


# (template with {v}, path): each must report exactly the value {v} stands for.
TOKEN_SYNTAXES = [
    ("api_key = '{v}'\n", "app.py"),
    ("clientSecret: '{v}',\n", "config.ts"),
    ('const moralis_token = "{v}";\n', "index.js"),
    ('{{"apiKey": "{v}"}}\n', "config.json"),
    ('{{\n  "auth": {{\n    "client_secret": "{v}"\n  }}\n}}\n', "settings.json"),
    ("service:\n  api_key: {v}\n", "config.yml"),
    ('service:\n  accessToken: "{v}"\n', "config.yaml"),
    ("$config = array('api_key' => '{v}');\n", "config.php"),
    ("define('AUTH_TOKEN', '{v}');\n", "wp-config.php"),
    ("<apiKey>{v}</apiKey>\n", "settings.xml"),
    ('<add key="ApiKey" value="{v}" />\n', "web.config"),
    ('<service token="{v}" />\n', "service.xml"),
    ("service.api.key={v}\n", "application.properties"),
    ("[service]\nsecret_key = {v}\n", "config.ini"),
    ('apiKey := "{v}"\n', "main.go"),
    ('System.setProperty("api.key", "{v}");\n', "Main.java"),
    ("export SERVICE_TOKEN={v}\n", "deploy.sh"),
    ('export SERVICE_TOKEN="{v}"\n', ".bashrc"),
    ("API_TOKEN ?= {v}\n", "Makefile"),
    ("API_TOKEN := {v}\n", "Makefile"),
    ("./cli deploy --api-key={v} --region eu\n", "README.md"),
    ("./cli deploy --token {v}\n", "deploy.sh"),
    ('curl -H "Authorization: Bearer {v}" https://api.example.test/v1\n', "README.md"),
    ("GET /v1 HTTP/1.1\nAuthorization: Bearer {v}\n", "request.log"),
    ('headers = {{"X-Api-Key": "{v}"}}\n', "client.py"),
    ("self.secret_token = '{v}'\n", "client.py"),
    ("client_secret='{v}'\n", "oauth.py"),
]


@pytest.mark.parametrize(("template", "path"), TOKEN_SYNTAXES)
def test_token_in_every_syntax(template: str, path: str) -> None:
    assert secrets(template.format(v=TOKEN), path) == [TOKEN]


PASSWORD_SYNTAXES = [
    ("db_password = '{v}'\n", "settings.py"),
    ('$db = array("db_password" => "{v}");\n', "config.php"),
    ("define('DB_PASSWORD', '{v}');\n", "wp-config.php"),
    ("<password>{v}</password>\n", "sitemanager.xml"),
    ('<user name="deploy" password="{v}" />\n', "servers.xml"),
    ("spring.datasource.password={v}\n", "application.properties"),
    ("[db]\npassword = {v}\n", "db.ini"),
    ("Server=db.internal;Database=app;User Id=svc;Password={v};\n", "appsettings.txt"),
    (
        '"ConnectionStrings": {{"Db": "Server=tcp:db.internal,1433;User ID=svc;Password={v};Encrypt=True"}}\n',
        "appsettings.json",
    ),
    ("jdbc:mysql://db.internal:3306/app?user=svc&password={v}\n", "app.conf"),
    ("mysql -u root -p'{v}' app < dump.sql\n", "restore.sh"),
    ("psql --password={v} -h db.internal\n", "restore.sh"),
    ('dbPassword: "{v}"\n', "config.ts"),
    ('password := "{v}"\n', "main.go"),
    ('System.setProperty("db.password", "{v}");\n', "Main.java"),
]


@pytest.mark.parametrize(("template", "path"), PASSWORD_SYNTAXES)
def test_password_in_every_syntax(template: str, path: str) -> None:
    assert secrets(template.format(v=PASSWORD), path) == [PASSWORD]


@pytest.mark.parametrize(
    "scheme",
    [
        "postgresql",
        "mysql",
        "mongodb+srv",
        "redis",
        "amqp",
        "mssql",
        "sqlserver",
        "oracle",
        "cockroachdb",
        "clickhouse",
        "ftp",
        "sftp",
        "ldap",
    ],
)
def test_user_password_urls_of_every_scheme(scheme: str) -> None:
    assert secrets(f"URL = '{scheme}://svc:{PASSWORD}@db.internal.acme.io:1234/app'\n") == [PASSWORD]


def test_basic_auth_in_curl() -> None:
    basic = base64.b64encode(f"svc:{PASSWORD}".encode()).decode()
    assert secrets(f'curl -H "Authorization: Basic {basic}" https://api.example.test\n', "notes.md") == [basic]
    assert secrets(f"curl -u svc:{PASSWORD} https://api.example.test\n", "notes.md") == [PASSWORD]


@pytest.mark.parametrize(
    "name", ["JWT_SECRET", "SECRET_KEY", "jwt_secret", "NEXTAUTH_SECRET", "SESSION_SECRET", "secret_key_base"]
)
def test_hex_value_is_a_secret_under_a_secret_name(name: str) -> None:
    assert secrets(f"{name}={HEX64}\n", ".env") == [HEX64]
    assert secrets(f"{name}: '{HEX64}'\n", "config.yml") == [HEX64]


@pytest.mark.parametrize(
    "line",
    [
        'sha256 = "{v}"',
        '"integrity": "{v}"',
        "checksum: {v}",
        "commit_sha = '{v}'",
        "digest={v}",
        "  hash: {v}",
        'etag = "{v}"',
    ],
)
def test_hex_digest_under_a_digest_name_is_quiet(line: str) -> None:
    assert found(line.format(v=HEX64) + "\n", "lock.yml") == []


def test_smtpassword_overlapping_keywords_found() -> None:
    assert secrets(f"SMTPASSWORD={PASSWORD}\n", ".env") == [PASSWORD]


# ---------------------------------------------------------------- quiet on real repositories

PLACEHOLDER_LINES = [
    "OPENAI_API_KEY=your_openai_api_key_here",
    "OPENAI_API_KEY=sk-your_openai_api_key_here",
    "ANTHROPIC_API_KEY=sk-ant-your_anthropic_api_key_here",
    "LANGSMITH_API_KEY=lsv2_your_langsmith_api_key_here",
    "STRIPE_WEBHOOK_SECRET=whsec_your_webhook_secret",
    "AUTH_SECRET=replace_with_strong_secret",
    "AUTH_SECRET=changethis",
    "AUTH_SECRET=change_this_to_something_random",
    "API_SECRET=replace_me_with_a_real_value",
    "JWT_SECRET=<generate-with-openssl-rand>",
    "JWT_SECRET=${JWT_SECRET}",
    "JWT_SECRET={{ jwt_secret }}",
    "SERVICE_TOKEN=xxx",
    "SERVICE_TOKEN=...",
    "SERVICE_TOKEN=…",
    "INTERNAL_CLEANUP_TOKEN=dev_cleanup_token",
    "DB_PASSWORD=changeme",
]


@pytest.mark.parametrize("line", PLACEHOLDER_LINES)
@pytest.mark.parametrize("path", [".env.example", "README.md", "config.py"])
def test_placeholders_are_quiet(line: str, path: str) -> None:
    assert found(line + "\n", path) == []


EXPRESSION_LINES = [
    "serverSideApiKeyIsSet: !!process.env.OPENAI_API_KEY",
    "const apiKey = process.env.OPENAI_API_KEY || ''",
    "const token = process.env.API_TOKEN ?? 'fallback'",
    "[vsScoreKey]: `$${vsScoreKey}`,",
    "const secret = `${prefix}_${suffix}_value`;",
    "api_key = get_secret('openai_api_key_value')",
    "password: hashPassword(input.password),",
    "const apiKey = settings.openaiApiKey;",
    "token = self._refresh_access_token()",
    "secret_key = os.environ.get('SECRET_KEY', None)",
]


@pytest.mark.parametrize("line", EXPRESSION_LINES)
def test_expressions_are_quiet(line: str) -> None:
    assert found(line + "\n", "app.ts") == []


TRANSLATED_LABELS = [
    '"password": "Contraseña",',
    '"invalidEmailOrPassword": "メールアドレスまたはパスワードが正しくありません"',
    '"passwordUpdatedSuccessfully": "ユーザーのパスワードを更新しました",',
    '"completionTokens": "Fullføringstokens",',
    '"avgTokensPerMessage": "メッセージあたりの平均トークン数",',
    'Password: "Mot de passe"',
    '"passwordLabel": "Passwort",',
]


@pytest.mark.parametrize("line", TRANSLATED_LABELS)
@pytest.mark.parametrize("path", ["messages/ja.json", "src/locales/es.ts", "app.json"])
def test_translated_labels_are_quiet(line: str, path: str) -> None:
    assert found(line + "\n", path) == []


@pytest.mark.parametrize(
    "path",
    [
        "src/app/api/auth/actions.test.ts",
        "tests/auth/signup.spec.ts",
        "test/test_login.py",
        "src/__tests__/user.ts",
        "app/user_test.go",
    ],
)
def test_fixture_passwords_in_tests_are_quiet(path: str) -> None:
    text = 'const password = "SignupTest123";\npassword: "P@ssword1",\nconst secretKey = "super-secret-key-abc123";\n'
    assert found(text, path) == []
    # a provider token in a test file is still a leak
    key = G.openai_project()
    assert [rid for rid, _ in found(f"const key = '{key}';\n", path)] == ["secret.openai-project-key"]


def test_local_dev_and_test_database_urls_are_quiet() -> None:
    for line in (
        "POSTGRES_URL=postgres://asafe:asafe_local_pw@localhost:5433/asafe",
        'mongodb_url="mongodb://langchain:langchain@localhost:6022/"',
        '"mongodb://user1:pass1@db.example.test:27017/db1"',
        '"mongodb+srv://admin:complex-passw0rd@cluster0.example.test/database"',
        # the host as a container on Linux sees it (anything-llm's pgvector setup guide)
        "postgresql://dbuser:dbuserpass@localhost:5432/yourdb => postgresql://dbuser:dbuserpass@172.17.0.1:5432/yourdb",
    ):
        assert found(line + "\n", "scripts/smoke.ts") == [], line
    # any other private address is a network's database: its password is still reported
    password = G.chars(16)
    assert [s for _, s in found(f"DATABASE_URL=postgresql://app:{password}@172.17.0.12:5432/app\n", "app.env")] == [
        password
    ]


def test_documented_demo_keys_are_quiet() -> None:
    demo = G.jwt({"iss": "supabase-demo", "role": "service_role", "exp": 1983812996})
    assert found(f"service_role_key TEXT := '{demo}';\n", "supabase/migrations/setup.sql") == []
    assert found(f"SUPABASE_SERVICE_ROLE_KEY={demo}\n", ".env") == []
    real = G.supabase_service_role()
    assert [rid for rid, _ in found(f"SUPABASE_SERVICE_ROLE_KEY={real}\n", ".env")] == [
        "secret.supabase-service-role-key"
    ]
    for line in (
        "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
        "aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
        "    Authorization: Bearer mF_9.B5f-4.1JqM",
        '    "access_token":"2YotnFZFEjr1zCsicMWpAA",',
    ):
        assert found(line + "\n", "docs/setup.md") == [], line


def test_npm_auth_token_rule_does_not_read_typescript_parameters() -> None:
    assert found("async function handler(req: NextRequest, _auth: AuthContext) {\n", "route.ts") == []


def test_json_keys_are_read() -> None:
    doc = {"service": {"apiKey": TOKEN, "name": "demo"}, "db": {"password": PASSWORD}}
    assert sorted(secrets(json.dumps(doc, indent=2), "config.json")) == sorted([TOKEN, PASSWORD])


@pytest.mark.parametrize(
    "line",
    [
        "prompt_tokens: data.usage?.prompt_tokens,",
        "total_tokens: finalMetadata?.usage?.total_tokens || 0,",
        "const output_image_tokens = usage.completion_tokens_details?.image_tokens;",
        "inputTokens: data.usage?.prompt_tokens,",
    ],
)
def test_token_counts_are_not_tokens(line: str) -> None:
    assert found(line + "\n", "hooks/useChat.ts") == []
