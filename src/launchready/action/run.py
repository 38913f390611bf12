"""The Action's run: inputs -> plan -> scan/history/live -> one report -> GitHub's files."""

from __future__ import annotations

import os
import re
import subprocess
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from launchready import redact
from launchready.action import event as events
from launchready.action.governance import added_suppressions, show
from launchready.action.inputs import GitHubEnv, Inputs, read_github, read_inputs
from launchready.combine import combine
from launchready.commands import Console
from launchready.commands.history import HistoryRequest
from launchready.commands.history import history as history_command
from launchready.commands.scan import ScanRequest, scan
from launchready.config import CONFIG_NAMES, Config, load_config
from launchready.errors import UsageError
from launchready.history.ignore import GitleaksIgnore
from launchready.history.ignore import parse as parse_gitleaksignore
from launchready.model import Report, Severity
from launchready.registry import DEFAULT_NAME as DEFAULT_GITLEAKS
from launchready.report import Options, OutputSpec, write_outputs
from launchready.report import github as gh_report
from launchready.secrets import suppress
from launchready.secrets.sources import git_root
from launchready.verdict import failing_checks

if TYPE_CHECKING:
    from launchready.commands.action import ActionRequest


@dataclass
class ActionRun:
    """Everything decided before scanning, for the summary."""

    inputs: Inputs
    github: GitHubEnv
    root: Path | None
    plan: events.Plan | None = None
    notes: list[str] = field(default_factory=list)
    governance: list[str] = field(default_factory=list)
    env_refused: str = ""  # non-empty: the config's environment references are not honoured, and why


def add_safe_directory(workspace: Path) -> None:
    """The workspace belongs to another uid inside the container: tell git it is fine."""
    want = str(workspace)
    have = subprocess.run(
        ["git", "config", "--global", "--get-all", "safe.directory"], capture_output=True, text=True, check=False
    )
    if want in have.stdout.split("\n"):
        return
    subprocess.run(["git", "config", "--global", "--add", "safe.directory", want], capture_output=True, check=False)


def _config_name(inputs: Inputs, workspace: Path) -> str | None:
    if inputs.config:
        return inputs.config
    return next((n for n in CONFIG_NAMES if (workspace / n).is_file()), None)


def _base_of(run: ActionRun) -> str | None:
    p = run.plan
    if p is None and run.github.event_name in PR_EVENTS and run.root is not None:
        # no history planned (mode live): the pull request's base, when this clone has it
        base = events.pr_base_sha(run.github.event)
        return base if base and events.has_commit(run.root, base) else None
    if p is None or p.whole:
        return None
    return p.base or (p.exclude[0] if p.exclude else None)


def load_run_config(run: ActionRun, tmp: Path) -> Config:
    ws = run.github.workspace
    name = _config_name(run.inputs, ws)
    base = _base_of(run)
    if run.inputs.strict_suppressions and base and run.root is not None:
        if name is None:
            name = next((n for n in CONFIG_NAMES if show(run.root, base, n) is not None), None)
        data = show(run.root, base, name) if name else None
        if data is None:
            run.notes.append(f"strict suppressions: no config at the base commit {events.short(base)}; using defaults")
            cfg = Config()
        else:
            copy = tmp / "base-config.yml"
            copy.write_bytes(data)
            cfg = load_config(copy)
            run.notes.append(f"strict suppressions: config {name} read from the base commit {events.short(base)}")
        _strict_gitleaks(run, cfg, name, base, tmp)
        cfg.path = str(ws / name) if name and data is not None else None
        return cfg
    if run.inputs.config and not (ws / run.inputs.config).is_file():
        raise UsageError(f"input config: file not found: {run.inputs.config}")
    run.env_refused = config_changed_by_pr(run, name)
    if run.env_refused:
        run.notes.append(run.env_refused)
    return load_config(ws / name if name else None, ws)


PR_EVENTS = ("pull_request", "pull_request_target")


