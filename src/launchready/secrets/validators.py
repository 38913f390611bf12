"""Structural validators: cheap offline checks that a candidate really is a key of its kind.

A validator takes the candidate secret and returns True to keep it. None of them touch the
network: launchready never sends a found secret anywhere.
"""

from __future__ import annotations

import base64
import binascii
import datetime
import functools
import itertools
import json
import re
import time
import zlib

from launchready.model import Severity


@functools.cache
def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)  # compiled on first use, not at import (hook start-up)


_B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"


def _base62(n: int, width: int) -> str:
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = _B62[r] + out
    return out.rjust(width, "0")


def _crc_b62(data: str) -> str:
    return _base62(zlib.crc32(data.encode()) & 0xFFFFFFFF, 6)


def github_checksum(token: str) -> bool:
    """GitHub's ``gh?_`` tokens and npm's ``npm_`` tokens end with a base62 CRC32 (6 chars)
    of the random part between the prefix and the checksum."""
    sep = token.find("_")
    if sep < 0 or len(token) < sep + 1 + 7:
        return False
    body, check = token[sep + 1 : -6], token[-6:]
    return _crc_b62(body) == check


def github_checksum_append(body: str) -> str:
    """Build a correctly checksummed token from ``prefix_random`` (test-data generators)."""
    sep = body.find("_")
    return body + _crc_b62(body[sep + 1 :])


def _b64json(part: str) -> object:
    pad = "=" * (-len(part) % 4)
    try:
        return json.loads(base64.urlsafe_b64decode(part + pad))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return None


def jwt_claims(token: str) -> dict[str, object] | None:
    parts = token.split(".")
    if len(parts) != 3:
        return None
    header, claims = _b64json(parts[0]), _b64json(parts[1])
    if not isinstance(header, dict) or "alg" not in header or not isinstance(claims, dict):
        return None
    return claims


def signed_jwt(token: str) -> bool:
    """A JSON Web Token that grants something: its header and claims decode to JSON objects,
    it is signed (``alg: none`` tokens carry no signature and prove nothing), and it is not
    one of the public kinds (Supabase's ``anon`` / ``authenticated`` keys ship to browsers)."""
    parts = token.rstrip("=").split(".")
    if len(parts) != 3 or len(parts[2]) < 16:
        return False
    header, claims = _b64json(parts[0]), _b64json(parts[1])
    if not isinstance(header, dict) or not isinstance(claims, dict):
        return False
    alg = header.get("alg")
    if not isinstance(alg, str) or alg.lower() == "none":
        return False
    return claims.get("role") not in ("anon", "authenticated")


def jwt_grade(token: str) -> tuple[Severity, str] | None:
    """An expired token (``exp`` in the past) is low: it grants nothing any more.
    The finding says when it expired; any other token keeps the rule's severity."""
    claims = jwt_claims(token.rstrip("="))
    exp = claims.get("exp") if claims is not None else None
    if isinstance(exp, bool) or not isinstance(exp, (int, float)) or exp >= time.time():
        return None
    try:
        when = datetime.datetime.fromtimestamp(exp, datetime.timezone.utc).strftime("%Y-%m-%d")
    except (OverflowError, OSError, ValueError):
        return None
    return (
        Severity.LOW,
        f"it expired on {when} and grants nothing now (rotate its signing key only if that key is weak)",
    )


def supabase_service_role(token: str) -> bool:
    """A Supabase JWT is a secret only for ``role: service_role`` (the anon key is public)."""
    claims = jwt_claims(token)
    return claims is not None and claims.get("role") == "service_role"


