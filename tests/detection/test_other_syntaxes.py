"""Syntaxes found in other people's files (issue 12): what the third-party yardstick showed the
generic rules and the engine missed, and the look-alikes that must stay quiet next to them.

Values are generated at test time (KeyGen); nothing live-looking is committed.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from tests.conftest import commit_files

from launchready.demo.keygen import ALNUM, B64URL, KeyGen
from launchready.secrets.engine import Engine, logical_line_end, to_finding
from launchready.secrets.rules import default_rules

from .test_one_engine import _commands_agree

ENGINE = Engine(default_rules())
G = KeyGen(1212)
TOKEN = G.chars(32, ALNUM)
PASSWORD = G.password(16)
HEX64 = G.hex(64)
UUID = G.uuid()


def found(text: str, path: str = "app.py") -> list[tuple[str, str, int]]:
    return [(m.rule.id, m.secret, m.line) for m in ENGINE.scan(text, path)]


def secrets(text: str, path: str = "app.py") -> list[str]:
    return [s for _, s, _ in found(text, path)]


# ---- the engine: logical lines --------------------------------------------------------------
def test_xml_value_on_its_own_line_is_read_with_its_element() -> None:
    text = f"<settings>\n  <genericToken>\n      {TOKEN}\n  </genericToken>\n</settings>\n"
    assert found(text, "settings.xml") == [("secret.generic-assignment", TOKEN, 3)]
    # provider rules see it too (a name-anchored provider rule, built on the shared operator list)
    dd = G.hex(32)
    assert ("secret.datadog-api-key", dd, 3) in found(f"<config>\n<datadogApiKey>\n  {dd}\n</datadogApiKey>\n", "c.xml")


def test_logical_line_bounds() -> None:
    xml = f"<apiKey>\n  {TOKEN}\n</apiKey>\nnext"
    assert xml[: logical_line_end(xml, 0, xml.index("\n"))].endswith("</apiKey>")
    raw = xml.encode()
    assert raw[: logical_line_end(raw, 0, raw.index(b"\n"))].endswith(b"</apiKey>")
    # an element holding other elements, or text that is not one token, stands alone
    for alone in ("<a>\n  <b>x</b>\n</a>", "<p>\n  two words\n</p>", "<a>\n\n</a>"):
        assert logical_line_end(alone, 0, alone.index("\n")) == alone.index("\n")
    shell = "curl -X POST \\\n  -d x \\\n  -u a:b\nls"
    assert shell[: logical_line_end(shell, 0, shell.index("\n"))].endswith("-u a:b")


def test_history_keyword_rows_keep_a_logical_line_together() -> None:
    text = f"x = 1\n<genericToken>\n  {TOKEN}\n</genericToken>\ny = 2\n".encode()
    assert ENGINE.keyword_rows(text) == [1, 2, 3]
    curl = f"echo hi\ncurl -sS https://api.internal \\\n  -H 'Accept: */*' \\\n  -u svc:{PASSWORD}\nls\n".encode()
    assert ENGINE.keyword_rows(curl) == [1, 2, 3]


# ---- generic names and operators --------------------------------------------------------------
ASSIGNMENTS = [
    ('generic_TOKEN = "{v}"\n', "app.py"),
    ('var genericToken string = "{v}"\n', "main.go"),
    ('let serviceToken: string = "{v}";\n', "app.ts"),
    ('$genericToken .= "{v}";\n', "index.php"),
    ('generic_TOKEN ::= "{v}"\n', "Makefile"),
    ('{{"config.ini": "GENERIC_TOKEN={v}\\nBACKUP_ENABLED=true"}}\n', "dump.json"),
    ('"credentials" : "{v}"\n', "auth.json"),
    ("creds = {v}\n", "deploy.cfg"),
    ('"user_auth": "{v}"\n', "client.json"),
    ('service_credential = "{v}"\n', "app.py"),
    ("./worker -secret {v}\n", "run.sh"),
    ('#define API_TOKEN "{v}"\n', "config.h"),
    ("%define token {v}\n", "package.spec"),
    ('<token name="deploy">{v}</token>\n', "servers.xml"),
    ('API_TOKEN = os.environ.get("API_TOKEN") or "{v}"\n', "settings.py"),
    ("const apiToken = process.env.API_TOKEN || '{v}';\n", "client.js"),
    ('API_TOKEN = os.getenv("API_TOKEN", "{v}")\n', "settings.py"),
]


@pytest.mark.parametrize(("template", "path"), ASSIGNMENTS)
def test_more_assignment_syntaxes(template: str, path: str) -> None:
    assert secrets(template.format(v=TOKEN), path) == [TOKEN]


@pytest.mark.parametrize("value", [UUID, HEX64])
def test_uuid_or_hex_under_a_secret_name_is_the_secret(value: str) -> None:
    assert secrets(f'"client_secret" : "{value}",\n', "oauth.json") == [value]
    assert secrets(f'utils.GetEnvOrDefault("api_token", "{value}")\n', "main.go") == [value]


def test_long_values_are_read_whole() -> None:
    long = G.chars(600, ALNUM + "+/")
    assert secrets(f"LONG_CREDENTIAL: {long}\n", "notes.yml") == [long]


PASSWORDS = [
    'password = "{v}"\n',
    "pwd = '{v}'\n",
    '<password name="db">{v}</password>\n',
    'if (password !== "{v}") {{\n',
    'PASSWORD = os.environ.get("PASSWORD") or "{v}"\n',
    '+  "password": "{v}"\n',
]


@pytest.mark.parametrize("template", PASSWORDS)
@pytest.mark.parametrize("length", [7, 16])
def test_passwords_short_and_long(template: str, length: int) -> None:
    pw = "".join(KeyGen(length).rng.sample("abcdefghjkmnpqrtuvwxyzABCDEFGHJKLMNPQRTUVWXYZ2468", length - 1)) + "!"
    assert secrets(template.format(v=pw), "app.gradle") == [pw]


@pytest.mark.parametrize(
    "line",
    [
        'password = "letmein"\n',  # a word: no digit or symbol in a short value
        'password = "abc"\n',
        "#define PASSWORD 0x0dead1beef7cafe2\n",  # a number written in hex
        'password = "admin1"\n',  # a well-known default
        'db.createUser({ "user": "nurse-station", "pwd": "xyz789", "roles": [] });\n',  # a tutorial's runs
        '{ "user": "exam-room", "pwd": "mno456" }\n',
        'password_id = "2938479"\n',
        'if (password !== "") {\n',
        "password = get_password() or DEFAULT\n",
        'API_TOKEN = os.environ.get("API_TOKEN") or ""\n',
        "pwdump = n0NeKreD\n",
    ],
)
def test_password_look_alikes_are_quiet(line: str) -> None:
    assert secrets(line) == []


@pytest.mark.parametrize(
    "line",
    [
        '      "token": "def456ghi789",\n',  # documenso's API reference: a recipient's example token
        'SECRET_TOKEN="ghi789jkl012"\n',
        'token: "xyz987wvu654"\n',  # counted down
        'password = "stu456vwx"\n',
        'STRIPE_SECRET_KEY = "sk_live_abc123def456ghi789jkl"\n',  # a provider prefix, a made-up body
    ],
)
def test_values_typed_in_runs_are_examples(line: str) -> None:
    """Letters and digits typed in runs of three or more along the alphabet (`def456ghi789`)
    are an example someone made up, whatever the name or the prefix."""
    assert secrets(line) == []


@pytest.mark.parametrize("operator", [":-", ":="])
def test_a_shell_default_is_the_value_without_its_operator(operator: str) -> None:
    """`${NAME:-v}` uses `v` when NAME is unset (maybe's compose.example.yml ships a Rails
    `SECRET_KEY_BASE` that way): the secret is `v`, so it fingerprints as the same `v` in a .env."""
    assert found(f"  API_TOKEN: ${{API_TOKEN{operator}{TOKEN}}}\n", "compose.yml") == [
        ("secret.generic-assignment", TOKEN, 1)
    ]
    assert secrets(f"  SECRET_KEY_BASE: ${{SECRET_KEY_BASE{operator}{HEX64}}}\n", "compose.yml") == [HEX64]


@pytest.mark.parametrize(
    "line",
    [
        # formbricks' docker-compose.dev.yml: the path to use when the variable *is* set
        "      GOOGLE_APPLICATION_CREDENTIALS: ${HUB_GOOGLE_APPLICATION_CREDENTIALS:+/secrets/gcp.json}\n",
        f"      DB_PASSWORD: ${{DB_PASSWORD:?{TOKEN}}}\n",  # the error when it is unset
        f"      API_TOKEN: ${{API_TOKEN:+{TOKEN}}}\n",
        # formbricks' docs: Docker's secret mounts name the secret, its value is elsewhere
        '  --secret id=encryption_key,src=<(printf "your-32-character-encryption-key-here") \\\n',
        '  --secret id=sentry_auth_token,src=<(printf "") \\\n',
        "docker build --secret id=npm_token,env=NPM_TOKEN .\n",
    ],
)
def test_shell_expansions_and_secret_mounts_are_no_values(line: str) -> None:
    assert secrets(line, "docker-compose.dev.yml") == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        # documenso's history: development values that say so in words
        ("  NEXTAUTH_SECRET: base44-local-development-secret\n", "docker-compose.base44.yml"),
        ("OPENAI_API_KEY=sk-test-mock-key-for-testing-12345\n", "test-first-run.sh"),  # mem0's
        (f'        "jwtSecret": "{G.hex(64)}",\n', "server/api/__snapshots__/documents.test.js.snap"),  # Jest's
        # monica's Laravel code: validation rules, a version constraint, a password policy
        ("            'password' => 'required|min:6|confirmed',\n", "app/Http/Controllers/Auth/RegisterController.php"),
        ("            'password' => 'required|alpha_dash|string|max:255',\n", "app/Services/CreateAccount.php"),
        ('                "derhansen/fe_change_pwd": "<2.0.5|>=3,<3.0.3",\n', "composer.lock"),
        (
            "    'password_rules' => env('APP_PASSWORD_RULES', 'mixedCase,letters,numbers,symbols,uncompromised'),\n",
            "config/app.php",
        ),
        # outline's table of passkey providers' AAGUIDs
        ('  GooglePasswordManager = "ea9b8d66-4d01-1d21-3ce4-b6b48cb575d4",\n', "shared/utils/passkeys.ts"),
        ('  OnePassword = "bada5566-a7aa-401f-bd96-45619a55120d",\n', "shared/utils/passkeys.ts"),
        ('  ApplePasswords = "fbfc3007-154e-4ecc-8c0b-6e020557d7bd",\n', "shared/utils/passkeys.ts"),
        # crewAI's docs and tests: a key file's path, a camelCase placeholder, a leet "secret"
        ("    export ASQAV_SIGNING_KEY=~/.asqav/signing.key\n", "docs/en/observability/asqav.mdx"),
        ("AMPERSEND_SESSION_KEY_PRIVATE_KEY=0xYourSessionKeyPrivateKey\n", "docs/tools/ampersend.mdx"),
        ('    {"VALKEY_URL": "redis://:s3cret@myhost:6379/0"},\n', "lib/crewai/tests/test_cache_config.py"),
        ('API_TOKEN = "mock_token_a8f3k2m9x"\n', "app/settings.py"),
        ("      - NEXTAUTH_SECRET=rig-local-nextauth-secret-2f8a1c\n", "rig/compose.yml"),
        ("SESSION_SECRET=dev-session-secret\n", "config.env"),
        # an e-mail address under a generic name: whose key it is, not the key
        ("    userKey: 'user@psd401.net',\n", "docs/plans/directory-sync.md"),
        ('  "client_email": "deployer@acme-prod.iam.gserviceaccount.com",\n', "infra/notes.json"),
        # a flag that takes no value: the registry host after it is no password
        (
            "aws ecr get-login-password --region us-west-2 | docker login --username AWS --password-stdin "
            "806620123734.dkr.ecr.us-west-2.amazonaws.com\n",
            "scripts/deploy-ecr.sh",
        ),
        # a test's data file at the top of a repository (documenso's test_example.json)
        (f'    "token": "{TOKEN}",\n', "test_example.json"),
    ],
)
def test_development_words_addresses_stdin_and_test_data_are_quiet(line: str, path: str) -> None:
    assert secrets(line, path) == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        # formbricks' history: names standing where a value would
        ("      NEXTAUTH_SECRET: *nextauth_secret\n", "docker-compose.yml"),  # a YAML alias
        ("      MOLECULER_MICROSERVICE_CLIENT_SECRET: *moleculer_microservice_client_secret\n", "docker-compose.yml"),
        ("        websiteToken: chatwootWebsiteToken!,\n", "apps/web/app/chatwoot/ChatwootWidget.tsx"),  # non-null
        ("  api_key:org_reader_key#organization@organization:acme\n", "authzed/schema-validation.yaml"),  # SpiceDB
        ("  - api_key:ci_manager#manage@user:olivia\n", "authzed/schema-validation.yaml"),
        # a provider's name on an identifier: code, not a key
        ('import { INTERCOM_SECRET_KEY, IS_INTERCOM_CONFIGURED } from "@formbricks/lib/constants";\n', "layout.tsx"),
        ("export const IntercomClient = ({ user, intercomSecretKey, isIntercomConfigured }: Props) => {\n", "x.tsx"),
        # end-to-end test suites
        ('    password: "eN791hZ7wNr9IAscf@",\n', "apps/web/playwright/utils/mock.ts"),
        (f'  cy.get("#password").type("{PASSWORD}")\n', "cypress/e2e/login.cy.ts"),
        (f'API_KEY = "{G.hex(32)}"\n', "backend/conftest.py"),  # pytest's fixtures (quivr's)
        ("ENCRYPTION_KEY=supersecretkey123\n", "apps/web/.env"),
        # a database on a domain reserved for documentation and tests (RFC 2606)
        (
            "  --set-string postgresql.externalDatabaseUrl=postgresql://formbricks:notes-secret@postgres.example:5432/fb\n",
            "charts/formbricks/tests/authzed-operations.sh",
        ),
        (f"DATABASE_URL=postgresql://app:{TOKEN}@db.example.com:5432/app\n", "docs/deploy.md"),
    ],
)
def test_references_identifiers_e2e_suites_and_documentation_hosts_are_quiet(line: str, path: str) -> None:
    assert secrets(line, path) == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        # maybe's auth0 tenant export: auth0-deploy-cli replaces @@NAME@@ and ##NAME## at deploy time
        ("    app_secret: @@APPLE_SIGN_IN_SECRET_KEY@@\n", "auth0/tenant.yaml"),
        ("    smtp_pass: '##POSTMARK_SMTP_PASS##'\n", "auth0/tenant.yaml"),
        ('api_token: "#{API_TOKEN}#"\n', "deploy/appsettings.yml"),  # Octopus / Azure Pipelines
        ('API_KEY = "__API_KEY__"\n', "config.py"),
        # "your secret key" in Spanish, in a deployment guide
        ("SECRET_KEY=tu-secret-key-super-seguro-2025\n", "DEPLOYMENT_GUIDE.md"),
        ("JWT_SECRET=votre-cle-secrete-jwt\n", "docs/fr/install.md"),
        # the login repeated as the password: a service's default (sentry self-hosted's compose file)
        (
            '      MC_HOST_BLOB: "http://self-hosted-sentry:self-hosted-sentry@blob-storage:7000"\n',
            "docker-compose.yml",
        ),
        ("DATABASE_URL=postgres://admin:admin@warehouse:5432/app\n", "app.env"),
        ("    privKey: privKeyRes.SecretString!,\n", "apps/server/src/app/trpc.ts"),
        # python-social-auth's client id, and Chatwoot's widget token, are public by design
        ("SOCIAL_AUTH_GITHUB_KEY = '74c710d0caedb4523169'\n", "djangoproject/settings/common.py"),
        # code and schema where a value would be (SaaS-Boilerplate, commerce)
        ('    "NEXTAUTH_SECRET": "@nextauth_secret",\n', "vercel.json"),  # a Vercel secret's name
        ("    const token = ++runTokenRef.current;\n", "components/AgentConsole.tsx"),
        # what anything-llm's, aicommits' and gpt-researcher's histories held where a value goes:
        # an npm alias's version in a yarn.lock, pg_hba.conf's list of methods, another option of
        # a gpg command, Laravel's CSRF field in a scraped link
        ('"@inquirer/password": "npm:^2.1.3"\n', "server/yarn.lock"),
        ('# METHOD can be "trust", "reject", "md5", "password", "scram-sha-256",\n', "docker/pg_hba.conf"),
        ("const gpgKey = await execaCommand('gpg --list-secret-keys --keyid-format=long | grep Git');\n", "src/cli.ts"),
        (f"30. [EJM](https://econjobmarket.org/index.php/statuses?_token={G.chars(40)}&sortBy=od)\n", "report.md"),
        # a JavaScript class's private fields (anything-llm's Telegram bot)
        ("      botToken: this.#config.bot_token,\n", "server/utils/telegramBot/index.js"),
        ("    const password = this.#credentials.password;\n", "src/client.ts"),
        ("  twoFactorSet(secret: TwoFactorSecretKeyInput!, code: String!): Boolean\n", "schema.graphql"),
        (f"const websiteToken = '{G.chars(24)}';\n", "frontend/src/components/Common/Footer.tsx"),
        # a keyboard shortcut (khoj's Electron app)
        ("const openShortcutWindowKeyBind = 'CommandOrControl+Shift+K'\n", "src/interface/desktop/main.js"),
        ('  "editorSecretToggleKey": "Ctrl+Alt+F12",\n', "settings.json"),
    ],
)
def test_deploy_time_placeholders_defaults_and_public_ids_are_quiet(line: str, path: str) -> None:
    assert secrets(line, path) == []


def test_a_client_secret_beside_its_public_id_is_still_reported() -> None:
    secret = G.hex(40)
    text = f"SOCIAL_AUTH_GITHUB_KEY = '{G.hex(20)}'\nSOCIAL_AUTH_GITHUB_SECRET = '{secret}'\n"
    assert secrets(text, "settings.py") == [secret]
    assert secrets(f"DATABASE_URL=postgres://admin:{TOKEN}@db.acme.io/app\n", "app.env") == [TOKEN]
    # the login repeated as the password on a public host (mongodb/chatbot's code example): a real,
    # weak password
    login, cluster = G.chars(8, "abcdefghijkmnpqrstuvwxyz") + "_db", G.chars(5, "abcdefghijkmnpqrstuvwxyz0123456789")
    url = f"mongodb+srv://{login}:{login}@cluster0.{cluster}.mongodb.net/app"
    assert secrets(f'MongoClient("{url}")\n') == [login]


@pytest.mark.parametrize("value", ["wrong-key", "invalid-key", "NEW_KEY_HERE"])
def test_words_sent_by_a_readme_curl_are_no_key(value: str) -> None:
    """formbricks' API docs show a refusal and a rotation step with words where the key goes."""
    command = f"curl 'localhost:3000/api/query/member-basic?recordNumber=123' \\\n  -H 'X-API-Key: {value}'\n"
    assert secrets(command, "API_KEY_MANAGEMENT.md") == []
    assert secrets(command.replace(value, TOKEN), "API_KEY_MANAGEMENT.md") == [TOKEN]


