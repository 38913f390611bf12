"""Where a match of a name-first rule can start, so its regex is tried there and nowhere else.

A rule built from a secret-sounding name followed by a value (``secret.generic-assignment``:
``API_KEY = "..."``) is searched over the keyword hit's line, or over a window around the
hit on a long line. Python's ``re`` tries the regex at every position of that window, and
at each word start the name's alternatives cost tens of steps: a minified bundle's 600 KB
line, whose windows cover most of it, scanned at ~3 MB/s (bench/RESULTS.md).

Every match of such a rule (``Rule.name_words``) begins:

- at the start of a run of word characters, ``.`` and ``-`` (``[\\w.-]``, as Python's ``re``
  reads ``\\w``: Unicode word characters), or right after a ``-`` inside one (the rule's
  lookbehind refuses a start after a word character, ``.`` or ``:``), or
- at a macro lead right before such a run: ``#define``, ``# define``, ``%define``,
  ``%global``, ``SetEnv``, then spaces or tabs,

and that run holds a match of ``name_words`` (the words every name alternative contains).
``Names.matches`` tries the regex only at those starts, left to right, resuming after each match:
what ``finditer`` over the same window yields, since a position outside them cannot start
a match (``tests/unit/test_name_starts.py`` compares the two on texts of every kind).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

_RUN = re.compile(r"[\w.-]*")
_ASCII_RUN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-")
_BLANK = " \t"


def _in_run(c: str) -> bool:
    """``c`` matches ``[\\w.-]`` (``str.isalnum`` is ``re``'s Unicode ``\\w`` without ``_``)."""
    return c in _ASCII_RUN or (c > "\x7f" and c.isalnum())


def _lead_starts(text: str, run: int, lo: int) -> list[int]:
    """Where a macro lead ending right before ``run`` begins (none before ``lo``). Generous: a
    start the regex then refuses costs one failed ``match``, a missed one a missed secret."""
    k = run
    while k > lo and text[k - 1] in _BLANK:
        k -= 1
    if k == run:
        return []
    found = [
        s
        for s, word in ((k - 7, "%define"), (k - 7, "%global"), (k - 6, "SetEnv"))
        if s >= lo and text.startswith(word, s)
    ]
    if k - 6 >= lo and text.startswith("define", k - 6):
        j = k - 6
        while j > lo and text[j - 1] in _BLANK:
            j -= 1
        if j - 1 >= lo and text[j - 1] == "#":
            found.append(j - 1)
    return found


def fold(text: str) -> str | None:
    """``text`` with every character as ``re``'s case-insensitive matching compares it to a
    lower-case ASCII letter (its simple lower case; ``ſ`` is ``s``), offsets unchanged: a
    case-sensitive search of it for lower-case ASCII words finds what a case-insensitive one
    of ``text`` finds, several times faster. None where lower-casing changes the length (``İ``)."""
    low = text.lower()
    if len(low) != len(text):
        return None
    return low.replace("\u017f", "s") if "\u017f" in low else low


class Names:
    """A rule's ``name_words`` (lower-case ASCII words, a regex alternation)."""

    def __init__(self, words: str) -> None:
        self.folded = re.compile(words)  # searched in ``fold(text)``
        self.anycase = re.compile(words, re.IGNORECASE)  # in ``text`` where it cannot be folded

    def starts(self, text: str, folded: str | None, pos: int, endpos: int) -> list[int]:
        """Every position in ``[pos, endpos)`` where a match of a rule whose names hold
        these words may begin, ascending; ``folded`` is ``fold(text)``."""
        hits = (
            self.folded.finditer(folded, pos, endpos)
            if folded is not None
            else self.anycase.finditer(text, pos, endpos)
        )
        found: set[int] = set()
        done = pos  # runs end before this: already handled
        for hit in hits:
            q = hit.start()
            if q < done:
                continue  # another word of a run already handled
            r = q
            while r > pos and _in_run(text[r - 1]):
                r -= 1
            run = _RUN.match(text, q, endpos)  # (matches, maybe empty, anywhere)
            end = run.end() if run is not None else q
            found.add(r)
            dash = text.find("-", r, end)
            while dash != -1:
                found.add(dash + 1)
                dash = text.find("-", dash + 1, end)
            found.update(_lead_starts(text, r, pos))
            done = max(end, q + 1)
        return sorted(found)

    def matches(self, regex: Any, text: str, folded: str | None, pos: int, endpos: int) -> Iterator[Any]:
        """``regex.finditer(text, pos, endpos)``, trying only the starts ``starts`` gives."""
        last = pos
        for s in self.starts(text, folded, pos, endpos):
            if s < last:
                continue
            m = regex.match(text, s, endpos)
            if m is not None:
                yield m
                last = m.end() if m.end() > m.start() else m.end() + 1