def docker_auth(value: str) -> bool:
    """Docker ``auths.*.auth`` is base64 of ``user:password``."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        return False
    user, sep, password = raw.partition(":")
    return bool(sep and user and password and not password.startswith("$"))


_WEAK_PASSWORDS = frozenset(
    [
        "postgres",
        "root",
        "admin",
        "password",
        "pass",
        "passwd",
        "secret",
        "changeme",
        "guest",
        "test",
        "tester",
        "example",
        "user",
        "username",
        "mysql",
        "redis",
        "rabbitmq",
        "mongo",
        "mongodb",
        "123456",
        "12345678",
        "qwerty",
        "letmein",
        "dbpass",
        "dbpassword",
        "pwd",
        "default",
        "local",
        "localhost",
        "dev",
        "development",
        "docker",
        # the passwords of jokes and tutorials (hunter2, trustno1, correct horse battery staple)
        "hunter",
        "passw0rd",
        "p@ssw0rd",
        "p@ssword",
        "swordfish",
        "trustno",
        "opensesame",
        "correcthorsebatterystaple",
    ]
)


def not_default_password(value: str) -> bool:
    """Drop well-known default and development passwords (``postgres:postgres@localhost``,
    ``user1:pass1@``)."""
    low = value.lower()
    return low not in _WEAK_PASSWORDS and low.rstrip("0123456789") not in _WEAK_PASSWORDS and len(value) >= 4


_TEMPLATE_NAME = r"^[a-z]+(?:_[a-z]+)*$"  # a template's variable (``:pass_word@``)
_HEX_NUMBER = r"^0[xX][0-9a-fA-F]+[uUlL]*$"  # a number written in hex
# a version or range: ^4.0.23, ~1.2, >=2.0.0-rc.1, and an npm alias's (`"@inquirer/password":
# "npm:^2.1.3"` in a yarn.lock, `npm:string-width@^4.2.0`) or a workspace's
_VERSION = (
    r"^(?:(?:npm|workspace):(?:@?[\w.-]+(?:/[\w.-]+)?@)?)?"
    r"(?:[\^~]|[<>]=?|==?)?v?\d+(?:\.(?:\d+|x|\*)){1,3}(?:-[\w.]+)?$"
    # a list of constraints (composer's `conflict`: `"derhansen/fe_change_pwd": "<2.0.5|>=3,<3.0.3"`)
    r"|^(?:[\^~]|[<>!]=?|==?)v?\d+(?:\.[\dx*]+){0,3}(?:(?:\|\|?|,)(?:[\^~]|[<>!]=?|==?)?v?\d+(?:\.[\dx*]+){0,3})+$"
)


def url_password(value: str) -> bool:
    """A password in a URL of any scheme: not a default, not a URL-encoded placeholder
    (``%3Cpassword%3E``), not a template's variable (``:password@``, ``:pass_word@``)."""
    low = value.lower()
    return not_default_password(value) and "%3c" not in low and not _rx(_TEMPLATE_NAME).match(value)


# printf and batch-file placeholders a URL template is filled from: ``%(password)s``, ``%s``,
# ``%PASSWORD%``, ``%1``
_FORMAT_SLOT = r"%\(\w*\)[a-z]|%[sd](?![0-9A-Fa-f])|^%\w+%$|^%\d$"


def http_url_password(value: str) -> bool:
    """An http(s) URL's password: as ``url_password``, and not a format string's slot.
    (``http://%(user)s:%(password)s@%(host)s``, ``%PASSWORD%`` are filled in elsewhere.)"""
    return url_password(value) and not _rx(_FORMAT_SLOT).search(value)


