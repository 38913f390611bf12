"""Hard negatives: values that look like secrets but are placeholders, references or digests.

``is_placeholder(value)`` is applied to every candidate secret of every rule; it is the one
place that knows what "obviously not a real key" looks like.
"""

from __future__ import annotations

import functools
import itertools
import math
import re
from collections import Counter

# Whole-value placeholders and references. Matched against the extracted secret.
_PLACEHOLDER_RX = r"""(?ix)
    ^(?:
        \$\{[^}]*\}.*           # ${VAR}, ${VAR:-default}
      | \$\(.*\)                # $(command)
      | \$[A-Z_][A-Z0-9_]*      # $VAR
      | \{\{.*\}\}              # {{ template }}
      | \{.*\}                  # {name} / {expr} f-string or str.format field
      | .*\{\}.*                # '//{}{}:_authToken'.format(...)
      | \d{4}-\d{2}-\d{2}(?:[T\ ]\d{2}:\d{2}.*)?   # dates and timestamps
      | \$\{\{.*\}\}            # ${{ secrets.X }}
      | <[^>]*>                 # <your-key>
      | \[[^\]]*\]              # [your key]
      | %\([a-z_]+\)s           # %(name)s
      | %[A-Z_]+%               # %VAR%
      | @[A-Z_]+@               # @VAR@
      | (@@|\#\#|%%|__)[A-Z][A-Z0-9_]*\1   # @@VAR@@ ##VAR## (auth0-deploy-cli, build-time token replacement)
      | \#\{[A-Z][A-Z0-9_.]*\}\#?      # #{VAR}# #{Var} (Octopus, Azure Pipelines' token replacement)
      | (?:process\.env|os\.environ|os\.getenv|import\.meta\.env|env|settings|config|secrets|vars)\b.*
      | (?:x|\*|\.|-|_|0|\#|•){4,}          # xxxx, ****, ...., 0000
      | .*(?:xxxx|XXXX|\*\*\*|\.\.\.|…|\#\#\#).*   # sk-...  sk-xxxx  sk-****
      | (?:your|my|the|insert|replace|put|enter|example|sample|dummy|fake|test|change|add|some)
        [-_ ]?(?:own[-_ ]?)?(?:[a-z]+[-_ ])?(?:api[-_ ]?)?(?:key|secret|token|password|pass|pwd|here|me|value|it).*
      | changeme|changeit|password\d*|passw0rd|secret|secrets|redacted|placeholder|notasecret
      | none|null|nil|undefined|todo|tbd|fixme|true|false
    )$
    """
