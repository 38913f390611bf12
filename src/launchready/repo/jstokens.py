"""A tolerant JavaScript/TypeScript tokenizer and a few token-stream queries.

Why not a parser from PyPI: ``esprima`` (last release 2018) and ``pyjsparser`` stop at
ES2017 and know neither TypeScript nor JSX, so they reject most Next.js/Vite code; tree-sitter
needs compiled grammars. The rules only need to know what is code (not a comment or a string)
and to read calls, object literals and member chains, so a tokenizer that never fails is the
better trade: comments are dropped, strings and template literals are single tokens
(``${...}`` expressions inside templates are tokenized as code), regex literals are
recognised by the previous token, and anything unterminated ends at the end of its line.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

_IDENT = re.compile(r"[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*")
_EXPR_KEYWORDS = frozenset(
    {
        "return",
        "typeof",
        "instanceof",
        "in",
        "of",
        "new",
        "delete",
        "void",
        "throw",
        "case",
        "do",
        "else",
        "yield",
        "await",
        "export",
        "default",
    }
)


@dataclass(frozen=True, slots=True)
class Tok:
    kind: str  # id | str | tmpl | num | punct | regex
    value: str  # strings and templates: their contents without quotes
    line: int
    col: int

    def is_p(self, value: str) -> bool:
        return self.kind == "punct" and self.value == value

    def is_id(self, value: str) -> bool:
        return self.kind == "id" and self.value == value


_MASTER = re.compile(
    r"(?P<ws>[ \t\r\n\f\v\u00a0\ufeff\u2028\u2029]+)"
    r"|(?P<lc>//[^\n]*)"
    r"|(?P<bc>/\*.*?(?:\*/|\Z))"
    r"|(?P<id>[A-Za-z_$\u00a0-\uffff][\w$\u00a0-\uffff]*)"
    r"|(?P<num>(?:\d|\.\d)[\w.]*)"
    r"|(?P<str>'(?P<sq>(?:[^'\\\n]|\\.)*)'?|\"(?P<dq>(?:[^\"\\\n]|\\.)*)\"?)"
    r"|(?P<p>===|!==|\.\.\.|\*\*=|<<=|>>=|>>>|&&=|\|\|=|\?\?=|=>|==|!=|<=|>=|&&|\|\||\?\?|\?\.|\+\+|--|\+=|-=|\*=|/=|\*\*|<<|>>|.)",
    re.S,
)
_REGEX_BODY = re.compile(r"/(?:[^/\\\[\n]|\\.|\[(?:[^\]\\\n]|\\.)*\]?)*/?[\w$]*")
_TMPL = re.compile(r"(?:[^`\\$]|\\.|\$(?!\{))*", re.S)


def tokenize(text: str) -> list[Tok]:
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    toks: list[Tok] = []
    append = toks.append
    br = bisect.bisect_right
    n = len(text)
    i = 0
    tmpl_stack: list[int] = []
    depth = 0
    match = _MASTER.match

    def add(kind: str, value: str, pos: int) -> None:
        ln = br(starts, pos)
        append(Tok(kind, value, ln, pos - starts[ln - 1] + 1))

    def template(j: int, at: int) -> int:
        m = _TMPL.match(text, j)
        k = m.end() if m else j
        add("tmpl", text[j:k], at)
        if k >= n:
            return n
        if text[k] == "`":
            return k + 1
        tmpl_stack.append(depth)  # at "${"
        return k + 2

    while i < n:
        c = text[i]
        if c == "`":
            i = template(i + 1, i)
            continue
        if c == "}" and tmpl_stack and depth == tmpl_stack[-1]:
            tmpl_stack.pop()
            i = template(i + 1, i)
            continue
        if c == "/" and not text.startswith(("//", "/*"), i):
            prev = toks[-1] if toks else None
            if (
                prev is None
                or (prev.kind == "punct" and prev.value not in (")", "]", "}"))
                or (prev.kind == "id" and prev.value in _EXPR_KEYWORDS)
            ):
                m = _REGEX_BODY.match(text, i)
                end = m.end() if m else i + 1
                add("regex", text[i:end], i)
                i = end
                continue
        m = match(text, i)
        if m is None:  # cannot happen: the last alternative matches any character
            break
        kind = m.lastgroup or "p"
        end = m.end()
        if kind in ("ws", "lc", "bc"):
            i = end
            continue
        if kind == "str":
            body = m.group("sq")
            add("str", body if body is not None else m.group("dq"), i)
        elif kind == "p":
            v = m.group()
            if v == "{":
                depth += 1
            elif v == "}":
                depth -= 1
            add("punct", v, i)
        else:
            add(kind, m.group(), i)
        i = end
    return toks


_OPEN = {"(": ")", "[": "]", "{": "}"}
_CLOSE = frozenset(_OPEN.values())


@dataclass(frozen=True)
class Prop:
    key: Tok
    start: int  # value token span [start, end)
    end: int


class JsFile:
    """Token stream of one file plus the queries the rules need."""

    def __init__(self, text: str) -> None:
        self.toks = tokenize(text)
        self._close: dict[int, int] = {}
        self._index_brackets()

    def _index_brackets(self) -> None:
        stack: list[int] = []
        for idx, t in enumerate(self.toks):
            if t.kind != "punct":
                continue
            if t.value in _OPEN:
                stack.append(idx)
            elif t.value in _CLOSE:
                # tolerant: pop to the nearest matching opener
                while stack:
                    o = stack.pop()
                    if _OPEN[self.toks[o].value] == t.value:
                        self._close[o] = idx
                        break

    def close(self, open_idx: int) -> int:
        """Index of the matching closer (or the end of the stream)."""
        return self._close.get(open_idx, len(self.toks))

    def tok(self, i: int) -> Tok | None:
        return self.toks[i] if 0 <= i < len(self.toks) else None

    def p(self, i: int, value: str) -> bool:
        t = self.tok(i)
        return t is not None and t.kind == "punct" and t.value == value

    def is_property(self, i: int) -> bool:
        """True when the identifier at i follows '.'/'?.' (a member, not a root name)."""
        return self.p(i - 1, ".") or self.p(i - 1, "?.")

    def chain(self, i: int) -> tuple[str, int]:
        """Member chain starting at identifier i: ('process.env.KEY', index after it)."""
        t = self.toks[i]
        parts = [t.value]
        j = i + 1
        while j < len(self.toks):
            if (self.p(j, ".") or self.p(j, "?.")) and (nxt := self.tok(j + 1)) is not None and nxt.kind == "id":
                parts.append(nxt.value)
                j += 2
            elif self.p(j, "[") and (s := self.tok(j + 1)) is not None and s.kind == "str" and self.p(j + 2, "]"):
                parts.append(s.value)
                j += 3
            elif self.p(j, "!"):  # TypeScript non-null assertion
                j += 1
            else:
                break
        return ".".join(parts), j

    def calls(self, names: set[str] | frozenset[str]) -> Iterator[tuple[int, int]]:
        """(name index, '(' index) for every ``name(`` whose last identifier is in names."""
        for idx, t in enumerate(self.toks):
            if t.kind == "id" and t.value in names and self.p(idx + 1, "("):
                yield idx, idx + 1

    def args(self, open_idx: int) -> list[tuple[int, int]]:
        """Top-level comma-separated spans inside the bracket at open_idx."""
        end = self.close(open_idx)
        spans: list[tuple[int, int]] = []
        start = open_idx + 1
        j = start
        while j < end:
            t = self.toks[j]
            if t.kind == "punct" and t.value in _OPEN:
                j = self.close(j) + 1
                continue
            if t.kind == "punct" and t.value == ",":
                if j > start:
                    spans.append((start, j))
                start = j + 1
            j += 1
        if end > start:
            spans.append((start, min(end, len(self.toks))))
        return spans

    def props(self, brace_idx: int) -> dict[str, Prop]:
        """Properties of the object literal at brace_idx (key -> value span)."""
        out: dict[str, Prop] = {}
        if not self.p(brace_idx, "{"):
            return out
        for s, e in self.args(brace_idx):
            k = self.toks[s]
            if k.kind in ("id", "str", "num") and self.p(s + 1, ":"):
                out[k.value] = Prop(k, s + 2, e)
            elif k.kind == "id" and e == s + 1:
                out[k.value] = Prop(k, s, e)  # shorthand
        return out

    def span_is(self, s: int, e: int, *values: str) -> bool:
        """True if the span is one token (optionally ``as const``) equal to one of values."""
        if e - s < 1:
            return False
        t = self.toks[s]
        return (e - s == 1 or (self.tok(s + 1) is not None and self.toks[s + 1].is_id("as"))) and t.value in values

    def span_true(self, s: int, e: int) -> bool:
        return self.span_is(s, e, "true") and self.toks[s].kind == "id"

    def span_false(self, s: int, e: int) -> bool:
        return self.span_is(s, e, "false") and self.toks[s].kind == "id"

    def object_at(self, s: int, e: int) -> int | None:
        """The '{' index if the span is an object literal, following ``const NAME = {`` once."""
        if self.p(s, "{"):
            return s
        t = self.toks[s] if s < len(self.toks) else None
        if t is not None and t.kind == "id" and e - s == 1:
            for idx, d in enumerate(self.toks):
                if d.is_id(t.value) and not self.is_property(idx) and self.p(idx + 1, "=") and self.p(idx + 2, "{"):
                    return idx + 2
                if d.is_id(t.value) and self.p(idx + 1, ":") and self.p(idx - 1, "const"):
                    pass
            # TypeScript: const NAME: Type = {
            for idx, d in enumerate(self.toks):
                if d.is_id(t.value) and self.p(idx + 1, ":"):
                    k = idx + 2
                    while k < len(self.toks) and k < idx + 12 and not self.p(k, "="):
                        k += 1
                    if self.p(k, "=") and self.p(k + 1, "{"):
                        return k + 1
        return None

    def directive(self, value: str) -> bool:
        """True when the file starts with the directive prologue string (e.g. 'use client')."""
        for t in self.toks[:4]:
            if t.kind == "str" and t.value == value:
                return True
            if not (t.kind == "str" or t.is_p(";")):
                return False
        return False

    def imports_of(self, module: str) -> set[str]:
        """Local names bound to ``module`` by import/require (default, named, namespace)."""
        names: set[str] = set()
        toks = self.toks
        for idx, t in enumerate(toks):
            if t.kind != "str" or t.value != module:
                continue
            # require('m') -> look back for "const X =" / "const { A, B } ="
            if self.p(idx - 1, "(") and (r := self.tok(idx - 2)) is not None and r.is_id("require"):
                if self.p(idx - 3, "="):
                    b = idx - 4
                    if (nt := self.tok(b)) is not None and nt.kind == "id":
                        names.add(nt.value)
                    elif self.p(b, "}"):
                        k = b
                        while k > 0 and not self.p(k, "{"):
                            k -= 1
                            if toks[k].kind == "id":
                                names.add(toks[k].value)
                continue
            if (f := self.tok(idx - 1)) is not None and f.is_id("from"):
                k = idx - 2
                while k >= 0 and not toks[k].is_id("import"):
                    tk = toks[k]
                    if tk.kind == "id" and tk.value not in ("as", "type") and not toks[k + 1].is_id("as"):
                        names.add(tk.value)
                    k -= 1
        return names

    def strings(self) -> Iterator[Tok]:
        return (t for t in self.toks if t.kind == "str")
