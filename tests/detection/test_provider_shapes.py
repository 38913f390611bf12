"""Provider token shapes beyond each rule's own generated sample: the other forms a provider
issues or people write (bare webhook hosts, colour-coded CLI output, headerless DER keys), and
the look-alikes that must stay quiet (documented example values, ciphertexts, public keys).

Secret-shaped values are generated at test time; nothing live-looking is committed.
"""

from __future__ import annotations

import base64

from launchready.demo.keygen import ALNUM, KeyGen
from launchready.secrets.engine import Engine
from launchready.secrets.rules import default_rules

ENGINE = Engine(default_rules())
LOWER = "abcdefghijklmnopqrstuvwxyz0123456789"
HEX = "0123456789abcdef"


def ids(text: str, path: str = "app.txt") -> list[str]:
    return [m.rule.id for m in ENGINE.scan(text, path)]


def secrets(text: str, path: str = "app.txt") -> list[tuple[str, str]]:
    return [(m.rule.id, m.secret) for m in ENGINE.scan(text, path)]


def test_token_after_a_terminal_colour_code_is_found() -> None:
    g = KeyGen(31)
    token = "sq0" + "csp-" + g.chars(43, ALNUM + "_-")
    esc = "\x1b"
    text = f'2026-01-02 Colored line: "{esc}[94m{token}{esc}[0m";\n'
    assert secrets(text, "build.log") == [("secret.square-application-secret", token)]
    # a letter right before the token is still no boundary
    assert ids(f"xm{token}\n", "build.log") == []


def test_slack_shapes() -> None:
    g = KeyGen(32)
    file_token = "xo" + "xe-" + "-".join(g.chars(13, "0123456789") for _ in range(3)) + "-" + g.chars(32, HEX)
    url = f'"url_private": "https://files.slack.com/files-pri/T0-F0/image.png?t={file_token}"\n'
    assert secrets(url, "export.json") == [("secret.slack-user-token", file_token)]
    app = "xa" + "pp-1-A" + g.chars(10, "ABCDEFGHJKLMNPQRSTUVWXYZ23456789") + "-" + g.chars(13, "0123456789") + "-"
    app += g.chars(64, LOWER)
    assert secrets(f'"token": "{app}"\n') == [("secret.slack-app-token", app)]
    path = "services/" + g.chars(44, ALNUM)
    assert secrets(f"hooks.slack.com/{path}\n", "README.md") == [("secret.slack-webhook", path)]
    # a host that merely ends in the name is not Slack's
    assert ids(f"https://myhooks.slack.com.evil/{path}\n", "README.md") == []


def test_nuget_config_password() -> None:
    g = KeyGen(33)
    pw = g.password(18)
    body = '<configuration><packageSourceCredentials><Feed>\n<add key="Username" value="ci" />\n'
    text = body + '<add key="ClearTextPassword" value="{}" />\n</Feed></packageSourceCredentials></configuration>\n'
    assert secrets(text.format(pw), "src/NuGet.Config") == [("secret.nuget-config-password", pw)]
    # an environment variable NuGet expands, the documentation's example value, another file
    assert "secret.nuget-config-password" not in ids(text.format("%FEED_PASSWORD%"), "NuGet.Config")
    assert "secret.nuget-config-password" not in ids(text.format("33f!!lloppa"), "NuGet.Config")
    assert "secret.nuget-config-password" not in ids(text.format(pw), "docs/feeds.xml")


def test_der_private_key_without_pem_header() -> None:
    g = KeyGen(34)
    b64 = ALNUM + "+/"
    pkcs1 = "MII" + "BOgIBAAJBA" + g.chars(54, b64)
    lines = [pkcs1] + [g.chars(64, b64) for _ in range(6)]
    xml = "<root>\n  <data>\n" + "".join(f"    {ln}\n" for ln in lines) + "  </data>\n</root>\n"
    assert secrets(xml, "keys.xml") == [("secret.der-private-key", pkcs1)]
    pkcs8 = "MIIEvQIBADAN" + "BgkqhkiG9w0BAQEFAASC" + g.chars(400, b64)
    assert secrets(f"jwt.signing.key={pkcs8}\n", "app.properties") == [("secret.der-private-key", pkcs8)]
    # a public key (SubjectPublicKeyInfo) and a certificate open differently
    spki = "MIIBIjAN" + "BgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA" + g.chars(300, b64)
    cert = "MIIDXTCC" + "AkWgAwIBAgIJAK" + g.chars(300, b64)
    assert ids(f"public.key={spki}\ncert={cert}\n", "app.properties") == []


