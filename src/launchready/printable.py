"""Make text from a repository safe to print on a terminal or in a CI log.

Everything a pull request contains is hostile: a file name, a commit author, a custom rule id,
a config key echoed in an error or a URL can carry a newline followed by ``::add-mask::``,
``::stop-commands::`` or ``::error ...`` (GitHub's runner reads every stdout/stderr line that
starts with ``::`` after leading whitespace as a workflow command, and the older ``##[...]``
form anywhere in a line), or terminal escape sequences that rewrite what the reader sees.

- ``safe(text)``: one field, printed inside a line. Control characters (C0, DEL, C1, the
  Unicode line and paragraph separators and the bidirectional overrides) become visible
  escapes (``\\n``, ``\\x1b``, ``\\u202e``), a leading ``::`` becomes ``\\::`` and ``##[``
  becomes ``##\\[``. Tabs are kept. Ordinary text, URLs with ``[::1]`` included, is unchanged.
- ``safe_lines(text)``: a multi-line block we built ourselves (a traceback): each line is
  made safe on its own, the line breaks are kept.

Every writer that prints (text report, scorecard, progress line, dry-run listing, error
handler) passes repository data through ``safe`` before it reaches a stream; annotations
and ``$GITHUB_OUTPUT`` have their own escaping in ``report/github.py``.
"""

from __future__ import annotations

import re

# C0 controls but tab, DEL, C1 controls, line/paragraph separators, bidi embeddings,
# overrides and isolates, and the BOM/zero-width no-break space.
_UNSAFE = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\u200e\u200f\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\x1b": "\\x1b"}
_OLD_COMMAND = "##["


def _escape(m: re.Match[str]) -> str:
    ch = m.group(0)
    named = _NAMED.get(ch)
    if named is not None:
        return named
    code = ord(ch)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def safe(text: str) -> str:
    """One printable field: no line breaks, no escape sequences, no workflow command."""
    if _UNSAFE.search(text) is not None:
        text = _UNSAFE.sub(_escape, text)
    stripped = text.lstrip()
    if stripped.startswith("::"):
        cut = len(text) - len(stripped)
        text = text[:cut] + "\\" + stripped
    if _OLD_COMMAND in text:
        text = text.replace(_OLD_COMMAND, "##\\[")
    return text


def safe_lines(text: str) -> str:
    """A block of lines, each made safe on its own (line breaks kept, CR escaped)."""
    return "\n".join(safe(line) for line in text.split("\n"))
