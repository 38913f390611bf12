"""Private keys, connection strings, credential files and generic assignments."""

from __future__ import annotations

import re
import sys

from launchready.model import Severity
from launchready.secrets import validators
from launchready.secrets.filters import THIS_MACHINE
from launchready.secrets.rule import FIXTURE_PATHS, Rule, Validator
from launchready.secrets.rules._common import C, H, M

_NL = r"(?:\\r)?(?:\\n|\s)"  # a real newline or a JSON-escaped one
_PEM_KIND = r"(?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP |)PRIVATE KEY(?: BLOCK)?"
_PEM_HEADERS = r"(?:(?:Proc-Type|DEK-Info|Version|Comment):[^\n\\]*" + _NL + r"+)*"


def _url_rule(rule_id: str, description: str, schemes: str, keywords: tuple[str, ...], where: str) -> Rule:
    return Rule(
        id=rule_id,
        description=description,
        severity=C,
        keywords=keywords,
        # the login may be an e-mail address written as it is (``smtps://me@gmail.com:pw@smtp.gmail.com``)
        regex=rf"(?<![\w+.-])(?i:{schemes})://([^:/\s'\"`<>]*):([^@\s'\"`<>/?#]{{1,200}})@[^\s'\"`<>/]+",
        secret_group=2,
        password_like=True,
        validator=validators.not_default_password,
        allow=_NOT_LIVE,
        fix=f"Change the password at {where}, then pass the connection string through an environment variable or secret manager, not the code.",
    )


# A URL's host: what follows its last `@` (an e-mail address may stand before it as the login).
_HOST = r"match:@(?![^@]*@)"
# A database on this machine (``filters.THIS_MACHINE``: a local development default), not a
# credential anyone can reach.
_LOCAL_HOST = _HOST + r"\[?(?:" + "|".join(map(re.escape, THIS_MACHINE)) + r")\]?(?:[:/?#]|$)"
# A local Jupyter server's login token, as its log prints the URL to open
# (`http://localhost:8888/?token=…`, `http://(host or 127.0.0.1):8888/lab?token=…`): a throwaway
# of this machine. Any other token in a local URL is still reported.
_JUPYTER_TOKEN = (
    r"line:(?i)://(?:localhost|127\.0\.0\.1|0\.0\.0\.0|\[::1\]|\([\w.-]+ or 127\.0\.0\.1\))(?::\d+)?"
    r"/(?:(?:lab|tree|notebooks)/?)?\??token="
)
# Domains reserved for documentation and tests (RFC 2606, RFC 6761): no service holds a password there.
_EXAMPLE_HOST = (
    _HOST + r"(?:[\w-]+\.)*(?:example\.(?:com|net|org)|[\w-]+\.(?:example|test|invalid|localhost))(?:[:/?#]|$)"
)
# The password repeats the login on a host of one label, a compose or cluster service's name
# (`http://self-hosted-sentry:self-hosted-sentry@blob-storage:7000`), or on a Kubernetes service's
# in-cluster name (`postgres.chroma.svc.cluster.local`): that service's default. On a public host
# (`duet_mbd:duet_mbd@cluster0.k495o.mongodb.net`) it is a real, weak password.
_LOGIN_AS_PASSWORD = (
    r"match:(?i)://([^:/@\s]+):\1@(?:[^.:/@\s]+|[\w-]+(?:\.[\w-]+)*\.svc(?:\.cluster\.local)?)(?::\d+)?(?:[/?#]|$)"
)
# A URL's credentials no one can use from outside: on this machine, on a documentation domain, or
# a service's login repeated as its password (the URL rules' shared allows)
_NOT_LIVE = (_LOCAL_HOST, _EXAMPLE_HOST, _LOGIN_AS_PASSWORD)
# ``://user:password@`` in a URL (what ``secret.http-url-password``'s matches all hold)
_USERINFO = r"://[^:/\s]*:[^@/\s?#]+@"


def _file_rule(
    rule_id: str,
    description: str,
    paths: str,
    regex: str,
    keywords: tuple[str, ...],
    fix_text: str,
    severity: Severity = C,
    validator: Validator | None = None,
) -> Rule:
    return Rule(
        id=rule_id,
        description=description,
        severity=severity,
        keywords=keywords,
        regex=regex,
        secret_group=1,
        paths=paths,
        password_like=True,
        flags=re.MULTILINE,
        validator=validator,
        fix=fix_text,
    )


