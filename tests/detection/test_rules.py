"""Every built-in rule: a true case (KeyGen sample) and false cases (placeholders, near misses).

Secret-shaped values are generated at test time; nothing live-looking is committed.
"""

from __future__ import annotations

import base64
import json

import pytest

from launchready.demo.keygen import ALNUM, B64URL, KeyGen, Sample
from launchready.secrets.engine import Engine
from launchready.secrets.rules import default_rules
from launchready.secrets.rules.pack import RULES

ENGINE = Engine(default_rules())
RULE_IDS = [r.id for r in RULES]


def found(text: str, path: str = "app.py") -> list[tuple[str, str, int]]:
    return [(m.rule.id, m.secret, m.line) for m in ENGINE.scan(text, path)]


def test_pack_size_and_shape() -> None:
    assert len(RULES) >= 60
    assert len(set(RULE_IDS)) == len(RULE_IDS)
    for r in RULES:
        assert r.id.startswith("secret.") and r.id == r.id.lower(), r.id
        assert r.description and r.fix, r.id
        assert all(k == k.lower() for k in r.keywords), r.id
        if r.id not in NO_KEY_PAGE:  # the fix names where to rotate: the provider's key page
            assert "https://" in r.fix or "your " in r.fix, r.id


# Credentials without a provider key page: the fix says what to do instead.
NO_KEY_PAGE = {
    "secret.private-key",
    "secret.jwt-signing-secret",
    "secret.password-assignment",
    "secret.generic-assignment",
    "secret.pgpass-password",
    "secret.htpasswd-hash",
    "secret.netrc-password",
    "secret.age-secret-key",
    "secret.vault-token",
    "secret.discord-webhook",
    "secret.telegram-bot-token",
    "secret.shopify-token",
    "secret.smtp-password",
    "secret.bearer-token",
    "secret.curl-credential",
    "secret.url-query-credential",
    "secret.jwt",
}


