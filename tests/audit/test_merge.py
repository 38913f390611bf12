"""`launchready merge`: one report and one verdict from the reports of real scans of several
generated repositories (the same secret in three of them, an empty one, one whose job failed)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen


def _repo(base: Path, name: str) -> Path:
    path = base / name
    path.mkdir(parents=True)
    git(path, "init", "-q")
    return path


def _history_json(run_cli, repo: Path, out: Path) -> dict:
    res = run_cli(["history", "--all", "--json", str(out), "--exit-zero", "-q"], repo)
    assert res.code == 0, res.err
    return json.loads(out.read_text())


@pytest.fixture
def reports(tmp_path: Path, run_cli, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, str, str]:
    """reports/<name>/report.json for four repositories; returns (dir, shared secret, other)."""
    monkeypatch.setenv("LAUNCHREADY_FINGERPRINT_KEY", "org-audit-test-key")
    kg = KeyGen(41)
    shared, other = kg.stripe_secret(), kg.github_classic()
    out = tmp_path / "reports"
    for i, name in enumerate(("api", "web", "worker")):
        repo = _repo(tmp_path / "src", name)
        commit_file(repo, f"conf/settings{i}.py", f'STRIPE_KEY = "{shared}"\n', "add settings")
        if name == "web":
            commit_file(repo, "deploy.sh", f"export GITHUB_TOKEN={other}\n", "deploy")
        (out / name).mkdir(parents=True)
        _history_json(run_cli, repo, out / name / "report.json")
    clean = _repo(tmp_path / "src", "docs")
    commit_file(clean, "README.md", "# docs\n")
    (out / "docs").mkdir()
    _history_json(run_cli, clean, out / "docs" / "report.json")
    return out, shared, other


def test_same_secret_in_three_repositories_is_one_finding(reports, run_cli, tmp_path: Path) -> None:
    out, shared, other = reports
    merged = tmp_path / "merged.json"
    res = run_cli(
        [
            "merge",
            str(out),
            "--expect",
            "billing",
            "--json",
            str(merged),
            "--sarif",
            str(tmp_path / "m.sarif"),
            "--junit",
            str(tmp_path / "m.xml"),
            "--html",
            str(tmp_path / "m.html"),
        ],
        tmp_path,
    )
    assert res.code == 1, res.err
    data = json.loads(merged.read_text())
    assert data["command"] == "merge"
    stripe = [f for f in data["findings"] if f["rule_id"].startswith("secret.stripe")]
    assert len(stripe) == 1, stripe
    locs = stripe[0]["locations"]
    assert sorted(loc["repository"] for loc in locs) == ["api", "web", "worker"]
    assert {loc["path"] for loc in locs} == {"conf/settings0.py", "conf/settings1.py", "conf/settings2.py"}
    assert all(loc["commit"] and loc["present_at_head"] is True for loc in locs)
    assert stripe[0]["occurrences"] == 3
    github = [f for f in data["findings"] if f["rule_id"].startswith("secret.github")]
    assert len(github) == 1 and github[0]["repository"] == "web" and github[0]["path"] == "web/deploy.sh"
    # one scorecard row per repository, worst first; the missing one says why
    repo_rows = [r for r in data["scorecard"] if r["row"].startswith("Repository ")]
    names = [r["row"].removeprefix("Repository ") for r in repo_rows]
    assert set(names) == {"api", "web", "worker", "docs", "billing"}
    assert names[-1] == "docs" and repo_rows[-1]["state"] == "pass"
    assert names[0] == "billing" and repo_rows[0]["state"] == "fail"
    assert "could not be scanned" in repo_rows[0]["reason"]
    assert names.index("web") < names.index("api")  # two secrets before one
    scanned = {c["target"]: c["status"] for c in data["checks"] if c["id"] == "audit.scanned"}
    assert scanned == {"api": "pass", "web": "pass", "worker": "pass", "docs": "pass", "billing": "error"}
    assert any("1 of 5 repositories could not be scanned: billing" in n for n in data["notes"])
    assert data["summary"]["commits_scanned"] == 5
    # no output carries a raw secret
    for path in (merged, tmp_path / "m.sarif", tmp_path / "m.xml", tmp_path / "m.html"):
        text = path.read_text()
        assert shared not in text and other not in text
    assert shared not in res.out and "billing" in res.out
    sarif = json.loads((tmp_path / "m.sarif").read_text())
    assert len(sarif["runs"][0]["results"]) == 2


def test_merge_validates_against_the_report_schema(reports, run_cli, tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    out, _, _ = reports
    merged = tmp_path / "merged.json"
    run_cli(["merge", str(out), "--json", str(merged), "-q"], tmp_path)
    schema = json.loads((Path(__file__).parents[2] / "schemas" / "report.schema.json").read_text())
    jsonschema.validate(json.loads(merged.read_text()), schema)


def test_merging_a_merged_report_keeps_every_location(reports, run_cli, tmp_path: Path) -> None:
    out, _, _ = reports
    first = tmp_path / "first.json"
    run_cli(
        [
            "merge",
            f"api={out / 'api' / 'report.json'}",
            f"web={out / 'web' / 'report.json'}",
            "--json",
            str(first),
            "-q",
            "--exit-zero",
        ],
        tmp_path,
    )
    again = tmp_path / "again.json"
    run_cli(
        ["merge", str(first), f"worker={out / 'worker' / 'report.json'}", "--json", str(again), "-q", "--exit-zero"],
        tmp_path,
    )
    data = json.loads(again.read_text())
    stripe = [f for f in data["findings"] if f["rule_id"].startswith("secret.stripe")]
    assert len(stripe) == 1
    assert sorted(loc["repository"] for loc in stripe[0]["locations"]) == ["api", "web", "worker"]


def test_a_report_of_another_schema_version_is_a_usage_error(reports, run_cli, tmp_path: Path) -> None:
    out, _, _ = reports
    old = json.loads((out / "api" / "report.json").read_text())
    old["schema_version"] = 2
    (tmp_path / "future.json").write_text(json.dumps(old))
    res = run_cli(["merge", str(out / "web" / "report.json"), str(tmp_path / "future.json")], tmp_path)
    assert res.code == 2
    assert "schema_version 2" in res.err and "future.json" in res.err


def test_an_unreadable_report_is_listed_not_fatal(reports, run_cli, tmp_path: Path) -> None:
    out, _, _ = reports
    (out / "broken").mkdir()
    (out / "broken" / "report.json").write_text('{"schema_version": 1, "findings": [')
    merged = tmp_path / "m.json"
    res = run_cli(["merge", str(out), "--json", str(merged), "-q"], tmp_path)
    assert res.code == 1
    data = json.loads(merged.read_text())
    broken = [c for c in data["checks"] if c["id"] == "audit.scanned" and c["target"] == "broken"]
    assert broken and broken[0]["status"] == "error" and "not JSON" in broken[0]["message"]


def test_expect_file_and_missing_inputs(run_cli, tmp_path: Path) -> None:
    res = run_cli(["merge", str(tmp_path / "nope.json")], tmp_path)
    assert res.code == 2 and "no such report" in res.err
    (tmp_path / "names.txt").write_text("acme/api\n")
    res = run_cli(["merge", "--expect-file", str(tmp_path / "names.txt"), str(tmp_path)], tmp_path)
    assert res.code == 2 and "no *.json reports" in res.err
