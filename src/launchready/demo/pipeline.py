"""Run the demo: deployment up, repository built, then scan, history, live, journey and email through
the real command modules (the same parser, config loader and ``run(ctx)`` a user's command
line goes through), merged into one report with ``command: "demo"``.

Nothing is simulated: every stage runs the real command.
"""

from __future__ import annotations

import contextlib
import io
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

from launchready import redact
from launchready.config import load_config
from launchready.demo import DOMAIN
from launchready.demo.repo import create_repo, live_config
from launchready.demo.server import Deployment, Endpoints
from launchready.demo.values import DemoValues, make_values
from launchready.model import Finding, Report

IDENTITY_ENV = {"LR_DEMO_USER_A_TOKEN": "alice_token", "LR_DEMO_USER_B_TOKEN": "bob_token"}


@dataclass
class StageResult:
    name: str
    argv: list[str]
    report: Report | None = None
    skipped: str = ""  # why the stage did not run
    failed: str = ""  # an internal error (a bug), scrubbed
    stderr: str = ""


@dataclass
class DemoRun:
    fixed: bool
    report: Report
    stages: list[StageResult] = field(default_factory=list)
    endpoints: Endpoints | None = None
    workdir: Path | None = None

    @property
    def failed(self) -> list[StageResult]:
        return [s for s in self.stages if s.failed]


Progress = Callable[[str, str], None]


@contextlib.contextmanager
def _env(values: dict[str, str | None]) -> Iterator[None]:
    """Set (or, for None, unset) environment variables for the duration of a stage."""
    old = {k: os.environ.get(k) for k in values}
    for k, v in values.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    try:
        yield
    finally:
        for k, v in old.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _cwd(path: Path) -> Iterator[None]:
    old = Path.cwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(old)


def run_command(name: str, argv: list[str], cwd: Path) -> tuple[Report | None, str]:
    """Parse ``launchready NAME ARGV`` and run it in ``cwd`` exactly as the CLI would, minus
    printing: the report comes back to be merged. Returns (report, what it wrote to stderr)."""
    from launchready.cli import build_parser
    from launchready.commands import COMMANDS, Context

    args = build_parser().parse_args([name, *argv])
    out, err = io.StringIO(), io.StringIO()
    with _cwd(cwd):
        config = load_config(args.config, cwd)
        ctx = Context(args=args, config=config, cwd=cwd, stdout=out, stderr=err)
        report = COMMANDS[name].run(ctx)
    return report, redact.scrub(err.getvalue())


def _key(f: Finding) -> tuple[str, str]:
    return (f.rule_id, f.fingerprint)


def merge(stages: list[StageResult], root: str) -> Report:
    """One report: scan findings, then history-only findings (secrets gone from HEAD), the
    live and email checks. The hook stage's findings are the staged subset of the scan's."""
    merged = Report(command="demo", root=root)
    by_name = {s.name: s for s in stages if s.report is not None}
    seen: set[tuple[str, str]] = set()
    for name in ("scan", "hook", "history"):
        st = by_name.get(name)
        if st is None or st.report is None:
            continue
        rep = st.report
        fresh = [f for f in rep.findings if _key(f) not in seen]
        seen.update(_key(f) for f in rep.findings)
        merged.findings.extend(fresh)
        merged.summary.files_scanned = max(merged.summary.files_scanned, rep.summary.files_scanned)
        merged.summary.commits_scanned += rep.summary.commits_scanned
        merged.summary.bytes_scanned += rep.summary.bytes_scanned
        merged.summary.suppressed += rep.summary.suppressed
        merged.notes.extend(rep.notes)
        merged.ran |= rep.ran
    for name in ("live", "journey", "email"):
        st = by_name.get(name)
        if st is None or st.report is None:
            continue
        rep = st.report
        have = {(c.id, c.target) for c in merged.checks}
        merged.checks.extend(c for c in rep.checks if (c.id, c.target) not in have)
        merged.summary.requests_sent += rep.summary.requests_sent
        merged.notes.extend(rep.notes)
        merged.ran |= rep.ran
    hook = by_name.get("hook")
    if hook is not None and hook.report is not None and hook.report.findings:
        merged.notes.append(
            f"the pre-commit hook (launchready scan --staged) would block this commit: "
            f"{len(hook.report.findings)} finding(s) in the staged files"
        )
    return merged


def run_demo(
    fixed: bool,
    progress: Progress | None = None,
    keep: Path | None = None,
    on_start: Callable[[Endpoints], None] | None = None,
    on_done: Callable[[DemoRun], None] | None = None,
) -> DemoRun:
    """Start the deployment, build the repository, run every stage, tear everything down.

    Cleanup (servers, temporary directory) happens on return, on exceptions and on Ctrl-C.
    ``keep``: build the repository there instead of a temporary directory (not deleted).
    ``on_start`` is called once the servers listen; ``on_done`` after the checks, while the
    deployment is still up (``--serve`` waits there).
    """
    say = progress or (lambda stage, detail: None)
    values = make_values(_seed())
    for raw in values.raw():
        redact.remember(raw)
    workdir = Path(tempfile.mkdtemp(prefix="launchready-demo-"))
    try:
        say("demo", "starting the deployment (HTTPS, HTTP, DNS on 127.0.0.1)")
        with Deployment(workdir, values, fixed) as deployment:
            ep = deployment.endpoints
            assert ep is not None
            if on_start is not None:
                on_start(ep)
            repo = (keep or workdir / "demo-chat").resolve()
            say("demo", "creating the demo repository")
            live = live_config(ep.base_url, ep.http_url, deployment.alice_chat, fixed)
            create_repo(repo, values, fixed, live)
            stages = _stages(ep)
            for i, st in enumerate(stages, 1):
                if st.name == "email" and _live_did_email(stages):
                    st.skipped = "the email checks ran inside `launchready live` (live.email.domain)"
                    continue
                say("demo", f"[{i}/{len(stages)}] launchready {st.name if st.name != 'hook' else 'scan'} {' '.join(st.argv)}")
                _run_stage(st, repo, values)
            demo = DemoRun(fixed, merge(stages, str(repo)), stages, ep, workdir)
            if on_done is not None:
                on_done(demo)
            return demo
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


def _live_did_email(stages: list[StageResult]) -> bool:
    live = next((s for s in stages if s.name == "live"), None)
    return bool(live and live.report and any(c.id.startswith("email.") for c in live.report.checks))


def _seed() -> int:
    from launchready.demo.values import seed_from_env

    return seed_from_env()


def _stages(ep: Endpoints) -> list[StageResult]:
    https = ["--ca-bundle", str(ep.ca_bundle)]
    for r in ep.resolves:
        https += ["--resolve", r]
    net = [*https, "--dns-server", ep.dns]
    return [
        StageResult("hook", ["--staged"]),
        StageResult("scan", [".", "--bundle", "dist"]),
        StageResult("history", ["--all"]),
        StageResult("live", net),
        StageResult("journey", https),
        StageResult("email", [DOMAIN, "--dns-server", ep.dns]),
    ]


def _run_stage(st: StageResult, repo: Path, values: DemoValues) -> None:
    command = "scan" if st.name == "hook" else st.name
    env: dict[str, str | None] = {k: getattr(values, attr) for k, attr in IDENTITY_ENV.items()}
    try:
        with _env(env):
            st.report, st.stderr = run_command(command, st.argv, repo)
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        where = ""
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            last = frames[-1]
            where = f" (at {Path(last.filename).name}:{last.lineno})"
        st.failed = redact.scrub(f"{type(exc).__name__}: {exc}{where}")