# Secret-sounding names for the generic rule. UPPER_CASE *_KEY/_TOKEN/_SECRET constants are
# config by convention; lowercase and camelCase code names say what they hold (api_key,
# clientSecret, moralis_token); a bare `token` or `secret` is a name too (XML attributes, YAML).
_GENERIC_NAME = (
    # the word ends there (`_AUTH`, not `_AUTHOR`; `_PASS`, not `_PASSENGER`; `_KEY`, not `_KEYBOARD`)
    r"(?:(?-i:[A-Za-z0-9_]*(?:_KEYS?|_TOKENS?|_SECRETS?|_PASSWORD|_PASSWD|_PASSPHRASE|_PASS|_PWD|_CREDENTIALS?|_CREDS|_AUTH)(?![A-Z]))"
    r"|(?-i:[a-z][a-z0-9]*(?:[A-Z][a-z0-9]*)*(?:Token|Secret|Key|Password|Credentials?|Creds)(?![a-z]))"
    r"|(?-i:[a-z][a-z0-9]*(?:_[a-z0-9]+)*_(?:token|secret|password|passwd|pwd|auth|credentials?|creds)(?![a-z]))"
    r"|(?i:[\w.-]*?(?:api[_.-]?key|apikey|secret(?:[_.-]?key)?|client[_.-]?secret|access[_.-]?key"
    r"|private[_.-]?key|auth[_.-]?key|(?:access|auth|api|bearer|bot|refresh|personal)[_.-]?token"
    r"|passw(?:or)?d|passwd|pwd))"
    r"|(?-i:token|Token|TOKEN|secret|Secret|SECRET|credentials?|Credentials?|creds|Creds)(?![\w.-]))"
)
# A word every branch of _GENERIC_NAME holds (`_KEYS?`, `Token`, `_PASSPHRASE`, `_AUTH`,
# `api-key`, `passwd`, `creds` ...), in any case: where a match can start (``name_starts``).
_GENERIC_NAME_WORDS = r"key|token|secret|pass|pwd|cred|auth"
# A C macro defined as another identifier (`#define XXH3_kSecret XXH3_kSecret_default`): code; a
# C secret is a string literal. (RPM's `%define`/`%global` take raw text: still read.)
_MACRO_ALIAS = r"match:^#[ \t]*define[ \t]+[\w.-]+[ \t]+[A-Za-z_]\w*$"
# A file's name where a secret's name would be: a linter's or a bundler's cache maps each file
# to its hash (`"SecretsSetService.php": "<md5>"`, `.php-cs-fixer.cache`, `.eslintcache`).
_FILE_NAME = r"\.(?:php|py|rb|go|java|kt|js|mjs|cjs|ts|tsx|jsx|vue|svelte|cs|rs|swift|html?|twig|json|ya?ml|xml|css|scss|md|txt)\b"
# A collection of passwords or a password manager's product name, not a password: outline's
# table of passkey providers' AAGUIDs (`ApplePasswords`, `OnePassword` = "<uuid>").
_PASSWORD_PRODUCT = r"passwords\b|onepassword\b|1password\b"
# Names that hold no credential although they contain a secret word (checked on the match,
# after the fact: a lookahead at every word start would cost more than the whole regex). A
# captcha's site key is public; its secret key (``RECAPTCHA_SECRET_KEY``) is not.
_GENERIC_SKIP = (
    r"match:^"
    + "(?:-{1,2}|(?:%define|%global|#[ \t]*define|SetEnv)[ \t]+)?"
    + r"(?i:(?:old|new|confirm|current|repeat)[_-]?pass|[\w.-]*?(?:csrf|xsrf|page|next_|sync|cache|public|publishable|sort|primary|foreign|partition"
    r"|idempotency|request|site_?key|(?:recaptcha|turnstile|hcaptcha)(?![\w.-]*?secret)|dsn|anon|posthog|search_only|score|storage_?key|i18n|locale|stdin"
    # python-social-auth's `SOCIAL_AUTH_<BACKEND>_KEY` is the OAuth client id (its `_SECRET` is
    # the secret); Chatwoot's `websiteToken` ships in every page's widget script
    r"|social_auth_[\w.-]*_key\b|website[_.-]?token"
    # public in every page's HTML: Drupal's `ajaxPageState.theme_token`, Google Tag Manager's
    # environment parameter (`&gtm_auth=` in its snippet); saved pages are a RAG app's documents
    r"|theme_token|gtm_auth"
    # a password manager's name (`MicrosoftPasswordManager = "<AAGUID>"`), a collection
    r"|passw(?:or)?d[_.-]?manager\b|"
    + _PASSWORD_PRODUCT
    + "|"
    + _FILE_NAME
    + r"|hashed|digest|checksum|fingerprint|integrity|[_.-]hash\b|(?-i:Hash|Digest)\b"
    r"|[_.-](?:id|ids|url|uri|path|file|name|arn|type|length|size|version|header|prefix|region|expiry|ttl|count|limit|usage|label|rules?)\b"
    r"|(?-i:Id|Ids|Url|Uri|Path|File|Name|Arn|Type|Length|Size|Version|Header|Prefix|Region|Expiry|Ttl|Count|Limit|Usage|Label|Rules?)\b))"
)
# An assignment of a long enough value somewhere in the line (precheck for name-based rules):
# `=`, `:`, `=>`, `:=`, a call's `, "`, an XML element's `>`, a command-line flag's or a
# macro definition's space (`-token v`, `#define TOKEN v`).
# Each run of white space has one way to match (`\s*(?:X\s*)?`, a flag's name then a lookahead):
# a table row padded with spaces made `[ \t]+\s*X?\s*` try every split, cubic in the run (9 ms
# a line of a Markdown table; crewAI's docs).
_VALUE_AFTER = r"""(?i)(?:[=:>]|,[ \t]*(?=["'`])|(?:-{1,2}|define[ \t]+|global[ \t]+|setenv[ \t]+)[\w.-]+(?=[ \t]))\s*(?:[\[("'`b]\s*)?(?:bearer\s+|basic\s+|token\s+|ntlm\s+|negotiate\s+)?["'`]?[^\s"'`]{%d}"""
# A literal: quoted (the quote must close on the line), or bare up to a terminator (`;` of a
# connection string, `&` of a query string, `<` of an XML element, a closing bracket, a comment;
# not a quote: a bare value that ends at a quote is the inside of a string, e.g. a JSON key).
# Each run of a value's characters is taken whole, never given back (a possessive quantifier,
# Python 3.11 on): what may follow a value (its closing quote, a terminator, white space) is
# never one of its characters, so a shorter run could not match where the whole one did not. On a
# line of `api_key=api_key=...` each name start gave back up to 1,000 characters one by one.
_ONCE = "+" if sys.version_info >= (3, 11) else ""
_VALUE_QUOTED = r"""(["'`])([^\s"'`\\]{%d,1000}""" + _ONCE + r""")\%d"""
_VALUE_BARE = (
    r"""([^\s"'`;,(){}\[\]<>\\&|]{%d,1000}""" + _ONCE + r""")(?=[ \t]*(?:$|[;,&<)\]}]|\|(?!\|)|\\[nrt]|\s#|\s//|\s-))"""
)