@pytest.mark.parametrize(
    ("line", "secret"),
    [
        ('password = "*Gj2DGji27Dq"\n', "*Gj2DGji27Dq"),  # not an alias: digits in it
        ('password = "Wq7Secret123!"\n', "Wq7Secret123!"),  # not a non-null assertion
        (f'api_token = "@{TOKEN}"\n', f"@{TOKEN}"),  # not a Vercel secret's name
        (f'password = "--{TOKEN}"\n', f"--{TOKEN}"),  # not an increment
        (f'api_key = "{TOKEN}.#{TOKEN[:8]}"\n', f"{TOKEN}.#{TOKEN[:8]}"),  # not a private field: too long a part
        (f"https://api.acme.io/v1/items?access_token={TOKEN}\n", TOKEN),  # not Laravel's `_token`
        (f'password = "scram-sha-256-{TOKEN[:10]}"\n', f"scram-sha-256-{TOKEN[:10]}"),  # not a method's name
        (f'api_key = "--key={TOKEN}"\n', f"--key={TOKEN}"),  # an option carrying a token
        (f"INTERCOM_SECRET_KEY={TOKEN}\n", TOKEN),
        (f"DATABASE_URL=postgresql://app:{TOKEN}@db.acme.io:5432/app\n", TOKEN),
    ],
)
def test_look_alikes_of_references_are_still_secrets(line: str, secret: str) -> None:
    assert secrets(line, "config.env") == [secret]


