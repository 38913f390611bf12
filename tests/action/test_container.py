"""The real container: build the Dockerfile with buildah and run its ENTRYPOINT on a test
workspace with GitHub's variables, the way a Docker action runs on a GitHub runner.

Docker's engine does not run on the CI machines; buildah does, as root, with chroot
isolation and the vfs driver. No registry image can be pulled, so the base image is a
Debian rootfs made with debootstrap, cached between runs (``LAUNCHREADY_TEST_CACHE``,
default /var/tmp/launchready-test-cache) and passed as ``--build-arg BASE``.
Elsewhere (not root, or no buildah) the test is skipped with the reason.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.action.helpers import commits, head, parse_outputs
from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen

REPO = Path(__file__).resolve().parents[2]
BASE_IMAGE = "localhost/launchready-test-base:bookworm"
IMAGE = "localhost/launchready-action-test"
SUITE = "bookworm"
INCLUDE = "python3,python3-venv,ca-certificates,git"
HOST_CA = Path("/etc/ssl/certs/ca-certificates.crt")


def _why_not() -> str | None:
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return "the container test needs root for buildah (run by .ci/run in CI as root)"
    if shutil.which("buildah") is None:
        return "buildah is not installed (CI installs it from .ci/apt-packages.txt)"
    return None


_REASON = _why_not()
pytestmark = [
    pytest.mark.slow,
    pytest.mark.timeout(600),
    pytest.mark.skipif(_REASON is not None, reason=_REASON or ""),
]


def buildah(*args: str, check: bool = True, timeout: int = 600) -> subprocess.CompletedProcess[str]:
    cmd = ["buildah", "--storage-driver", "vfs", *args]
    out = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=False)
    if check and out.returncode != 0:
        raise AssertionError(f"{' '.join(cmd)} failed ({out.returncode}):\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}")
    return out


def _cache() -> Path:
    cache = Path(os.environ.get("LAUNCHREADY_TEST_CACHE", "/var/tmp/launchready-test-cache"))
    cache.mkdir(parents=True, exist_ok=True)
    return cache


def _base_image() -> str:
    """A local Debian base (what python:3.12-slim gives on GitHub), built once and cached."""
    if buildah("inspect", "--type", "image", BASE_IMAGE, check=False).returncode == 0:
        return BASE_IMAGE
    rootfs = _cache() / f"rootfs-{SUITE}"
    marker = rootfs / ".launchready-complete"
    whole = all((rootfs / p).exists() for p in ("bin/sh", "usr/bin/python3", "usr/bin/git"))
    if not whole or not marker.exists() or marker.read_text() != INCLUDE:
        if shutil.which("debootstrap") is None:
            pytest.skip("debootstrap is not installed and no cached base image exists (CI installs it)")
        work = rootfs.with_name(f"{rootfs.name}.tmp-{os.getpid()}")
        shutil.rmtree(work, ignore_errors=True)
        out = subprocess.run(
            ["debootstrap", "--variant=minbase", f"--include={INCLUDE}", SUITE, str(work)],
            capture_output=True,
            text=True,
            timeout=900,
            check=False,
        )
        assert out.returncode == 0, f"debootstrap failed:\n{out.stdout[-2000:]}\n{out.stderr[-2000:]}"
        (work / ".launchready-complete").write_text(INCLUDE)
        shutil.rmtree(rootfs, ignore_errors=True)
        work.rename(rootfs)  # complete or absent, never half-made
    ctr = buildah("from", "scratch").stdout.strip()
    try:
        buildah("copy", ctr, str(rootfs), "/")
        buildah("commit", "-q", ctr, BASE_IMAGE)
    finally:
        buildah("rm", ctr, check=False)
    return BASE_IMAGE


@pytest.fixture(scope="module")
def image() -> Iterator[str]:
    # Several test runs on one machine share the cache and the image name: take turns.
    with (_cache() / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        yield _build()


def _build() -> str:
    base = _base_image()
    args = ["bud", "--isolation", "chroot", "--build-arg", f"BASE={base}", "-t", IMAGE]
    if HOST_CA.is_file():  # PyPI is reached through this machine's CA bundle
        args += ["-v", f"{HOST_CA}:/host-ca.crt:ro", "--build-arg", "PIP_CERT=/host-ca.crt"]
    buildah(*args, "-f", str(REPO / "Dockerfile"), str(REPO), timeout=900)
    return IMAGE


def test_container_entrypoint_on_a_pull_request(image: str, tmp_path: Path) -> None:
    kg = KeyGen(41)
    key = kg.stripe_secret()
    ws = tmp_path / "workspace"
    ws.mkdir()
    git(ws, "init", "-q")
    commit_file(ws, "README.md", "# app\n", "initial")
    base = head(ws)
    git(ws, "checkout", "-q", "-b", "feature")
    commits(ws, 3, "src", {2: f"STRIPE = '{key}'"})
    tip = head(ws)
    # As on a runner: the workspace belongs to another user than the container's root, so
    # git refuses it unless the entrypoint marks it safe.
    subprocess.run(["chown", "-R", "1001:1001", str(ws)], check=True)
    gh = tmp_path / "github"
    (gh / "file_commands").mkdir(parents=True)
    (gh / "workflow").mkdir()
    (gh / "home").mkdir()
    payload = {
        "pull_request": {"commits": 3, "base": {"sha": base}, "head": {"sha": tip}},
        "repository": {"default_branch": "main"},
    }
    (gh / "workflow" / "event.json").write_text(json.dumps(payload))
    env = {
        "HOME": "/github/home",
        "GITHUB_ACTIONS": "true",
        "GITHUB_WORKSPACE": "/github/workspace",
        "GITHUB_EVENT_NAME": "pull_request",
        "GITHUB_EVENT_PATH": "/github/workflow/event.json",
        "GITHUB_OUTPUT": "/github/file_commands/set_output",
        "GITHUB_STEP_SUMMARY": "/github/file_commands/step_summary",
        "INPUT_MODE": "all",
        "INPUT_FAIL_ON": "high",
        "INPUT_JSON_PATH": "launchready-report/report.json",
        "INPUT_JUNIT_PATH": "launchready-report/junit.xml",
        "INPUT_SARIF_PATH": "launchready-report/results.sarif",
        "INPUT_ANNOTATIONS": "true",
        "INPUT_SUMMARY": "true",
        "INPUT_STRICT_SUPPRESSIONS": "false",
    }
    entrypoint = json.loads(buildah("inspect", "--type", "image", image).stdout)["OCIv1"]["config"]["Entrypoint"]
    assert entrypoint == ["launchready", "action"]
    ctr = buildah("from", image).stdout.strip()
    try:
        run = [
            "run",
            "--isolation",
            "chroot",
            "--workingdir",
            "/github/workspace",
            "-v",
            f"{ws}:/github/workspace",
            "-v",
            f"{gh / 'file_commands'}:/github/file_commands",
            "-v",
            f"{gh / 'workflow'}:/github/workflow",
            "-v",
            f"{gh / 'home'}:/github/home",
        ]
        for k, v in env.items():
            run += ["--env", f"{k}={v}"]
        out = buildah(*run, ctr, "--", *entrypoint, check=False)
    finally:
        buildah("rm", ctr, check=False)
    assert out.returncode == 1, out.stdout + out.stderr
    annotations = [ln for ln in out.stdout.splitlines() if ln.startswith("::error ")]
    assert len(annotations) == 1 and annotations[0].startswith("::error file=src/f2.py,line=2,")
    outputs = parse_outputs((gh / "file_commands" / "set_output").read_text())
    assert outputs == {
        "findings": "1",
        "failed_checks": "0",
        "report_path": "launchready-report/report.json",
        "junit_path": "launchready-report/junit.xml",
        "sarif_path": "launchready-report/results.sarif",
    }
    report = json.loads((ws / "launchready-report" / "report.json").read_text())
    assert report["summary"]["commits_scanned"] == 3
    [f] = report["findings"]
    assert f["rule_id"] == "secret.stripe-secret-key" and f["present_at_head"] is True
    assert (ws / "launchready-report" / "junit.xml").is_file() and (
        ws / "launchready-report" / "results.sarif"
    ).is_file()
    summary = (gh / "file_commands" / "step_summary").read_text()
    assert "### Launch scorecard" in summary and "| Secret handling | ❌ fail |" in summary
    assert f"pull request: {base[:12]}..{tip[:12]}" in summary
    assert "dubious ownership" not in out.stderr
    assert key not in out.stdout + out.stderr + summary + json.dumps(report)