# A dotted name (`settings.SECRET_KEY`, `config.auth.token`), a JavaScript class's private fields
# among its parts (`this.#config.bot_token`, `obj.#secret`)
_DOTTED = r"[A-Za-z_][A-Za-z0-9_]{0,30}(?:\.#?[A-Za-z_][A-Za-z0-9_]{0,30}){1,5}(?::[A-Za-z_]\w*)?"
# Identifiers: words; a scoped package's file or a Redux action's type (`@radix-ui/themes/tokens/base.css`,
# `@canvas/SET_CREDENTIALS`); a marker's name between underscores (`_FLOWISE_BLOB_REDACTED_`); a
# code path (Rust's `S3CredentialsConfig::AWS`); a list of environment variables' names
# (`'CLAUDE_API_KEY,GITHUB_TOKEN'`: which secrets a workflow passes on); a lower-case path;
# snake, CAMEL, camelCase and PascalCase names.
_IDENTIFIER = r"^[A-Za-z_.$:/-]+$|^@[a-z][\w.-]*(?:/[\w.-]+)+$|^_+[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+_*$|^[A-Za-z_]\w*(?:::[A-Za-z_]\w*)+$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+(?:,[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)+$|^[a-z][a-z0-9._-]*(?:/(?:[a-z][a-z0-9._-]*|\d{1,4}))+$|^[a-z][a-z0-9]*(?:_[a-z0-9]+){2,}$|^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+){2,}$|^(?=.*[A-Z][a-z]{2})[a-z]{2,}\d*(?:[A-Z][a-z]+\d*|[A-Z]{2,}\d*)+$|^(?=.*[A-Z][a-z]{2})(?:[A-Z][a-z]+\d*|[A-Z]{2,}\d*){2,}$"


# A constant's or a variable's name, letters only (`IS_INTERCOM_CONFIGURED`, `isIntercomConfigured`):
# what a provider's name is assigned in code that imports or passes it along. A random token of
# a provider's length is never letters alone in these shapes.
_CODE_NAME = r"^(?:[A-Z]+(?:_[A-Z]+)+|[a-z]+(?:[A-Z][a-z]+)+)$"


def not_code_name(value: str) -> bool:
    """Rules that know a value only by the provider's name beside it: not a name from code."""
    return not _rx(_CODE_NAME).match(value)


def not_identifier(value: str) -> bool:
    """Generic assignments: an identifier-looking value (``self.api_key``) is code, not a key."""
    # settings.SECRET_KEY, config.auth.token (short dotted names; JWT segments are long)
    return not (_rx(_IDENTIFIER).match(value) or _rx(_DOTTED).fullmatch(value))


_B64_TEXT = r"[A-Za-z0-9+/]{8,}={0,2}"


def encodes_text(value: str) -> bool:
    """Base64 of printable text (``UkVQTEFDRV9NRQ==``): an encoding, not a key. Decoders
    (Kubernetes Secrets, Docker auths) judge the decoded value; random key bytes never
    decode to printable text."""
    if len(value) % 4 or not _rx(_B64_TEXT).fullmatch(value):
        return False
    try:
        raw = base64.b64decode(value, validate=True)
    except (ValueError, binascii.Error):
        return False
    return len(raw) >= 5 and _printable(raw)


def _printable(raw: bytes) -> bool:
    """Bytes of printable ASCII text (tabs and line breaks too): what a key's bytes never are."""
    return all(32 <= b < 127 or b in (9, 10, 13) for b in raw)


_CRYPT_HASH = ("$2a$", "$2b$", "$2y$", "$argon2", "$scrypt$", "pbkdf2_sha256$", "$pbkdf2", "$6$", "$5$", "$1$")


def generic_value(value: str) -> bool:
    """Generic assignments keep values that are neither code, base64-encoded text, a
    password *hash* (a fixture's bcrypt hash is not a credential anyone can rotate), nor
    text in a human language (a translated label: ``"Contraseña"``, ``"パスワード"``)."""
    return (
        value.isascii()
        and not_identifier(value)
        and not encodes_text(value)
        and not value.startswith(_CRYPT_HASH)
        and not _rx(_EXPRESSION).search(value)
        and not (value.startswith("!") and _rx(_IDENTIFIER).match(value[1:].lstrip()))
        and not _rx(_HEX_NUMBER).match(value)
        and not _rx(_CIPHERTEXT).match(value)
        and not _setting_spec(value)
        and not _rx(_SIGV4_SCOPE).match(value)
        and not _rx(_REFERENCE).match(value)
        and not _rx(_ASSERTED).match(value)
        and not _rx(_FIELD_GLOB).match(value)
        and not _rx(_OPTION).match(value)
        and not _rx(_SHORTCUT).match(value)
        and not _rx(_VALIDATION_RULES).match(value)
        and not _rx(_FORMAT_SLOT).search(value)
        and not _rx(_KEBAB_LABEL).match(value)
        and not _rx(_PINNED).match(value)
    )