def test_an_address_under_a_password_name_is_still_a_password() -> None:
    """A password may look like an address; only generic names let an address go."""
    assert secrets('db_password = "Kx9@mailhost.io"\n') == ["Kx9@mailhost.io"]


def test_a_provider_token_in_a_test_data_file_is_still_reported() -> None:
    key = G.aws_key_id()
    assert secrets(f'    "aws_access_key_id": "{key}",\n', "test_example.json") == [key]


def test_a_sigv4_credential_scope_is_no_secret() -> None:
    """A presigned URL (in documenso's blog: an image on GitHub's asset bucket) and a SigV4
    Authorization header name the key id with a date: no secret, and the signature expires.
    The key id alone, and a presigned URL's session token, are still reported."""
    key, session = G.aws_key_id(), "IQoJb3JpZ2luX2Vj" + G.chars(120, B64URL)
    url = (
        f"https://bucket.s3.amazonaws.com/a.png?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential={key}%2F20240215"
        f"%2Fus-east-1%2Fs3%2Faws4_request&X-Amz-Date=20240215T100000Z&X-Amz-Signature={G.hex(64)}"
    )
    assert secrets(f'<img src="{url}" />\n', "blog/launch-week.mdx") == []
    header = (
        f"Authorization: AWS4-HMAC-SHA256 Credential={key}/20240215/us-east-1/s3/aws4_request, SignedHeaders=host\n"
    )
    assert secrets(header, "notes.txt") == []
    assert secrets(f"{url}&X-Amz-Security-Token={session}\n", "notes.txt") == [session]
    assert secrets(f'AWS_ACCESS_KEY_ID = "{key}"\n') == [key]


