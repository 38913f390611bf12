"""What a detection rule is. The rule pack itself is data in ``rules/``."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from launchready.model import Severity

Validator = Callable[[str], bool]
# What a secret's own content says of its weight: None, or a lower severity and why
# (``validators.jwt_grade``: an expired token).
Grader = Callable[[str], "tuple[Severity, str] | None"]


# The characters a token is made of: a match that must start (or end) a token may not have
# one of them right before (after) it. ``B`` and ``E`` in ``rules/_common.py`` are built on
# it, and the engine's head check reads the same set (``TOKEN_CHARS``).
TOKEN_CLASS = "A-Za-z0-9_-"
# Tests, fixtures, mocks and translation catalogs (any case): the paths where a generic rule is
# silent (``Engine.skips_here``), and a structural rule that would be noisy there excludes.
FIXTURE_PATHS = (
    r"(?i:(?:^|/)(?:tests?|__tests__|__mocks__|__fixtures__|__snapshots__|specs?|fixtures?|testdata|test[-_]data|e2e|mocks?|playwright|cypress"
    r"|locales?|i18n|l10n|lang|langs|translations?|messages)/"
    r"|[._-](?:test|spec|stories|story|mock|fixture)s?\.[A-Za-z0-9]+$|\.(?:client|server)test\.[A-Za-z0-9]+$|(?:^|/)test_[^/]*\.(?:py|json|ya?ml|xml|csv|txt)$|_test\.(?:go|py|rb|exs?)$"
    r"|(?:^|/)conftest\.py$"  # pytest's fixtures
    r"|(?:^|/)i18n\.lock$)"  # a translation tool's lock file: each message's key and its hash
)
TOKEN_CHARS = frozenset(c for c in map(chr, range(128)) if re.fullmatch(f"[{TOKEN_CLASS}]", c))


@dataclass(frozen=True)
class Rule:
    """One secret detector.

    ``keywords`` (lowercase) gate the regex: the regex only runs near a keyword hit, in the
    hit's line (``window="line"``) or in a span of ``window`` characters after the line start
    (multi-line secrets such as PEM keys). The secret is ``secret_group`` of the match (or the
    whole match). ``entropy`` is a Shannon-entropy floor in bits per character.
    ``validator`` is a structural check (checksum, JWT claims); failing it drops the match.
    ``password_like`` secrets are redacted with no visible characters; otherwise ``prefix``
    (the public, non-secret part, e.g. ``sk-proj-``) stays visible.
    ``generic`` rules yield to a specific rule that matched the same span.
    """

    id: str
    description: str
    severity: Severity
    keywords: tuple[str, ...]
    regex: str
    fix: str
    # The group holding the secret; a tuple means "the first of these groups that matched".
    secret_group: int | str | tuple[int | str, ...] = 0
    entropy: float | None = None
    validator: Validator | None = None
    prefix: str = ""
    password_like: bool = False
    window: str | int = "line"
    generic: bool = False
    flags: int = 0
    # Regexes that mark a match as a known false positive: searched in the secret, or in the
    # whole match with a "match:" prefix, or in the source line with a "line:" prefix.
    allow: tuple[str, ...] = ()
    # A secret containing one of these (lowercase) words is not reported.
    stopwords: tuple[str, ...] = ()
    # Only scan paths matching this regex (searched against the /-separated path).
    paths: str | None = None
    # Never scan paths matching this regex.
    exclude_paths: str | None = None
    # A cheap regex that must occur in a window before the (expensive) rule regex runs on it.
    precheck: str | None = None
    # Engine used for the regex: "re" (Python) or "re2" (google-re2, for gitleaks configs).
    syntax: str = "re"
    tags: tuple[str, ...] = field(default=())
    # UUID-shaped and hex-digest-shaped values are real secrets for this rule (Heroku, Postmark).
    allow_uuid: bool = False
    # Where the rule came from: "builtin", "custom" (.launchready.yml) or "gitleaks".
    source: str = "builtin"
    # Keywords (of ``keywords``) as every match spells them: a token's literal, case-sensitive
    # head (``sl.``, ``SUA``). History's line prefilter looks for these in this case only; a
    # line with ``SL.`` cannot hold a Dropbox token. Scans of files still find every keyword
    # in any case (they only gate which rules run).
    cased_keywords: tuple[str, ...] = ()
    # Every match begins with one of ``cased_keywords``, right after a token boundary (not
    # after a letter, digit, ``_`` or ``-``; ``B`` in ``rules/_common.py``). When every keyword
    # is such a head, the engine runs the rule's regex only around a hit that spells one where
    # a token can start: a run of base64 is full of ``EAA`` and ``SAA`` that no token starts
    # with, and ``napi_`` of a Neon key never starts a match inside ``openapi_``.
    heads: bool = False
    # What history's line search (``Engine.keyword_rows``) looks for instead of this rule's
    # keywords: an RE2 pattern that every match of the rule contains on its own line. For a
    # rule whose keyword is on most lines of a text and whose match is rare: ``://`` is on
    # 48,000 added lines of fastapi's history, a ``user:password@`` URL on 23. Scans of files
    # still find the keywords themselves (they only gate which rules run). For a rule whose
    # window spans lines, a pattern every match contains: history reads a file's added lines
    # whole only where it is, not wherever a keyword is (``facebook`` is on thousands of lines
    # of a history, a Facebook token's shape on none).
    line_trigger: str = ""
    # Words (a case-insensitive Python regex) one of which every match's name holds, for a
    # rule whose every match starts with a name made of ``[\w.-]`` (after an optional macro
    # lead, ``name_starts``): the engine tries the regex only where such a name can begin (the
    # same matches; the engine scans a minified bundle's line ~2.4x faster).
    name_words: str = ""
    # Reads the secret itself for a severity other than ``severity`` (``Grader``), with the
    # reason appended to the finding's message.
    grade: Grader | None = None

    def __post_init__(self) -> None:
        # An empty keyword is in every text: the rule always runs (as in gitleaks), which is
        # what no keywords at all mean here. Whatever wrote the rule (a gitleaks config, a
        # custom rule, a library user), the engine never sees "" as a keyword.
        if "" in self.keywords:
            object.__setattr__(self, "keywords", tuple(k for k in self.keywords if k))

    def compile(self) -> Any:
        if self.syntax == "re2":
            return compile_re2(self.regex)
        return re.compile(self.regex, self.flags)

    def compile_extra(self, pattern: str) -> Any:
        """A path, exclude or allow pattern of this rule. Patterns from a repository's own
        configs (custom and gitleaks rules) run on RE2 only: linear time, whatever the
        pattern (``(a+)+$`` cannot stall a scan). Built-in ones may use Python's ``re``."""
        if self.source != "builtin":
            return compile_re2(pattern)
        return compile_any(pattern)


