"""`launchready audit --mirrors DIR`: every bare mirror under a directory scanned in its own
process and merged: shared secrets are one finding, an empty mirror passes, a damaged one is
listed as scanned in part (an error, never a pass)."""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen


def _mirror(src: Path, dest: Path) -> Path:
    git(src.parent, "clone", "-q", "--mirror", str(src), str(dest))
    return dest


@pytest.fixture
def mirrors(tmp_path: Path) -> tuple[Path, str]:
    kg = KeyGen(77)
    shared = kg.stripe_secret()
    work, out = tmp_path / "work", tmp_path / "mirrors"
    for i, name in enumerate(("api", "web", "team/worker")):
        repo = work / name
        repo.mkdir(parents=True)
        git(repo, "init", "-q")
        commit_file(repo, f"app{i}.py", f'STRIPE = "{shared}"\n', "add key")
        commit_file(repo, f"app{i}.py", "import os\nSTRIPE = os.environ['STRIPE']\n", "remove key")
        _mirror(repo, out / f"{name}.git")
    empty = work / "empty"
    empty.mkdir()
    git(empty, "init", "-q")
    _mirror(empty, out / "empty.git")
    (out / "not-a-repo").mkdir()
    (out / "not-a-repo" / "README").write_text("hello\n")
    return out, shared


def test_audit_merges_every_mirror(mirrors, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LAUNCHREADY_FINGERPRINT_KEY", raising=False)
    out, shared = mirrors
    report = tmp_path / "audit.json"
    res = run_cli(["audit", "--mirrors", str(out), "--jobs", "2", "--json", str(report)], tmp_path)
    assert res.code == 1, res.err
    data = json.loads(report.read_text())
    assert data["command"] == "audit"
    assert sorted(data["repositories"]) == ["api", "empty", "team/worker", "web"]
    stripe = [f for f in data["findings"] if f["rule_id"].startswith("secret.stripe")]
    assert len(stripe) == 1
    assert sorted(loc["repository"] for loc in stripe[0]["locations"]) == ["api", "team/worker", "web"]
    assert all(loc["present_at_head"] is False for loc in stripe[0]["locations"])
    scanned = {c["target"]: c["status"] for c in data["checks"] if c["id"] == "audit.scanned"}
    assert scanned == {"api": "pass", "web": "pass", "team/worker": "pass", "empty": "pass"}
    assert any("one-off key" in n for n in data["notes"])
    assert shared not in res.out + res.err + report.read_text()


def test_a_damaged_mirror_is_listed_not_passed(mirrors, run_cli, tmp_path: Path) -> None:
    out, _ = mirrors
    objects = out / "web.git" / "objects"
    loose = [p for p in objects.rglob("*") if p.is_file() and len(p.parent.name) == 2]
    if not loose:  # a packed mirror: unpack nothing, damage the pack instead
        packs = list(objects.glob("pack/*.pack"))
        assert packs
        data = bytearray(packs[0].read_bytes())
        for i in range(len(data) // 2, len(data) - 40):
            data[i] ^= 0xFF
        os.chmod(packs[0], 0o644)
        packs[0].write_bytes(bytes(data))
    else:
        for p in loose[: len(loose) // 2]:
            os.chmod(p, 0o644)
            p.unlink()
    report = tmp_path / "audit.json"
    res = run_cli(["audit", "--mirrors", str(out), "--json", str(report)], tmp_path)
    assert res.code == 1
    data = json.loads(report.read_text())
    web = [c for c in data["checks"] if c["id"] == "audit.scanned" and c["target"] == "web"]
    assert web and web[0]["status"] == "error", web
    rows = {r["row"]: r["state"] for r in data["scorecard"]}
    assert rows["Repository web"] == "fail"


def test_no_mirrors_is_a_usage_error(run_cli, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    res = run_cli(["audit", "--mirrors", str(tmp_path / "empty")], tmp_path)
    assert res.code == 2 and "no bare repositories" in res.err
    res = run_cli(["audit", "--mirrors", str(tmp_path / "nope")], tmp_path)
    assert res.code == 2


def test_a_shared_key_makes_fingerprints_match_across_runs(
    mirrors, run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out, _ = mirrors
    shutil.rmtree(out / "empty.git")
    monkeypatch.setenv("LAUNCHREADY_FINGERPRINT_KEY", "team-key")
    fps = []
    for n in (1, 2):
        report = tmp_path / f"a{n}.json"
        run_cli(["audit", "--mirrors", str(out), "--json", str(report), "-q"], tmp_path)
        fps.append({f["fingerprint"] for f in json.loads(report.read_text())["findings"]})
    assert fps[0] == fps[1] and fps[0]