def test_a_spec_with_a_random_value_is_still_a_secret() -> None:
    assert secrets(f"api_token=id={TOKEN}\n") == [f"id={TOKEN}"]


def test_a_random_value_with_a_short_run_is_still_a_secret() -> None:
    value = "abc" + KeyGen(21).chars(13)  # one run, then randomness
    assert secrets(f'SECRET_TOKEN="{value}"\n') == [value]


def test_openssl_pass_argument() -> None:
    pw = G.password(12)
    line = f'RUN openssl x509 -req -days 365 -passin "pass:{pw}" -in server.csr\n'
    assert secrets(line, "Dockerfile") == [pw]
    assert secrets('RUN openssl x509 -passin "file:secret.txt" -in server.csr\n', "Dockerfile") == []
    assert secrets("openssl pkcs12 -export -passout pass:$P12_PASSWORD -out a.p12\n", "build.sh") == []


# ---- curl ----------------------------------------------------------------------------------------
CURL_TRUE = [
    "curl -u deploy:{v} https://api.internal/v1\n",
    "curl -sS -X POST https://api.internal/hook \\\n  -H 'Content-type: text/plain' \\\n  -d 'x' \\\n  -u developer:{v}\n",
    'curl -s --user "j.smith:{v}" "https://api.internal/user/me"\n',
    "curl --user kevin:'{v}' -iX PATCH https://api.internal\n",
    'curl -u ":{v}" https://search.internal:9200\n',
    "curl https://api.payments.internal/v1/charges -u {v}:\n",
    'curl -H "Authorization: Api-Token {v}" https://api.internal\n',
    "curl --header 'Authorization: {v}' https://api.internal\n",
    'curl -X GET -H "apikey: {v}" -H "Accept: application/json" https://api.internal\n',
    'curl -XPOST https://api.internal/tasks -H "Token: {v}" -d "x=1"\n',
    'curl -X GET https://deploy.internal/ \\\n  -H "X-Octopus-ApiKey: {v}"\n',
]


@pytest.mark.parametrize("template", CURL_TRUE)
def test_curl_credentials(template: str) -> None:
    pw = G.chars(18, ALNUM) + "#"
    assert secrets(template.format(v=pw), "README.md") == [pw]


def test_curl_header_uuid_key() -> None:
    assert found(f'curl -H "X-Api-Key: {UUID}" https://api.internal\n', "README.md") == [
        ("secret.curl-credential", UUID, 1)
    ]


@pytest.mark.parametrize(
    "line",
    [
        "curl -i -u 'test:test' https://api.internal\n",
        'curl -sL --user "$1:$2" "$3"\n',
        "curl -X POST --user '$USERNAME:$PASSWORD' $API_URL\n",
        'curl --user "xxx:yyy"\n',
        'curl -XGET -i -u "${{ env.ELK_ID }}:${{ env.ELK_PASS }}"\n',
        'curl -X POST --user "$(cat ./login.txt):$(cat ./password.txt)"\n',
        "curl --user neo4j:[PASSWORD] http://db.internal:7474/\n",
        "curl -u <user:password> https://api.internal\n",
        'curl -u "myusername" https://api.internal\n',
        "curl -u username:token\n",
        'curl -u ":" https://api.internal\n',
        'curl -k -u "SRVC_JENKINS:${APPID}"\n',
        'curl -H "Authorization: Bearer XXXXXXXXXXXX" https://api.internal\n',
        'curl -H "Authorization: Bearer <your API token>" https://api.internal\n',
        'curl -H "Authorization: Token **********" https://api.internal\n',
        'curl -H "Authorization: Bearer $(gcloud auth print-access-token)" https://api.internal\n',
        'curl -H "apikey: $API_KEY" https://api.internal\n',
        "curl -H 'Authorization: Basic YnJvd3Nlcjo=' https://api.internal\n",  # "browser:" (no password)
        'curl -H "X-CSRF-Token: Zm9vYmFyYmF6cXV4cXV1eA1" https://app.internal\n',
    ],
)
def test_curl_look_alikes_are_quiet(line: str) -> None:
    assert secrets(line, "README.md") == []


def test_a_uuid_in_the_column_after_password_in_a_sql_row_is_quiet() -> None:
    """Supabase's seed dumps list each session's sign-in method, then the row's id."""
    row = f"\t('{G.uuid()}', '2024-01-22 22:27:50.170258+00', 'password', '{G.uuid()}');\n"
    assert found(row, "supabase/seed.sql") == []
    value = G.chars(14, ALNUM)
    assert secrets(f"define('DB_PASSWORD', '{value}');\n", "wp-config.php") == [value]
    uuid = G.uuid()
    assert secrets(f'DB_PASSWORD = "{uuid}"\n', "settings.py") == [uuid]


