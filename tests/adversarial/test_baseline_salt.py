"""Issue 11, "leaks and false greens": what a committed baseline, a log or a report reveals.

- Baseline fingerprints are salted per repository (a random salt in the baseline, else one
  derived from the repository), never with the salt every user shares, so no table of
  precomputed hashes fits every repository and one password has a different fingerprint in
  each repository.
- The short hash shown in output is not the fingerprint's prefix and changes from run to run
  (unless a team key is set), so a public CI log cannot confirm an offline guess.
- HTML and ``-v`` show the position and the redacted match, never the rest of the line.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from tests.conftest import commit_file, git

from launchready import redact
from launchready.demo.keygen import KeyGen

pytestmark = pytest.mark.timeout(120)

SHARED_SALT = b"launchready/fingerprint/v1"  # what every user had before


def _legacy_hash(secret: str) -> str:
    """The fingerprint hash an attacker could precompute for every repository (v1)."""
    return hashlib.scrypt(secret.encode(), salt=SHARED_SALT + b"/", n=2**11, r=8, p=1, dklen=16).hex()


def _repo(path: Path, first: str) -> Path:
    path.mkdir()
    git(path, "init", "-q")
    commit_file(path, "README.md", first, "initial")
    return path


def _cli(cwd: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """A separate process per run, as each CI job is."""
    full = {k: v for k, v in os.environ.items() if k != "LAUNCHREADY_FINGERPRINT_KEY"} | (env or {})
    return subprocess.run(
        [sys.executable, "-m", "launchready", *args], cwd=cwd, env=full, capture_output=True, text=True, check=False
    )


def test_committed_baselines_are_salted_per_repository(tmp_path: Path) -> None:
    secret = KeyGen(1120).stripe_secret()
    fps = []
    for name in ("one", "two"):
        repo = _repo(tmp_path / name, f"# {name}\n")
        (repo / "pay.py").write_text(f"KEY = '{secret}'\n")
        res = _cli(repo, "baseline", "create")
        assert res.returncode == 0, res.stderr
        data = json.loads((repo / ".launchready-baseline.json").read_text())
        assert data["version"] == 2 and re.fullmatch(r"[0-9a-f]{32}", data["salt"])
        [fp] = data["entries"]
        fps.append(fp)
        assert fp.split(":", 1)[1] != _legacy_hash(secret)  # no precomputed table fits it
        assert secret not in json.dumps(data)
        # and the baseline still does its job
        res = _cli(repo, "scan", "--json", "-")
        assert res.returncode == 0 and json.loads(res.stdout)["summary"]["suppressed"] == 1
        # update keeps the salt, so the recorded entry still matches
        res = _cli(repo, "baseline", "update")
        assert res.returncode == 0 and "0 added" in res.stdout
        assert json.loads((repo / ".launchready-baseline.json").read_text())["salt"] == data["salt"]
    assert fps[0] != fps[1]  # the same secret, two repositories, two fingerprints


def test_report_fingerprints_without_a_baseline_are_per_repository_and_stable(tmp_path: Path) -> None:
    secret = KeyGen(1121).stripe_secret()
    seen: dict[str, list[str]] = {}
    for name in ("one", "two"):
        repo = _repo(tmp_path / name, f"# {name}\n")
        (repo / "pay.py").write_text(f"KEY = '{secret}'\n")
        for _ in range(2):
            res = _cli(repo, "scan", "--json", "-")
            seen.setdefault(name, []).append(json.loads(res.stdout)["findings"][0]["fingerprint"])
    assert seen["one"][0] == seen["one"][1] and seen["two"][0] == seen["two"][1]  # stable (SARIF, baselines)
    assert seen["one"][0] != seen["two"][0]
    assert _legacy_hash(secret) not in {fp.split(":", 1)[1] for fps in seen.values() for fp in fps}


def test_with_a_team_key_fingerprints_compare_across_repositories(tmp_path: Path) -> None:
    """The key is what protects then; one salt for every repository lets ``launchready
    merge``/``audit`` see the same secret in two repositories."""
    secret = KeyGen(1127).stripe_secret()
    fps = []
    for name in ("one", "two"):
        repo = _repo(tmp_path / name, f"# {name}\n")
        (repo / "pay.py").write_text(f"KEY = '{secret}'\n")
        res = _cli(repo, "scan", "--json", "-", env={"LAUNCHREADY_FINGERPRINT_KEY": "org-audit-key"})
        fps.append(json.loads(res.stdout)["findings"][0]["fingerprint"])
    assert fps[0] == fps[1]


def test_version_1_baselines_still_suppress(repo: Path, run_cli: Any) -> None:  # type: ignore[no-untyped-def]
    secret = KeyGen(1122).stripe_secret()
    (repo / "pay.py").write_text(f"KEY = '{secret}'\n")
    fp = f"secret.stripe-secret-key:{_legacy_hash(secret)}"
    (repo / ".launchready-baseline.json").write_text(
        json.dumps(
            {
                "version": 1,
                "tool": "launchready",
                "keyed": False,
                "entries": {fp: {"rule_id": "secret.stripe-secret-key", "path": "pay.py", "line": 1, "secret": "x"}},
            }
        )
    )
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 0 and json.loads(res.out)["summary"]["suppressed"] == 1
    res = run_cli(["baseline", "update"], repo)
    assert "version 1 baseline" in res.out  # and how to move on
    res = run_cli(["baseline", "create"], repo)
    data = json.loads((repo / ".launchready-baseline.json").read_text())
    assert data["version"] == 2 and fp not in data["entries"]


def test_a_version_2_baseline_without_a_valid_salt_is_a_config_error(repo: Path, run_cli: Any) -> None:  # type: ignore[no-untyped-def]
    (repo / "a.py").write_text("x = 1\n")
    (repo / ".launchready-baseline.json").write_text(json.dumps({"version": 2, "salt": "short", "entries": {}}))
    res = run_cli(["scan"], repo)
    assert res.code == 2 and "salt" in res.err


def _short_hashes(text: str) -> set[str]:
    return set(re.findall(r"#([0-9a-f]{6})\b", text))


def test_the_short_hash_in_logs_cannot_confirm_a_guess(tmp_path: Path) -> None:
    secret = KeyGen(1123).password(10)
    repo = _repo(tmp_path / "app", "# app\n")
    (repo / "settings.py").write_text(f'EMAIL_HOST_PASSWORD = "{secret}"\n')
    runs = [_cli(repo, "scan", "--json", "-") for _ in range(2)]
    data = [json.loads(r.stdout) for r in runs]
    [f0], [f1] = data[0]["findings"], data[1]["findings"]
    assert f0["fingerprint"] == f1["fingerprint"]
    full = f0["fingerprint"].split(":", 1)[1]
    shorts = [_short_hashes(f["secret"]) for f in (f0, f1)]
    assert shorts[0] and shorts[1] and shorts[0] != shorts[1]  # a fresh key every run
    assert full[:6] not in shorts[0] | shorts[1] and _legacy_hash(secret)[:6] not in shorts[0] | shorts[1]
    # with a team key (a CI secret) it is stable across runs, and still not guessable without it
    keyed = [_cli(repo, "scan", "--json", "-", env={"LAUNCHREADY_FINGERPRINT_KEY": "team-secret-1"}) for _ in range(2)]
    ks = [json.loads(r.stdout)["findings"][0] for r in keyed]
    assert ks[0]["secret"] == ks[1]["secret"] and ks[0]["fingerprint"] != f0["fingerprint"]


def test_in_one_run_every_format_shows_the_same_short_hash(repo: Path, run_cli: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (repo / "pay.py").write_text(f"KEY = '{KeyGen(1124).stripe_secret()}'\n")
    html = tmp_path / "r.html"
    res = run_cli(["scan", "--json", "-", "--html", str(html)], repo)
    short = _short_hashes(json.loads(res.out)["findings"][0]["secret"])
    assert short and short <= _short_hashes(html.read_text())


# ---- snippets: only the redacted match and its position ----------------------------------


def test_html_and_verbose_show_only_the_redacted_match(repo: Path, run_cli: Any, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(1125)
    key = kg.stripe_secret()
    missed = "corp-vault-" + kg.chars(20, "abcdefghijklmnopqrstuvwxyz0123456789")  # no rule knows it
    (repo / "pay.py").write_text(f"x = 1\nKEY = '{key}'; VAULT = '{missed}'  # both on one line\n")
    html = tmp_path / "r.html"
    verbose = run_cli(["scan", "-v", "--html", str(html)], repo)
    assert verbose.code == 1
    for out in (verbose.out + verbose.err, html.read_text()):
        assert key not in out and missed not in out and missed[11:25] not in out
        assert "VAULT" not in out and "both on one line" not in out
        assert "line 2, column 8: sk_live_" in out


def test_redaction_of_the_match_uses_the_per_run_key_not_the_fingerprint() -> None:
    secret = KeyGen(1126).stripe_secret()
    redact.use_salt(b"launchready/fingerprint/v2/" + b"0" * 32)
    try:
        shown = redact.redact(secret, "sk_live_")
        assert redact.secret_hash(secret)[:6] not in shown
    finally:
        redact.set_salt_resolver(None)


def test_a_baseline_path_that_is_not_a_file_is_refused_and_left_alone(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """``baseline: ...`` naming a pipe (or ``/dev/null``, as root in a container) is not
    replaced by a file: writing the baseline renames a temporary file over its path."""
    fifo = repo / "baseline.fifo"
    os.mkfifo(fifo)
    (repo / ".launchready.yml").write_text("version: 1\nbaseline: baseline.fifo\n")
    res = run_cli(["baseline", "create"], repo)
    assert res.code == 2, (res.out, res.err)
    assert "not a regular file" in res.err
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert not (repo / "baseline.fifo.tmp").exists()