_DOC_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
        # OAuth 2.0 / bearer-token RFC examples (RFC 6749, RFC 6750), copied into many libraries' docs
        "mF_9.B5f-4.1JqM",
        "h480djs93hd8",
        "2YotnFZFEjr1zCsicMWpAA",
        "tGzv3JOkF0XG5Qx2TlKWIA",
        "SplxlOBeZQQYbYS6WxSbIA",
        # the TOTP secret of Google Authenticator's key-URI documentation, in many 2FA examples
        "JBSWY3DPEHPK3PXP",
        # Azurite / the Azure Storage Emulator's documented development account key
        "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
    }
)
_UUID_RX = r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$"
_HEX_DIGEST_RX = (
    r"^(?:sha(?:1|256|384|512)[-:=])?(?:[0-9a-f]{40}|[0-9a-f]{64}|[0-9a-f]{128}|[0-9A-F]{40}|[0-9A-F]{64})$"
)
_INTEGRITY_RX = r"^(?:sha(?:1|256|384|512)|md5)-[A-Za-z0-9+/=]{20,}$"
# Digits and symbols standing for letters, and the words that say a value is made up when they
# are spelt so (`passw0rd` and `s3cr3t` are in `_FAKE_WORD_RX` already).
_LEET = str.maketrans({"0": "o", "1": "l", "3": "e", "4": "a", "5": "s", "7": "t", "@": "a", "$": "s"})
_LEET_DIGIT_RX = r"[013457@$]"
_LEET_WORD_RX = r"(?i)example|foobar|sample|dummy|placeholder|changeme"
_FAKE_WORD_RX = (
    r"(?i)example|dummy|placeholder|sample|fake|redacted|not[-_]?real|not[-_]?a[-_]?secret"
    r"|your[-_]?(?:[a-z0-9]+[-_]){0,4}?(?:api[-_]?)?(?:key|token|secret|password|pass|pwd)|replace[-_]?(?:me|with|this)"
    # in camelCase too: `0xYourSessionKeyPrivateKey`
    r"|(?-i:Your(?:[A-Z][a-z0-9]+){0,4}?(?:Key|Token|Secret|Password))"
    # "your" in Spanish, French, German, Portuguese, Italian and Dutch: `tu-secret-key-super-seguro`
    r"|(?:^|[-_])(?:tu|su|votre|ton|dein|deine|ihr|seu|sua|tuo|vostro|uw|jouw)[-_](?:[a-z0-9]+[-_]){0,4}?"
    r"(?:api[-_]?)?(?:key|token|secret|password|pass|clave|contrasena|cle|schluessel|senha|chiave|sleutel)"
    r"|change[-_]?(?:me|this|it)\b|changeme|changethis|insert[-_]|generate[-_]|passw[o0]rd|p@ssw[o0]rd|s3cr[e3]t|secr3t|"
    r"lorem|ipsum|foobar|xxxxx|0123456789|123456789|abcdefgh|qwerty|password|a1b2c3|abc123|123abc|abcd1234|1234abcd|topsecret|supersecret"
    # a sentence where the value goes: "this-is-a-secret-value-with-at-least-32-characters"
    r"|this[-_]is[-_](?:a|an|my|our|the|not|just)[-_]|(?:my|some|super|very)[-_](?:super[-_])?secret(?:[-_]|$)|at[-_]least[-_]\d+[-_]?char"
    # words saying the value is a local or development one: "base44-local-development-secret"
    r"|(?:^|[-_])(?:local|dev|development)[-_](?:[a-z0-9]+[-_]){0,3}?(?:secret|key|token|password)(?:[-_]|$)"
    # or a mock one: "sk-test-mock-key-for-testing-12345" (mem0's first-run script)
    r"|(?:^|[-_])mock(?:[-_]|$)|[-_]for[-_]testing(?:[-_]|$)"
    # a CapRover one-click app's variable (`$$cap_appwrite_secret`), filled in at install
    r"|^\$\$cap_"
    # the internet's joke password (`"sk-live-Hunt3r2"` in a README's example headers)
    r"|hunt(?:er|3r)2"
    # a slot to fill in, in angle brackets: `/<some_path>/key.json`, `otel/<projectId>/<yyyy>/...`
    r"|<[A-Za-z][\w -]{1,30}>"
)
_PREFIXES = (
    "data:",
    "sha256:",
    "sha512:",
    "sha1:",
    "md5:",
    "http://",
    "https://",
    "file:",
    "./",
    "../",
    "~/",
    "/usr/",
    "/etc/",
    "/home/",
    "/var/",
    "/tmp/",
    "/opt/",
    "/bin/",
    "/Users/",
    "/app/",
    "/srv/",
    "/run/",
    "/mnt/",
    "/data/",
    "/dev/",
    "/proc/",
    "/root/",
    "arn:aws:",
    "arn:aws-",
    # a key kept in a key management service, named by its URL (Pulumi's `secretsprovider:`)
    "gcpkms://",
    "awskms://",
    "azurekeyvault://",
    "hashivault://",
)
_SEQUENCE = "abcdefghijklmnopqrstuvwxyz0123456789"


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    """Compiled on first use: a commit with no candidate secret never pays for these."""
    return re.compile(pattern)


# Names and values that are public by design although they hold a secret-ish word or shape:
# browser keys, publishable keys, client and project ids, DSNs. A variable with a browser
# prefix (``envfiles``) or a Kubernetes Secret's data key (``formats``) named so is not a leak.
_PUBLIC_NAME = (
    r"(?i)(?:PUBLISHABLE|ANON_?KEY|PUBLIC_?KEY|SITE_?KEY|CLIENT_?ID|MEASUREMENT_?ID|APP_?ID|PROJECT_?ID|_ID$|ORG(?:ANIZATION)?_?ID|"
    r"SENTRY_DSN|_DSN$|FIREBASE_API_KEY|FIREBASE_AUTH_DOMAIN|MAPS_API_KEY|MAPBOX_(?:ACCESS_)?TOKEN|POSTHOG_KEY|"
    r"SEGMENT_WRITE_KEY|ALGOLIA_SEARCH|SEARCH_?(?:ONLY_)?API_?KEY|TURNSTILE_SITE|RECAPTCHA_SITE|VAPID_PUBLIC)"
)
# This machine: loopback, and this machine as a container sees it (`host.docker.internal`, and
# Docker's default bridge gateway `172.17.0.1`, its spelling on Linux). A service's password
# there is a local development default, not a credential anyone else can reach: the database
# URL rules and the env-file checks read these hosts alike.
THIS_MACHINE = ("localhost", "127.0.0.1", "0.0.0.0", "::1", "host.docker.internal", "172.17.0.1")