def test_tokens_every_saved_web_page_carries_are_quiet() -> None:
    """A RAG app's committed source documents are saved publisher pages (private-gpt's): their
    Drupal page-state token, Tag Manager snippet and DOI link-outs are public; a key in a URL
    is still reported."""
    quiet = [
        '<a href="/servlet/linkout?suffix=null&amp;dbid=16&amp;key=10.5594%2FJ15330">CrossRef</a>\n',
        '<a href="/servlet/linkout?suffix=e_1_2_6_3_1&amp;dbid=32&amp;key=1%3ASTN%3A280%3ADyaK38zjtFCrsQ%253D%253D">CAS</a>\n',
        'jQuery.extend(Drupal.settings, {"ajaxPageState":{"theme":"aan","theme_token":"'
        + G.chars(43, B64URL)
        + '"}});\n',
        "j.src='https://www.googletagmanager.com/gtm.js?id='+i+dl+'&gtm_auth="
        + G.chars(22, B64URL)
        + "&gtm_preview=env-2';\n",
    ]
    for line in quiet:
        assert found(line, "source_documents/paper.html") == [], line
    key = G.chars(32, ALNUM)
    assert secrets(f'<a href="https://api.acme.io/v1/report?key={key}">x</a>\n', "docs/page.html") == [key]


def test_a_token_shape_inside_a_data_uri_payload_is_chance() -> None:
    """hoppscotch's SVG banner embeds a font as base64, in which a Google refresh token's and a
    Square token's shapes occur by chance; the same token outside a payload is reported."""
    key = "1//0" + G.chars(60, ALNUM)  # a Google refresh token's shape, all base64 characters
    payload = G.chars(300, ALNUM + "+/")
    css = f"@font-face {{ src: url(data:font/woff2;base64,{payload}+{key}/{payload}) }}\n"
    assert found(css, "assets/images/banner.svg") == []
    assert secrets(f"@font-face {{ src: url(data:font/woff2;base64,{payload}) }} /* {key} */\n", "a.css") == [key]
    assert secrets(f"token = '{key}'\n", "app.py") == [key]


# ---- JSON Web Tokens -------------------------------------------------------------------------------
def _jwt(header: dict[str, object], claims: dict[str, object], sig: str | None = None) -> str:
    def enc(obj: object) -> str:
        return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

    return f"{enc(header)}.{enc(claims)}.{G.chars(43, B64URL) if sig is None else sig}"


def test_signed_jwt_is_found_anywhere() -> None:
    token = G.jwt({"sub": "system:serviceaccount:kube-system:admin", "iss": "kubernetes/serviceaccount"})
    assert found(f"python cli.py {token}\n", "docs/usage.md") == [("secret.jwt", token, 1)]
    assert found(f'"id_token": "{token}",\n', "dump.json") == [("secret.jwt", token, 1)]
    assert secrets(f'"value": "Bearer {token}",\n', "request.har") == [token]


def test_an_expired_jwt_is_low_and_says_when_it_expired(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """An example token in an OpenAPI document that expired in 2020 (node-express-boilerplate's)
    grants nothing now: low, in `scan` and `history` alike; a live or open-ended one stays high."""
    expired = G.jwt({"sub": "5ebac534954b54139806c112", "iat": 1589298484, "exp": 1589300284})
    live = G.jwt({"sub": "svc-deploy", "iat": 1700000000, "exp": 4102444800})  # 2100
    forever = G.jwt({"sub": "svc-report"})
    text = f"old: {expired}\nlive: {live}\nforever: {forever}\n"
    commit_files(repo, {"src/docs/components.yml": text}, "tokens")
    for cmd in (["scan", "."], ["history"]):
        out = repo.parent / "jwt.json"
        run_cli([*cmd, "-q", "--exit-zero", "--json", str(out)], repo)
        rows = sorted(
            (f["line"], f["severity"], "expired on 2020-05-12" in f["message"])
            for f in json.loads(out.read_text())["findings"]
        )
        assert rows == [(1, "low", True), (2, "high", False), (3, "high", False)], (cmd, rows)


@pytest.mark.parametrize(
    ("template", "rule"),
    [
        ("https://files.acme.io/object/sign/report.pdf?token={t}\n", "secret.url-query-credential"),
        ('headers = {{"Authorization": "Bearer {t}"}}\n', "secret.bearer-token"),
        ("curl -H 'Authorization: Bearer {t}' https://api.acme.io/v1/me\n", "secret.bearer-token"),
        ('session_token = "{t}"\n', "secret.jwt"),
    ],
)
def test_an_expired_jwt_is_low_under_every_rule_that_reads_one(template: str, rule: str) -> None:
    """A storage service's signed URL (Supabase's `?token=`, an hour long) or a pasted bearer
    token that expired grants nothing now, whichever rule finds it (quivr's seed data had 24
    signed URLs from 2024 as high findings); a live token under the same rule stays high."""
    expired = G.jwt({"url": "bucket/report.pdf", "iat": 1708496974, "exp": 1708500574})
    live = G.jwt({"url": "bucket/report.pdf", "iat": 1708496974, "exp": 4102444800})
    for token, severity in ((expired, "low"), (live, "high")):
        [match] = [m for m in ENGINE.scan(template.format(t=token), "seed.sql") if m.secret == token]
        finding = to_finding(match, "seed.sql")
        assert (match.rule.id, finding.severity.value) == (rule, severity)
        assert ("expired on 2024-02-21" in finding.message) is (severity == "low")


@pytest.mark.parametrize(
    "token",
    [
        _jwt({"alg": "none"}, {"sub": "test-user"}, sig=""),  # unsigned: proves nothing
        _jwt({"alg": "HS256"}, {"role": "anon", "iss": "supabase"}),  # public by design
        _jwt({"alg": "HS256"}, {"role": "anon", "iss": "supabase-demo"}),  # local development key
        "eyJ" + G.chars(30, ALNUM) + ".eyJ" + G.chars(30, ALNUM) + "." + G.chars(43, B64URL),  # not JSON
    ],
)
def test_jwt_look_alikes_are_quiet(token: str) -> None:
    assert [r for r, _, _ in found(f"token {token}\n", "docs/usage.md") if r == "secret.jwt"] == []


def test_oauth_state_parameter_is_not_a_credential() -> None:
    """A real chatbot's debugging notes paste a sign-in URL whose OAuth ``state`` is a JWT."""
    state = G.jwt({"exp": 1753003824, "provider": "google", "flow_state_id": G.uuid()})
    url = f"https://accounts.example.test/o/oauth2/v2/auth?response_type=code&scope=email&state={state}\n"
    assert found(url, "issues/autosync.md") == []


def test_jwt_in_tests_is_quiet() -> None:
    token = G.jwt({"sub": "user-1"})
    assert found(f"const t = '{token}';\n", "src/__tests__/auth.test.ts") == []


# ---- URL query strings -----------------------------------------------------------------------------
@pytest.mark.parametrize(
    "template",
    [
        'fetch("https://api.maps.internal/js?key={v}&callback=init")\n',
        '<a href="https://app.internal/login?token=&quot;{v}&quot;">Sign in</a>\n',
        'u = "https://app.internal/cb?ts=1395782596%26token%3D{v}%26version%3D3"\n',
        'url = "https://files.internal/8367?Credential={v}%2Fkeep%26cut"\n',
    ],
)
def test_credentials_in_url_query_strings(template: str) -> None:
    v = "9" + G.chars(23, ALNUM)  # (a value of letters alone reads as an identifier: code, not a key)
    got = secrets(template.format(v=v), "app.js")
    assert len(got) == 1 and got[0].startswith(v)


@pytest.mark.parametrize(
    "line",
    [
        'next = "https://api.internal/items?page_token=' + G.chars(24, ALNUM) + '"\n',
        'u = "https://app.internal/form?csrf_token=' + G.chars(24, ALNUM) + '"\n',
        'u = "https://api.internal/v1?key={api_key}"\n',
        "u = `https://api.internal/v1?token=${token}`\n",
        'u = "https://api.internal/v1?api_key=YOUR_API_KEY_HERE"\n',
    ],
)
def test_url_query_look_alikes_are_quiet(line: str) -> None:
    assert secrets(line, "app.js") == []


# ---- user:password@ in http(s) URLs ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("template", "path"),
    [
        ("--extra-index-url https://ci-reader:{v}@pypi.acme-corp.net/simple/\n", "requirements.txt"),
        ("git+https://oauth2:{v}@gitlab.acme.io/team/lib.git@v1.2#egg=lib\n", "requirements.txt"),
        ('  resolved "https://deploy-bot:{v}@artifactory.acme.io/api/npm/ui/-/ui-1.2.3.tgz#3f2a9c"\n', "yarn.lock"),
        ("registry=https://npm:{v}@npm.acme.io/\n", ".npmrc"),
        ("RUN pip install --index-url https://__token__:{v}@pypi.acme.io/simple app\n", "Dockerfile"),
        ("export HTTPS_PROXY=http://svc:{v}@proxy.corp.net:3128\n", "deploy/env.sh"),
        ("git clone https://x-access-token:{v}@github.com/acme/infra.git\n", "scripts/sync.sh"),
        ('ES_URL = "https://elastic:{v}@es.acme.cloud:9243"\n', "app/search.py"),
        ('PROXY = "http://me%40corp.com:{v}@proxy.corp.net:3128"\n', "app/net.py"),
        ('BASE = "https://:{v}@api.acme.io/v1"\n', "app/client.py"),
        ("url = https://jane.doe@acme.com:{v}@acme.jfrog.io/artifactory/api/pypi/pypi/simple\n", "pip.conf"),
        ("url = https://jane.doe@example.com:{v}@acme.jfrog.io/artifactory/api/pypi/pypi/simple\n", "pip.conf"),
    ],
)
def test_credentials_in_http_urls(template: str, path: str) -> None:
    v = G.chars(32, ALNUM)
    got = [(m.rule.id, m.secret) for m in ENGINE.scan(template.format(v=v), path)]
    assert got == [("secret.http-url-password", v)], got