# A declared type between a name and its value: Go `var name string = `, TypeScript `name: string = `.
_TYPED = r"(?:[ \t]*:?[ \t]+(?:string|String|str|&str)(?![\w.-]))?"


def _value(min_len: int, first_group: int) -> str:
    """A quoted or bare literal; the quoted body is group ``first_group + 1``, the bare one
    ``first_group + 2`` (``first_group`` is the quote)."""
    return rf"(?:[bru](?=[\"']))?(?:{_VALUE_QUOTED % (min_len, first_group)}|{_VALUE_BARE % min_len})"


# What may stand before a name: a command-line flag's dashes, a macro definition
# (`#define API_KEY "…"`, RPM `%define token …`), Apache's `SetEnv`.
_LEAD = r"(-{1,2}|(?:%define|%global|#[ \t]*define|SetEnv)[ \t]+)?"
# An environment lookup, and a literal standing in when it is unset: a fallback after it
# (`os.environ.get("X") or "v"`, `process.env.X || "v"`, `?? "v"`) or its default argument
# (`os.getenv("X", "v")`, `ENV.fetch("X", "v")`). Anchored on the lookup's name, so a line
# without one costs nothing.
_ENV_LOOKUP = r"[\w.]*?(?:environ\.get|getenv|Getenv|env\.get|ENV\.fetch|process\.env|import\.meta\.env|os\.environ)"
_FALLBACK = (
    r"""["']?\]?[ \t]*(?::?=|:)[ \t]*""" + _ENV_LOOKUP + r"""[\w.]*(?:\([^()\n]{0,100}\)|\[[^\[\]\n]{0,100}\])?"""
    r"""[ \t]*(?:\bor\b|\|\||\?\?)[ \t]*"""
)
_ENV_DEFAULT = r"""["']?\]?[ \t]*(?::?=|:)[ \t]*""" + _ENV_LOOKUP + r"""\([^,()\n]{1,100},[ \t]*"""
# A shell parameter expansion's default: in `${NAME:-v}` (and `${NAME:=v}`, the `:=` of the
# operators below) the value is `v`, used when NAME is unset. `${NAME:+v}` (what to use when NAME
# *is* set: a path, a flag) and `${NAME:?message}` (the error when it is not) hold no value of
# NAME's, so `:` followed by `+` or `?` is no assignment.
_SHELL_DEFAULT = r":-(?=[^\s-])"
# An XML element, attributes allowed before its value: `<password name="db">v</password>`.
_XML_ATTRS = r"""(?:[ \t]+[\w:.-]+=(?:"[^"<>\n]*"|'[^'<>\n]*'))*[ \t]*"""