# Publishable keys by their prefix: Stripe's ``pk_``, Mapbox's ``pk.``, PostHog's ``phc_``,
# Supabase's ``sb_publishable_``, Plaid's ``public-`` tokens and ``pub-`` publisher ids
PUBLIC_PREFIXES = ("pk_live_", "pk_test_", "pk.", "phc_", "sb_publishable_", "pub-", "public-")


def public_by_design_name(name: str) -> bool:
    """Is ``name`` one a public value goes under (``NEXT_PUBLIC_SUPABASE_ANON_KEY``'s
    ``SUPABASE_ANON_KEY``, ``POSTHOG_KEY``, ``FIREBASE_API_KEY``, ``*_CLIENT_ID``)?"""
    return _rx(_PUBLIC_NAME).search(name) is not None


def public_by_design_value(value: str) -> bool:
    """Is ``value`` a publishable key by its prefix (``PUBLIC_PREFIXES``)?"""
    return value.startswith(PUBLIC_PREFIXES)


def prepare() -> None:
    """Compile every pattern now (a history scan, before it forks its second process)."""
    for pattern in (
        _PLACEHOLDER_RX,
        _UUID_RX,
        _HEX_DIGEST_RX,
        _INTEGRITY_RX,
        _FAKE_WORD_RX,
        _PUBLIC_NAME,
    ):
        _rx(pattern)


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_placeholder(value: str, allow_uuid: bool = False) -> bool:
    """True for values no one should be told to rotate."""
    v = value.strip().strip("'\"`")
    if not v or v.endswith("EXAMPLE") or v.endswith("EXAMPLEKEY") or any(ex in v for ex in _DOC_EXAMPLES):
        return True
    if v.startswith("eyJ") and _demo_jwt(v):
        return True
    if _rx(_PLACEHOLDER_RX).match(v):
        return True
    if not allow_uuid and (_rx(_UUID_RX).match(v) or _rx(_HEX_DIGEST_RX).match(v)):
        return True
    if _rx(_INTEGRITY_RX).match(v) or v.startswith(_PREFIXES):
        return True
    if _rx(_FAKE_WORD_RX).search(v):
        return True
    if _rx(_LEET_DIGIT_RX).search(v) and _rx(_LEET_WORD_RX).search(v.translate(_LEET)):
        return True  # a fake word spelt with digits: `3xample101`, `F00Bar123` (ceph's docs)
    # One or two characters repeated, or a simple run: aaaaaaaa, 12345678, abcdefgh
    if len(set(v)) <= 2 or (len(v) >= 8 and len(set(v)) <= 3):
        return True
    return (v.lower() in _SEQUENCE and len(v) >= 6) or typed_in_runs(v)


def typed_in_runs(value: str) -> bool:
    """Six characters or more, each in a run of at least three letters or digits that count up
    or down by one (``def456ghi789``, ``xyz987wvu654``): an API reference's or tutorial's made-up
    value. A random token of that length is made of such runs about once in a billion."""
    v = value.lower()
    if len(v) < 6 or not v.isascii() or not v.isalnum():
        return False
    run, step = 1, 0
    for a, b in itertools.pairwise(v):
        d = ord(b) - ord(a)
        if a.isdigit() == b.isdigit() and d in (1, -1) and (run == 1 or d == step):
            run, step = run + 1, d
            continue
        if run < 3:
            return False
        run, step = 1, 0
    return run >= 3


def _demo_jwt(value: str) -> bool:
    """Supabase's local-development keys (``iss: supabase-demo``), printed by ``supabase start``
    for every developer alike: public, not a credential."""
    from launchready.secrets.validators import jwt_claims

    claims = jwt_claims(value)
    return claims is not None and claims.get("iss") == "supabase-demo"


def looks_fake_body(body: str) -> bool:
    """The random part of a prefixed token (after ``sk_live_``) is obviously made up."""
    if len(body) < 8:
        return False
    return (
        len(set(body)) <= 4 or bool(_rx(_FAKE_WORD_RX).search(body)) or body.lower() in _SEQUENCE or typed_in_runs(body)
    )