@pytest.mark.parametrize(
    "line",
    [
        "r = get('http://user:pass@httpbin.org/basic-auth/user/pass')\n",
        "see https://user:password@example.com/private\n",
        "u = 'https://svc:" + G.chars(32, ALNUM) + "@registry.example.com/simple'\n",
        "u = 'https://svc:" + G.chars(32, ALNUM) + "@app.staging.test/'\n",
        "u = 'http://admin:" + G.chars(32, ALNUM) + "@localhost:9200'\n",
        "git clone https://${GH_USER}:${GH_TOKEN}@github.com/acme/infra.git\n",
        'url = "http://%s:%s@%s/" % (user, password, host)\n',
        'url = "http://%(user)s:%(password)s@%(host)s/" % conf\n',
        "set PROXY=http://%PROXY_USER%:%PROXY_PASSWORD%@proxy.corp.net:80\n",
        'url = f"https://{user}:{password}@{host}/"\n',
        "proxy: http://username:<password>@proxy.corp.net:8080\n",
        "https://USER:PASSWORD@host.io/\n",
        "https://user:YOUR_TOKEN_HERE@host.io/\n",
        "https://user:********@host.io/\n",
        "see http://10.0.0.1:8080/path@v2 and https://github.com/org/repo\n",
    ],
)
def test_http_url_look_alikes_are_quiet(line: str) -> None:
    assert secrets(line, "app.py") == []


def test_an_email_login_in_an_smtp_url() -> None:
    """The most common SMTP URL: the login is the mailbox, written with its `@`."""
    v = G.chars(16, ALNUM)
    got = [
        (m.rule.id, m.secret) for m in ENGINE.scan(f"EMAIL_URL=smtps://alerts@acme.io:{v}@smtp.gmail.com:465\n", ".env")
    ]
    assert got == [("secret.smtp-url", v)]
    assert secrets(f"EMAIL_URL=smtps://alerts@acme.io:{v}@localhost:1025\n", ".env") == []


def test_http_url_credentials_in_tests_are_quiet() -> None:
    line = f"PROXY = 'http://svc:{G.chars(32, ALNUM)}@proxy.corp.net:3128'\n"
    assert secrets(line, "app/net.py") != []
    assert secrets(line, "tests/test_proxy.py") == []


def test_history_looks_for_userinfo_urls_not_for_every_url() -> None:
    """History's line search reads ``://`` only where a ``user:password@`` follows: a line
    with a plain URL is no keyword line, one with credentials in its URL is."""
    text = (
        b"a = 1\nsee https://docs.acme.io/start\nx = 'https://ci:" + G.chars(32, ALNUM).encode() + b"@pypi.acme.io/'\n"
    )
    assert ENGINE.keyword_rows(text) == [2]


# ---- authorization schemes ----------------------------------------------------------------------
def test_ntlm_and_negotiate_headers() -> None:
    blob = base64.b64encode(b"NTLMSSP\x00\x03" + G.chars(40).encode()).decode()
    assert secrets(f"Authorization: NTLM {blob}\n", "capture.txt") == [blob]
    assert secrets(f"Authorization: Negotiate {blob}\n", "capture.txt") == [blob]


# ---- Kubernetes Secrets -----------------------------------------------------------------------
def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


K8S_TRUE = [
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\ntype: Opaque\ndata:\n  password: {b}\n  username: {u}\n",
    "apiVersion: v1\ndata:\n\tpassword: {b}\n\tusername: {u}\nkind: secret\nmetadata:\n\tname: db\n",
    "apiVersion: 'v1'\nkind: 'Secret'\ndata:\n\tpassword: '{b}'\nmetadata:\n\tname: 'db'\n",
    'apiVersion: "v1"\nkind: "secret"\ndata:\n  password: "{b}"\nmetadata:\n  name: "db"\n',
]


