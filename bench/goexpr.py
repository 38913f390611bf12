"""Read the labelled true/false samples out of gitleaks' rule generators (Go source) at run time.

gitleaks' ``cmd/generate/config/rules/*.go`` build each rule's true (``tps``) and false
(``fps``) samples with a handful of helpers: string literals and ``+``, ``[]string{...}``,
``map[string]string{...}`` (path-keyed samples), ``append``, ``fmt.Sprintf``,
``utils.GenerateSampleSecrets`` (one secret written in ~25 syntaxes),
``utils.GenerateSampleSecret``, and ``secrets.NewSecret(regex)`` (a random string matching a
regex). This module evaluates exactly that subset of Go, so the yardstick needs no Go
toolchain; a statement it cannot evaluate is skipped and counted, never guessed.

Nothing from the checkout is stored in this repository: the syntax templates of
``GenerateSampleSecrets`` are read from the checkout's ``utils/generate.go`` too.
"""

from __future__ import annotations

import random
import re
import re._parser as sre_parse  # type: ignore[import-not-found]
from dataclasses import dataclass
from pathlib import Path
from typing import Any

Value = Any  # str | list[str] | dict[str, str] | None


class Unsupported(Exception):
    pass


_TOKEN = re.compile(
    r"""(?P<ws>[ \t\r]+)|(?P<nl>\n)|(?P<lc>//[^\n]*)|(?P<bc>/\*.*?\*/)"""
    r"""|(?P<raw>`[^`]*`)|(?P<str>"(?:\\.|[^"\\\n])*")|(?P<rune>'(?:\\.|[^'\\\n])+')"""
    r"""|(?P<id>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)|(?P<num>\d+)"""
    r"""|(?P<op>\.\.\.|:=|\+=|==|!=|&&|\|\||[-+*/%(){}\[\],:;=<>!&|.^])""",
    re.S,
)


@dataclass
class Tok:
    kind: str
    text: str


def tokenize(src: str) -> list[Tok]:
    out: list[Tok] = []
    pos = 0
    while pos < len(src):
        m = _TOKEN.match(src, pos)
        if m is None:
            pos += 1
            continue
        pos = m.end()
        kind = m.lastgroup or ""
        if kind in ("ws", "lc"):
            continue
        if kind == "bc":
            if "\n" in m.group():
                out.append(Tok("nl", "\n"))
            continue
        out.append(Tok(kind, m.group()))
    return out


def _unquote(tok: Tok) -> str:
    if tok.kind == "raw":
        return tok.text[1:-1].replace("\r", "")
    body = tok.text[1:-1]
    # Go interpreted string escapes are a subset of Python's.
    return body.encode("latin-1", "backslashreplace").decode("unicode_escape") if "\\" in body else body


# ---- random strings matching a regex (what gitleaks' secrets.NewSecret does) -------------------
_CATS = {
    "CATEGORY_DIGIT": "0123456789",
    "CATEGORY_WORD": "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_",
    "CATEGORY_SPACE": " ",
}


class RegexGen:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)

    def generate(self, pattern: str) -> str:
        pattern = pattern.replace("[[:alnum:]]", "[A-Za-z0-9]").replace("\\z", "$")
        try:
            parsed = sre_parse.parse(pattern)
        except Exception as exc:  # Go-only syntax
            raise Unsupported(f"regex {pattern!r}: {exc}") from exc
        return self._seq(parsed)

    def _seq(self, items: Any) -> str:
        return "".join(self._one(op, av) for op, av in items)

    def _one(self, op: Any, av: Any) -> str:
        name = str(op)
        if name == "LITERAL":
            return chr(av)
        if name == "NOT_LITERAL":
            c = "a"
            return c if ord(c) != av else "b"
        if name == "ANY":
            return self.rng.choice("abcdefghijklmnopqrstuvwxyz0123456789")
        if name == "IN":
            return self._in(av)
        if name in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            lo, hi, sub = av
            # gitleaks' reggen caps open-ended repeats at a limit of 1 extra.
            hi = lo + 1 if hi == sre_parse.MAXREPEAT else hi
            n = self.rng.randint(lo, hi) if hi >= lo else lo
            return "".join(self._seq(sub) for _ in range(n))
        if name == "SUBPATTERN":
            return self._seq(av[-1])
        if name == "BRANCH":
            return self._seq(self.rng.choice(av[1]))
        if name in ("AT", "ASSERT", "ASSERT_NOT", "GROUPREF"):
            return ""
        if name == "CATEGORY":
            return self.rng.choice(_CATS.get(str(av), "a"))
        raise Unsupported(name)

    def _in(self, items: Any) -> str:
        chars: list[str] = []
        negate = False
        for op, av in items:
            name = str(op)
            if name == "NEGATE":
                negate = True
            elif name == "LITERAL":
                chars.append(chr(av))
            elif name == "RANGE":
                chars.extend(chr(c) for c in range(av[0], av[1] + 1))
            elif name == "CATEGORY":
                chars.extend(_CATS.get(str(av), "a"))
        if negate:
            pool = [c for c in "abcdefghijklmnopqrstuvwxyz0123456789" if c not in chars]
            return self.rng.choice(pool or ["z"])
        return self.rng.choice(chars or ["a"])