def config_changed_by_pr(run: ActionRun, name: str | None) -> str:
    """Why the config's environment references are not honoured ("" when they are).

    A pull request that changes the config could name any variable and any target
    (``headers: {X: {env: SOME_TOKEN}}``, ``targets: [http://attacker]``). Unless strict mode
    reads the config from the base commit, a config that differs from the base commit's
    (or cannot be compared with it) has every environment reference refused."""
    if run.github.event_name not in PR_EVENTS or name is None:
        return ""
    ws = run.github.workspace
    try:
        current = (ws / name).read_bytes()
    except OSError:
        return ""
    base = events.pr_base_sha(run.github.event)
    at_base = show(run.root, base, name) if run.root is not None and base else None
    if at_base is not None and at_base == current:
        return ""
    if base is None or run.root is None or not events.has_commit(run.root, base):
        why = "cannot be compared with the pull request's base commit (not in this clone)"
    else:
        why = "is changed by this pull request"
    return (
        f"environment references refused: the config {name} {why}, so none of its environment "
        "references (live.headers env, basic_auth, identities) are read; set strict_suppressions: "
        "true to read the config from the base commit"
    )


def _strict_gitleaks(run: ActionRun, cfg: Config, config_name: str | None, base: str, tmp: Path) -> None:
    """Strict mode: the gitleaks config (and the files its ``[extend] path`` names) as they
    are at the base commit, copied under ``tmp``; none there means none is read at all, so a
    ``.gitleaks.toml`` added by the pull request cannot change what is detected."""
    assert run.root is not None
    ws = run.github.workspace
    if cfg.gitleaks_config and os.path.isabs(cfg.gitleaks_config):
        run.notes.append(
            f"strict suppressions: gitleaks_config {cfg.gitleaks_config} is an absolute path and is read from disk"
        )
        return
    config_dir = (ws / config_name).parent if config_name else ws
    wanted = config_dir / (cfg.gitleaks_config or DEFAULT_GITLEAKS)
    rel = os.path.relpath(wanted, run.root)
    if Path(rel).parts[:1] == ("..",):
        raise UsageError(
            f"gitleaks config {wanted} is outside the repository; strict suppressions cannot read it from the base commit"
        )
    rel = Path(rel).as_posix()
    tree = tmp / "base-tree"
    copied = _copy_from_base(run.root, base, rel, tree)
    if copied is None:
        cfg.gitleaks_off = True
        run.notes.append(
            f"strict suppressions: no gitleaks config {rel} at the base commit {events.short(base)}; "
            "a gitleaks config in the pull request is not read"
        )
        return
    cfg.gitleaks_config = str(copied)
    cfg.gitleaks_shown = f"{rel} (from the base commit {events.short(base)})"
    run.notes.append(f"strict suppressions: gitleaks config {rel} read from the base commit {events.short(base)}")


def _copy_from_base(root: Path, base: str, rel: str, tree: Path, depth: int = 0) -> Path | None:
    """``rel`` at ``base`` written to ``tree/rel``, with what its ``[extend] path`` names (as
    deep as the gitleaks loader follows); None when ``rel`` is not there."""
    data = show(root, base, rel)
    if data is None:
        return None
    dest = tree / rel
    dest.parent.mkdir(parents=True, exist_ok=True)
    dest.write_bytes(data)
    if depth < 2:
        from launchready.secrets.gitleaks_config import _toml

        try:
            extend = _toml().loads(data.decode("utf-8")).get("extend")
        except Exception:  # the loader reports a broken file with its reason
            return dest
        target = extend.get("path") if isinstance(extend, dict) else None
        if isinstance(target, str) and target and not os.path.isabs(target):
            nxt = os.path.normpath(os.path.join(os.path.dirname(rel), target))
            if Path(nxt).parts[:1] != ("..",):
                _copy_from_base(root, base, Path(nxt).as_posix(), tree, depth + 1)
    return dest


def _strict(run: ActionRun) -> bool:
    """Suppressions are read from the base commit (the input, and a base to read them from)."""
    return bool(run.inputs.strict_suppressions and _base_of(run) and run.root is not None)


def _no_baseline(run: ActionRun, tmp: Path) -> str:
    """Strict mode with no baseline at the base commit: an empty one is applied, so that a
    baseline the pull request adds (the default path in the work tree) is not."""
    empty = tmp / "no-baseline.json"
    suppress.save(suppress.Baseline(), empty)
    run.notes.append("strict suppressions: no baseline at the base commit; a baseline in the pull request is not read")
    return str(empty)


