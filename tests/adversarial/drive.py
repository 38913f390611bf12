"""Drive ``launchready action`` the way GitHub does (event payload, GITHUB_*/INPUT_*
variables) and guard the process against any connection that is not loopback.

Used by the h11b adversarial tests: ``action`` is imported as a fixture by each module.
"""

from __future__ import annotations

import ipaddress
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import Runner, in_process_runner

_attempts: list[str] = []
_installed = False


def _audit(event: str, args: tuple[Any, ...]) -> None:
    if event != "socket.connect" or len(args) < 2:
        return
    addr = args[1]
    if not isinstance(addr, tuple) or not addr:
        return  # unix sockets
    try:
        ip = ipaddress.ip_address(str(addr[0]).split("%", 1)[0])
    except ValueError:
        return
    if not ip.is_loopback:
        _attempts.append(str(addr[0]))
        raise PermissionError(f"test guard: refused a connection to {addr[0]} (tests only talk to loopback)")


@pytest.fixture
def loopback_only() -> list[str]:
    """Every connection this process attempts to a non-loopback address is refused (by an
    audit hook, before any packet leaves) and recorded; the test asserts the list is empty."""
    global _installed
    if not _installed:
        sys.addaudithook(_audit)
        _installed = True
    _attempts.clear()
    return _attempts


@pytest.fixture
def action(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runner:  # type: ignore[no-untyped-def]
    return in_process_runner(run_cli, monkeypatch, tmp_path)


def pr_payload(base: str, head_sha: str, n: int = 1) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": 7,
        "pull_request": {
            "number": 7,
            "commits": n,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head_sha, "ref": "feature"},
        },
        "repository": {"default_branch": "main", "full_name": "acme/app"},
    }


def runner_lines(text: str) -> list[str]:
    """Lines as GitHub's runner reads them (it splits on CR, LF and CRLF), with leading
    whitespace removed as the runner does before looking for ``::``."""
    return [ln.lstrip() for ln in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]


def workflow_commands(text: str) -> list[str]:
    """Every line of ``text`` the runner would read as a workflow command."""
    return [ln for ln in runner_lines(text) if ln.startswith("::") or "##[" in ln]
