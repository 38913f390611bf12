"""``INPUT_BASE_REF`` and event SHAs reach git: an option-shaped value (``--upload-pack=...``)
must never run, whatever the event or clone. Each attack runs the real Action on a real
clone where the named commit is missing (the path that runs ``git fetch origin <commits>``), and checks the command's marker file never appears."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.action.helpers import clone, commits, head, new_origin
from tests.conftest import git

from launchready import gitrefs

from .drive import Runner, action, pr_payload  # noqa: F401

pytestmark = pytest.mark.timeout(120)


@pytest.fixture
def cloned(tmp_path: Path) -> dict[str, Any]:
    origin = new_origin(tmp_path / "origin")
    base = head(origin)
    commits(origin, 6, "src")
    ws = clone(origin, tmp_path / "ws")  # complete: a missing commit is fetched from origin
    return {"ws": ws, "base": base, "head": head(origin), "marker": tmp_path / "pwned"}


def _upload_pack(marker: Path) -> str:
    return f"--upload-pack=touch {marker}; git-upload-pack"


def test_base_ref_input_option_never_reaches_git_fetch(action: Runner, cloned: dict[str, Any]) -> None:  # noqa: F811
    r = action(
        cloned["ws"],
        "pull_request",
        pr_payload(cloned["base"], cloned["head"], 6),
        mode="history",
        base_ref=_upload_pack(cloned["marker"]),
    )
    assert r.code == 2, r.err
    assert "input base_ref" in r.err and "not a valid ref" in r.err
    assert not cloned["marker"].exists()


@pytest.mark.parametrize(
    "event_name, payload",
    [
        ("pull_request", {"pull_request": {"base": {"sha": "BAD"}, "head": {"sha": "HEAD_SHA"}, "commits": 1}}),
        ("pull_request", {"pull_request": {"base": {"sha": "BASE_SHA"}, "head": {"sha": "BAD"}, "commits": 1}}),
        ("push", {"before": "BAD", "after": "HEAD_SHA", "ref": "refs/heads/main"}),
        ("push", {"before": "BASE_SHA", "after": "BAD", "ref": "refs/heads/main"}),
        ("merge_group", {"merge_group": {"base_sha": "BAD", "head_sha": "HEAD_SHA"}}),
    ],
)
def test_event_shas_that_are_options_stop_the_run(
    action: Runner,  # noqa: F811 - the fixture, by name
    cloned: dict[str, Any],
    event_name: str,
    payload: dict[str, Any],
) -> None:
    bad = _upload_pack(cloned["marker"])

    def fill(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: fill(v) for k, v in value.items()}
        return {"BAD": bad, "BASE_SHA": cloned["base"], "HEAD_SHA": cloned["head"]}.get(value, value)

    r = action(cloned["ws"], event_name, fill(payload), mode="history")
    assert r.code == 2, r.err
    assert "is not a commit id" in r.err
    assert not cloned["marker"].exists()


@pytest.mark.parametrize("bad", [123, ["x"], "abc", "0" * 39, "g" * 40])
def test_event_sha_of_the_wrong_shape_is_a_usage_error(action: Runner, cloned: dict[str, Any], bad: Any) -> None:  # noqa: F811
    r = action(cloned["ws"], "pull_request", pr_payload(bad, cloned["head"]), mode="history")  # type: ignore[arg-type]
    assert r.code == 2 and "pull_request.base.sha" in r.err, r.err


def test_default_branch_name_from_the_payload_is_validated(action: Runner, cloned: dict[str, Any]) -> None:  # noqa: F811
    payload = {
        "before": "0" * 40,
        "after": cloned["head"],
        "ref": "refs/heads/x",
        "repository": {"default_branch": f"--output={cloned['marker']}"},
    }
    r = action(cloned["ws"], "push", payload, mode="history")
    assert r.code in (0, 1), r.err
    assert not cloned["marker"].exists()


def test_a_valid_base_ref_still_works(action: Runner, cloned: dict[str, Any], tmp_path: Path) -> None:  # noqa: F811
    ws = clone(tmp_path / "origin", tmp_path / "full")
    git(ws, "tag", "v1", cloned["base"])
    r = action(ws, "workflow_dispatch", {}, mode="history", base_ref="v1")
    assert r.code == 0, r.err
    assert r.report is not None and r.report["summary"]["commits_scanned"] == 6


@pytest.mark.parametrize("name", ["main", "feature/x-1", "v1.2.3", "refs/heads/main", "a" * 40, "origin/main"])
def test_ref_names_git_accepts(name: str) -> None:
    assert gitrefs.is_ref(name)
    assert git(Path.cwd(), "check-ref-format", "--allow-onelevel", name) == ""


@pytest.mark.parametrize(
    "name",
    [
        "-x",
        "--upload-pack=x",
        "a..b",
        "a b",
        "a~1",
        "a^",
        "a:b",
        "a?",
        "a*",
        "a[",
        "a\\b",
        "/a",
        "a/",
        "a//b",
        ".a",
        "a/.b",
        "a.lock",
        "a.",
        "@",
        "a@{1}",
        "a\nb",
        "",
    ],
)
def test_ref_names_refused(name: str) -> None:
    assert not gitrefs.is_ref(name)
