"""``name_starts.matches`` yields exactly what ``finditer`` over the same window yields, for
every rule with ``name_words``: on generated assignments in every form the rules read (leads,
dashes, dots, Unicode case folding, quotes, XML, env fallbacks), on long minified-style lines,
on this project's own source joined into one line, and on arbitrary text."""

from __future__ import annotations

import dataclasses
import random
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from launchready.secrets import name_starts
from launchready.secrets.engine import Engine
from launchready.secrets.rules import default_rules

RULES = [r for r in default_rules() if r.name_words]
SRC = Path(__file__).resolve().parents[2] / "src" / "launchready"

LEADS = [
    "",
    "",
    "",
    "-",
    "--",
    "#define ",
    "#  define\t",
    "%define ",
    "%global ",
    "SetEnv ",
    "export ",
    "x.",
    "a-",
    ":",
]
PARTS = [
    "api", "_", "-", ".", "KEY", "key", "Key", "KEYS", "token", "Token", "TOKEN", "secret", "Secret",
    "SECRET", "pass", "PASS", "PASSPHRASE", "password", "passwd", "pwd", "auth", "AUTH", "cred",
    "credentials", "creds", "client", "access", "private", "bearer", "x", "my", "db", "K", "\u212a",
    "\u017f", "é", "1", "page", "csrf", "site", "recaptcha", "keyboard", "author",
]  # fmt: skip
OPERATORS = [
    " = ", "=", ": ", ":", ":=", "=>", " => ", "==", " === ", "!=", "?=", ".=", ":-", " ", "\t", "', ", '", ',
    '" value="', "'] = ", '"]: ', ">", ' id="x">', " string = ", ": str = ", " or ", "::=",
]  # fmt: skip
VALUE_CHARS = "abcXYZ0189+/=_-.~%$@!;,&|<>(){}[]\\'\"` \t#"
FALLBACKS = ["", "", "", "os.getenv('X', ", "os.environ.get('X') or ", "process.env.X || ", 'ENV.fetch("X", ']


def _value(rng: random.Random) -> str:
    quote = rng.choice(["", "", "'", '"', "`", "b'", 'r"'])
    body = "".join(
        rng.choice(VALUE_CHARS[:20] if rng.random() < 0.8 else VALUE_CHARS) for _ in range(rng.randint(10, 40))
    )
    close = quote[-1:] if quote and rng.random() < 0.9 else ""
    return quote + body + close + rng.choice(["", ";", ")", ",", "</x>", " # c", "&y=1", "\\n", " -x"])


def _assignment(rng: random.Random) -> str:
    name = "".join(rng.choice(PARTS) for _ in range(rng.randint(1, 5)))
    return rng.choice(LEADS) + name + rng.choice(OPERATORS) + rng.choice(FALLBACKS) + _value(rng)


def _texts(seed: int) -> list[str]:
    rng = random.Random(seed)
    lines = [_assignment(rng) for _ in range(400)]
    code = [(p.read_text(encoding="utf-8")) for p in sorted(SRC.rglob("*.py"))[seed % 7 :: 7]]
    return [
        "\n".join(lines),
        "".join(f"{x};" for x in lines),  # one minified line
        ",".join(f"{{{x}}}" for x in lines),
        "\n".join(code),
        ";".join(c.replace("\n", ";") for c in code),  # a project's code as one long line
    ]


def _same(rule: Any, text: str, pos: int, endpos: int) -> None:
    regex = rule.compile()
    names = name_starts.Names(rule.name_words)
    want = [(m.span(), m.groups()) for m in regex.finditer(text, pos, endpos)]
    for folded in (name_starts.fold(text), None):  # the fast search, and the one it stands for
        got = [(m.span(), m.groups()) for m in names.matches(regex, text, folded, pos, endpos)]
        assert got == want


