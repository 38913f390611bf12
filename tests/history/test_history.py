"""``launchready history`` on real repositories built here (git plumbing, no mocks)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.config import Config
from launchready.demo.keygen import KeyGen
from launchready.history import revs
from launchready.history.prefetch import Prefetch
from launchready.history.scan import scan_history
from launchready.registry import all_rules
from launchready.secrets.engine import Engine

pytestmark = pytest.mark.timeout(120)


def history(run_cli, repo: Path, *args: str):  # type: ignore[no-untyped-def]
    out = repo.parent / "report.json"
    res = run_cli(["history", "-q", "--json", str(out), *args], repo)
    data = json.loads(out.read_text()) if out.exists() else None
    if out.exists():
        out.unlink()
    return res, data


def sha(repo: Path, rev: str = "HEAD") -> str:
    return git(repo, "rev-parse", rev).strip()


def test_removed_secret_is_one_finding_with_its_commit_and_removal(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(1).stripe_secret()
    commit_file(repo, "README.md", "hello\n")
    body = "".join(f"line {i}\n" for i in range(1, 7)) + f'STRIPE = "{key}"\n'
    intro = commit_file(repo, "app/settings.py", body, "add settings")
    commit_file(repo, "app/other.py", f"KEY = '{key}'\n", "copy it")
    (repo / "app/settings.py").write_text("line 1\n")
    (repo / "app/other.py").unlink()
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "remove it")
    removed = sha(repo)
    res, data = history(run_cli, repo)
    assert res.code == 1
    [f] = [f for f in data["findings"] if f["rule_id"] == "secret.stripe-secret-key"]
    assert f["commit"] == intro and f["introduced_in"] == intro
    assert f["path"] == "app/settings.py" and f["line"] == 7
    assert f["occurrences"] == 2
    assert f["present_at_head"] is False
    assert f"removed in {removed[:12]}, still in history: rotate it; deleting the file does not help" in f["message"]
    assert f["author"].startswith("Test Author") and f["date"]
    assert data["summary"]["commits_scanned"] == 4
    assert key not in json.dumps(data) and key not in res.out + res.err


def test_present_at_head_and_renames(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(2).github_classic()
    intro = commit_file(repo, "old name.py", f"TOKEN = '{key}'\n", "add")
    git(repo, "mv", "old name.py", "new name.py")
    git(repo, "commit", "-q", "-m", "rename")
    _res, data = history(run_cli, repo)
    [f] = data["findings"]
    assert f["introduced_in"] == intro and f["path"] == "old name.py"
    assert f["present_at_head"] is True and f["occurrences"] == 2
    assert "still present at HEAD" in f["message"]


def test_commit_message_is_scanned(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(3).stripe_secret()
    c = commit_file(repo, "a.txt", "x\n", f"deploy\n\nused {key} for the test")
    _res, data = history(run_cli, repo)
    [f] = data["findings"]
    assert f["path"] == "(commit message)" and f["line"] == 3 and f["commit"] == c
    assert "commit message" in f["message"]


def test_merge_resolution_secret_is_attributed_to_the_merge(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(4)
    side_key, merge_key = kg.stripe_secret(), kg.stripe_secret()
    commit_file(repo, "conf.py", "A = 1\n", "base")
    git(repo, "checkout", "-q", "-b", "side")
    side = commit_file(repo, "side.py", f"K = '{side_key}'\n", "side adds a key")
    commit_file(repo, "conf.py", "A = 2\n", "side edits conf")
    git(repo, "checkout", "-q", "main")
    commit_file(repo, "conf.py", "A = 3\n", "main edits conf")
    subprocess.run(["git", "-C", str(repo), "merge", "-q", "side", "-m", "merge"], capture_output=True, check=False)
    (repo / "conf.py").write_text(f"A = 4\nMERGE_SECRET = '{merge_key}'\n")
    git(repo, "add", "conf.py")
    git(repo, "commit", "-q", "--no-edit")
    merge = sha(repo)
    _res, data = history(run_cli, repo)
    by_path = {f["path"]: f for f in data["findings"]}
    assert by_path["side.py"]["commit"] == side and by_path["side.py"]["occurrences"] == 1
    assert by_path["conf.py"]["commit"] == merge and by_path["conf.py"]["line"] == 2


def test_odd_paths_binary_and_non_utf8(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(5)
    k1, k2, k3 = kg.stripe_secret(), kg.stripe_secret(), kg.stripe_secret()
    weird = 'dir/qu"ote\tand\\back.py'
    (repo / "dir").mkdir()
    (repo / weird).write_text(f"S = '{k1}'\n")
    (repo / "blob.bin").write_bytes(b"\x00\x01" + f"S = '{k2}'".encode() + b"\x00")
    raw_name = b"caf\xe9.py"  # latin-1, not UTF-8
    (repo / "dir" / raw_name.decode("utf-8", "surrogateescape")).write_bytes(f"S = '{k3}'\n".encode())
    git(repo, "add", "-A")
    msg = repo.parent / "msg"
    msg.write_bytes(b"caf\xe9 message in latin-1\n")
    git(repo, "-c", "i18n.commitEncoding=latin-1", "commit", "-q", "-F", str(msg))
    res, data = history(run_cli, repo)
    paths = sorted(f["path"] for f in data["findings"])
    assert paths == sorted([weird, "dir/caf\ufffd.py"])  # binary blob skipped, bytes shown as U+FFFD
    assert res.code == 1


def test_allow_marker_and_gitleaksignore(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(6)
    k1, k2, k3 = kg.stripe_secret(), kg.stripe_secret(), kg.stripe_secret()
    c = commit_file(repo, "a.py", f"A = '{k1}'  # launchready:allow\nB = 1\nC = '{k2}'\n", "add")
    commit_file(repo, "b.py", f"D = '{k3}'\n", "more")
    res, data = history(run_cli, repo)
    assert sorted(f["path"] for f in data["findings"]) == ["a.py", "b.py"]
    assert data["summary"]["suppressed"] == 1
    (repo / ".gitleaksignore").write_text(f"# migrated\n{c}:a.py:stripe-access-token:3\nb.py:generic:1\n")
    res, data = history(run_cli, repo)
    assert data["findings"] == [] and res.code == 0
    assert data["summary"]["suppressed"] == 3


def test_ranges_branches_and_errors(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(7)
    k1, k2 = kg.stripe_secret(), kg.stripe_secret()
    base = commit_file(repo, "a.py", f"A = '{k1}'\n", "old")
    git(repo, "checkout", "-q", "-b", "feature")
    commit_file(repo, "b.py", f"B = '{k2}'\n", "new")
    git(repo, "checkout", "-q", "main")
    _, data = history(run_cli, repo, "--range", f"{base}..feature")
    assert [f["path"] for f in data["findings"]] == ["b.py"]
    assert data["summary"]["commits_scanned"] == 1
    _, data = history(run_cli, repo, "--since-commit", base)
    assert data["findings"] == []
    _, data = history(run_cli, repo, "--branch", "feature")
    assert sorted(f["path"] for f in data["findings"]) == ["a.py", "b.py"]
    _, data = history(run_cli, repo)  # --all: every ref
    assert len(data["findings"]) == 2
    res, _ = history(run_cli, repo, "--range", "nope..main")
    assert res.code == 2 and "unknown revision 'nope'" in res.err
    res, _ = history(run_cli, repo, "--range", "main")
    assert res.code == 2 and "BASE..HEAD" in res.err
    res, _ = history(run_cli, repo, "--branch", "--all")
    assert res.code == 2


def test_jobs_must_be_positive(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    commit_file(repo, "a.py", "x = 1\n", "one")
    res = run_cli(["history", "--jobs", "0"], repo)
    assert res.code == 2 and "--jobs: expected at least 1 process, got 0" in res.err


def test_empty_repo_and_unborn_branch(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    res, data = history(run_cli, repo)
    assert res.code == 0 and data["findings"] == [] and data["summary"]["commits_scanned"] == 0
    res, _ = history(run_cli, repo, "--since-commit", "HEAD~1")
    assert res.code == 2 and "unborn branch main" in res.err
    res = run_cli(["history"], repo)
    assert "no commits yet" in res.out


def fast_import_repo(path: Path, commits: int, secrets: dict[int, str]) -> None:
    """Build a long history in one ``git fast-import`` (thousands of commits in a second)."""
    git(path, "init", "-q")
    parts = []
    for i in range(commits):
        content = f"value = {i}\n" + (f"token = '{secrets[i]}'\n" if i in secrets else "")
        data = content.encode()
        parts.append(
            b"commit refs/heads/main\n"
            + f"committer T <t@example.test> {1_600_000_000 + i * 60} +0000\n".encode()
            + f"data {len(f'c{i}')}\nc{i}\n".encode()
            + f"M 644 inline f{i % 37}.py\ndata {len(data)}\n".encode()
            + data
            + b"\n"
        )
    subprocess.run(["git", "-C", str(path), "fast-import", "--quiet"], input=b"".join(parts), check=True)
    git(path, "checkout", "-q", "main")


def test_parallel_slices_agree_with_one_process(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(8)
    secrets = {5: kg.stripe_secret(), 450: kg.stripe_secret(), 899: kg.stripe_secret()}
    secrets[700] = secrets[5]  # re-added much later: still introduced at commit 5
    repo = tmp_path / "long"
    repo.mkdir()
    fast_import_repo(repo, 900, secrets)
    _, one = history(run_cli, repo, "--jobs", "1")
    _, two = history(run_cli, repo, "--jobs", "2")  # from both ends at once
    _, three = history(run_cli, repo, "--jobs", "3")  # capped at two processes
    assert one["findings"] == two["findings"] == three["findings"]
    assert one["summary"]["commits_scanned"] == two["summary"]["commits_scanned"] == 900
    assert three["summary"]["commits_scanned"] == 900
    first = next(f for f in one["findings"] if f["occurrences"] == 2)
    assert git(repo, "log", "-1", "--format=%s", first["commit"]).strip() == "c5"


def test_both_ends_redo_the_scan_when_a_ref_moved(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The two ends walk separately; if a ref moved meanwhile their walks may differ, so the
    scan is redone in one process rather than trusting where they met."""
    kg = KeyGen(13)
    repo = tmp_path / "moving"
    repo.mkdir()
    fast_import_repo(repo, 500, {3: kg.stripe_secret(), 480: kg.stripe_secret()})
    rng = revs.resolve(repo, all_refs=True)
    engine = Engine(all_rules(Config()))
    steady = scan_history(repo, rng, engine, jobs=2)
    redone: list[bool] = []
    monkeypatch.setattr(Prefetch, "refs_moved", lambda self: redone.append(True) or True)
    moved = scan_history(repo, rng, engine, jobs=2)
    assert redone and moved.commits == steady.commits == 500
    assert [f.fingerprint for f in moved.findings] == [f.fingerprint for f in steady.findings]
    assert len(moved.findings) == 2