# ---- evaluating the subset of Go the generators use --------------------------------------------
_SIZE_HELPERS = {
    "utils.Numeric": "[0-9]{%s}",
    "utils.Hex": "[a-f0-9]{%s}",
    "utils.AlphaNumeric": "[a-z0-9]{%s}",
    "utils.AlphaNumericExtendedShort": "[a-z0-9_-]{%s}",
    "utils.AlphaNumericExtended": "[a-z0-9=_\\-]{%s}",
    "utils.AlphaNumericExtendedLong": "[a-z0-9\\/=_\\+\\-]{%s}",
}


class Evaluator:
    def __init__(self, templates: list[str], gen: RegexGen) -> None:
        self.templates = templates
        self.gen = gen
        self.env: dict[str, Value] = {}
        self.skipped = 0

    # expr := term ('+' term)*
    def expr(self, toks: list[Tok], i: int) -> tuple[Value, int]:
        val, i = self.term(toks, i)
        while i < len(toks) and toks[i].text == "+":
            i = self._skip_nl(toks, i + 1)
            rhs, i = self.term(toks, i)
            if not isinstance(val, str) or not isinstance(rhs, str):
                raise Unsupported("+ on non-strings")
            val = val + rhs
        return val, i

    @staticmethod
    def _skip_item(toks: list[Tok], i: int, close: str) -> int:
        """Past the list item starting at ``i`` (to its comma, or to ``close``)."""
        depth = 0
        while i < len(toks):
            t = toks[i].text
            if toks[i].kind == "op" and t in "({[":
                depth += 1
            elif toks[i].kind == "op" and t in ")}]":
                if depth == 0:
                    return i
                depth -= 1
            elif t == "," and depth == 0:
                return i + 1
            i += 1
        return i

    @staticmethod
    def _skip_nl(toks: list[Tok], i: int) -> int:
        while i < len(toks) and toks[i].kind == "nl":
            i += 1
        return i

    def _list(self, toks: list[Tok], i: int, close: str) -> tuple[list[Value], int]:
        """Comma-separated expressions up to ``close`` (``i`` just after the opener)."""
        items: list[Value] = []
        i = self._skip_nl(toks, i)
        while toks[i].text != close:
            try:
                v, i = self.expr(toks, i)
            except Unsupported:
                self.skipped += 1
                i = self._skip_item(toks, i, close)
                continue
            if i < len(toks) and toks[i].text == "...":
                v = ("...", v)
                i += 1
            items.append(v)
            i = self._skip_nl(toks, i)
            if toks[i].text == ",":
                i = self._skip_nl(toks, i + 1)
        return items, i + 1

    def term(self, toks: list[Tok], i: int) -> tuple[Value, int]:
        t = toks[i]
        if t.kind in ("str", "raw"):
            return _unquote(t), i + 1
        if t.kind == "num":
            return t.text, i + 1
        if t.text == "nil":
            return [], i + 1
        if t.text == "[" and toks[i + 1].text == "]":  # []string{...}
            j = i + 2
            while toks[j].text != "{":
                j += 1
            items, j = self._list(toks, j + 1, "}")
            return [x for x in items if isinstance(x, str)], j
        if t.text == "map":  # map[string]string{k: v, ...}
            j = i
            while toks[j].text != "{":
                j += 1
            j = self._skip_nl(toks, j + 1)
            out: dict[str, str] = {}
            while toks[j].text != "}":
                k, j = self.expr(toks, j)
                if toks[j].text != ":":
                    raise Unsupported("map syntax")
                v, j = self.expr(toks, self._skip_nl(toks, j + 1))
                out[str(k)] = str(v)
                j = self._skip_nl(toks, j)
                if toks[j].text == ",":
                    j = self._skip_nl(toks, j + 1)
            return out, j + 1
        if t.kind == "id":
            if i + 1 < len(toks) and toks[i + 1].text == "(":
                args, j = self._list(toks, i + 2, ")")
                return self.call(t.text, args), j
            if t.text in self.env:
                return self.env[t.text], i + 1
            raise Unsupported(f"unknown name {t.text}")
        raise Unsupported(f"token {t.text!r}")

    def call(self, name: str, args: list[Value]) -> Value:
        if name in _SIZE_HELPERS:
            return _SIZE_HELPERS[name] % args[0]
        if name == "utils.Hex8_4_4_4_12":
            return "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
        if name in ("secrets.NewSecret", "newPlausibleSecret"):
            return self.gen.generate(str(args[0]))
        if name == "utils.GenerateSampleSecret":
            return f'{args[0]}_api_token = "{args[1]}"'
        if name == "utils.GenerateSampleSecrets":
            ident, secret = str(args[0]), str(args[1])
            return [
                tpl.replace("{i}", ident).replace("{I}", ident.upper()).replace("{s}", secret) for tpl in self.templates
            ]
        if name == "append":
            base = list(args[0]) if isinstance(args[0], list) else []
            for a in args[1:]:
                if isinstance(a, tuple):
                    base.extend(a[1])
                else:
                    base.append(a)
            return base
        if name == "fmt.Sprintf":
            fmt, rest = str(args[0]), [str(a) for a in args[1:]]
            parts = re.split(r"%[sdvq]", fmt)
            if len(parts) - 1 != len(rest):
                raise Unsupported("Sprintf arity")
            return "".join(p + (rest[k] if k < len(rest) else "") for k, p in enumerate(parts)).replace("%%", "%")
        if name == "strings.Repeat":
            return str(args[0]) * int(str(args[1]))
        if name in ("strings.ToUpper", "strings.ToLower"):
            return str(args[0]).upper() if name.endswith("Upper") else str(args[0]).lower()
        raise Unsupported(f"call {name}")