# A package pinned to a version (a lock file's `"registry-auth-token": "registry-auth-token@5.0.2"`).
_PINNED = r"^@?[a-z0-9][\w.-]*(?:/[\w.-]+)?@[\^~]?\d+(?:\.\d+){1,3}(?:-[\w.]+)?$"


# A label in kebab case with a version among its words (a storage key's name `v4-beta-sidebar-intro`,
# a view's `observations-v4`): words of two letters or more, no random part. (Words alone may be a
# passphrase: `correct-horse-battery-staple` is still read.)
_KEBAB_LABEL = r"^(?=(?:.*-)?v\d{1,2}(?:-|$))(?:v\d{1,2}|[a-z]{2,})(?:-(?:[a-z]{2,}|v\d{1,2}))+$"


# A framework's validation rules where a value would be (Laravel's `'password' =>
# 'required|min:6|confirmed'`): lower-case words, some with `:arguments`, joined by `|`.
_VALIDATION_RULES = r"^[a-z][a-z_]*(?::[\w,.]+)?(?:\|[a-z][a-z_]*(?::[\w,.]+)?)+$"


# A keyboard shortcut (Electron's accelerators, VS Code's key bindings: khoj's desktop app has
# `openShortcutWindowKeyBind = 'CommandOrControl+Shift+K'`).
_SHORTCUT = (
    r"^(?i:(?:CommandOrControl|CmdOrCtrl|Command|Cmd|Control|Ctrl|Alt|AltGr|Option|Shift|Super|Meta|Mod|Win)\+)+"
    r"[A-Za-z0-9][A-Za-z0-9]{0,11}$"
)


# Names standing where a value would: a YAML alias (`NEXTAUTH_SECRET: *nextauth_secret`, the value
# anchored elsewhere with `&nextauth_secret`), a Vercel secret (`"NEXTAUTH_SECRET": "@nextauth_secret"`
# in vercel.json), TypeScript's non-null assertion on a variable and GraphQL's non-null type
# (`websiteToken: chatwootWebsiteToken!`, `privKey: res.SecretString!`, `secret: TwoFactorSecretInput!`:
# words in camelCase or PascalCase and dots, ten characters or more), a relationship of an
# authorization schema (SpiceDB/Zanzibar `api_key:ci_reader#organization@organization:acme`). No
# digits in any of them: a password that starts with `*` or ends with `!` mixes them in.
_REFERENCE = (
    r"^(?:[*@][a-z_][a-z_.-]*"
    r"|(?=.{10})[A-Z]?[a-z]{2,}(?:[A-Z][a-z]{2,}|\.[A-Za-z][a-z]{2,})+!"
    # a member read through an object, asserted non-null (`params.OPENAI_API_KEY!`,
    # `atlassian.refresh_token!`, `data.session!.access_token`): an `_` or a `!.` in it, so a
    # password of words (`Welcome.Home!`) is still read; names of 31 characters at most, as
    # `_DOTTED`'s (a JWT's segments are longer)
    r"|(?=.*(?:_|!\.))[A-Za-z_$][\w$]{0,30}(?:!?\.[A-Za-z_$][\w$]{0,30})+!?"
    r"|[a-z_]+(?:[#@:][a-z_]+){2,})$"
)


# A constant or a variable asserted non-null by TypeScript where a value would be
# (`clientSecret: AUTH0_CLIENT_SECRET!`, `clientSecret: auth0ClientSecret!`: chatbot-ui's
# providers): three words or more, each starting with a letter, in upper snake case or in
# camelCase starting lower-case. `_REFERENCE`'s words take no digits; these may, as the same
# names without the `!` are identifiers (`_IDENTIFIER`). A password's words start upper-case or
# end in a number of their own (`Welcome1Home!`, `SUPER_SECRET_2024!`): still read.
_ASSERTED = r"^(?:[A-Z][A-Z0-9]*(?:_[A-Z][A-Z0-9]*){2,}|[a-z]{2,}\d*(?:[A-Z][a-z]+\d*){2,})!$"