@pytest.mark.parametrize("rule_id", RULE_IDS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_true_sample_found_exactly(rule_id: str, seed: int) -> None:
    s = KeyGen(seed).sample(rule_id)
    assert found(s.text, s.path) == [(rule_id, s.secret, s.line)]


def _placeholders(s: Sample, prefix: str) -> list[str]:
    keep = prefix if s.secret.startswith(prefix) else ""
    return [
        "${" + "SECRET_VALUE}",
        "<your-key-here>",
        keep + "x" * max(8, len(s.secret) - len(keep)),
        keep + "*" * 12,
        keep + "...",
        "{{ secrets.API_KEY }}",
    ]


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_placeholder_versions_are_quiet(rule_id: str) -> None:
    rule = next(r for r in RULES if r.id == rule_id)
    s = KeyGen(4).sample(rule_id)
    for fake in _placeholders(s, rule.prefix):
        text = s.text.replace(s.secret, fake)
        assert found(text, s.path) == [], (rule_id, fake)


@pytest.mark.parametrize("rule_id", RULE_IDS)
def test_truncated_or_outside_its_file_is_quiet(rule_id: str) -> None:
    """A far too short value is not a key; file-specific rules stay in their files."""
    rule = next(r for r in RULES if r.id == rule_id)
    s = KeyGen(5).sample(rule_id)
    if rule.prefix:  # token formats have a fixed shape; passwords may be short
        short = s.secret[: len(rule.prefix) + 3]
        assert rule_id not in [f[0] for f in found(s.text.replace(s.secret, short), s.path)]
    if rule.paths:
        assert rule_id not in [f[0] for f in found(s.text, "docs/notes.txt")]


HARD_NEGATIVES = [
    'OPENAI_API_KEY="${OPENAI_API_KEY}"',
    "OPENAI_API_KEY=<your-key>",
    'api_key = os.environ["OPENAI_API_KEY"]',
    "const key = process.env.STRIPE_SECRET_KEY;",
    "const key = import.meta.env.VITE_API_KEY",
    'OPENAI_API_KEY="sk-..."',
    "OPENAI_API_KEY=sk-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx",
    "SECRET_KEY=********************",
    "AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE",
    "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
    '"integrity": "sha512-Q5Zp1ZxUs3G7fQ0F3l9m1uWmQz5m4Z0l1b3c1cG1m2X3b4Y5Z6a7b8c9d0e1f2g3h4i5j6k7l8m9n0o1p2q3r4s5==",',
    "image: python@sha256:4f1c6d2d9b0a1e8f7c6b5a4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f",
    'request_id = "3f2b8c1e-9a4d-4e6f-8b2a-7c5d1e0f9a3b"',
    "commit: 9fceb02d0ae598e95dc970b74767f19372d61af8",
    'token_url = "https://oauth2.googleapis.com/token"',
    "password = get_password()",
    "password: str = Field(..., min_length=8)",
    "secret = settings.SECRET_KEY",
    "api_key = config.openai.api_key",
    "background: url(data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==);",
    "SENTRY_DSN=https://1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d@o123456.ingest.sentry.io/7654321",
    "password=changeme",
    "DB_PASSWORD=password123",
    'TEST_PASSWORD = "test-password"',
    'api_key = "your-api-key-here"',
    "DATABASE_URL=postgres://postgres:postgres@localhost:5432/app",
    "DATABASE_URL=postgres://user:${DB_PASSWORD}@db:5432/app",
    "REDIS_URL=redis://localhost:6379/0",
    "csrf_token = 'Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4'",
    'headers = {"Authorization": f"Bearer {token}"}',
    'curl -H "Authorization: Bearer $API_TOKEN" https://api.internal',
    "KMS_KEY_ARN=arn:aws:kms:us-east-1:123456789012:key/3f2b8c1e-9a4d-4e6f-8b2a-7c5d1e0f9a3b",
    'password_hash = "$2b$12$R9h/cIPz0gi.URNNX3kh2OPST9/PgBkqquzi.Ss7KIUgO2t0jWMUW"',
    "SENDGRID_API_KEY: UkVQTEFDRV9NRQ==",
    "PUBLIC_KEY = 'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE8Yp3Kz'",
    # lowercase path-like identifiers (a taxonomy tag, a namespaced key name)
    '    "secret": "external/cwe/cwe-798",',
    'FINGERPRINT_KEY = "launchready/v1"',
    'cache_key = "sessions/chat-history/v2"',
]


@pytest.mark.parametrize("text", HARD_NEGATIVES)
def test_hard_negatives_are_quiet(text: str) -> None:
    assert found(text + "\n") == []


def test_public_keys_and_certificates_are_quiet() -> None:
    g = KeyGen(9)
    body = "\n".join(g.chars(64, ALNUM + "+/") for _ in range(6))
    for kind in ("PUBLIC KEY", "CERTIFICATE", "RSA PUBLIC KEY", "OPENSSH PUBLIC KEY"):
        assert found(f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n", "cert.pem") == []
    assert found(f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{g.chars(43)} me@laptop\n", "id_ed25519.pub") == []


def test_publishable_and_anon_keys_are_quiet() -> None:
    g = KeyGen(10)
    pk = "pk_" + "live_" + g.chars(99)
    anon = g.supabase_anon()
    text = f"STRIPE_PUBLISHABLE_KEY={pk}\nNEXT_PUBLIC_SUPABASE_ANON_KEY={anon}\nSUPABASE_KEY={anon}\n"
    assert found(text, ".env") == []


def test_github_checksum_is_verified() -> None:
    good = KeyGen(11).github_classic()
    bad = good[:-1] + ("A" if good[-1] != "A" else "B")
    assert [f[0] for f in found(f"token = '{good}'\n")] == ["secret.github-pat-classic"]
    assert "secret.github-pat-classic" not in [f[0] for f in found(f"token = '{bad}'\n")]


def test_npm_checksum_is_verified() -> None:
    good = KeyGen(12).npm()
    bad = good[:-2] + "zz"
    assert [f[0] for f in found(f"//registry.npmjs.org/:_authToken={good}\n", ".npmrc")] == ["secret.npm-token"]
    assert "secret.npm-token" not in [f[0] for f in found(f"NPM={bad}\n")]


def test_supabase_role_decides() -> None:
    g = KeyGen(13)
    service = g.supabase_service_role()
    assert found(f"const admin = createClient(url, '{service}')\n", "server.ts") == [
        ("secret.supabase-service-role-key", service, 1)
    ]
    assert found(f"const client = createClient(url, '{g.supabase_anon()}')\n", "client.ts") == []


def test_private_key_escaped_in_json_and_multiline() -> None:
    g = KeyGen(14)
    pem = g.pem_private_key("", 10)
    doc = {"type": "service_account", "private_key_id": g.hex(40), "private_key": pem + "\n"}
    text = json.dumps(doc, indent=2)
    ids = sorted(f[0] for f in found(text, "sa.json"))
    assert ids == ["secret.gcp-service-account", "secret.private-key"]
    for kind in ("RSA ", "EC ", "OPENSSH ", ""):
        key = g.pem_private_key(kind, 8)
        [(rid, _, line)] = found("config:\n  key: |\n    " + key.replace("\n", "\n    ") + "\n", "values.yaml")
        assert (rid, line) == ("secret.private-key", 3)


def test_private_keys_close_together_are_each_found() -> None:
    """A key starting inside the previous key's 16 KiB window but ending past it (a bundle of
    keys, or a history batch of several key files) is found whole, not cut at the window."""
    g = KeyGen(21)
    first, second = g.pem_private_key("RSA ", 12), g.pem_private_key("EC ", 12)
    filler = "".join(f"# padding line {i:05d} of a config bundle\n" for i in range(15_000 // 40))
    text = first + "\n" + filler + second + "\n"
    assert 15_000 < text.index(second) < 16_384 < text.index(second) + len(second)
    assert sorted(f[2] for f in found(text, "keys.pem")) == [1, text[: text.index(second)].count("\n") + 1]


def test_database_password_is_the_secret() -> None:
    g = KeyGen(15)
    pw = g.chars(18)
    for scheme in ("postgresql", "mysql", "mongodb+srv", "redis", "amqp", "smtp"):
        [(rid, secret, _)] = found(f"URL = '{scheme}://svc:{pw}@host.internal:1234/x'\n")
        assert secret == pw and rid.endswith("-url"), scheme
    m = ENGINE.scan(f"DATABASE_URL=postgres://svc:{pw}@db/x\n", ".env")[0]
    assert m.rule.password_like


def test_minified_js_column() -> None:
    g = KeyGen(16)
    key = g.openai_project()
    filler = ";".join(f"var a{i}=function(b){{return b*{i}}}" for i in range(800))
    text = filler + f';const k="{key}";' + filler
    [m] = ENGINE.scan(text, "dist/app.min.js")
    assert (m.line, m.column) == (1, len(filler) + len(';const k="') + 1)


def test_crlf_and_allow_markers() -> None:
    g = KeyGen(17)
    key = g.stripe_secret()
    text = f"A=1\r\nSTRIPE={key}\r\nB={g.stripe_secret()}  # launchready:allow\r\n"
    ms = ENGINE.scan(text, ".env")
    assert next((m.line, m.secret, m.allowed) for m in ms) == (2, key, False)
    assert [m.allowed for m in ms] == [False, True]
    for marker in ("# pragma: allowlist secret", "// gitleaks:allow"):
        [m] = ENGINE.scan(f"k = '{key}'  {marker}\n", "x.py")
        assert m.allowed


def test_docker_auth_must_decode_to_user_password() -> None:
    g = KeyGen(18)
    good = base64.b64encode(f"bot:{g.password()}".encode()).decode()
    noise = base64.b64encode(g.chars(20).encode()).decode()
    assert [f[0] for f in found(json.dumps({"auths": {"r.io": {"auth": good}}}), "config.json")] == [
        "secret.docker-config-auth"
    ]
    assert found(json.dumps({"auths": {"r.io": {"auth": noise}}}), "config.json") == []


def test_specific_rule_beats_generic() -> None:
    key = KeyGen(19).stripe_secret()
    assert [f[0] for f in found(f"STRIPE_SECRET_KEY={key}\n", ".env")] == ["secret.stripe-secret-key"]
    val = KeyGen(19).chars(40, B64URL)
    assert [f[0] for f in found(f"MY_SERVICE_API_KEY={val}\n", ".env")] == ["secret.generic-assignment"]


def test_offsets_in_non_ascii_text() -> None:
    key = KeyGen(20).stripe_secret()
    text = "# café ünïcödé 😀 İstanbul\n" * 3 + f"x = 'naïve' ; STRIPE = '{key}'\n"
    [m] = ENGINE.scan(text, "a.py")
    assert m.secret == key and m.line == 4
    assert text.splitlines()[3][m.column - 1 :].startswith(key)


def test_docs_rules_md_is_current() -> None:
    from pathlib import Path

    from launchready.secrets.rules.doc import render

    doc = Path(__file__).resolve().parents[2] / "docs" / "rules.md"
    assert doc.read_text() == render(), "regenerate: python -m launchready.secrets.rules.doc > docs/rules.md"
    for rid in RULE_IDS:
        assert f"`{rid}`" in render()


@pytest.mark.parametrize("prefilter", ["re2", "ahocorasick"])
def test_both_prefilters_agree_on_every_sample(prefilter: str) -> None:
    eng = Engine(default_rules(), prefilter=prefilter, re2_min=0)
    for rid in RULE_IDS:
        s = KeyGen(21).sample(rid)
        assert [(m.rule.id, m.secret, m.line) for m in eng.scan(s.text, s.path)] == [(rid, s.secret, s.line)]
    key = KeyGen(22).stripe_secret()
    text = "# café ünïcödé 😀 İstanbul\n" * 3 + f"x = 'naïve' ; STRIPE = '{key}'\n"
    [m] = eng.scan(text, "a.py")
    assert (m.secret, m.line) == (key, 4) and text.splitlines()[3][m.column - 1 :].startswith(key)


CASED = [r.id for r in RULES if r.cased_keywords]


def test_cased_keywords_are_keywords() -> None:
    assert len(CASED) >= 60  # every token rule whose literal head is a keyword, and a few more
    for r in RULES:
        assert all(c.lower() in r.keywords for c in r.cased_keywords), r.id


def _prefilter_holds(text: str, path: str, rule_id: str) -> None:
    """Where ``rule_id`` matches in ``text``, history's line prefilter (cased keywords in their
    case, the others in any case) must find a keyword on the match's line."""
    lines = text.split("\n")
    for m in ENGINE.scan(text, path):
        if m.rule.id == rule_id:
            line = lines[m.line - 1].encode()
            assert ENGINE.find_keyword(line) >= 0, (rule_id, m.line)


@pytest.mark.parametrize("rule_id", CASED)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_cased_keyword_in_another_case_is_never_a_match(rule_id: str, seed: int) -> None:
    """History's line prefilter looks for a rule's cased keywords in their case only, so the
    rule must never match on a line it would skip: on a true sample, and on the sample with
    each cased keyword's case swapped (a rule whose regex ignored case there would match it)."""
    s = KeyGen(seed).sample(rule_id)
    rule = next(r for r in RULES if r.id == rule_id)
    assert found(s.text, s.path) == [(rule_id, s.secret, s.line)]
    _prefilter_holds(s.text, s.path, rule_id)
    swapped = s.text
    for c in rule.cased_keywords:
        swapped = swapped.replace(c, c.swapcase())
    _prefilter_holds(swapped, s.path, rule_id)


TRIGGERED = [r.id for r in RULES if r.line_trigger]


@pytest.mark.parametrize("rule_id", TRIGGERED)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_a_line_trigger_finds_every_line_its_rule_matches(rule_id: str, seed: int) -> None:
    """History looks for a ``line_trigger`` instead of the rule's keywords: the true sample's
    line must hold it (for a URL, with the login an e-mail address too), and a rule whose
    window spans lines has the sample's text read whole (``keyword_rows`` None)."""
    assert TRIGGERED == ["secret.google-browser-api-key", "secret.facebook-app-token", "secret.http-url-password"]
    s = KeyGen(seed).sample(rule_id)
    assert found(s.text, s.path) == [(rule_id, s.secret, s.line)]
    _prefilter_holds(s.text, s.path, rule_id)
    rule = next(r for r in RULES if r.id == rule_id)
    if not isinstance(rule.window, str):
        assert ENGINE.keyword_rows(s.text.encode()) is None
    if rule_id == "secret.http-url-password":
        text = s.text.replace("://ci-reader:", "://ci.reader@acme-corp.net:")
        assert found(text, s.path) == [(rule_id, s.secret, s.line)]
        _prefilter_holds(text, s.path, rule_id)


def test_names_of_a_rule_spanning_lines_do_not_make_history_read_a_whole_text() -> None:
    """A rule whose window spans lines with a ``line_trigger`` has history read a text whole
    only where the trigger is: its names alone (``facebook``, ``access_token``, the ``graph.``
    of every ``paragraph.``) leave the text to its keyword lines."""
    names = "Log in with Facebook or GitHub.\nThe access_token is returned.\nSee the next paragraph.\n"
    assert ENGINE.keyword_rows(names.encode()) is not None
    token = KeyGen(5).sample("secret.facebook-app-token").secret
    assert ENGINE.keyword_rows(f"{names}FB_TOKEN = '{token}'\n".encode()) is None


def test_a_window_stops_at_the_fence_between_joined_texts() -> None:
    """History scans many files' lines as one text, joined with a fence: a window that spans
    lines (the Facebook name on the line above its token) never reaches from one file's lines
    into the next file's."""
    token = KeyGen(6).sample("secret.facebook-app-token").secret
    text = f"# facebook app\nAPP = '{token}'\n"
    assert [m.secret for m in ENGINE.scan(text, "", dense=True)] == [token]
    fence = "\n\x00 \x00\n"
    joined = f"# facebook app{fence}APP = '{token}'\n"
    assert [m.secret for m in ENGINE.scan(joined, "", dense=True)] == [token]  # without the fence: reached
    assert ENGINE.scan(joined, "", dense=True, fence=fence) == []


@pytest.mark.parametrize(
    "name",
    ["apiKey", "API_KEY", "Api_Key", "api-key", "APIKEY", "ApiKEY", "secret_key", "SecretKey", "privateKey",
     "PRIVATE_KEY", "private.key", "authKey", "auth_key", "accessKey", "ACCESS_KEY", "stripeKey", "STRIPE_KEY",
     "myServiceKey", "key", "Key", "KEY", "keys", "monkey", "client_secret", "db_password"],
)  # fmt: skip
def test_the_generic_names_with_key_pass_the_prefilter(name: str) -> None:
    """secret.generic-assignment's "key" is looked for as `_KEY`, `Key` and the compounds of its
    name pattern: every name it accepts still puts its line through history's prefilter."""
    value = KeyGen(4).chars(24)
    for text in (f'{name} = "{value}"\n', f'"{name}": "{value}"\n', f"<{name}>{value}</{name}>\n"):
        _prefilter_holds(text, "app.py", "secret.generic-assignment")


HEADS = [r.id for r in RULES if r.heads]


def test_head_rules_are_token_rules() -> None:
    """``Rule.heads``: the token rules whose literal head is a keyword (and a few marked by
    hand: Square, NATS, Meta, Harness, Fly.io, X, Supabase), each bounded by ``B``."""
    from launchready.secrets.rules._common import B

    assert len(HEADS) >= 60
    for r in RULES:
        if r.heads:
            assert r.cased_keywords and r.regex.startswith(B), r.id


@pytest.mark.parametrize("rule_id", HEADS)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_token_of_a_head_rule_begins_with_a_head(rule_id: str, seed: int) -> None:
    """A rule marked ``heads`` is only run around a hit that spells a cased keyword where a
    token can start: every true sample's token must begin with one."""
    rule = next(r for r in RULES if r.id == rule_id)
    s = KeyGen(seed).sample(rule_id)
    assert any(s.secret.startswith(c) for c in rule.cased_keywords), (rule_id, rule.cased_keywords)


def _without_heads() -> Engine:
    from dataclasses import replace

    return Engine([replace(r, heads=False) for r in default_rules()])


@pytest.mark.parametrize("seed", [4, 5])
def test_heads_change_no_result(seed: int) -> None:
    """Skipping a head rule's hits that no token can start at finds exactly what running it
    everywhere finds: each head rule's true sample at a line's start, after `=`, after a
    colour code, glued to a word, inside a long base64 line and in text that is not ASCII."""
    plain = _without_heads()
    gen = KeyGen(seed)
    noise = base64.b64encode(bytes(3000) + b"EAASAASUAeyJ" * 40).decode()
    for rule_id in HEADS:
        tok = gen.sample(rule_id).secret
        texts = [
            f"{tok}\n",
            f"TOKEN={tok}\n",
            f"\x1b[1m{tok}\x1b[0m\n",
            f"x{tok}\n",
            f"{noise} {tok} {noise}\n",
            f"{noise}{tok}\n",
            f"é {tok} ü\n",
        ]
        for text in texts:
            for dense in (False, True):
                got = [(m.rule.id, m.secret, m.start) for m in ENGINE.scan(text, "app.py", dense=dense)]
                assert got == [(m.rule.id, m.secret, m.start) for m in plain.scan(text, "app.py", dense=dense)], (
                    rule_id,
                    text[:40],
                )


def test_the_head_check_and_the_boundary_regex_agree_on_every_character() -> None:
    """The engine's head check (``TOKEN_CHARS``) and the rules' boundary ``B`` read one token
    alphabet: for every ASCII character, a token may start right after it in both or in
    neither (a head skipped where ``B`` matches would lose a token). The one exception is
    `m`, which the check lets through for the colour code it may end (``B`` then reads the
    whole escape)."""
    import re

    from launchready.secrets.engine import _at_head
    from launchready.secrets.rules._common import B

    boundary = re.compile(f"{B}EAA")
    for c in map(chr, range(128)):
        regex_says, check_says = bool(boundary.match(f"{c}EAA", 1)), _at_head(f"{c}EAA", 3, ("EAA",))
        assert regex_says == check_says or (c == "m" and check_says), repr(c)
    assert boundary.match("\x1b[1mEAA", 4) and _at_head("\x1b[1mEAA", 6, ("EAA",))


def test_a_hit_inside_a_word_is_no_head() -> None:
    from launchready.secrets.engine import _at_head

    assert _at_head("EAAB", 2, ("EAA",))
    assert _at_head(" EAAB", 3, ("EAA",))
    assert _at_head("\x1b[1mEAAB", 6, ("EAA",))
    assert not _at_head("xEAAB", 3, ("EAA",))
    assert not _at_head("-EAAB", 3, ("EAA",))
    assert not _at_head(" eaaB", 3, ("EAA",))  # a hit in another case spells no head
    assert _at_head(" sq0atp-x", 7, ("EAAA", "sq0atp-"))


@pytest.mark.parametrize(
    ("token", "alternation"),
    [("napi_[a-z0-9]{64}", False), ("NRAK-[A-Z]{27}|NRII-[A-Z]{32}", True), ("sk_(?:live|test)_[a-z]+", False),
     (r"ab[|]cd", False), (r"ab\|cd", False), (r"ab[]|]cd", False), ("(?:a|b)c|d", True)],
)  # fmt: skip
def test_top_level_alternation(token: str, alternation: bool) -> None:
    from launchready.secrets.rules._common import _top_level_alternation

    assert _top_level_alternation(token) is alternation


def test_the_line_search_keeps_the_keywords_that_hold_no_other() -> None:
    """The keyword line search drops a keyword holding another (the other finds its lines),
    by substring lookup: the same keywords as comparing every pair."""
    from launchready.secrets.engine import _holds_another

    eng = Engine(default_rules())
    anycase, cased = eng._line_kw, eng._line_cased
    naive = [k for k in anycase if not any(o != k and o in k for o in anycase)]
    assert [k for k in anycase if not _holds_another(k, set(anycase))] == naive
    naive_cased = [
        k for k in cased if not any(o in k.lower() for o in naive) and not any(o != k and o in k for o in cased)
    ]
    got = [k for k in cased if not _holds_another(k.lower(), set(naive), count_itself=True)]
    assert [k for k in got if not _holds_another(k, set(cased))] == naive_cased
    assert _holds_another("smtp_password", {"password", "smtp_password"})
    assert not _holds_another("password", {"password"}) and _holds_another("password", {"password"}, count_itself=True)


# base64 of German and Latin placeholder text, as a key body in ceph's docs
_TEXT_BODY = "V2VyIGRhcyBsaWVzdCBpc3QgZG9vZi4gTG9yZW0gaXBzdW0gZG9sb3Igc2l0IGFt\n      ZXQsIGNvbnNlY3RldHVyIGFkaXBpc2NpbmcgZWxpdC4gU2VkIGRvIGVpdXNtb2Qg"


# Found in chroma's and langfuse's whole histories (bench/RESULTS.md `app-sweep-chroma-langfuse`):
# each line is code, a name, a label or a public value where a secret would be; ``{v}`` is a
# random value drawn at test time, and each has a twin below that must still be reported.
QUIET_IN_CONTEXT = [
    ("cases.rs", "        credentials: S3CredentialsConfig::Localhost,"),  # a Rust path
    ("xxhash.h", "#define XXH3_kSecretAbc XXH3_kSecret_default_value"),  # a macro alias
    ("clip.cpp", '#define TN_TOKEN_EMBD      "%s.token_embd.weight"'),  # a format string
    ("utils.ts", "    openAIKey: requiredParams.OPENAI_API_KEY!,"),  # a non-null env read
    ("main.go", '\t\tlogger.String("api_key", "secret-key-12345"), // Will be redacted'),
    ("README.md", "headers = {'X-Api-Token': \"sk-live-Hunt3r2\"}"),  # hunter2
    ("notes.md", 'GOOGLE_APPLICATION_CREDENTIALS = "/<some_path>/vertexai_key.json"'),
    ("README.md", '    "fileKey": "otel/<projectId>/<yyyy>/<mm>/<dd>/<eventId>.json"'),
    ("atlas.hcl", '  url = "postgresql://chroma:chroma@postgres.chroma.svc.cluster.local:5432/log"'),
    ("ci.lock.yml", "          GH_AW_SECRET_NAMES: 'CLAUDE_API_KEY,GH_AW_GITHUB_TOKEN,GITHUB_TOKEN'"),
    ("Pulumi.prod.yaml", "secretsprovider: gcpkms://projects/acme/locations/global/keyRings/pulumi/cryptoKeys/prod"),
    ("next.config.mjs", '    url: "https://o45.ingest.us.sentry.io/api/45/security/?sentry_key={v}",'),
    ("Toggle.tsx", 'const INTRO_SEEN_KEY = "v4-beta-sidebar-intro-seen";'),
    ("View.tsx", '        viewPresetKey="observations-v4"'),
    ("trpc.js", "clientSecret: _src_env_mjs__WEBPACK_IMPORTED_MODULE_2__.env.AUTH_GOOGLE_CLIENT_SECRET,"),
    ("web/src/InAppAgent.clienttest.tsx", 'const apiKey = "{v}";'),  # langfuse's test files
    # aider's and browser-use's (`app-sweep-chroma-langfuse`)
    ("args.py", '        help="Set an API key for a provider (eg: --api-key anthropic=sk-123)",'),
    ("main.py", '    ("ANTHROPIC_API_KEY", "claude-3-5-sonnet-20241022"),'),  # a model's id
    ("onboarding.py", '    ("NEARAI_API_KEY", "nearai/zai-org/GLM-5.1-FP8"),'),
    ("service.py", "msg = f'Use <secret>{account.platform}_password</secret> '"),  # an f-string's field
    ("2fa.py", "secret_key = 'JBSWY3DPEHPK3PXP'"),  # Google Authenticator's documented example
    # E2B's, reflex's and Flowise's (`app-sweep-chroma-langfuse`)
    (".gitleaks.toml", "  '''const envdAccessToken = '[A-Za-z0-9]{32}''''"),  # a regular expression
    ("Team.tsx", "          'Supabase-Refresh-Token': data.session!.refresh_token,"),
    ("authOptions.ts", "                    refresh_token: atlassian.refresh_token!"),
    ("deno.lock", '          "registry-auth-token": "registry-auth-token@5.0.2",'),
    ("compiler.py", '_RADIX_THEMES_TOKENS_BASE = "@radix-ui/themes/tokens/base.css"'),
    ("actions.js", "export const SET_CREDENTIALS = '@canvas/SET_CREDENTIALS'"),
    ("utils.ts", "const REDACTED_CREDENTIAL_VALUE = '_FLOWISE_BLOB_REDACTED_'"),
    ("1click.yml", "      _APP_OPENSSL_KEY_V1: $$cap_appwrite_secret_key"),
    # chatbot-ui's, vercel's ai-chatbot's and firecrawl's (`app-sweep-chatbot-ui-firecrawl`)
    ("providers.ts", "        clientSecret: AUTH0_CLIENT_SECRET!,"),  # a constant asserted non-null
    ("providers.ts", "        clientSecret: auth0ClientSecret!,"),
    ("log.ts", "    paths: ['headers.authorization', 'authorization', '*.password', '*.token', '*.apiKey'],"),
    ("Roboto.ts", '  "cAEu09L+WQGccsT9mQNF/LsEjftzA2IBK/tzAAAD/+EAAA{v}AwAHAAsAF0AKBwYGAgoLfQMC" +'),  # a font's bytes
    # chat-langchain's copy of ceph's docs: a key body that is base64 of text, fake words in digits
    (
        "rgw.rst",
        "      -----BEGIN PRIVATE KEY-----\n" + "      " + _TEXT_BODY + "\n" * 1 + "      -----END PRIVATE KEY-----",
    ),
    ("smb.rst", "          password: 3xample101"),
    ("smb.rst", "          password: F00Bar123"),
    ("auth.ts", "    password: !this.state.passwordHidden,"),  # code after a `!`
    ("auth.ts", "    secret_token: !isProduction,"),
]
REPORTED_TWINS = [
    ("cases.rs", '        credentials: "{v}",'),
    ("secrets.h", '#define API_SECRET "{v}"'),
    ("app.spec", "%global api_token {v}"),
    ("main.go", '\t\tlogger.String("api_key", "secret-key-{v}"),'),
    ("README.md", "headers = {'X-Api-Token': \"sk-live-{v}\"}"),
    ("atlas.hcl", '  url = "postgresql://chroma:{v}@postgres.chroma.svc.cluster.local:5432/log"'),
    ("next.config.mjs", '    url: "https://api.example.io/v1/?access_token={v}",'),
    ("web/src/InAppAgent.client.tsx", 'const apiKey = "{v}";'),
    ("Toggle.tsx", 'const API_KEY = "v4-{v}";'),  # a version, then a random part
    ("settings.py", 'DB_PASSWORD = "welcome-123"'),  # a password's name: a weak password, still one
    ("args.py", '        help="Set an API key (eg: --api-key anthropic={v})",'),
    ("main.py", '    ("ANTHROPIC_API_KEY", "{v}"),'),
    ("service.py", "msg = '<secret>{v}</secret>'"),
    ("2fa.py", "secret_key = '{v}'"),
    ("tokens.py", "'access_token': '{v}=='"),  # base64's padding is no `name=value` spec
    ("authOptions.ts", "    refresh_token: '{v}'"),
    ("1click.yml", "      _APP_OPENSSL_KEY_V1: {v}"),
    ("providers.ts", "        clientSecret: {v}!,"),
    ("providers.ts", "        password: Welcome1Home!,"),  # words starting upper-case: a password
    ("log.ts", "    auth: ['password', '{v}'],"),
    ("square.ts", 'const SQUARE_TOKEN = "EAAA{v}";'),
    ("README.md", "curl https://api.example.io/v2/files/EAAA{v}"),  # a few characters of a path before it
    ("rgw.rst", "      -----BEGIN PRIVATE KEY-----\n      MIIE{v}{v}\n      -----END PRIVATE KEY-----"),
    ("smb.rst", "          password: 3x{v}"),
    ("index.min.js", 'var cfg={admin_password:"!{v}",env:"production"}'),  # a password starting with `!`
    ("index.min.js", 'var cfg={admin_password:"!%{v}",env:"production"}'),
]


@pytest.mark.parametrize(("path", "line"), QUIET_IN_CONTEXT)
def test_code_names_labels_and_public_values_are_quiet(path: str, line: str) -> None:
    text = line.replace("{v}", KeyGen(8).chars(32)) + "\n"
    assert found(text, path) == []


@pytest.mark.parametrize(("path", "line"), REPORTED_TWINS)
def test_their_twins_are_still_reported(path: str, line: str) -> None:
    value = KeyGen(9).chars(32)
    text = line.replace("{v}", value) + "\n"
    assert found(text, path), line


def test_gos_vendored_modules_are_third_party_code() -> None:
    """``vendor/<domain>/...`` is Go's copy of a module (gitleaks skips the same); a project's
    own ``vendor/`` directory without a domain under it is still read."""
    from launchready.secrets.sources import vendored

    assert vendored("vendor/github.com/go-openapi/analysis/appveyor.yml")
    assert vendored("cluster/driver/vendor/gopkg.in/square/go-jose.v2/.gitcookies.sh.enc")
    assert not vendored("vendor/acme/ci.yml")
    assert not vendored("app/vendor.github.com.yml")


def test_a_token_of_dotted_segments_is_no_member_chain() -> None:
    """A member read through an object (`data.session!.refresh_token`) is code; a JWT-shaped
    token of long dotted segments is not a name, even with an `_` in it."""
    from launchready.secrets import validators

    gen = KeyGen(12)
    token = ".".join(f"eyJ{gen.chars(37)}_{gen.chars(12)}" for _ in range(3))
    assert validators.generic_value(token)
    assert not validators.generic_value("data.session!.refresh_token")


def test_a_jfrog_access_token_is_found_by_its_header() -> None:
    """A JFrog access token is a JWT whose header is always the same; the rule's keyword for it
    had a typo, so the rule never ran on one (the seeded corpus missed two)."""
    head = base64.b64encode(b'{"ver":"2","typ":"JWT","alg":"RS256","kid":"').decode()[:-2]
    kg = KeyGen(31)
    token = head + kg.chars(400, B64URL) + "." + kg.chars(300, B64URL) + "." + kg.chars(342, B64URL)
    assert found(f"export JFROG_ACCESS_TOKEN='{token}'\n", "deploy.sh") == [("secret.jfrog-identity-token", token, 1)]