@pytest.mark.parametrize("seed", range(6))
@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_the_same_matches_as_a_search_of_the_window(rule: Any, seed: int) -> None:
    rng = random.Random(seed)
    for text in _texts(seed):
        _same(rule, text, 0, len(text))
        for _ in range(25):  # windows that start and end anywhere, inside names too
            a = rng.randrange(len(text))
            _same(rule, text, a, min(len(text), a + rng.randint(0, 5000)))


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aKk_-.:=:\"' \t\n#%$/()<>ekyotnsrcpwduhvlaé\u212a\u017fE1"))), st.data())
def test_the_same_matches_on_arbitrary_text(text: str, data: st.DataObject) -> None:
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.integers(pos, len(text)))
    for rule in RULES:
        _same(rule, text, pos, endpos)


def test_a_rule_that_uses_it_exists_and_the_engine_takes_it() -> None:
    """The engine's findings with ``name_words`` and without it (a search of every window)."""
    assert [r.id for r in RULES] == ["secret.generic-assignment"]
    rng = random.Random(3)
    long_line = ";".join(_assignment(rng) for _ in range(3000))  # one line of ~100 KB
    lines = "\n".join(_assignment(rng) for _ in range(3000))
    plain = [dataclasses.replace(r, name_words="") for r in default_rules()]
    for text in (long_line, lines):
        got = [(m.rule.id, m.start, m.end, m.secret) for m in Engine(default_rules()).scan(text, "dist/app.js")]
        assert got == [(m.rule.id, m.start, m.end, m.secret) for m in Engine(plain).scan(text, "dist/app.js")]
        assert any(rid == "secret.generic-assignment" for rid, *_ in got)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.id)
def test_folding_finds_what_a_case_insensitive_search_finds(rule: Any) -> None:
    """For every Unicode character and every letter of the rule's words: ``re`` matches the
    letter case-insensitively exactly where ``fold`` gives that letter (``K`` Kelvin sign for
    ``k``, ``ſ`` for ``s``), so searching the folded text is the case-insensitive search."""
    every = "".join(chr(c) for c in range(0x110000) if not 0xD800 <= c < 0xE000)
    folded = "".join(name_starts.fold(c) or "" if len(c.lower()) == 1 else "" for c in every)
    assert len(folded) == len(every) - 1  # only U+0130 (İ) lowers to two characters
    for letter in sorted(set(re.sub(r"[^a-z]", "", rule.name_words))):
        anycase = {m.group() for m in re.finditer(letter, every, re.IGNORECASE)}
        by_fold = {c for c in every if len(c.lower()) == 1 and name_starts.fold(c) == letter}
        assert anycase == by_fold, letter
    # a text that cannot be folded (İ) takes the case-insensitive search
    assert name_starts.fold("\u0130 api_key") is None


# The rules whose values are taken whole (``infra._ONCE``: a possessive quantifier on 3.11+).
ONCE_RULES = [r for r in default_rules() if isinstance(r.regex, str) and "1000}+" in r.regex]


def _same_as_greedy(rule: Any, text: str) -> None:
    once = rule.compile()
    greedy = re.compile(rule.regex.replace("1000}+", "1000}"), once.flags)
    assert [(m.span(), m.groups()) for m in once.finditer(text)] == [
        (m.span(), m.groups()) for m in greedy.finditer(text)
    ]


@pytest.mark.parametrize("seed", range(3))
def test_a_value_taken_whole_matches_as_one_given_back(seed: int) -> None:
    """What may follow a value is never one of its characters, so a run given back character by
    character (the greedy quantifier's backtracking) never matched where the whole run did not:
    the same matches and groups on assignments of every form and on this project's code."""
    assert {r.id for r in ONCE_RULES} >= {"secret.generic-assignment", "secret.password-assignment"}
    for text in _texts(seed):
        for rule in ONCE_RULES:
            _same_as_greedy(rule, text)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("aKk_-.:=\"'` \t\n#;,&<>/()[]{}|\\ekyotnspwd1E"))))
def test_a_value_taken_whole_on_arbitrary_text(text: str) -> None:
    for rule in ONCE_RULES:
        _same_as_greedy(rule, text)
