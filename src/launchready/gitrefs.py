"""Validate refs and commit ids that come from outside (event payloads, Action inputs)
before they reach any git command.

An event field or ``INPUT_BASE_REF`` of ``--upload-pack=touch /tmp/x`` given to ``git fetch``
runs a command. Every value that names a commit is checked here first (``sha``: 40 or 64
hex digits; ``ref``: the rules of ``git check-ref-format --allow-onelevel``, plus no leading
``-``), and every git call with such a value ends option parsing (``--end-of-options`` or
``--``) as a second wall.
"""

from __future__ import annotations

import re

from launchready.errors import UsageError

_SHA = re.compile(r"[0-9a-f]{40}|[0-9a-f]{64}")
# git check-ref-format: no control characters, space, ~ ^ : ? * [ \ anywhere; no "..", "@{",
# "//"; no component starting with "." or ending with ".lock"; no leading or trailing "/",
# no trailing "."; not "@" alone. We also refuse a leading "-" (it would read as an option).
_BAD_CHARS = re.compile(r"[\x00-\x20\x7f~^:?*\[\\]")


def is_sha(value: object) -> bool:
    return isinstance(value, str) and _SHA.fullmatch(value) is not None


def is_ref(value: object) -> bool:
    if not isinstance(value, str) or not value or value.startswith("-") or value == "@":
        return False
    if _BAD_CHARS.search(value) or ".." in value or "@{" in value or "//" in value:
        return False
    if value.startswith("/") or value.endswith(("/", ".")):
        return False
    return not any(part.startswith(".") or part.endswith(".lock") for part in value.split("/"))


def sha(value: object, what: str) -> str:
    """``value`` as a full commit id (lower case), or a UsageError naming ``what``."""
    if isinstance(value, str) and is_sha(value.lower()):
        return value.lower()
    raise UsageError(f"{what}: {_shown(value)} is not a commit id (40 or 64 hexadecimal digits)")


def ref(value: object, what: str) -> str:
    """``value`` as a ref name or commit id safe to give git, or a UsageError naming ``what``."""
    if isinstance(value, str) and is_ref(value):
        return value
    raise UsageError(f"{what}: {_shown(value)} is not a valid ref name or commit id (see git check-ref-format)")


def _shown(value: object) -> str:
    text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."