def compile_re2(pattern: str | bytes, case_sensitive: bool = True) -> Any:
    """An RE2 pattern, compiled without RE2 logging its own errors to stderr (they raise).
    ``re2`` is imported here, on first use: the pre-commit hook rarely needs it."""
    import re2

    options = re2.Options()
    options.log_errors = False
    options.case_sensitive = case_sensitive
    return re2.compile(pattern, options)


def re2_error(pattern: str) -> str | None:
    """None if RE2 can run ``pattern``, else RE2's reason (e.g. ``invalid perl operator: (?<=``)."""
    try:
        compile_re2(pattern)
    except Exception as exc:
        msg = exc.args[0] if exc.args else exc
        return msg.decode(errors="replace") if isinstance(msg, bytes) else str(msg)
    return None


def re2_reason(err: str) -> str:
    """RE2's reason without the piece of the pattern it quotes (``missing ): a(b...``): a
    config's pattern can hold a literal secret (an allow pattern for a known test key)."""
    return err.split(": ", 1)[0].strip() or "a syntax error"


def compile_any(pattern: str) -> Any:
    """Python ``re`` when it accepts the pattern, else RE2 (gitleaks path and allow regexes)."""
    try:
        return re.compile(pattern)
    except re.error:
        return compile_re2(pattern)


def named_rule(id: str, description: str, severity: Severity, fix: str, tag: str) -> Rule:
    """A rule with no pattern: its checker (env files, build output, credential files by
    name) decides in code and reports under this id. ``tag`` says which checker owns it."""
    return Rule(id=id, description=description, severity=severity, keywords=(), regex="", fix=fix, tags=(tag,))
