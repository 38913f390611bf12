"""Regex building blocks shared by the rule modules."""

from __future__ import annotations

from launchready.model import Severity
from launchready.secrets import validators
from launchready.secrets.rule import TOKEN_CLASS, Rule

C, H, M, L = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW

# Token boundaries: not preceded / followed by another token character. A terminal colour code
# (ESC [ 94 m) right before a token is a boundary too: the `m` ends the escape, not the token
# (tokens pasted from coloured CLI output and logs).
B = rf"(?:(?<![{TOKEN_CLASS}])|(?<=\x1b\[\dm)|(?<=\x1b\[\d\dm)|(?<=\x1b\[\d;\d\dm))"
E = rf"(?![{TOKEN_CLASS}])"
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# name ... = / : / => / := / ::= / .= ... optional opening quote; a declared type may sit
# between the name and the operator (Go `var name string = `, TypeScript `name: string = `);
# `>` opens an XML element's value (`<apiKey>value</apiKey>`, the value maybe on its own line).
ASSIGN = (
    r"""[\w.-]{0,40}?["']?\]?(?:[ \t]*:?[ \t]*(?:string|String|str)(?![\w.-]))?"""
    r"""\s*(?:=|:|=>|:{1,3}=|\?=|\.=|,|>)\s*(?:["'`]|b["'])?"""
)


def kv(names: str, value: str) -> str:
    """``<name matching names (case-insensitive)> = <value>``; the value is group 1."""
    return rf"(?i:{names}){ASSIGN}({value}){E}"


def fix(where: str, what: str = "the key") -> str:
    return (
        f"Revoke {what} at {where} and create a new one; keep it out of the code "
        "(a secret manager or an untracked environment variable read at runtime)."
    )


def token_rule(
    id: str,
    description: str,
    token: str,
    keywords: tuple[str, ...],
    fix_text: str,
    severity: Severity = H,
    entropy: float | None = 3.0,
    password_like: bool = False,
    cased: tuple[str, ...] | None = None,
    heads: bool | None = None,
) -> Rule:
    """A token with a distinctive shape of its own (usually a prefix): found wherever it is
    written, whatever the name it is assigned to. ``cased``: its keywords as every token
    spells them (``Rule.cased_keywords``); by default those that begin the token's literal,
    case-sensitive prefix (``sl.`` of a Dropbox token). ``heads`` (``Rule.heads``): every
    token begins with one of ``cased``; by default, when they come from a literal prefix
    that every match begins with (no ``|`` outside a group)."""
    prefix = _literal_prefix(token)
    if cased is None:
        cased = tuple(prefix[: len(k)] for k in keywords if prefix.lower().startswith(k))
        if heads is None:
            heads = bool(cased) and not _top_level_alternation(token)
    return Rule(
        id=id,
        description=description,
        severity=severity,
        keywords=keywords,
        regex=B + f"({token})" + E,
        secret_group=1,
        prefix=prefix,
        entropy=entropy,
        password_like=password_like,
        fix=fix_text,
        cased_keywords=cased,
        heads=bool(heads and cased),
    )


def named_value_rule(
    id: str,
    description: str,
    names: str,
    value: str,
    keywords: tuple[str, ...],
    fix_text: str,
    severity: Severity = H,
    entropy: float | None = 3.0,
) -> Rule:
    """A value with no distinctive shape: only reported when a name says whose it is
    (``DATADOG_API_KEY = <32 hex>``); keyword-anchored so it stays quiet elsewhere. The name is
    its only evidence, as for the generic rules: quiet where they are (tests, fixtures,
    translation catalogs, where a message key `…/datadog_api_key` maps to a 32-hex hash), and a
    token with a provider's shape on the same span wins over it."""
    return Rule(
        id=id,
        description=description,
        severity=severity,
        keywords=keywords,
        regex=kv(names, value),
        secret_group=1,
        entropy=entropy,
        password_like=True,
        allow_uuid=True,
        generic=True,
        # a name from code is no value (`import { INTERCOM_SECRET_KEY, IS_INTERCOM_CONFIGURED }`)
        validator=validators.not_code_name,
        fix=fix_text,
    )


def _literal_prefix(token: str) -> str:
    out = []
    i = 0
    while i < len(token):
        c = token[i]
        if c == "\\" and i + 1 < len(token) and token[i + 1] in ".-$~":
            out.append(token[i + 1])
            i += 2
            continue
        if not (c.isalnum() or c in "_-"):
            break
        out.append(c)
        i += 1
    # a quantifier right after the last literal makes that character optional
    if i < len(token) and token[i] in "?*{" and out:
        out.pop()
    return "".join(out)


def _top_level_alternation(token: str) -> bool:
    """Does ``token`` have a ``|`` outside every group and character class (so that a match
    need not begin the way its first alternative does)?"""
    depth = 0
    i = 0
    in_class = False
    while i < len(token):
        c = token[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            if c == "]":
                in_class = False
        elif c == "[":
            in_class = True
            if token[i + 1 : i + 2] == "^":
                i += 1
            if token[i + 1 : i + 2] == "]":  # a leading ] is a member
                i += 1
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return True
        i += 1
    return False


class Pack:
    """Collects a family's rules and, for each, how ``KeyGen.sample`` writes a true sample:
    the variable name and a regex the generated value matches."""

    def __init__(self) -> None:
        self.rules: list[Rule] = []
        self.samples: dict[str, tuple[str, str]] = {}

    def token(
        self,
        id: str,
        description: str,
        token: str,
        keywords: tuple[str, ...],
        where: str,
        env: str,
        severity: Severity = H,
        entropy: float | None = 3.0,
        what: str = "the token",
        cased: tuple[str, ...] | None = None,
        heads: bool | None = None,
    ) -> None:
        self.rules.append(
            token_rule(id, description, token, keywords, fix(where, what), severity, entropy, cased=cased, heads=heads)
        )
        self.samples[id] = (env, token)

    def named(
        self,
        id: str,
        description: str,
        names: str,
        value: str,
        keywords: tuple[str, ...],
        where: str,
        env: str,
        severity: Severity = H,
        entropy: float | None = 3.0,
        what: str = "the key",
    ) -> None:
        self.rules.append(
            named_value_rule(id, description, names, value, keywords, fix(where, what), severity, entropy)
        )
        self.samples[id] = (env, value)


# Eight letters of the alphabet in a row (abcdefgh, klmnopqr ...): a hand-typed stand-in, never
# the random body of a real key (as an ``allow`` pattern of a rule).
ALPHABET_RUN = "(?i:" + "|".join("abcdefghijklmnopqrstuvwxyz"[i : i + 8] for i in range(19)) + ")"

# "PRIVATE KEY" as it reads in base64 at each of the three byte alignments.
B64_PEM_PRIVATE = r"(?:UFJJVkFURSBLRV|BSSVZBVEUgS0VZ|QUklWQVRFIEtFW)"