def test_pem_key_inside_a_base64_document() -> None:
    g = KeyGen(35)
    doc = "image: api\ntls:\n  crt: |\n    cert\n  key: |\n    " + g.pem_private_key("EC ", 4).replace("\n", "\n    ")
    blob = base64.b64encode(doc.encode()).decode()
    assert secrets(blob + "\n", "values.b64") == [("secret.base64-nested-private-key", blob)]
    # the same document with a public key only
    pub = doc.replace("EC PRIVATE KEY", "PUBLIC KEY")
    assert ids(base64.b64encode(pub.encode()).decode() + "\n", "values.b64") == []


def test_encrypted_config_values_are_not_secrets() -> None:
    g = KeyGen(36)
    cipher = g.chars(24, ALNUM + "+/") + "="
    assert ids(f'{{"secretKey": "ENC({cipher})"}}\n', "application.json") == []
    assert ids(f"jwt.secret={{cipher}}{cipher}{cipher}\n", "application.properties") == []
    assert ids(f'{{"secretKey": "{cipher[:-1]}"}}\n', "application.json") != []


def test_more_provider_forms() -> None:
    g = KeyGen(37)
    cases = {
        "secret.bitbucket-http-access-token": "BB" + "DC-" + g.chars(44, ALNUM),
        "secret.akamai-edgegrid-token": "ak" + "ab-" + g.chars(16, LOWER) + "-" + g.chars(16, LOWER),
        "secret.docker-swarm-join-token": "SWM" + "TKN-1-" + g.chars(50, LOWER) + "-" + g.chars(25, LOWER),
        "secret.intra42-client-secret": "s-s4t2" + "ud-" + g.chars(64, HEX),
        "secret.adobe-client-secret": "p8" + "e-" + g.chars(32, ALNUM),
    }
    for rule_id, value in cases.items():
        assert secrets(f'token = "{value}"\n') == [(rule_id, value)], rule_id
    fb = g.chars(16, "123456789") + "|" + g.chars(27, ALNUM + "_-")
    assert secrets(f"facebook {fb}\n") == [("secret.facebook-app-token", fb)]
    vault = "s." + g.chars(24, ALNUM)
    assert secrets(f"token: {vault}\n", "ci.yml") == [("secret.vault-legacy-token", vault)]
    assert ids(f"status: {vault}\n", "ci.yml") == []
    az = g.chars(4, ALNUM) + "Q~" + g.chars(31, ALNUM + "_.-")
    az = az[:3] + "7" + az[4:]
    assert secrets(f"-ClientSecret '{az}'\n", "deploy.ps1") == [("secret.azure-ad-client-secret", az)]


def test_keywords_are_specific_enough_to_prefilter() -> None:
    """A rule's keywords gate its regex: a one-character keyword (a bare `|`) fires on almost every
    line of code and cost the engine three quarters of its throughput when one slipped in."""
    from launchready.secrets.rules.pack import RULES

    assert [(r.id, k) for r in RULES for k in r.keywords if len(k) < 2] == []


def test_terraform_password_attribute_but_not_secret_names() -> None:
    g = KeyGen(38)
    pw = g.password(14)
    tf = (
        'resource "azurerm_mssql_server" "db" {\n'
        f'  administrator_login_password = "{pw}"\n'
        "}\n"
        'data "google_secret_manager_secret_version" "app" {\n'
        '  secret = "chat-backend-secrets"\n'
        '  password_secret_id = "db-admin-password"\n'
        "}\n"
    )
    assert secrets(tf, "infra/main.tf") == [("secret.terraform-password", pw)]
    assert "secret.terraform-password" not in ids(tf, "docs/terraform.md")


