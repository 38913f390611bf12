"""Stalling the check: each attack of issue 11 "Stalling or crashing it", through the real CLI."""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from launchready.demo.keygen import KeyGen

from .conftest import action, launchready, pr_payload
from .servers import serving


@contextmanager
def trickling_server(headers_too: bool) -> Iterator[int]:
    """A loopback HTTP server that sends one byte every 0.2 s for as long as the client
    listens: the status line and headers too (``headers_too``), or a complete head then an
    endless body. Each byte arrives well within any socket timeout."""
    stop = threading.Event()

    def serve(conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                head = b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nX-Slow: "
                if not headers_too:
                    conn.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html>")
                    head = b""
                for b in head:
                    if stop.wait(0.2):
                        return
                    conn.sendall(bytes([b]))
                while not stop.wait(0.2):
                    conn.sendall(b"a")
            except OSError:
                return

    with serving(serve, stop) as port:
        yield port


@pytest.mark.parametrize("headers_too", [False, True], ids=["endless-body", "endless-headers"])
def test_trickling_server_is_cut_at_the_time_budget(tmp_path: Path, headers_too: bool) -> None:
    with trickling_server(headers_too) as port:
        run = launchready(
            ["live", "--url", f"http://127.0.0.1:{port}/", "--max-seconds", "4", "--timeout", "60", "--json", "r.json"],
            tmp_path,
            timeout=90,
        )
    assert run.seconds < 4 + 8, run.seconds  # the budget, plus start-up and reporting
    assert run.code == 1, run.err  # checks that could not judge are errors, never a pass
    report = json.loads((tmp_path / "r.json").read_text())
    statuses = {c["status"] for c in report["checks"]}
    assert "pass" not in {c["status"] for c in report["checks"] if c["id"].startswith(("headers.", "exposure."))}
    assert "error" in statuses
    assert any("time limit" in c["message"] or "budget" in c["message"] for c in report["checks"])


def _repo(tmp_path: Path) -> Path:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    return tmp_path


@pytest.mark.parametrize("strict", ["false", "true"])
def test_catastrophic_custom_regex_cannot_hang_the_action(tmp_path: Path, strict: str) -> None:
    """The config with ``(a+)+$`` is on the base branch, so strict mode uses it too."""
    from tests.action.helpers import clone, head, new_origin
    from tests.conftest import commit_file, git

    origin = new_origin(tmp_path / "origin")
    commit_file(
        origin,
        ".launchready.yml",
        "version: 1\nrules:\n  custom:\n    - id: evil\n      regex: '(a+)+$'\n      allow: ['(b+)+$']\n",
        "config",
    )
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    commit_file(origin, "data.txt", "a" * 50_000 + "!\n", "data")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    run = action(tmp_path / "gh", ws, "pull_request", pr_payload(base, head(origin)), strict_suppressions=strict)
    assert run.seconds < 60, run.seconds
    assert run.code in (0, 1), run.err


def test_a_pattern_re2_cannot_run_is_named_and_refused(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".launchready.yml").write_text("rules:\n  custom:\n    - id: look\n      regex: '(?<=x)y+'\n")
    (repo / "a.txt").write_text("xy\n")
    run = launchready(["scan", "a.txt"], repo, timeout=60)
    assert run.code == 2, run
    assert "look" in run.err and "RE2" in run.err and "rules.custom.0.regex" in run.err


def test_catastrophic_gitleaks_allowlist_cannot_hang(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitleaks.toml").write_text(
        "[extend]\nuseDefault = true\n[allowlist]\nregexes = ['''(a+)+$''']\nregexTarget = \"line\"\n"
        "[[rules]]\nid = \"evil\"\nregex = '''(a|aa)+b'''\n"
    )
    (repo / "data.txt").write_text("a" * 50_000 + "!\n")
    run = launchready(["scan", "data.txt"], repo, timeout=60)
    assert run.seconds < 30 and run.code in (0, 1), run


def test_gitleaks_lookbehind_is_listed_as_unusable_not_run_on_python_re(tmp_path: Path) -> None:
    repo = _repo(tmp_path)
    (repo / ".gitleaks.toml").write_text(
        "[extend]\nuseDefault = true\n[[rules]]\nid = \"lb\"\nregex = '''(?<=k)(a+)+$'''\n"
    )
    (repo / "data.txt").write_text("k" + "a" * 50_000 + "!\n")
    run = launchready(["scan", "data.txt"], repo, timeout=60)
    assert run.seconds < 30 and run.code == 0, run
    assert "'lb': regex cannot be used (RE2" in run.err


def test_many_distinct_secrets_in_one_file_scan_in_linear_time(tmp_path: Path) -> None:
    """Issue 11 measured 165 s for 4,000 (an alternation of every secret, recompiled per
    finding). Now the cost is one scrypt hash per secret; redaction is linear."""
    g = KeyGen(5)
    values = [g.groq() for _ in range(3000)]
    (tmp_path / "keys.env").write_text("".join(f"GROQ_KEY_{i}={v}\n" for i, v in enumerate(values)))
    run = launchready(["scan", "keys.env", "--json", "r.json", "-v"], tmp_path, timeout=120)
    assert run.code == 1
    out = (tmp_path / "r.json").read_text()
    assert out.count('"rule_id"') >= 3000
    for v in values[::97]:
        assert v not in out and v not in run.out and v not in run.err


def test_redaction_holds_after_20000_secrets() -> None:
    """In process: every one of 20,000 secrets is still scrubbed, one at a time and all at once.
    (Its cost is measured, not asserted: bench/bench_redact.py, bench/RESULTS.md.)"""
    from launchready import redact

    g = KeyGen(9)
    values = [g.groq() for _ in range(20_000)]
    redact.preload_hashes({v: "0" * 32 for v in values})

    def run(batch: list[str]) -> float:
        t = time.perf_counter()
        for v in batch:
            redact.remember(v)
            assert v not in redact.scrub(f"KEY={v} trailing")
        return time.perf_counter() - t

    run(values)
    big = "\n".join(f"K={v}" for v in values)
    assert not any(v in redact.scrub(big) for v in values[::50])


@pytest.mark.parametrize("megabytes", [20, 40])
def test_history_streams_a_commit_too_large_to_hold(tmp_path: Path, megabytes: int) -> None:
    """One long line (20 MB: under the old 32 MB record bound, over today's 8 MiB; 40 MB) with a key at its end:
    found at the right column, with a note, without holding the patch: the commit is read
    from its blobs in windows, as ``scan`` reads a large file, so the parent process stays
    small whatever the line's length."""
    from launchready.history.gitlog import MAX_RECORD

    repo = _repo(tmp_path)
    key = KeyGen(12).groq()
    size = megabytes << 20
    assert size > MAX_RECORD
    with open(repo / "big.txt", "w") as fh:
        fh.write("x" * size + f" GROQ_API_KEY={key} \n")
    (repo / "small.py").write_text("a = 1\n")
    # a committed virtualenv in the same commit: third-party code, skipped as in a small commit
    venv_file = repo / "env" / "lib" / "python3.12" / "site-packages" / "pkg" / "conf.py"
    venv_file.parent.mkdir(parents=True)
    venv_file.write_text(f'OPENAI_API_KEY = "{KeyGen(13).openai_project()}"\n')
    git = ["git", "-C", str(repo), "-c", "user.name=a", "-c", "user.email=a@b.c"]
    subprocess.run([*git, "add", "."], check=True)
    subprocess.run([*git, "commit", "-qm", "big"], check=True)
    # the peak of this process's own memory (VmHWM): ru_maxrss would also count the test
    # runner's memory, which the kernel carries into the child through fork and exec
    code = (
        "import re, sys; from pathlib import Path; from launchready.cli import main; c = main(sys.argv[1:]); "
        "hwm = re.search(r'VmHWM:\\s+(\\d+)', Path('/proc/self/status').read_text()); "
        "print('rss', int(hwm.group(1)) // 1024, file=sys.stderr); sys.exit(c)"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, "history", "--json", "r.json"],
        cwd=repo,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 1, proc.stderr[-2000:]
    report = json.loads((repo / "r.json").read_text())
    [f] = [f for f in report["findings"] if f["rule_id"] == "secret.groq-api-key"]
    assert not [f for f in report["findings"] if "site-packages" in f["path"]]
    assert (f["path"], f["line"], f["column"]) == ("big.txt", 1, size + len(" GROQ_API_KEY=") + 1)
    assert any("too large to hold in memory" in n for n in report.get("notes", [])), report.get("notes")
    rss = int(proc.stderr.rsplit("rss ", 1)[1].split()[0])
    # 57-60 MB measured at 20, 40 and 300 MB (bench/RESULTS.md, "history memory"); holding a
    # 20 MB line took 260 MB, a 40 MB one ~480 MB
    assert rss < 100, rss
    assert key not in proc.stderr and key not in (repo / "r.json").read_text()