def test_huge_added_file_is_sliced_with_true_line_numbers(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(9)
    k1, k2 = kg.stripe_secret(), kg.stripe_secret()
    lines = [f"row {i}" for i in range(120_000)]
    lines[99_999] = f"S = '{k1}'"
    lines[50_020] = f"T = '{k2}'"  # just past the first slice (50,000 lines): in the overlap
    c = commit_file(repo, "big.txt", "\n".join(lines) + "\n", "huge")
    _, data = history(run_cli, repo)
    got = sorted((f["line"], f["occurrences"]) for f in data["findings"])
    assert got == [(50_021, 1), (100_000, 1)]
    assert all(f["commit"] == c for f in data["findings"])


def test_submodules_and_unborn_head_with_other_refs(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    key = KeyGen(10).stripe_secret()
    commit_file(repo, "a.py", f"A = '{key}'\n", "add")
    git(repo, "update-index", "--add", "--cacheinfo", f"160000,{'ab' * 20},vendor/lib")
    git(repo, "commit", "-q", "-m", "add a submodule pointer")
    res, data = history(run_cli, repo)
    assert [f["path"] for f in data["findings"]] == ["a.py"] and data["summary"]["commits_scanned"] == 2
    git(repo, "checkout", "-q", "--orphan", "fresh")  # HEAD is now an unborn branch
    res, data = history(run_cli, repo)  # --all still sees main
    [f] = data["findings"]
    assert f["present_at_head"] is None and "HEAD has no commits" in f["message"]
    res, _ = history(run_cli, repo, "--since-commit", "main")
    assert res.code == 2 and "unborn branch fresh" in res.err


def test_a_key_whose_body_alone_changed_is_found_at_that_commit(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    kg = KeyGen(11)
    first = kg.pem_private_key()
    c1 = commit_file(repo, "certs/server.key", first, "add key")
    lines = first.splitlines()
    second = "\n".join([lines[0], *kg.pem_private_key().splitlines()[1:-1], lines[-1]]) + "\n"
    c2 = commit_file(repo, "certs/server.key", second, "regenerate key")  # -U0 shows no BEGIN/END
    _, data = history(run_cli, repo)
    by_commit = {f["commit"]: f for f in data["findings"]}
    assert set(by_commit) == {c1, c2}
    assert by_commit[c2]["present_at_head"] is True and by_commit[c2]["line"] == 1
    assert by_commit[c1]["present_at_head"] is False and f"removed in {c2[:12]}" in by_commit[c1]["message"]


def test_secrets_among_many_hunks_keep_their_lines_and_keys_keep_their_bodies(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Only lines holding a rule keyword reach the engine (the rest of history is skipped):
    line numbers still come from the hunks, and a PEM key (a rule spanning lines) is scanned
    whole even next to other keyword lines in the same commit."""
    kg = KeyGen(12)
    base = [f"plain line {i}" for i in range(60)]
    commit_file(repo, "conf.py", "\n".join(base) + "\n", "base")
    k1, k2 = kg.stripe_secret(), kg.openai_project()
    lines = list(base)
    lines[10] = "changed without a keyword"
    lines[30] = f"STRIPE = '{k1}'"
    lines.insert(45, "api_key_name = 'not a secret'")
    lines[55] = f"OPENAI = '{k2}'"
    pem = kg.pem_private_key("RSA ", 10)
    (repo / "id_rsa").write_text(pem + "\n")
    git(repo, "add", "id_rsa")
    c = commit_file(repo, "conf.py", "\n".join(lines) + "\n", "three hunks and a key")
    _, data = history(run_cli, repo)
    got = sorted((f["path"], f["line"], f["rule_id"]) for f in data["findings"])
    assert got == [
        ("conf.py", 31, "secret.stripe-secret-key"),
        ("conf.py", 56, "secret.openai-project-key"),
        ("id_rsa", 1, "secret.private-key"),
    ]
    assert {f["commit"] for f in data["findings"]} == {c}


def test_secret_removed_by_deleting_its_file_names_that_commit(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The scan asks git not to print deleted files' content (-D); the deletion is still where
    the secret was removed (a name with spaces and one git quotes, to read the header)."""
    kg = KeyGen(14)
    k1, k2 = kg.stripe_secret(), kg.stripe_secret()
    commit_file(repo, "config/prod settings.py", f"STRIPE = '{k1}'\n", "add one")
    commit_file(repo, "config/tab\there.py", f"STRIPE = '{k2}'\n", "add two")
    commit_file(repo, "README.md", "unrelated\n", "unrelated")
    git(repo, "rm", "-q", "config/prod settings.py")
    git(repo, "commit", "-q", "-m", "delete one")
    first = sha(repo)
    git(repo, "rm", "-q", "config/tab\there.py")
    git(repo, "commit", "-q", "-m", "delete two")
    second = sha(repo)
    _, data = history(run_cli, repo)
    by_path = {f["path"]: f for f in data["findings"]}
    assert f"removed in {first[:12]}," in by_path["config/prod settings.py"]["message"]
    assert f"removed in {second[:12]}," in by_path["config/tab\there.py"]["message"]


def _session(sid: int) -> list[str]:
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        if int(fields[3]) == sid and fields[0] != "Z":  # session id; zombies are reaped by init
            found.append(stat.split(" ", 2)[1])
    return found


def test_ctrl_c_during_a_two_process_scan_leaves_nothing_running(tmp_path: Path) -> None:
    """Ctrl-C reaches the whole process group: the scan stops, says so, and neither the
    forked child (which ignores Ctrl-C itself) nor any git process outlives it."""
    repo = tmp_path / "long"
    repo.mkdir()
    fast_import_repo(repo, 3000, {})
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "launchready", "history", "-q", "--jobs", "2"],
        cwd=repo,
        env=env,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and sum("python" in n for n in _session(proc.pid)) < 2:
        time.sleep(0.005)  # until the child is forked: the scan is under way
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and "launchready: interrupted" in err, (proc.returncode, err)
    time.sleep(0.5)
    assert _session(proc.pid) == []


def test_present_at_head_comes_from_the_file_at_head(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """The same value elsewhere at HEAD (here a test fixture, where the generic rule is
    silent) does not make a removed secret present at HEAD: only the files it was added to
    count."""
    token = KeyGen(31).chars(32)
    commit_file(repo, "config/app.env", f"INTERNAL_SERVICE_TOKEN={token}\n", "add config")
    commit_file(
        repo, "config/app.env", "INTERNAL_SERVICE_TOKEN=${INTERNAL_SERVICE_TOKEN}\n", "read it from the environment"
    )
    commit_file(repo, "tests/fixtures/payload.json", f'{{"note": "{token}"}}\n', "fixture")
    _res, data = history(run_cli, repo)
    [f] = [f for f in data["findings"] if f["rule_id"] == "secret.generic-assignment"]
    assert f["path"] == "config/app.env" and f["present_at_head"] is False
    commit_file(repo, "config/other.env", f"INTERNAL_SERVICE_TOKEN={token}\n", "put it back elsewhere")
    _res, data = history(run_cli, repo)
    [f] = [f for f in data["findings"] if f["rule_id"] == "secret.generic-assignment"]
    assert f["present_at_head"] is True


def test_history_of_another_repository_applies_its_baseline(tmp_path: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """`history --repo DIR` salts fingerprints like DIR's baseline, not like the current
    directory's repository."""
    from launchready.demo.keygen import KeyGen

    repo = tmp_path / "app"
    repo.mkdir()
    git(repo, "init", "-q")
    commit_file(repo, "conf.py", f"KEY = '{KeyGen(91).stripe_secret()}'\n", "leak")
    assert run_cli(["baseline", "create"], repo).code == 0
    assert run_cli(["history", "-q"], repo).code == 0
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    git(elsewhere, "init", "-q")
    res = run_cli(["history", "--repo", str(repo), "-q"], elsewhere)
    assert res.code == 0, res.out + res.err


def test_a_key_body_rescan_runs_the_rules_that_span_lines_and_loses_no_other(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """A file whose added lines look like a key body is read whole again, with only the rules
    whose match spans lines (``Engine.spanning``): a token added beside the new body is still
    found, by the scan of the added lines."""
    from launchready.secrets.engine import Engine
    from launchready.secrets.rules import default_rules

    spanning = Engine(default_rules()).spanning()
    assert {r.id for r in spanning.rules} >= {"secret.private-key", "secret.putty-private-key"}
    assert all(isinstance(r.window, int) for r in spanning.rules)
    kg = KeyGen(12)
    token = kg.sample("secret.neon-api-key")
    first = kg.pem_private_key()
    c1 = commit_file(repo, "certs/server.key", first, "add key")
    lines = first.splitlines()
    body = kg.pem_private_key().splitlines()[1:-1]
    second = "\n".join([lines[0], *body, lines[-1]]) + "\n" + token.text
    c2 = commit_file(repo, "certs/server.key", second, "regenerate key, add a token")
    _, data = history(run_cli, repo)
    got = {(f["commit"], f["rule_id"]) for f in data["findings"]}
    assert got == {(c1, "secret.private-key"), (c2, "secret.private-key"), (c2, "secret.neon-api-key")}