def _baseline_path(run: ActionRun, config: Config, tmp: Path) -> str | None:
    ws = run.github.workspace
    base = _base_of(run)
    if run.inputs.strict_suppressions and base and run.root is not None:
        rel = run.inputs.baseline or os.path.relpath(suppress.default_path(config, ws), ws)
        data = show(run.root, base, Path(rel).as_posix())
        if data is None:
            return None
        copy = tmp / "base-baseline.json"
        copy.write_bytes(data)
        run.notes.append(f"strict suppressions: baseline {rel} read from the base commit {events.short(base)}")
        return str(copy)
    if run.inputs.baseline:
        p = ws / run.inputs.baseline
        if not p.is_file():
            raise UsageError(f"input baseline: file not found: {run.inputs.baseline}")
        return str(p)
    found = suppress.default_path(config, ws)
    return str(found) if found.is_file() else None


def _gitleaksignore(run: ActionRun) -> GitleaksIgnore | None:
    base = _base_of(run)
    if run.inputs.strict_suppressions and base and run.root is not None:
        data = show(run.root, base, ".gitleaksignore")
        return parse_gitleaksignore(data.decode("utf-8", "replace") if data else "")
    return None  # the work tree's file


def repository_name(env: Mapping[str, str]) -> str | None:
    """``owner/name`` of what was scanned, so that `launchready merge` can name this report:
    LAUNCHREADY_REPOSITORY (set by a workflow that checks out another repository, as the
    organisation audit does), else GITHUB_REPOSITORY."""
    value = env.get("LAUNCHREADY_REPOSITORY") or env.get("GITHUB_REPOSITORY", "")
    return value if re.fullmatch(r"[A-Za-z0-9_.-]{1,100}/[A-Za-z0-9_.-]{1,100}", value) else None


@dataclass(frozen=True)
class ActionResult:
    """The Action's report (already published: annotations, job summary, outputs, files) and
    the threshold it was judged by (the fail-on input, else the config's, else high)."""

    report: Report
    fail_on: Severity


def execute(request: ActionRequest, console: Console) -> ActionResult:
    env = os.environ if request.environ is None else request.environ
    inputs = read_inputs(env)
    github = read_github(env, request.cwd)
    ws = github.workspace.resolve()
    github = GitHubEnv(github.event_name, github.event, ws, github.output, github.step_summary)
    add_safe_directory(ws)
    root = git_root(ws)
    run = ActionRun(inputs, github, root)
    wants_history = inputs.mode in ("history", "all")
    if wants_history:
        if root is None:
            raise UsageError(
                f"mode {inputs.mode}: the workspace {ws} is not a git repository (use actions/checkout first)"
            )
        run.plan = events.plan_for(root, github.event_name, github.event, inputs.base_ref)
        run.notes.append(f"event {github.event_name}: {run.plan.nothing or run.plan.reason}")
        run.notes.extend(events.ensure_history(root, run.plan))
        run.notes.extend(run.plan.notes)
    with tempfile.TemporaryDirectory(prefix="launchready-action-") as tmpdir:
        tmp = Path(tmpdir)
        config = load_run_config(run, tmp)
        baseline = _baseline_path(run, config, tmp)
        # fingerprints are salted like the baseline that will be applied (strict: the base's)
        redact.use_salt(suppress.salt_for(Path(baseline) if baseline else None, root))
        if baseline is None and _strict(run):
            baseline = _no_baseline(run, tmp)
        report = _scan_all(console, run, config, baseline)
    report.repository = repository_name(env)
    base = _base_of(run)
    if root is not None and base and run.plan is not None and run.plan.head:
        run.governance = added_suppressions(
            root, base, run.plan.head, _config_name(inputs, ws), inputs.baseline or None
        )
    fail_on = inputs.fail_on or config.fail_on or Severity.HIGH
    _publish(console, Options(fail_on=fail_on, errors_ok=request.errors_ok), run, report)
    return ActionResult(report, fail_on)


