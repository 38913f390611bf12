"""Job-summary markdown injection: PR-controlled strings (exclude patterns, file names, rule
ids, messages) render as text, never as links, images, HTML or code spans."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from tests.action.helpers import head, new_origin
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

from .drive import Runner, action, pr_payload  # noqa: F401

pytestmark = pytest.mark.timeout(120)

PIXEL = "![ok](https://attacker.invalid/pixel.svg)"
LINK = "[Approve here](https://attacker.invalid/login)"
# an unescaped "[" ... unescaped "](" : a link or an image in CommonMark
_LINK_SYNTAX = re.compile(r"(?<!\\)\[[^\]\n]*(?<!\\)\]\(")


def test_pr_controlled_text_renders_as_text_in_the_summary(action: Runner, tmp_path: Path) -> None:  # noqa: F811
    kg = KeyGen(1121)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    config = {
        "version": 1,
        "exclude": [PIXEL, LINK, "<img src=x onerror=alert(1)>", "`code` and | pipe"],
        "rules": {
            "custom": [{"id": f"acme {LINK}", "regex": "ACME_[0-9]{12}", "keywords": ["acme_"], "fix": f"see {PIXEL}"}]
        },
    }
    commit_file(origin, ".launchready.yml", json.dumps(config), "config")
    commit_file(
        origin, f"{LINK.replace('/', '_')}.py", f"KEY = '{kg.stripe_secret()}'\nT = 'ACME_123456789012'\n", "key"
    )
    tip = head(origin)
    ws = tmp_path / "ws"
    git(tmp_path, "clone", "-q", "--branch", "feature", f"file://{origin}", str(ws))
    r = action(ws, "pull_request", pr_payload(base, tip, 2))
    assert r.code == 1, r.err
    s = r.summary
    assert "attacker.invalid" in s  # the text is there...
    prose = re.sub(r"`[^`\n]*`", "``", s)  # code spans are literal in CommonMark (a rule id, a path)
    assert _LINK_SYNTAX.search(prose) is None, [
        m.group(0) for m in _LINK_SYNTAX.finditer(prose)
    ]  # ...but no link or image
    assert "<img" not in s and "&lt;img src=x" in s
    for line in s.splitlines():
        if line.startswith("| critical"):  # the finding's row keeps its 5 columns: no stray pipe
            assert len(re.findall(r"(?<!\\)\|", line)) == 6, line