@pytest.mark.parametrize("template", K8S_TRUE)
@pytest.mark.parametrize("short", [False, True])
def test_kubernetes_secret_variants(template: str, short: bool) -> None:
    """Any case or quoting of the kind, tab-indented manifests. A value a rule names is reported
    by that rule; one too plain for any rule (``S!B*d$zDs``) still as a Kubernetes secret."""
    from launchready.secrets import formats

    # short: a letter first and no `**` (a value starting `$` reads as a variable, a run of
    # `*` as a mask: about 1 draw in 100 of the whole alphabet was quiet, and the test flaked)
    pw = G.chars(1, "SBdzDs") + G.chars(8, "SBdzDs!*$").replace("**", "*d") if short else G.password(14)
    text = template.format(b=_b64(pw), u=_b64("admin"))
    assert found(text, "deploy/db-secret.yaml") == []  # the raw text holds only base64
    assert formats.is_k8s_secret(text)
    located = formats.k8s_secret_matches(ENGINE, text, "deploy/db-secret.yaml")
    assert len(located) == 1
    m, line, _ = located[0]
    assert m.rule.id in ("secret.password-assignment", "secret.kubernetes-secret")
    assert text.splitlines()[line - 1].strip().startswith("password:")


def test_kubernetes_value_no_rule_names() -> None:
    from launchready.secrets import formats

    value = G.chars(24, ALNUM + "+/")
    text = f"apiVersion: v1\nkind: Secret\ndata:\n  extra: {_b64(value)}\n"
    located = formats.k8s_secret_matches(ENGINE, text, "k8s/s.yaml")
    assert [(m.rule.id, m.secret, line) for m, line, _ in located] == [("secret.kubernetes-secret", _b64(value), 4)]


@pytest.mark.parametrize(
    ("key", "url"),
    [
        ("CELERY_RESULT_BACKEND", "redis://:{}@redis-service:6379/0"),  # a password in the URL
        ("CELERY_BROKER", "amqps://broker.internal:5671/{}"),  # a long random path segment
    ],
)
def test_kubernetes_urls_that_are_credentials_are_reported(key: str, url: str) -> None:
    from launchready.secrets import formats

    value = url.format(G.chars(32, ALNUM))
    text = f"apiVersion: v1\nkind: Secret\ndata:\n  {key}: {_b64(value)}\n"
    assert formats.k8s_secret_matches(ENGINE, text, "k8s/s.yaml"), value


def test_history_reports_a_kubernetes_value_no_rule_names(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """History reads a Secret manifest again whole and decoded; a value only
    ``secret.kubernetes-secret`` reports (a file rule, not the engine's) crashed the scan with a
    KeyError (DocsGPT's history), and is reported as ``scan`` reports it."""
    value = G.chars(24, ALNUM)
    manifest = f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ndata:\n  extra: {_b64(value)}\n"
    _commands_agree(run_cli, repo, {"deploy/k8s/secrets.yaml": manifest})
    res = run_cli(["history", "-q", "--json", "-"], repo)
    assert res.code == 1, res.err
    assert [f["rule_id"] for f in json.loads(res.out)["findings"]] == ["secret.kubernetes-secret"]


def test_kubernetes_docker_config_secret() -> None:
    from launchready.secrets import formats

    cfg = json.dumps({"auths": {"registry.internal": {"auth": _b64("ci:" + G.password(16))}}})
    text = f"apiVersion: v1\nkind: Secret\ntype: kubernetes.io/dockerconfigjson\ndata:\n  .dockerconfigjson: |\n    {_b64(cfg)}\n"
    located = formats.k8s_secret_matches(ENGINE, text, "k8s/pull.yaml")
    assert located, "the registry credential is found"


@pytest.mark.parametrize(
    "text",
    [
        "apiVersion: v1\nkind: Secret\ndata:\n  htpasswd: ''\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  password: " + _b64("changeme") + "\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  username: " + _b64("deploy-bot-service") + "\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  extra: " + _b64("bar\n") + "\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  ca.crt: "
        + _b64("-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n")
        + "\n",
        "apiVersion: external-secrets.io/v1beta1\nkind: ExternalSecret\nspec:\n  data:\n    - secretKey: api-key\n"
        "      remoteRef:\n        key: prod/api\n",
        "apiVersion: v1\nkind: Secret\nstringData:\n  password: ${DB_PASSWORD}\n",
        # where a service listens (DocsGPT's manifests: a Celery result backend)
        "apiVersion: v1\nkind: Secret\ndata:\n  CELERY_RESULT_BACKEND: " + _b64("redis://redis-service:6379/0") + "\n",
        "apiVersion: v1\nkind: Secret\ndata:\n  AUTH_SERVICE: "
        + _b64("http://auth.default.svc.cluster.local:8080/")
        + "\n",
    ],
)
def test_kubernetes_look_alikes_are_quiet(text: str) -> None:
    from launchready.secrets import formats

    assert formats.k8s_secret_matches(ENGINE, text, "k8s/s.yaml") == []


# ---- one answer: hook, scan and history agree on the new syntaxes --------------------------------
@pytest.mark.timeout(300)
def test_hook_scan_and_history_agree_on_new_syntaxes(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    g = KeyGen(1213)
    files = {
        "config/settings.xml": f"<config>\n  <serviceToken>\n    {g.chars(32)}\n  </serviceToken>\n</config>\n",
        "docs/ops.md": f"curl -sS https://api.internal \\\n  -H 'Accept: */*' \\\n  -u svc:{g.password(18)}\n",
        "docs/session.txt": f"token:\n{g.jwt({'sub': 'svc'})}\n",
        "deploy/secret.yaml": f"apiVersion: v1\nkind: secret\ndata:\n\tpassword: {_b64(g.password(14))}\n",
        "web/app.js": f'fetch("https://api.internal/v1?apikey={g.chars(30)}")\n',
        "requirements.txt": f"--extra-index-url https://ci:{g.chars(32)}@pypi.acme.io/simple/\nrequests==2.32.0\n",
        "src/lib/firebase.ts": g.sample("secret.google-browser-api-key").text,
    }
    _commands_agree(run_cli, repo, files)


@pytest.mark.parametrize(
    "line",
    [
        '      "hashed_secret": "' + G.hex(40) + '",\n',  # a detect-secrets baseline
        'token_hash = "' + HEX64 + '"\n',
        'const secretDigest = "' + HEX64 + '";\n',
        '"integrity_key": "' + HEX64 + '"\n',
    ],
)
def test_digests_under_secret_words_are_quiet(line: str) -> None:
    assert secrets(line, "config.json") == []


def test_made_up_values_in_real_test_files_are_quiet() -> None:
    """A real chatbot's test sets a stand-in token (a provider-named rule reported it)."""
    line = '    process.env.BLOB_READ_WRITE_TOKEN = "vercel_blob_token_abc123";\n'
    assert secrets(line, "src/app/api/storage/actions.test.ts") == []
    real = f'BLOB_READ_WRITE_TOKEN = "vercel_blob_token_{"7" + G.chars(23, ALNUM)}";\n'
    assert secrets(real, "src/app/api/storage/config.ts") != []


@pytest.mark.parametrize(
    ("name", "rule_id"),
    [
        ("SECRET_KEY", "secret.jwt-signing-secret"),
        ("DJANGO_SECRET_KEY", "secret.jwt-signing-secret"),
        ("app.secret_key", "secret.jwt-signing-secret"),
        ("settings.SECRET_KEY", "secret.jwt-signing-secret"),
        ("JWT_SECRET_KEY", "secret.jwt-signing-secret"),
        ("SECRET_KEY_BASE", "secret.jwt-signing-secret"),
        ("NEXTAUTH_SECRET", "secret.jwt-signing-secret"),
        ("LANGFUSE_SECRET_KEY", "secret.generic-assignment"),
        ("TRIGGER_SECRET_KEY", "secret.generic-assignment"),
        ("INNGEST_SIGNING_KEY", "secret.generic-assignment"),
        ("RECAPTCHA_SECRET_KEY", "secret.generic-assignment"),
        ("TURNSTILE_SECRET_KEY", "secret.generic-assignment"),
    ],
)
def test_a_providers_secret_key_is_not_a_signing_secret(name: str, rule_id: str) -> None:
    """``SECRET_KEY`` alone or under a framework's name is the app's signing secret (the fix:
    generate a new one); under a provider's name it is that provider's credential (the fix:
    rotate it at its issuer)."""
    value = G.chars(40, ALNUM)
    assert [(m.rule.id, m.secret) for m in ENGINE.scan(f"{name} = '{value}'\n", "app/config.py")] == [(rule_id, value)]


@pytest.mark.parametrize(
    "name", ["RECAPTCHA_SITE_KEY", "NEXT_PUBLIC_RECAPTCHA_KEY", "TURNSTILE_SITE_KEY", "HCAPTCHA_SITEKEY"]
)
def test_a_captchas_site_key_is_public(name: str) -> None:
    assert secrets(f"{name} = '6L{G.chars(38, ALNUM)}'\n", "app/settings.py") == []


@pytest.mark.parametrize(
    "line",
    [
        '    MovedAttribute("HTTPPasswordMgr", "urllib2", "urllib.request"),\n',  # six.py, vendored everywhere
        'register("PasswordValidator", "django.contrib.auth")\n',
        'PASSWORD_HASHER_CLASS = "argon2id"\n',
    ],
)
def test_classes_about_passwords_are_not_passwords(line: str) -> None:
    assert secrets(line, "app/compat.py") == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        # code between two string literals of a minified bundle (Plotly, embedded in an HTML export)
        ('tiles:["https://tiles.example.net/{z}/{x}/{y}.png?api_key="+t),t.substr(0,t.length-1)+"x"]\n', "plot.html"),
        ('u="https://t.example.net/x.png?api_key="],tileSize:256}},layers:[{id:"carto"}]\n', "plot.html"),
        # a linter's cache maps file names to their hashes (.php-cs-fixer.cache, .eslintcache)
        ('{"hashes":{"src/Security/ApiTokenAuthenticator.php":"' + G.hex(32) + '"}}\n', ".php-cs-fixer.cache"),
        ('{"src/NotCompromisedPasswordService.php":"' + G.hex(32) + '"}\n', ".php-cs-fixer.cache"),
        # Symfony reads the value from the environment
        ("framework:\n    secret: '%env(APP_SECRET)%'\n", "config/packages/framework.yaml"),
        ("    secret: '%kernel.secret%'\n", "config/packages/security.yaml"),
    ],
)
def test_code_caches_and_references_are_not_values(line: str, path: str) -> None:
    assert secrets(line, path) == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ('        "@inquirer/password": "^4.0.23",\n', "package-lock.json"),  # a package's version
        ('    "password-validator": ">=5.1.0 <6",\n', "package.json"),
        ("- Password: `admin123`\n", "README.md"),  # a default with digits, eight characters long
    ],
)
def test_versions_and_long_defaults_are_not_passwords(line: str, path: str) -> None:
    assert secrets(line, path) == []