# Fields named by a path with wildcards where a value would be (pino's `redact: {paths: ['*.password',
# '*.token']}`: firecrawl's and ai-chatbot's loggers), read as `'password', '<value>'`.
_FIELD_GLOB = r"^\*{1,2}(?:\.[A-Za-z_$][\w$-]*)+$"


# A SigV4 signature's credential scope (`Credential=AKIA.../20240215/us-east-1/s3/aws4_request` in a
# presigned URL or an Authorization header): a key id and a date, no secret.
_SIGV4_SCOPE = r"^A(?:KIA|SIA)[A-Z2-7]{16}(?:/|%2[fF])\d{8}(?:/|%2[fF])"


# An e-mail address (`userKey: 'user@example.org'`, a service account's `client_email`): whose
# key it is, not the key. Its local part is a mailbox's name: a long random one before an `@host`
# is a token.
_ADDRESS = r"^[A-Za-z0-9._%+-]{1,32}@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"


def is_address(value: str) -> bool:
    """An e-mail address, not a token before an ``@host`` (``_ADDRESS``)."""
    return _rx(_ADDRESS).match(value) is not None


def generic_secret_value(value: str) -> bool:
    """``generic_value``, and not an e-mail address nor words and a count. Only for names that
    do not say password: under a password's name an address-shaped value (``admin@123.com``)
    or ``welcome-123`` may well be the password."""
    return (
        generic_value(value)
        and not is_address(value)
        and not _rx(_WORDS_COUNT).match(value)
        and not _rx(_MODEL_ID).match(value)
    )


# A model's id where a key would be: which model to use when a provider's key is set (aider's
# `("ANTHROPIC_API_KEY", "claude-3-5-sonnet-20241022")`, `"nearai/zai-org/GLM-5.1-FP8"`).
_MODEL_ID = (
    r"(?i)^(?:[a-z0-9][\w.-]*/){0,3}(?:claude|gpt|chatgpt|o[134]|text-embedding|gemini|gemma|llama|mistral|mixtral"
    r"|codestral|deepseek|qwen|command|grok|sonar|phi|glm|kimi)(?:[-.:/][\w.:/-]*)?$"
)


# Words, then a count typed in order, where a key would be: `"api_key", "secret-key-12345"`.
_WORDS_COUNT = r"^(?:[a-z]+[-_]){1,5}123(?:4(?:5(?:6(?:7(?:8(?:9)?)?)?)?)?)?$"


# `name=value` where a secret's value would be (`--secret id=encryption_key`: Docker's secret
# mount names the secret, its value is elsewhere; `type=env`).
_SPEC = r"^[A-Za-z_][A-Za-z0-9_-]*=([^=].*)$"  # (not base64's padding: `...x==`)


def _setting_spec(value: str) -> bool:
    """A ``name=value`` spec whose value is a name too (``id=encryption_key``): a setting, not a
    credential. A random value after the ``=`` (``token=Zx8v...``) is still one."""
    m = _rx(_SPEC).match(value)
    # (shorter than eight characters: an example, `--api-key anthropic=sk-123` in a help text)
    return m is not None and (len(m.group(1)) < 8 or not not_identifier(m.group(1)))


# A PEM block's armour and headers (`Proc-Type: 4,ENCRYPTED`), and what a body may be wrapped in.
_PEM_ARMOUR = r"-----[A-Z0-9 ]+-----|^[ \t]*[A-Za-z-]+:[^\n]*$|\\[rn]|[\s\\\"',]"


