"""Run the demo: deployment up, repository built, then scan, history, live, journey and email
through the commands' own functions (``scan(ScanRequest, config)`` and the rest: what a
user's command line runs after parsing), merged in one place (``launchready.combine``) into
one report with ``command: "demo"``.

Nothing is simulated: every stage runs the real command, in the demo repository (passed as
the request's ``cwd``, never by changing this process's directory) with the demo users'
tokens (passed as the request's ``environ``, never by editing this process's environment).
"""

from __future__ import annotations

import io
import os
import shutil
import tempfile
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from launchready import redact
from launchready.combine import combine
from launchready.commands import Console
from launchready.commands.email import EmailRequest, email
from launchready.commands.history import HistoryRequest, history
from launchready.commands.journey import JourneyRequest, journey
from launchready.commands.live import LiveRequest, live
from launchready.commands.scan import ScanRequest, scan
from launchready.config import Config, load_config
from launchready.demo import DOMAIN
from launchready.demo.repo import create_repo, live_config
from launchready.demo.server import Deployment, Endpoints
from launchready.demo.values import DemoValues, make_values
from launchready.model import Report

IDENTITY_ENV = {"LR_DEMO_USER_A_TOKEN": "alice_token", "LR_DEMO_USER_B_TOKEN": "bob_token"}


# A stage: the command's function, given the demo repository, its config, where to talk and
# the environment the demo users' tokens are read from.
Call = Callable[[Path, Config, Console, Mapping[str, str]], Report]


@dataclass
class StageResult:
    name: str
    argv: list[str]  # the same run as a command line, for the progress line
    call: Call
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


def merge(stages: list[StageResult], root: str) -> Report:
    """One report: the scan's findings (the staged hook scan is a subset of them), history's
    joined to them (``combine``), the live, journey and email checks."""
    by_name = {s.name: s.report for s in stages if s.report is not None}
    checks = [r for name in ("live", "journey", "email") if (r := by_name.get(name)) is not None]
    merged = combine(
        "demo",
        root,
        tree=[r for name in ("scan", "hook") if (r := by_name.get(name)) is not None],
        history=[r for name in ("history",) if (r := by_name.get(name)) is not None],
        checks=checks,
    )
    sent = [f"{r.command} {r.summary.requests_sent}" for r in checks if r.summary.requests_sent]
    if len(sent) > 1:  # the summary's total, with the stages that make it up (notes name each part)
        merged.notes.append(f"requests: {merged.summary.requests_sent} sent in all ({', '.join(sent)})")
    hook = by_name.get("hook")
    if hook is not None and hook.findings:
        merged.notes.append(
            f"the pre-commit hook (launchready scan --staged) would block this commit: "
            f"{len(hook.findings)} finding(s) in the staged files"
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
                say(
                    "demo",
                    f"[{i}/{len(stages)}] launchready {st.name if st.name != 'hook' else 'scan'} {' '.join(st.argv)}",
                )
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
    ca, resolves, dns = str(ep.ca_bundle), list(ep.resolves), ep.dns
    https = ["--ca-bundle", ca]
    for r in resolves:
        https += ["--resolve", r]
    net = [*https, "--dns-server", dns]

    def hook(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return scan(ScanRequest(staged=True, cwd=repo), config, console)

    def whole(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return scan(ScanRequest(paths=["."], bundles=["dist"], cwd=repo), config, console)

    def commits(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return history(HistoryRequest(all=True, cwd=repo), config, console)

    def site(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return live(
            LiveRequest(ca_bundle=ca, resolve=resolves, dns_server=[dns], environ=env, cwd=repo), config, console
        )

    def steps(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return journey(JourneyRequest(ca_bundle=ca, resolve=resolves, environ=env, cwd=repo), config, console)

    def mail(repo: Path, config: Config, console: Console, env: Mapping[str, str]) -> Report:
        return email(EmailRequest(DOMAIN, dns_server=[dns], cwd=repo), config)

    return [
        StageResult("hook", ["--staged"], hook),
        StageResult("scan", [".", "--bundle", "dist"], whole),
        StageResult("history", ["--all"], commits),
        StageResult("live", net, site),
        StageResult("journey", https, steps),
        StageResult("email", [DOMAIN, "--dns-server", dns], mail),
    ]


def _run_stage(st: StageResult, repo: Path, values: DemoValues) -> None:
    env = dict(os.environ)  # read, never edited: the demo users' tokens go in the request
    for var, attr in IDENTITY_ENV.items():
        value = getattr(values, attr)
        if value is None:
            env.pop(var, None)
        else:
            env[var] = value
    err = io.StringIO()
    try:
        config = load_config(None, repo)
        st.report = st.call(repo, config, Console(io.StringIO(), err), env)
        st.stderr = redact.scrub(err.getvalue())
    except KeyboardInterrupt:
        raise
    except Exception as exc:
        st.stderr = redact.scrub(err.getvalue())
        where = ""
        frames = traceback.extract_tb(exc.__traceback__)
        if frames:
            last = frames[-1]
            where = f" (at {Path(last.filename).name}:{last.lineno})"
        st.failed = redact.scrub(f"{type(exc).__name__}: {exc}{where}")
