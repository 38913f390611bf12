"""Issue 11, "blinding the check": a hostile pull request must not make the scan see less.

Each test reproduces one attack through the real CLI or ``launchready action`` with GitHub's
variables, on real git repositories.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import ActionRun, Runner, clone, head, in_process_runner, new_origin
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def action(run_cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Runner:  # type: ignore[no-untyped-def]
    return in_process_runner(run_cli, monkeypatch, tmp_path)


def pr_payload(base: str, head_sha: str, n: int) -> dict[str, Any]:
    return {
        "action": "synchronize",
        "number": 11,
        "pull_request": {
            "number": 11,
            "commits": n,
            "base": {"sha": base, "ref": "main"},
            "head": {"sha": head_sha, "ref": "feature"},
        },
        "repository": {"default_branch": "main", "full_name": "acme/app"},
    }


def _pr(tmp_path: Path, base_files: dict[str, str], pr_commits: list[tuple[str, str]]) -> tuple[Path, dict[str, Any]]:
    """origin: main with ``base_files``; feature: one commit per (path, content); returns the
    workspace (a clone checked out at the feature tip) and the pull_request payload."""
    origin = new_origin(tmp_path / "origin")
    for rel, content in base_files.items():
        commit_file(origin, rel, content, f"base: {rel}")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    for rel, content in pr_commits:
        commit_file(origin, rel, content, f"pr: {rel}")
    tip = head(origin)
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    return ws, pr_payload(base, tip, len(pr_commits))


def _rules(run: ActionRun) -> list[str]:
    assert run.report is not None, run.err
    return sorted(f["rule_id"] for f in run.report["findings"])


# ---- a PR-added .gitleaks.toml -------------------------------------------------------------


@pytest.mark.parametrize("strict", ["false", "true"])
def test_pr_added_gitleaks_toml_with_only_a_title_keeps_the_builtin_rules(
    action: Runner, tmp_path: Path, strict: str
) -> None:
    kg = KeyGen(1101)
    ws, payload = _pr(
        tmp_path,
        {},
        [
            ("pay.py", f"STRIPE = '{kg.stripe_secret()}'\n"),
            ("gh.py", f"TOKEN = '{kg.github_classic()}'\n"),
            (".gitleaks.toml", 'title = "x"\n'),
        ],
    )
    r = action(ws, "pull_request", payload, strict_suppressions=strict)
    assert r.code == 1, r.out + r.err
    assert _rules(r) == ["secret.github-pat-classic", "secret.stripe-secret-key"]
    assert (
        "Suppression added by this change: adds detection config .gitleaks.toml: has no [extend] useDefault"
        in r.summary
    )
    if strict == "true":
        assert "no gitleaks config .gitleaks.toml at the base commit" in r.summary
        assert "a gitleaks config in the pull request is not read" in r.summary
    else:  # the PR's file is read, and it only adds rules
        assert "in addition to launchready's built-in pack" in r.summary


def test_gitleaks_config_replaces_the_pack_only_when_launchready_yml_says_so(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1102)
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q")
    (repo / "pay.py").write_text(f"STRIPE = '{kg.stripe_secret()}'\nINTERNAL = 'acme-int-8f3a9c1e7b2d4f60'\n")
    (repo / ".gitleaks.toml").write_text(
        "title = \"only ours\"\n[[rules]]\nid = \"acme-internal\"\nregex = '''acme-int-[0-9a-f]{16}'''\n"
    )
    res = run_cli(["scan", "--json", "-"], repo)
    data = json.loads(res.out)
    assert sorted(f["rule_id"] for f in data["findings"]) == ["secret.acme-internal", "secret.stripe-secret-key"]
    assert any("in addition to launchready's built-in pack" in n for n in data["notes"])
    (repo / ".launchready.yml").write_text("version: 1\ngitleaks_mode: replace\n")
    res = run_cli(["scan", "--json", "-"], repo)
    data = json.loads(res.out)
    assert [f["rule_id"] for f in data["findings"]] == ["secret.acme-internal"]
    assert any("instead of launchready's built-in pack (gitleaks_mode: replace)" in n for n in data["notes"])
    (repo / ".launchready.yml").write_text("version: 1\ngitleaks_mode: yes-please\n")
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 2 and "gitleaks_mode" in res.err


def test_strict_mode_reads_the_gitleaks_config_and_what_it_extends_from_the_base(
    action: Runner, tmp_path: Path
) -> None:
    """The base's gitleaks file extends another file with a custom rule; the PR rewrites both
    to allow everything. Strict mode still runs the base's rule, and the summary lists the
    changes."""
    kg = KeyGen(1103)
    base_files = {
        ".gitleaks.toml": '[extend]\nuseDefault = true\npath = "gitleaks/extra.toml"\n',
        "gitleaks/extra.toml": "[[rules]]\nid = \"acme-internal\"\nregex = '''acme-int-[0-9a-f]{16}'''\n",
    }
    allow_all = "[extend]\nuseDefault = true\n[allowlist]\nregexes = ['''.*''']\n"
    ws, payload = _pr(
        tmp_path,
        base_files,
        [
            ("pay.py", f"STRIPE = '{kg.stripe_secret()}'\nINTERNAL = 'acme-int-8f3a9c1e7b2d4f60'\n"),
            ("gitleaks/extra.toml", 'title = "emptied"\n'),
            (".gitleaks.toml", allow_all),
        ],
    )
    lax = action(ws, "pull_request", payload)
    assert _rules(lax) == ["secret.stripe-secret-key"]  # the PR's own config dropped its rule
    assert "changes detection config .gitleaks.toml" in lax.summary
    assert "adds an allowlist entry (regexes: .*)" in lax.summary
    assert "changes detection config gitleaks/extra.toml" in lax.summary
    strict = action(ws, "pull_request", payload, strict_suppressions="true")
    assert _rules(strict) == ["secret.acme-internal", "secret.stripe-secret-key"]
    assert "gitleaks config .gitleaks.toml read from the base commit" in strict.summary


def test_changes_to_every_detection_file_are_listed(action: Runner, tmp_path: Path) -> None:
    ws, payload = _pr(
        tmp_path,
        {".launchready.yml": "version: 1\n"},
        [
            (".launchready.yml", "version: 1\ngitleaks_mode: replace\n"),
            (".secrets.baseline", '{"results": {}}\n'),
            (".gitleaksignore", "# nothing yet\n"),
        ],
    )
    r = action(ws, "pull_request", payload, mode="history")
    for verb, name in (("changes", ".launchready.yml"), ("adds", ".secrets.baseline"), ("adds", ".gitleaksignore")):
        assert f"Suppression added by this change: {verb} detection config {name}" in r.summary, name
    assert "Suppression added by this change: sets gitleaks_mode: replace in .launchready.yml" in r.summary


# ---- .gitattributes ------------------------------------------------------------------------


def test_gitattributes_minus_diff_does_not_blind_history_or_the_governance_list(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(1104)
    ws, payload = _pr(
        tmp_path,
        {},
        [
            (".gitattributes", "* -diff\n*.py diff=hide\n"),
            ("pay.py", f"STRIPE = '{kg.stripe_secret()}'\n"),
            ("ok.py", f"T = '{kg.github_classic()}'  # launchready:allow\n"),
        ],
    )
    # a textconv and an external diff driver as a runner's git config could set them
    git(ws, "config", "diff.hide.textconv", "sh -c 'echo hidden' --")
    git(ws, "config", "diff.hide.command", "true")
    git(ws, "config", "diff.external", "true")
    r = action(ws, "pull_request", payload, mode="history")
    assert r.code == 1, r.out + r.err
    assert _rules(r) == ["secret.stripe-secret-key"]
    assert r.report is not None and r.report["findings"][0]["path"] == "pay.py"
    assert "adds an allow comment (launchready:allow) at ok.py:1" in r.summary


def test_governance_diff_ignores_the_runners_diff_config(action: Runner, tmp_path: Path) -> None:
    """A moved file's old allow comment is not one the pull request added, whatever
    diff.renames says; one written into the moved file is listed."""
    body = "".join(f"line_{i} = {i}\n" for i in range(40))
    origin = new_origin(tmp_path / "origin")
    commit_file(origin, "lib/old.py", body + "X = 1  # launchready:allow\n", "base")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / "src").mkdir()
    git(origin, "mv", "lib/old.py", "src/new.py")
    git(origin, "commit", "-q", "-m", "move")
    commit_file(origin, "src/new.py", body + "X = 1  # launchready:allow\nY = 2  # gitleaks:allow\n", "more")
    tip = head(origin)
    git(origin, "checkout", "-q", "main")
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    git(ws, "config", "diff.renames", "false")
    git(ws, "config", "diff.algorithm", "histogram")
    r = action(ws, "pull_request", pr_payload(base, tip, 2), mode="history")
    assert "at src/new.py:42" in r.summary, r.summary
    assert "at src/new.py:41" not in r.summary, r.summary


def test_history_cli_reads_utf16_and_ignores_attributes(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1105)
    (repo / ".gitattributes").write_text("* binary\n")
    commit_file(repo, "old.txt", "x = 1\n" * 3)
    (repo / "old.txt").write_bytes((("x = 1\n" * 3) + f"KEY = '{kg.stripe_secret()}'\n").encode("utf-16"))
    (repo / "le.txt").write_bytes(f"KEY = '{kg.stripe_secret()}'\n".encode("utf-16-le"))
    (repo / "blob.bin").write_bytes(b"\0\1\2" + f"KEY = '{kg.stripe_secret()}'\n".encode())
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "wide files")
    res = run_cli(["history", "--json", "-"], repo)
    found = sorted((f["path"], f["line"]) for f in json.loads(res.out)["findings"])
    assert found == [("le.txt", 1), ("old.txt", 4)]  # binary stays skipped, as in scan


def test_file_content_cannot_forge_a_history_record_separator(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """With --text a committed file can contain the byte sequence that separates commits in
    our ``git log`` stream; a forged record must not swallow the rest of the commit."""
    kg = KeyGen(1106)
    forged = b"\x00\x1eLRC\x00" + b"0" * 40 + b"\x00"  # fewer fields than a record has
    (repo / "a.txt").write_bytes(b"x" + forged + b"\n")
    (repo / "z.py").write_text(f"KEY = '{kg.stripe_secret()}'\n")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "forged")
    res = run_cli(["history", "--json", "-"], repo)
    data = json.loads(res.out)
    assert [f["path"] for f in data["findings"]] == ["z.py"]
    assert data["summary"]["commits_scanned"] == 1


# ---- staged files with hostile names -------------------------------------------------------


def test_staged_files_named_like_stage_specs_or_with_newlines_are_scanned(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1107)
    names = ["0:config.py", "1:x.py", "new\nline.py", "HEAD:a.py", "tab\tname.py"]
    for n in names:
        (repo / n).write_text(f"KEY = '{kg.stripe_secret()}'\n")
    commit_file(repo, "plain.py", "x = 1\n")  # a HEAD to resolve against
    git(repo, "add", "--", *names)
    res = run_cli(["scan", "--staged", "--json", "-"], repo)
    data = json.loads(res.out)
    assert res.code == 1, res.err
    assert sorted(f["path"] for f in data["findings"]) == sorted(names)
    assert data["summary"]["files_scanned"] == len(names)


def test_hook_mode_reads_hostile_names_from_the_index(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    """What pre-commit passes (``scan --hook FILE...``): staged content, by object id."""
    kg = KeyGen(1113)
    commit_file(repo, "plain.py", "x = 1\n")
    names = ["0:config.py", "new\nline.py"]
    for n in names:
        (repo / n).write_text(f"KEY = '{kg.stripe_secret()}'\n")
    git(repo, "add", "--", *names)
    for n in names:
        (repo / n).write_text("KEY = None\n")  # the tree is clean, the commit would not be
    res = run_cli(["scan", "--hook", "--json", "-", *names], repo)
    assert sorted(f["path"] for f in json.loads(res.out)["findings"]) == sorted(names)


def test_staged_content_is_what_is_read_not_the_work_tree(run_cli, repo: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1108)
    commit_file(repo, "plain.py", "x = 1\n")
    (repo / "0:config.py").write_text(f"KEY = '{kg.stripe_secret()}'\n")
    git(repo, "add", "--", "0:config.py")
    (repo / "0:config.py").write_text("KEY = None\n")  # cleaned in the tree, not in the index
    res = run_cli(["scan", "--staged", "--json", "-"], repo)
    assert [f["path"] for f in json.loads(res.out)["findings"]] == ["0:config.py"]


# ---- encodings, binary files, notebooks ----------------------------------------------------


@pytest.mark.parametrize(
    "encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-32", "utf-32-le", "utf-32-be", "utf-8-sig"]
)
def test_wide_encodings_are_decoded_and_scanned(run_cli, tmp_path: Path, encoding: str) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1109)
    text = "# settings\n" + "x = 1\n" * 5 + f"KEY = '{kg.stripe_secret()}'\n"
    (tmp_path / "settings.txt").write_bytes(text.encode(encoding))
    res = run_cli(["scan", "--json", "-"], tmp_path)
    data = json.loads(res.out)
    assert [(f["path"], f["line"]) for f in data["findings"]] == [("settings.txt", 7)]
    assert data["summary"]["files_scanned"] == 1 and data["summary"]["files_skipped"] == 0


def test_binary_files_are_listed_as_skipped_never_counted_as_scanned(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1110)
    (tmp_path / "blob.bin").write_bytes(b"\x89PNG\0\0\x01" + f"KEY = '{kg.stripe_secret()}'".encode())
    (tmp_path / "ok.py").write_text("x = 1\n")
    res = run_cli(["scan", "--json", "-"], tmp_path)
    data = json.loads(res.out)
    assert data["summary"]["files_scanned"] == 1 and data["summary"]["files_skipped"] == 1
    assert data["skipped_files"] == [
        {"path": "blob.bin", "reason": "binary (NUL bytes in the first 8 KB, not UTF-16/32)"}
    ]
    text = run_cli(["scan"], tmp_path)
    assert "1 file not scanned" in text.out and "blob.bin" in text.out
    html = tmp_path / "r.html"
    run_cli(["scan", "--html", str(html)], tmp_path)
    assert "not scanned" in html.read_text() and "blob.bin" in html.read_text()


def test_notebook_metadata_and_every_output_type_are_read(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1111)
    keys = [kg.stripe_secret() for _ in range(8)]
    nb = {
        "metadata": {"kernelspec": {"name": "python3"}, "deploy": {"token": keys[0]}},
        "nbformat": 4,
        "nbformat_minor": 5,
        "cells": [
            {
                "cell_type": "code",
                "source": ["x = 1\n"],
                "metadata": {"secret": keys[1]},
                "execution_count": 1,
                "outputs": [
                    {
                        "output_type": "error",
                        "ename": "AuthError",
                        "evalue": f"bad key {keys[2]}",
                        "traceback": [f"Traceback: key={keys[3]}"],
                    },
                    {
                        "output_type": "execute_result",
                        "execution_count": 1,
                        "metadata": {"k": keys[4]},
                        "data": {"application/json": {"key": keys[5]}, "text/latex": f"$ {keys[6]} $"},
                    },
                    {"output_type": "stream", "name": "stderr", "text": f"warning {keys[7]}\n"},
                ],
            },
        ],
    }
    (tmp_path / "nb.ipynb").write_text(json.dumps(nb, indent=1))
    res = run_cli(["scan", "--json", "-"], tmp_path)
    data = json.loads(res.out)
    assert len(data["findings"]) == len(keys), data["findings"]
    assert all(f["path"] == "nb.ipynb" and f["line"] for f in data["findings"])


def test_pr_with_utf16_secret_fails_the_action(action: Runner, tmp_path: Path) -> None:
    kg = KeyGen(1112)
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    git(origin, "checkout", "-q", "-b", "feature")
    (origin / "conf.txt").write_bytes(f"KEY = '{kg.stripe_secret()}'\n".encode("utf-16"))
    (origin / ".gitattributes").write_text("*.txt -diff -text\n")
    subprocess.run(["git", "-C", str(origin), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(origin), "commit", "-q", "-m", "wide"], check=True)
    tip = head(origin)
    ws = clone(origin, tmp_path / "ws", "--branch", "feature")
    r = action(ws, "pull_request", pr_payload(base, tip, 1))
    assert r.code == 1, r.out + r.err
    assert _rules(r) == ["secret.stripe-secret-key"]