def _scan_all(console: Console, run: ActionRun, config: Config, baseline: str | None) -> Report:
    """scan, history and live as plain calls of the commands' functions, merged in one place
    (``combine``)."""
    inputs, ws = run.inputs, run.github.workspace
    notes = list(run.notes)
    tree: list[Report] = []
    history: list[Report] = []
    checks: list[Report] = []
    if inputs.mode in ("scan", "all"):
        tree.append(scan(ScanRequest(baseline=baseline, cwd=ws), config, console))
    if inputs.mode in ("history", "all") and run.plan is not None and run.root is not None:
        if run.plan.nothing:
            notes.append(f"history: nothing to scan ({run.plan.nothing})")
        else:
            request = HistoryRequest(
                str(run.root), baseline=baseline, ignore=_gitleaksignore(run), cwd=ws, **run.plan.history_scope()
            )
            part = history_command(request, config, console)
            expected = run.plan.expected_commits
            if expected is not None and part.summary.commits_scanned < expected:
                raise UsageError(
                    f"only {part.summary.commits_scanned} of the pull request's {expected} commits are reachable "
                    f"here; set {events.needed_depth(run.plan)}"
                )
            history.append(part)
    if inputs.mode in ("live", "all"):
        part_or_note = _live(run, config, console)
        if isinstance(part_or_note, Report):
            checks.append(part_or_note)
        else:
            notes.append(part_or_note)
    return combine("action", str(ws), tree, history, checks, notes)


def _live(run: ActionRun, config: Config, console: Console) -> Report | str:
    """The live checks' report, or why they did not run."""
    inputs, ws = run.inputs, run.github.workspace
    configured = bool(config.live.get("targets")) if isinstance(config.live, dict) else False
    if not inputs.url and not configured:
        why = "no url input and no live.targets in the config"
        if inputs.mode == "live":
            raise UsageError(f"mode live: {why}")
        return f"live checks not run: {why} (set the url input, e.g. to the preview deployment)"
    from launchready.commands.live import LiveRequest, live  # late: the HTTP stack only when needed

    request = LiveRequest(
        url=inputs.url or None,
        allow_env=[inputs.allow_env] if inputs.allow_env else [],
        env_refused=run.env_refused,
        cwd=ws,
    )  # a config the PR changed: no environment reads
    return live(request, config, console)


def _handover(run: ActionRun, report: Report) -> str:
    """The inventory's handover document for the job summary, with the secrets this run's
    history scan found (no second scan)."""
    from launchready.inventory.build import build
    from launchready.inventory.render import markdown

    ws = run.github.workspace
    found = [f for f in report.findings if f.category == "secret" and f.commit]
    note = "from this run's history scan" if run.plan is not None else "history not scanned in this mode"
    inv = build(run.root or ws, found if run.plan is not None else None, note)
    return redact.scrub(markdown(inv, report.repository or ws.name)).replace(
        "# Launch handover", "## Launch handover", 1
    )


def _publish(console: Console, options: Options, run: ActionRun, report: Report) -> None:
    inputs, ws = run.inputs, run.github.workspace
    fail_on = options.fail_on
    files: dict[str, str] = {}
    paths: dict[str, str] = {}
    for key, value in (("json", inputs.json_path), ("junit", inputs.junit_path), ("sarif", inputs.sarif_path)):
        if value:
            full = Path(value) if os.path.isabs(value) else ws / value
            files[key] = str(full)
            # Relative to the workspace: later steps run on the host, where the container's
            # /github/workspace is mounted under another path.
            try:
                paths[key] = full.relative_to(ws).as_posix()
            except ValueError:
                paths[key] = str(full)
    if inputs.annotations:
        lines, _dropped = gh_report.annotations(report, options)
        for line in lines:
            console.stdout.write(line + "\n")
        console.stdout.flush()
    if inputs.summary and run.github.step_summary:
        text = gh_report.step_summary(report, options, notes=run.governance)
        if inputs.inventory:
            text = text.rstrip("\n") + "\n\n" + _handover(run, report)
        with open(run.github.step_summary, "a", encoding="utf-8") as fh:
            fh.write(text if text.endswith("\n") else text + "\n")
    elif run.governance:
        report.notes.extend(run.governance)
    if run.github.output:
        gh_report.write_github_outputs(
            run.github.output,
            {
                "findings": len(report.findings),
                "failed_checks": failing_checks(report, fail_on, options.errors_ok),
                "report_path": paths.get("json", ""),
                "junit_path": paths.get("junit", ""),
                "sarif_path": paths.get("sarif", ""),
            },
        )
    # report files: no symlink below the workspace is followed
    write_outputs(
        report,
        OutputSpec(
            options, json=files.get("json"), sarif=files.get("sarif"), junit=files.get("junit"), text=False, base=ws
        ),
    )