def pem_key_body(value: str) -> bool:
    """A PEM private key block whose body could be a key: not base64 of plain text. A key's
    body is DER or a binary format (OpenSSH's `openssh-key-v1` and a NUL, PGP packets): its first
    bytes always hold control bytes or bytes past ASCII. A body that decodes to text is a
    placeholder written to look like one (ceph's docs: "Wer das liest ist doof. Lorem ipsum...")."""
    body = re.sub(_PEM_ARMOUR, "", value, flags=re.M)[:64]
    body = body[: len(body) // 4 * 4]
    try:
        raw = base64.b64decode(body, validate=True)
    except (ValueError, binascii.Error):
        return True
    return len(raw) < 24 or not _printable(raw)


def password_value(value: str) -> bool:
    """A literal under a password name: a generic value with some randomness, never a
    well-known default nor a version. Eight characters and more need an entropy of 2.8 bits;
    a short one (six or seven: ``cackle!``) must mix letters with digits or symbols."""
    from launchready.secrets.filters import shannon_entropy

    if (
        not generic_value(value)
        or not not_default_password(value)
        or _rx(_VERSION).match(value)
        or _rx(_ALGORITHM).match(value)
    ):
        return False  # a default (`admin123`), a package's version under its name (`@inquirer/password`), a method
    if len(value) >= 8:
        return shannon_entropy(value) >= 2.8
    classes = sum(
        (any(c.islower() for c in value), any(c.isupper() for c in value), any(c.isdigit() for c in value))
    ) + any(not c.isalnum() for c in value)
    has_other = any(not c.isalpha() for c in value)
    # runs typed along the keyboard's rows or the alphabet (`xyz789`, `mno456`): a tutorial's example
    steps = sum(ord(b) - ord(a) == 1 for a, b in itertools.pairwise(value))
    return classes >= 2 and has_other and steps * 2 < len(value) - 1 and shannon_entropy(value) >= 2.3


# A value encrypted for the app to decrypt at runtime with a key kept elsewhere: Jasypt's
# `ENC(...)` and Spring Cloud Config's `{cipher}...`. The ciphertext is not the credential.
_CIPHERTEXT = r"^(?:ENC\([A-Za-z0-9+/=_-]{8,}\)$|\{cipher\}[A-Za-z0-9+/=]{16,}$)"

# An authentication or hashing method's name where a password would be (pg_hba.conf's comment
# `"md5", "password", "scram-sha-256"`): a setting, never a password anyone chose.
_ALGORITHM = (
    r"(?i)^(?:scram-sha-(?:1|256|512)|sha-?(?:1|224|256|384|512)|md5|bcrypt|argon2(?:id|i|d)?|pbkdf2(?:-sha\d+)?"
    r"|hmac-sha-?\d+|aes-\d+-(?:gcm|cbc|ctr)|chacha20-poly1305)$"
)

# Another command-line option where a value would be (`gpg --list-secret-keys --keyid-format=long`:
# `--keyid-format=long` read as what `--list-secret-keys` was given): words only, never a token.
_OPTION = r"^--[a-z]+(?:-[a-z]+)*=[a-z]*$|^--[a-z]+(?:-[a-z]+)+$"

# Code, not a literal: `!!process.env.X`, `!this.state.x`, `!isProd()`, `!(a && b)`, `a || b`,
# `a ?? b`, a template's `${...}`. (`!` before an identifier is code too: ``generic_value``.
# Anything else after a `!` is read as a literal: passwords start with one too.)
_EXPRESSION = (
    r"^!(?:!|\s*\(|\s*[A-Za-z_$][\w$]*(?:\??\.[A-Za-z_$][\w$]*)+(?:\(|$)|\s*[A-Za-z_$][\w$]*\()"
    r"|\|\||\?\?|\?\.|\$\{|\{\{|\[-?\d+\]|(?:process\.env|import\.meta\.env|os\.environ|getenv)\b"
    # the environment through a bundler's module object (`_src_env_mjs__WEBPACK_IMPORTED_MODULE_2__.env.AUTH_SECRET`)
    r"|\.env\.[A-Z_][A-Z0-9_]*$"
    # a format string's or an f-string's field (`{account.platform}_password`)
    r"|\{[A-Za-z_][\w.]*\}"
    # a regular expression's class and count (a scanner's allowlist: `'[A-Za-z0-9]{32}'`)
    r"|\[[^\]\s]+\]\{\d+(?:,\d*)?\}"
    # a member incremented where the value goes (`const token = ++runTokenRef.current`)
    r"|^(?:\+\+|--)[A-Za-z_$][\w$]*\.[A-Za-z_$][\w$.]*$"
    # code between two string literals of a minified bundle (`"…?api_key="+t),t.substr(0,…)+"`,
    # `'],tileSize:256}},layers:[{id:'`): brackets closing into a separator or opening after one
    r"|[\]\)\}][,;:\]\)\}]|[,;:\(\[\{][\[\(\{]"
    # a Symfony parameter or environment reference (`%env(APP_SECRET)%`, `%kernel.secret%`)
    r"|%env\(|^%[\w.-]+%$"
    # a schema's type where a field's value would be (GraphQL `password: String!`, `[String!]!`)
    r"|^\[?(?:String|Int|Float|Boolean|ID|DateTime|Date|JSON|BigInt|Decimal|Long|UUID|Email|URL|Upload)!?\]?!?$"
)


def authorization_value(value: str) -> bool:
    """``Authorization: Basic <base64 of user:password>`` keeps the pair when its password
    is real; any other scheme's token is judged as a generic value."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raw = ""
    user, sep, password = raw.partition(":")
    if sep and user and password and raw.isprintable():
        return not_default_password(password) and not password.startswith("$")
    return generic_value(value)


def command_line_credential(value: str) -> bool:
    """A password or token given to a command (``curl -u user:VALUE``, ``-H "...: VALUE"``):
    no code can stand there, so a word-like value (``yqDVtkqPECriaLRi``) is kept; Basic
    credentials must decode to a pair with a real password; expressions and hashes are not."""
    try:
        raw = base64.b64decode(value + "=" * (-len(value) % 4), validate=True).decode()
    except (ValueError, binascii.Error, UnicodeDecodeError):
        raw = ""
    user, sep, password = raw.partition(":")
    if sep and user and raw.isprintable():
        return bool(password) and not_default_password(password) and not password.startswith("$")
    return (
        value.isascii()
        and not value.startswith(_CRYPT_HASH)
        and not _rx(_EXPRESSION).search(value)
        and not _rx(_WORDS).match(value)
    )


# Words joined by dashes or underscores, letters only: what a README's example sends to show a
# refusal or a step (`-H 'X-API-Key: wrong-key'`, `invalid-key`, `NEW_KEY_HERE`), not a key.
_WORDS = r"^(?:[a-z]+(?:[-_][a-z]+)+|[A-Z]+(?:_[A-Z]+)+)$"


def base64_pem_key(value: str) -> bool:
    """A base64-wrapped PEM private key decodes to a PEM block whose body lines are not
    repeated (made-up test keys paste the same lines again and again)."""
    import base64
    import binascii

    try:
        text = base64.b64decode(value + "=" * (-len(value) % 4)).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return False
    if "PRIVATE KEY" not in text:
        return False
    lines = [ln.strip() for ln in text.splitlines() if len(ln.strip()) >= 40 and ":" not in ln]
    return len(lines) == len(set(lines))


def prepare() -> None:
    """Compile every pattern now (a history scan, before it forks its second process)."""
    for pattern in (
        _TEMPLATE_NAME,
        _HEX_NUMBER,
        _VERSION,
        _IDENTIFIER,
        _DOTTED,
        _B64_TEXT,
        _EXPRESSION,
        _CIPHERTEXT,
        _FORMAT_SLOT,
        _KEBAB_LABEL,
        _WORDS_COUNT,
        _MODEL_ID,
        _PINNED,
        _SIGV4_SCOPE,
        _REFERENCE,
        _ASSERTED,
        _FIELD_GLOB,
        _OPTION,
        _SHORTCUT,
        _VALIDATION_RULES,
    ):
        _rx(pattern)