def sample_templates(generate_go: str) -> list[str]:
    """The syntax templates inside ``GenerateSampleSecrets`` (commented-out ones excluded)."""
    body = generate_go.split("func GenerateSampleSecrets", 1)[1].split("replacer", 1)[0]
    toks = tokenize(body)
    out: list[str] = []
    for k in range(1, len(toks) - 1):
        if toks[k].text == ":" and toks[k - 1].kind in ("str", "raw") and toks[k + 1].kind in ("str", "raw"):
            out.append(_unquote(toks[k + 1]))
    return out


@dataclass(frozen=True)
class RuleSamples:
    rule_id: str
    tps: tuple[tuple[str, str], ...]  # (file name or "", text)
    fps: tuple[tuple[str, str], ...]
    skipped: int  # statements that could not be evaluated


def _functions(toks: list[Tok]) -> list[list[Tok]]:
    bodies: list[list[Tok]] = []
    i = 0
    while i < len(toks):
        if toks[i].text == "func":
            j = i
            while j < len(toks) and toks[j].text != "{":
                j += 1
            depth, k = 0, j
            while k < len(toks):
                if toks[k].text == "{":
                    depth += 1
                elif toks[k].text == "}":
                    depth -= 1
                    if depth == 0:
                        break
                k += 1
            bodies.append(toks[j + 1 : k])
            i = k + 1
        else:
            i += 1
    return bodies


_CONTINUES = {"+", ",", "(", "{", "[", ":=", "=", "||", "&&", ":"}


def _statements(body: list[Tok]) -> list[list[Tok]]:
    stmts: list[list[Tok]] = []
    cur: list[Tok] = []
    depth = 0
    for t in body:
        if t.text in "({[" and t.kind == "op":
            depth += 1
        elif t.text in ")}]" and t.kind == "op":
            depth -= 1
        if t.kind == "nl" and depth == 0 and cur and cur[-1].text not in _CONTINUES:
            stmts.append(cur)
            cur = []
            continue
        if t.kind == "nl" and not cur:
            continue
        cur.append(t)
    if cur:
        stmts.append(cur)
    return stmts


def _pairs(v: Value) -> tuple[tuple[str, str], ...]:
    if isinstance(v, dict):
        return tuple((k, s) for k, s in v.items())
    if isinstance(v, list):
        return tuple(("", s) for s in v if isinstance(s, str))
    return ()


def rule_samples(rules_dir: Path, seed: int = 1) -> list[RuleSamples]:
    templates = sample_templates((rules_dir.parent / "utils" / "generate.go").read_text())
    gen = RegexGen(seed)
    out: list[RuleSamples] = []
    for go in sorted(rules_dir.glob("*.go")):
        if go.name.endswith("_test.go"):
            continue
        for body in _functions(tokenize(go.read_text())):
            ev = Evaluator(templates, gen)
            ev.env["r"] = None
            rule_id = ""
            skipped = 0
            result: tuple[Value, Value] | None = None
            for k, t in enumerate(body):
                if t.text == "RuleID" and k + 2 < len(body) and body[k + 2].kind == "str":
                    rule_id = rule_id or _unquote(body[k + 2])
            for st in _statements(body):
                try:
                    head = st[0].text
                    if head == "return" and len(st) > 1 and st[1].text in ("utils.Validate", "utils.ValidateWithPaths"):
                        args, _ = ev._list(st, 3, ")")
                        result = (args[1], args[2])
                    elif head == "var" and len(st) > 2:
                        eq = next(n for n, x in enumerate(st) if x.text == "=")
                        ev.env[st[1].text], _ = ev.expr(st, eq + 1)
                    elif len(st) > 2 and st[0].kind == "id" and st[1].text in (":=", "="):
                        if st[0].text == "r" or st[2].text == "config.Rule":
                            continue
                        ev.env[st[0].text], _ = ev.expr(st, ev._skip_nl(st, 2))
                except (Unsupported, IndexError, ValueError, StopIteration):
                    skipped += 1
            if rule_id and result is not None:
                out.append(RuleSamples(rule_id, _pairs(result[0]), _pairs(result[1]), skipped + ev.skipped))
    return out