@pytest.mark.parametrize(
    ("line", "path"),
    [
        ('BIGCOMMERCE_TOKEN_SECRET="this-is-a-secret-value-with-at-least-32-characters"\n', ".env.example"),
        ('JWT_SECRET="my-super-secret-jwt-key-change-in-prod"\n', ".env"),
        ("  login(email: String!, password: String!): LoginResult!\n", "schema.graphql"),
        ("  apiKeys: [String!]!\n", "schema.graphql"),
        ("[I 12:02:10 NotebookApp] http://(73e0ec1f1ae6 or 127.0.0.1):8888/?token=" + G.hex(48) + "\n", "README.md"),
        ("open http://localhost:8888/lab?token=" + G.hex(48) + "\n", "README.md"),
    ],
)
def test_sentences_schema_types_and_local_tokens_are_quiet(line: str, path: str) -> None:
    """Found in public apps (vercel/commerce, full-stack-fastapi-template): a sentence where the
    value goes, a GraphQL field's type, a local Jupyter server's throwaway token."""
    assert secrets(line, path) == []


def test_a_token_beside_a_local_url_or_in_a_local_api_url_is_still_found() -> None:
    token = G.chars(32, ALNUM)
    assert secrets(f"API_TOKEN={token}  # docs at http://localhost:3000/docs\n", ".env") == [token]
    assert secrets(f'<a href="http://localhost:8888/v1/api/get?token={token}">\n', "page.html") == [token]


@pytest.mark.parametrize(
    "line",
    [
        'ISSUE_AUTHOR = os.getenv("GITHUB_ISSUE_AUTHOR", "actions-user[bot]")\n',  # cookiecutter-django
        'MAX_PASSENGER_NAME = "' + G.chars(24, ALNUM) + '"\n',
        'KEYBOARD_LAYOUT = "' + G.chars(24, ALNUM) + '"\n',
    ],
)
def test_a_secret_word_inside_a_longer_word_is_no_secret_name(line: str) -> None:
    """`_AUTH` of `_AUTHOR`, `_PASS` of `_PASSENGER`, `_KEY` of `_KEYBOARD`."""
    assert secrets(line, "app/config.py") == []


@pytest.mark.parametrize("name", ["GITHUB_AUTH", "STRIPE_KEYS", "API_TOKENS", "DB_PASSWD", "APP_SECRETS"])
def test_secret_words_ending_a_name_still_name_a_secret(name: str) -> None:
    value = G.chars(32, ALNUM)
    assert secrets(f'{name} = "{value}"\n', "app/config.py") == [value]


def test_a_translation_lock_file_and_a_super_secret_placeholder_are_quiet() -> None:
    """formbricks: `apps/web/i18n.lock` maps each message key (`…/invalid_or_expired_token`)
    to its hash, and a test's `mysql://admin:super-secret@database` is a placeholder."""
    assert secrets(f"    auth/email-change/invalid_or_expired_token: {G.hex(32)}\n", "apps/web/i18n.lock") == []
    assert secrets('const secretUrl = "mysql://admin:super-secret@database/formbricks";\n', "scripts/wait.ts") == []