def _forms(name: str, min_len: int, tail: str = r"[\w.-]{0,20}?") -> tuple[str, tuple[int, ...]]:
    """Every way a file assigns a value to ``name``: ``name = v`` / ``name: v`` / ``=>`` /
    ``:=`` / ``::=`` / ``?=`` / ``.=`` (code, JSON, YAML, PHP, INI, .properties, Go, Makefiles,
    shell), a comparison with a literal (``password === "v"``), a declared type before the
    operator (``var name string = "v"``); ``"name", "v"`` (PHP define, Java
    System.setProperty, setenv); ``<name>v</name>`` (XML, the value maybe on its own line);
    ``key="name" value="v"`` (.NET appSettings); ``--name=v`` / ``--name v`` / ``-name v``
    (flags); ``#define NAME v``; a literal fallback (``os.getenv("X", "v")``, ``... or "v"``).
    The name is matched once and the forms branch after it (one pass per word start).
    Returns the regex and the groups holding the secret, first match first."""
    return (
        rf"(?<![\w.:]){_LEAD}{name}{tail}(?:"
        rf"[\"']?\]?{_TYPED}[ \t]*(?:={{1,3}}|!={{1,2}}|{_SHELL_DEFAULT}|:(?![+?=])|=>|:{{1,3}}=|\?=|\.=)[ \t]*{_value(min_len, 2)}"
        rf"|[\"'][ \t]*,[ \t]*{_VALUE_QUOTED % (min_len, 5)}"
        rf"|{_XML_ATTRS}>\s*([^\s<>\"']{{{min_len},1000}}{_ONCE})\s*</"
        rf"|[\"'][ \t]+value=[\"']([^\s\"'<>]{{{min_len},1000}}{_ONCE})[\"']"
        rf"|(?(1)[ \t]+{_value(min_len, 9)}|(?!))"
        rf"|{_FALLBACK}{_VALUE_QUOTED % (min_len, 12)}"
        rf"|{_ENV_DEFAULT}{_VALUE_QUOTED % (min_len, 14)}[ \t]*\))",
        (3, 4, 6, 7, 8, 10, 11, 13, 15),
    )


_GENERIC_RX, _GENERIC_GROUPS = _forms(_GENERIC_NAME, 12)
# The names of _GENERIC_NAME's case-insensitive branch that hold "key" (api_key, ApiKey, ...).
_KEY_COMPOUNDS = tuple(f"{a}{sep}key" for a in ("api", "access", "private", "auth") for sep in ("_", ".", "-", ""))
_PASSWORD_NAME = r"(?i:[\w.-]*?(?:passw(?:or)?d|passwd|pwd))"
# Names of things about passwords, not passwords (checked on the match, like _GENERIC_SKIP).
_PASSWORD_SKIP = (
    r"match:^(?:-{1,2}|(?:%define|%global|#[ \t]*define|SetEnv)[ \t]+)?(?:(?i:old|new|confirm|current|repeat|min|max)[_-]?(?i:pass)"
    r"|(?i:[\w.-]*?(?:hash|digest|salt|label|placeholder|prompt|hint|regex|pattern|field|input|policy|verifier|data|reset"
    r"|forgot|strength|length|error|message|title|text|show|hide|toggle|visible|required|invalid|stdin|rules?\b"
    r"|mgr|manager|handler|helper|provider|validator|checker|class|" + _FILE_NAME + "|" + _PASSWORD_PRODUCT + ")))"
)
_PASSWORD_RX, _PASSWORD_GROUPS = _forms(_PASSWORD_NAME, 6, tail=r"[\w.-]{0,10}?")
# A UUID after a quoted `'password',` is the next column of a SQL row (Supabase's
# `auth.mfa_amr_claims` dump: `'password', '<row id>'`), not a password set by a call.
_SQL_ROW_UUID = (
    "match:^" + _PASSWORD_NAME + r"[\"'`][ \t]*,[ \t]*[\"'`][0-9a-fA-F]{8}(?:-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}[\"'`]$"
)
# Command lines: `mysql -u root -p'secret'` / `-psecret`, `curl -u user:secret`.
_CLI_PASSWORD = (
    r"|(?<![\w-])(?:mysql|mysqldump|mysqladmin|mariadb)\b[^\n]{0,200}?[ \t]-p(?:(['\"])([^\s'\"\\]{8,200})\16|([^\s'\"\\-][^\s'\"\\]{7,200}))"
    # openssl's `-passin pass:VALUE` / `-passout pass:VALUE`
    r"|(?<![\w-])-pass(?:in|out)?[ \t]+[\"']?pass:([^\s'\"`]{6,200})"
)
# curl's credentials, anywhere in the command (continued lines are one logical line):
# `-u user:password` (quoted whole or in parts), `-u TOKEN:` (an API key as the user name, no
# password: Stripe-style), and `-H "Authorization: <scheme> <token>"` or any header named for
# a key, token or secret (`apikey:`, `X-Api-Key:`, `Private-Token:`).
_CURL_CREDENTIAL = (
    r"""(?:^|(?<=\s))(?:-u|--user)(?:[ \t]+|=)(?:"""
    r"""(["']?)[^\s:"'`$<{]{0,100}:(["']?)([^\s"'`\\]{6,200})\2\1(?=\s|$)"""
    r"""|(["']?)([^\s:"'`$<{]{10,200}):\4(?=\s|$))"""
    r"""|(?:^|(?<=\s))(?:-H|--header)(?:[ \t]+|=)(["'])[ \t]*"""
    r"""([\w-]*(?i:authorization|api-?key|apikey|token|secret|auth|passw(?:or)?d)[\w-]*)[ \t]*:[ \t]*"""
    r"""(?:[A-Za-z][\w-]{1,24}[ \t]+)?([^\s"'`\\{}<>$]{8,600})[ \t]*\6"""
)
# ``SECRET_KEY``, ``SIGNING_KEY`` and ``APP_KEY`` are a framework's own signing secret alone, under
# an object (``app.secret_key``, ``settings.SECRET_KEY``) or a framework's name (``DJANGO_SECRET_KEY``,
# ``JWT_SECRET_KEY``); under a provider's name (``LANGFUSE_SECRET_KEY``, ``INNGEST_SIGNING_KEY``,
# ``RECAPTCHA_SECRET_KEY``) they are that provider's credential, which ``secret.generic-assignment``
# reports with a fix that says to rotate it at its issuer, not to generate a new signing secret.
_JWT_NAME = (
    r"(?i:[\w.-]*?(?:jwt[\w.-]{0,20}?(?:secret|key)|(?:nextauth|auth|session|cookie|app|django|flask|signing|rails|express)[_.-]?secret"
    r"|token[_.-]?secret)"
    r"|(?:[\w-]*\.)*(?:(?:django|flask|fastapi|starlette|quart|sanic|app|application|auth|session|cookie|web|site|server|rails"
    r"|laravel|symfony|express|nextauth|encryption)[_.-]?)?(?:secret[_.-]?key(?:[_.-]?base)?|app[_.-]?key|signing[_.-]?key))"
)
_JWT_RX, _JWT_GROUPS = _forms(_JWT_NAME, 16, tail="")
_SMTP_NAME = r"(?i:[\w.-]*?(?:smtp|email_host|mail|mailer|email)[\w.-]{0,20}?(?:password|passwd|pass|pwd))"
_SMTP_RX, _SMTP_GROUPS = _forms(_SMTP_NAME, 6, tail=r"[\w.-]{0,10}?")


RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.private-key",
        description="Private key (PEM: RSA, EC, DSA, OpenSSH, PKCS#8, PGP)",
        severity=C,
        keywords=("-----begin",),
        regex=rf"-----BEGIN {_PEM_KIND}-----{_NL}+{_PEM_HEADERS}([A-Za-z0-9+/=\s\\]{{64,}}?)(?:{_NL}|=)*-----END {_PEM_KIND}-----",
        secret_group=0,
        window=16384,
        password_like=True,
        validator=validators.pem_key_body,
        fix="Treat the key as compromised: generate a new key pair, replace it wherever it is trusted, and load private keys from a secret manager.",
    ),
    _url_rule(
        "secret.postgres-url",
        "PostgreSQL connection string with a password",
        r"postgres(?:ql)?(?:\+[a-z0-9]+)?|pgsql",
        ("postgres", "pgsql"),
        "your database provider's console (Supabase/Neon/RDS: database settings > reset password)",
    ),
    _url_rule(
        "secret.mysql-url",
        "MySQL / MariaDB connection string with a password",
        r"mysql(?:\+[a-z0-9]+)?|mariadb",
        ("mysql", "mariadb"),
        "your database provider's console (PlanetScale/RDS/Cloud SQL: users > reset password)",
    ),
    _url_rule(
        "secret.mongodb-url",
        "MongoDB connection string with a password",
        r"mongodb(?:\+srv)?",
        ("mongodb",),
        "https://cloud.mongodb.com (Database Access > Edit user > Edit password)",
    ),
    _url_rule(
        "secret.redis-url",
        "Redis connection string with a password",
        r"rediss?",
        ("redis",),
        "your Redis provider's console (Upstash/Redis Cloud/ElastiCache: reset the password or ACL user)",
    ),
    _url_rule(
        "secret.amqp-url",
        "AMQP (RabbitMQ) connection string with a password",
        r"amqps?",
        ("amqp",),
        "your broker's console (CloudAMQP or rabbitmqctl change_password)",
    ),
    _url_rule(
        "secret.smtp-url",
        "SMTP URL with a password",
        r"smtps?|submission",
        ("smtp", "submission"),
        "your email provider (SendGrid/Mailgun/SES/Postmark SMTP credentials page)",
    ),
    Rule(
        id="secret.url-password",
        description="Password in a user:password@ URL (SQL Server, Oracle, ClickHouse, CockroachDB, FTP/SFTP, LDAP ...)",
        severity=H,
        keywords=(
            "mssql",
            "sqlserver",
            "oracle",
            "cockroach",
            "clickhouse",
            "couchdb",
            "neo4j",
            "bolt:",
            "nats:",
            "kafka:",
            "influxdb",
            "snowflake",
            "cassandra",
            "elasticsearch",
            "opensearch",
            "rethinkdb",
            "memcache",
            "ftp",
            "ldap",
        ),
        regex=(
            r"(?<![\w+.-])(?i:(?:jdbc:)?(?:mssql|sqlserver|oracle|cockroach(?:db)?|clickhouse|couchdb|neo4j(?:\+s)?|bolt|nats|kafka"
            r"|influxdb|snowflake|cassandra|elasticsearch|opensearch|rethinkdb|memcached?|s?ftps?|ldaps?)"
            r"(?:\+[a-z0-9]+)?)://([^:@/\s'\"`<>{}$,]+):([^@\s'\"`<>/?#{}$,:]{6,200})@[^\s'\"`<>/]+"
        ),
        secret_group=2,
        entropy=2.5,
        generic=True,
        password_like=True,
        validator=validators.url_password,
        allow=_NOT_LIVE,
        fix="Change the password at the service the URL points to (your database, file or directory server), then pass the URL (or just the password) through an environment variable or secret manager.",
    ),
    Rule(
        id="secret.http-url-password",
        description="Password or token in the user:password@ part of an http(s) URL (private package registries, proxies, basic-auth APIs, git remotes)",
        severity=H,
        keywords=("://",),
        # ``git+https://`` (pip's VCS requirements) counts, and so does an e-mail address as the
        # login (Artifactory and Nexus users); ``${TOKEN}``, ``{password}`` and
        # ``<password>`` are templates, not values (the characters are refused), and so are
        # ``%s`` and ``%(password)s`` (``http_url_password``)
        regex=(
            r"(?<![\w.-])(?:(?i:git|hg|svn|bzr)\+)?(?i:https?)://([^:/\s'\"`<>{}$,]*):"
            r"([^@\s'\"`<>/?#{}$,:]{6,200})@[^\s'\"`<>/]+"
        ),
        line_trigger=_USERINFO,
        precheck=_USERINFO,
        secret_group=2,
        entropy=2.5,
        # structural, so it wins over a name-based rule reading ``token:<value>@host`` in the
        # same URL; quiet in tests and fixtures as those rules are
        exclude_paths=rf"{FIXTURE_PATHS}|(?:^|/)\.git-credentials$",  # that file has its own rule
        password_like=True,
        validator=validators.http_url_password,
        allow=_NOT_LIVE,
        fix=(
            "Rotate the password or token at the service the URL points to (your package registry, proxy, API or "
            "git host), then take it out of the URL: pass the URL from a CI secret or environment variable "
            "(PIP_INDEX_URL, a user-level .npmrc reading ${NPM_TOKEN}) or use a credential helper."
        ),
    ),
    Rule(
        id="secret.smtp-password",
        description="SMTP / email host password setting",
        severity=C,
        keywords=(
            "smtp",
            "email_host_password",
            "mail_pass",
            "mail.pass",
            "mail-pass",
            "mailer_password",
            "email_password",
            "email_pass",
        ),
        regex=_SMTP_RX,
        precheck=_VALUE_AFTER % 6,
        secret_group=_SMTP_GROUPS,
        flags=re.MULTILINE,
        generic=True,
        password_like=True,
        validator=validators.not_identifier,
        fix="Reset the SMTP password (or API-key credential) at your email provider and set it through the environment (e.g. EMAIL_HOST_PASSWORD from a secret).",
    ),
    Rule(
        id="secret.jwt-signing-secret",
        description="JWT / session signing secret",
        severity=C,
        keywords=("jwt", "secret_key", "secret", "app_key", "signing_key"),
        regex=_JWT_RX,
        precheck=_VALUE_AFTER % 16,
        secret_group=_JWT_GROUPS,
        flags=re.MULTILINE,
        entropy=3.0,
        generic=True,
        allow_uuid=True,  # the name decides: a 64-hex value under JWT_SECRET is the secret
        password_like=True,
        validator=validators.generic_value,
        fix="Generate a new signing secret (e.g. `openssl rand -base64 48`), deploy it from a secret manager, and accept that existing sessions/tokens are invalidated.",
    ),
    _file_rule(
        "secret.git-credentials",
        "Credential in a .git-credentials file",
        r"(?:^|/)\.git-credentials$",
        r"^\s*[a-z][a-z0-9+.-]*://[^:/\s@]*:([^@\s]+)@\S+",
        (),
        "Revoke the token/password at the git host (e.g. https://github.com/settings/tokens), delete .git-credentials from the repo and use a credential helper.",
    ),
    _file_rule(
        "secret.netrc-password",
        "Password in a .netrc file",
        r"(?:^|/)[._]netrc$",
        r"\bpassword\s+(\S+)",
        ("password",),
        "Change the password (or token) at the host named on the `machine` line and keep .netrc out of the repository.",
    ),
    Rule(
        id="secret.npmrc-auth-token",
        description="npm registry credential in .npmrc / .yarnrc",
        severity=C,
        keywords=("_authtoken", "_auth", "_password", "npmauthtoken"),
        regex=r"(?:^|(?<=[\s/:]))(?:_authToken|_auth|_password|npmAuthToken)[\"']?\s*[=:]\s*[\"']?([^\s\"'()\[\]{}\\]{8,})(?![()\[\]{}\\])",
        flags=re.MULTILINE,
        secret_group=1,
        password_like=True,
        validator=validators.not_identifier,  # `_auth: AuthContext` is a TypeScript parameter
        fix="Revoke the token at https://www.npmjs.com/settings/~/tokens (or your registry) and write `_authToken=${NPM_TOKEN}` instead.",
    ),
    _file_rule(
        "secret.pypirc-password",
        "Password or token in .pypirc",
        r"(?:^|/)\.pypirc$",
        r"^\s*password\s*[:=]\s*(\S+)",
        ("password",),
        "Revoke the token at https://pypi.org/manage/account/token/ and use trusted publishing or keyring instead of .pypirc.",
    ),
    _file_rule(
        "secret.pgpass-password",
        "Password in a .pgpass file",
        r"(?:^|/)\.pgpass$",
        r"^[^:#\n]+:[^:\n]+:[^:\n]+:[^:\n]+:(\S+)$",
        (),
        "Change the database user's password (ALTER ROLE ... PASSWORD) and keep .pgpass out of the repository.",
    ),
    _file_rule(
        "secret.s3cfg-secret-key",
        "Secret key in an s3cmd .s3cfg file",
        r"(?:^|/)\.s3cfg$",
        r"^\s*(?:secret_key|access_token)\s*=\s*(\S+)",
        ("secret_key", "access_token"),
        "Deactivate the access key at https://console.aws.amazon.com/iam/home#/security_credentials (or your S3-compatible provider) and keep .s3cfg out of the repository.",
    ),
    _file_rule(
        "secret.htpasswd-hash",
        "Password hash in an .htpasswd file",
        r"(?:^|/)\.htpasswd$",
        r"^[^:\s#]+:(\$apr1\$[./0-9A-Za-z]{1,8}\$[./0-9A-Za-z]{22}|\$2[aby]\$\d\d\$[./0-9A-Za-z]{53}|\{SHA\}[A-Za-z0-9+/=]{28}|\$[156]\$[^\s:]+|[./0-9A-Za-z]{13})$",
        (),
        "Password hashes can be cracked offline: change those users' passwords (htpasswd) and keep .htpasswd out of the repository.",
        severity=M,
    ),
    Rule(
        id="secret.docker-config-auth",
        description="Registry credential in a Docker config.json / .dockercfg",
        severity=C,
        keywords=('"auth"',),
        regex=r'"auth"\s*:\s*"([A-Za-z0-9+/]{8,}={0,2})"',
        secret_group=1,
        password_like=True,
        validator=validators.docker_auth,
        fix="Revoke the registry password/token (Docker Hub: https://app.docker.com/settings/personal-access-tokens), `docker logout`, and use a credential helper.",
    ),
    Rule(
        id="secret.bearer-token",
        description="Bearer / Basic credential in an Authorization header literal",
        severity=H,
        keywords=("authorization", "bearer"),
        regex=(
            r"(?i:\bauthorization\b)[\"']?\s*[:=]\s*[\"'`]?(?i:bearer|token|basic|ntlm|negotiate)\s+"
            r"([A-Za-z0-9._~+/=-]{12,600})(?![A-Za-z0-9._~+/=-]|\{)"
        ),
        precheck=_VALUE_AFTER % 12,
        secret_group=1,
        allow_uuid=True,
        entropy=3.0,
        generic=True,
        password_like=True,
        grade=validators.jwt_grade,  # a JWT whose exp has passed is low, as secret.jwt grades it
        validator=validators.authorization_value,
        fix='Revoke the token at the service that issued it and send it from an environment variable or secret store (e.g. `-H "Authorization: Bearer $API_TOKEN"`).',
    ),
    Rule(
        id="secret.curl-credential",
        description="Credential on a curl command line (-u user:password, an Authorization or API-key header)",
        severity=H,
        keywords=("curl",),
        regex=_CURL_CREDENTIAL,
        precheck=r"(?:-u|--user|-H|--header)[ \t=]",
        secret_group=(3, 5, 8),
        allow=(r"match:(?i)[\w-]*(?:csrf|xsrf)[\w-]*[ \t]*:",),
        flags=re.MULTILINE,
        entropy=2.5,
        generic=True,
        allow_uuid=True,
        password_like=True,
        grade=validators.jwt_grade,  # a JWT whose exp has passed is low, as secret.jwt grades it
        validator=validators.command_line_credential,
        fix='Revoke the password or token at the service the command calls, and pass it from the environment (`curl -u "$USER:$PASSWORD"`, `-H "Authorization: Bearer $API_TOKEN"`).',
    ),
    Rule(
        id="secret.url-query-credential",
        description="Key, token or password in a URL's query string",
        severity=H,
        keywords=("key=", "token=", "secret=", "credential=", "password=", "key%3d", "token%3d", "secret%3d"),
        regex=(
            r"(?:[?&;]|%26|%3[fF])([\w.-]*?(?i:api[_-]?key|apikey|access[_-]?key|secret|token|credential|password|passwd|key))"
            r"(?:=|%3[dD])(?:&quot;|%22)?([A-Za-z0-9._~+/%-]{16,400}?)(?:&quot;|%22)?(?=[&#\"'\s<>)\]]|%2[56]|$)"
        ),
        # `key=` and `token=` are everywhere in code (`sorted(key=...)`): only a query string's
        # parameter compiles and runs the full regex
        precheck=r"[?&;%][\w.%-]*?(?i:key|token|secret|credential|passw)[\w.-]*(?:=|%3[dD])",
        secret_group=2,
        allow=(
            r"match:^(?:[?&;]|%26|%3[fF])(?i:[\w.-]*?(?:page|next|continuation|cursor|csrf|xsrf|sync|cache|public|publishable"
            # a SigV4 presigned URL's key id (`X-Amz-Credential=AKIA.../date/region/...`: no secret;
            # its `X-Amz-Security-Token`, a temporary credential, is still reported)
            r"|site_?key|recaptcha|hcaptcha|turnstile|idempotency|search_only|anon|x-amz-credential"
            # a Sentry DSN's key (`?sentry_key=` of its ingest URL): public, in every page's script
            r"|sentry_key))",
            # Laravel's CSRF field, a GET form's (`statuses?_token=...&sortBy=od` in a scraped link)
            r"match:^(?:[?&;]|%26|%3[fF])_token(?:=|%3[dD])",
            # a publisher's link-out keys: a DOI (`&key=10.5594%2FJ15330`), a Chemical Abstracts
            # record (`&key=1%3ASTN%3A280%3A...`, `1:STN:280:...`)
            r"match:(?:=|%3[dD])(?:&quot;|%22)?(?:10\.\d{4,9}(?:/|%2[fF])|1(?::|%3[aA])(?:STN|CAS)(?::|%3[aA]))",
            _JUPYTER_TOKEN,
        ),
        flags=re.MULTILINE,
        entropy=3.3,
        generic=True,
        password_like=True,
        grade=validators.jwt_grade,  # a JWT whose exp has passed is low, as secret.jwt grades it
        validator=validators.generic_value,
        fix="Revoke the key or token at the service the URL calls, and send it in a header read from the environment, not in a URL (URLs end up in logs, browser history and referrers).",
    ),
    Rule(
        id="secret.jwt",
        description="Signed JSON Web Token (a bearer credential until it expires)",
        severity=H,
        keywords=("eyj",),
        # (an OAuth `state=` parameter is a signed anti-forgery value, not a credential)
        regex=r"(?<![A-Za-z0-9_-])(?<!state=)(?<!state%3[dD])(eyJ[A-Za-z0-9_-]{8,}\.e[wy][A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{16,}={0,2})(?![A-Za-z0-9_-])",
        secret_group=1,
        generic=True,
        password_like=True,
        validator=validators.signed_jwt,
        grade=validators.jwt_grade,
        fix="Revoke the token (or the session or service account it stands for) at its issuer; tokens are minted at runtime and never committed.",
    ),
    Rule(
        id="secret.password-assignment",
        description="Hard-coded password",
        severity=H,
        keywords=("password", "passwd", "pwd", "mysql", "mariadb", "-passin", "-passout"),
        regex="(?:" + _PASSWORD_RX + _CLI_PASSWORD + ")",
        allow=(_PASSWORD_SKIP, _SQL_ROW_UUID),
        precheck=r"(?i)(?:[=:>]|,\s*[\"'`]|-p['\"]?\S|--pass|define\s|setenv\s)",
        secret_group=(*_PASSWORD_GROUPS, 17, 18, 19),
        flags=re.MULTILINE,
        generic=True,
        allow_uuid=True,
        password_like=True,
        validator=validators.password_value,
        fix="Change the password where it is used, then read it from an environment variable or secret manager at runtime.",
    ),
    Rule(
        id="secret.generic-assignment",
        description="High-entropy value assigned to a secret-sounding name",
        severity=H,
        keywords=(
            "key",
            "secret",
            "token",
            "password",
            "passwd",
            "pwd",
            "credential",
            "creds",
            "_auth",
            "_key",
            *_KEY_COMPOUNDS,
        ),
        # A name holds "key" only as `_KEY`, camelCase `Key` or one of _KEY_COMPOUNDS (any case):
        # history's line prefilter skips the many lines with a bare lower-case `key` (`keys()`).
        cased_keywords=("_KEY", "Key"),
        regex=_GENERIC_RX,
        name_words=_GENERIC_NAME_WORDS,
        allow=(_GENERIC_SKIP, _JUPYTER_TOKEN, _SQL_ROW_UUID, _MACRO_ALIAS),
        precheck=_VALUE_AFTER % 12,
        secret_group=_GENERIC_GROUPS,
        flags=re.MULTILINE,
        entropy=3.5,
        generic=True,
        allow_uuid=True,  # the name decides: a UUID or 64-hex value under client_secret is the secret
        password_like=True,
        grade=validators.jwt_grade,  # a JWT whose exp has passed is low, as secret.jwt grades it
        validator=validators.generic_secret_value,
        fix="Move the value to a secret manager or an untracked environment variable, rotate it at its issuer, and read it at runtime.",
    ),
)