def test_clerk_svix_and_paystack_values_are_told_from_stripes() -> None:
    """Clerk's and Paystack's secret keys share Stripe's sk_live_/sk_test_ and Clerk's (Svix's)
    webhook secrets Stripe's whsec_: the name (or Paystack's shape) decides whose dashboard the
    fix sends a founder to."""
    g = KeyGen(31)
    live, test, hook = "sk_live_" + g.chars(42, ALNUM), "sk_test_" + g.chars(42, ALNUM), "whsec_" + g.chars(32, ALNUM)

    def ids(text: str) -> list[str]:
        return [m.rule.id for m in ENGINE.scan(text, ".env")]

    assert ids(f"CLERK_SECRET_KEY={live}\n") == ["secret.clerk-secret-key"]
    assert ids(f"clerkSecretKey: '{test}'\n") == ["secret.clerk-test-secret-key"]
    assert ids(f"CLERK_WEBHOOK_SIGNING_SECRET={hook}\n") == ["secret.svix-webhook-secret"]
    assert ids(f"RESEND_WEBHOOK_SECRET={hook}\n") == ["secret.svix-webhook-secret"]
    assert ids(f"STRIPE_SECRET_KEY={live}\n") == ["secret.stripe-secret-key"]
    assert ids(f"STRIPE_WEBHOOK_SECRET={hook}\n") == ["secret.stripe-webhook-secret"]
    assert ids(f"SECRET_KEY={live}\n") == ["secret.stripe-secret-key"]  # no name says Clerk: Stripe's shape
    # Paystack's keys have a shape of their own (40 lowercase hex), whatever the name
    assert ids(f"SECRET_KEY=sk_live_{g.hex(40)}\n") == ["secret.paystack-secret-key"]
    assert ids(f"PAYSTACK_SECRET_KEY=sk_test_{g.hex(40)}\n") == ["secret.paystack-test-secret-key"]


def test_a_google_key_meant_for_browsers_is_low_with_the_fix_that_helps() -> None:
    """A Firebase web config's apiKey and a Maps JavaScript key ship to browsers by design:
    reported low (as in a shipped bundle), telling the founder to restrict the key (it can call
    every API its project enables, Gemini included); the same AIza key anywhere else is a
    Google API key, high."""
    g = KeyGen(41)
    key = "AIza" + g.chars(35, ALNUM + "-_")
    firebase = [
        (
            f'const firebaseConfig = {{\n  apiKey: "{key}",\n  authDomain: "acme.firebaseapp.com",\n}};\n',
            "src/firebase.ts",
        ),
        (
            f'const firebaseConfig = {{\n  apiKey:\n    process.env.NEXT_PUBLIC_FIREBASE_API_KEY ||\n    "{key}",\n'
            '  messagingSenderId: "402118822781",\n};\n',
            "src/firebase.ts",
        ),
        (f"NEXT_PUBLIC_FIREBASE_API_KEY={key}\n", ".env.local"),
        (
            f'<script>firebase.initializeApp({{ apiKey: "{key}", authDomain: "acme.firebaseapp.com" }});</script>\n',
            "index.html",
        ),
        (
            f'<script src="https://maps.googleapis.com/maps/api/js?key={key}&callback=initMap" async></script>\n',
            "a.html",
        ),
        (f'<script src="https://maps.googleapis.com/maps/api/js?libraries=places&amp;key={key}"></script>\n', "b.html"),
        (f"NEXT_PUBLIC_GOOGLE_MAPS_API_KEY={key}\n", ".env.local"),
        (f"VITE_PLACES_KEY={key}\n", ".env"),
        (f'GOOGLE_MAP_API_KEY = "{key}"\n', "bakerydemo/settings/base.py"),  # wagtail's bakerydemo
    ]
    for text, path in firebase:
        got = [(m.rule.id, m.rule.severity.value, m.secret) for m in ENGINE.scan(text, path)]
        assert got == [("secret.google-browser-api-key", "low", key)], (path, got)
    for text in (f'const genAI = new GoogleGenerativeAI("{key}");\n', f'GEMINI_API_KEY="{key}"\n'):
        assert [(m.rule.id, m.rule.severity.value) for m in ENGINE.scan(text, "src/ai.ts")] == [
            ("secret.google-api-key", "high")
        ]


def test_a_plaid_sandbox_token_is_low_and_a_production_token_critical() -> None:
    """Recorded API responses (VCR cassettes) of a Plaid app are full of sandbox tokens: they
    reach Plaid's test institutions only (maybe-finance/maybe has ten)."""
    g = KeyGen(52)
    body = f"{g.hex(8)}-{g.hex(4)}-{g.hex(4)}-{g.hex(4)}-{g.hex(12)}"
    rows = {
        env: [
            (m.rule.id, m.rule.severity.value) for m in ENGINE.scan(f'"access_token": "access-{env}-{body}"\n', "a.yml")
        ]
        for env in ("sandbox", "development", "production")
    }
    assert rows == {
        "sandbox": [("secret.plaid-sandbox-access-token", "low")],
        "development": [("secret.plaid-access-token", "critical")],
        "production": [("secret.plaid-access-token", "critical")],
    }
