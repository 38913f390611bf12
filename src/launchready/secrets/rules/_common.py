"""Regex building blocks shared by the rule modules."""

from __future__ import annotations

from launchready.model import Severity

C, H, M, L = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM, Severity.LOW

# Token boundaries: not preceded / followed by another token character.
B = r"(?<![A-Za-z0-9_-])"
E = r"(?![A-Za-z0-9_-])"
UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
# name ... = / : / => / := ... optional opening quote
ASSIGN = r"""[\w.-]{0,40}?["']?\]?\s*(?:=|:|=>|:=|\?=|,)\s*(?:["'`]|b["'])?"""


def kv(names: str, value: str) -> str:
    """``<name matching names (case-insensitive)> = <value>``; the value is group 1."""
    return rf"(?i:{names}){ASSIGN}({value}){E}"


def fix(where: str, what: str = "the key") -> str:
    return (
        f"Revoke {what} at {where} and create a new one; keep it out of the code "
        "(a secret manager or an untracked environment variable read at runtime)."
    )
