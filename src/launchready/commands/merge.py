"""``launchready merge REPORT...``: one report, one verdict, from the reports of many
repositories (an organisation-wide audit fanned out on GitHub Actions)."""

from __future__ import annotations

import argparse
import json
from dataclasses import dataclass, field
from pathlib import Path

from launchready import redact
from launchready.audit.merge import Source, merge_reports
from launchready.commands import Context
from launchready.errors import UsageError
from launchready.model import Report
from launchready.report import Options
from launchready.report.load import ReportError, SchemaVersionError, load_report

HELP = "merge JSON reports of many repositories into one report and one verdict"
DESCRIPTION = (
    "Merge launchready JSON reports (files, or directories searched for *.json reports) into "
    "one: the same secret found in several repositories is one finding listing every "
    "location (reports must share LAUNCHREADY_FINGERPRINT_KEY), each repository gets a "
    "scorecard row, worst first, and repositories named with --expect that have no report "
    "are listed as not scanned (an error, never a pass). NAME=FILE names a report; otherwise "
    "the report's own `repository`, then its directory's name, is used. Reports of another "
    "schema_version are refused (exit 2)."
)

_GENERIC = {"report.json", "launchready.json", "launchready-report.json", "results.json"}


def add_arguments(p: argparse.ArgumentParser) -> None:
    p.add_argument("reports", nargs="+", metavar="REPORT", help="a JSON report, NAME=REPORT, or a directory of reports")
    p.add_argument(
        "--expect",
        action="append",
        default=[],
        metavar="NAME",
        help="a repository that should have a report (repeatable); missing ones fail the run",
    )
    p.add_argument(
        "--expect-file", metavar="FILE", help="file of expected repository names: one per line, or a JSON list"
    )
    p.add_argument(
        "--step-summary",
        metavar="FILE",
        help='append the scorecard and top findings as markdown to FILE (e.g. "$GITHUB_STEP_SUMMARY")',
    )


@dataclass(frozen=True)
class MergeRequest:
    """The reports to merge: JSON report files, ``NAME=FILE``, or directories searched for
    ``*.json`` (relative to ``cwd``); ``expect``: repositories that should have a report, and
    ``expect_file`` a file of them (one per line, or a JSON list): a missing one is listed as
    not scanned, an error."""

    reports: list[str]
    expect: list[str] = field(default_factory=list)
    expect_file: str | None = None
    cwd: Path = field(default_factory=Path.cwd)

    @classmethod
    def from_args(cls, args: argparse.Namespace, cwd: Path) -> MergeRequest:
        return cls(list(args.reports), list(args.expect), args.expect_file, cwd)


def _expected(request: MergeRequest) -> list[str]:
    names = [n.strip() for n in request.expect if n.strip()]
    if request.expect_file:
        path = Path(request.expect_file)
        try:
            text = (path if path.is_absolute() else request.cwd / path).read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"--expect-file {request.expect_file}: {exc.strerror or exc}") from None
        try:
            data = json.loads(text)
        except ValueError:
            data = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
        if not isinstance(data, list) or not all(isinstance(x, str) for x in data):
            raise UsageError(f"--expect-file {request.expect_file}: expected a JSON list of names or one name per line")
        names += [x.strip() for x in data if x.strip()]
    return list(dict.fromkeys(names))


def _inputs(specs: list[str], cwd: Path) -> list[tuple[str | None, Path]]:
    """(explicit name or None, file) for every report named or found in a directory."""
    out: list[tuple[str | None, Path]] = []
    for spec in specs:
        name: str | None = None
        target = spec
        if "=" in spec and not (cwd / spec).exists():
            name, target = spec.split("=", 1)
            if not name:
                raise UsageError(f"{spec}: empty name before '='")
        path = cwd / target
        if path.is_dir():
            found = sorted(p for p in path.rglob("*.json") if p.is_file() and not p.is_symlink())
            if not found:
                raise UsageError(f"{target}: no *.json reports in this directory")
            out += [(None, p) for p in found]
        elif path.is_file():
            out.append((name, path))
        else:
            raise UsageError(f"{target}: no such report file or directory")
    return out


def _default_name(path: Path) -> str:
    return path.parent.name if path.name in _GENERIC and path.parent.name else path.stem


def merge(request: MergeRequest) -> Report:
    """``launchready merge`` as a function: one report (one verdict) from many repositories'
    reports. Merging reads no config: the reports carry their findings' severities."""
    expected = _expected(request)
    sources: list[Source] = []
    names: set[str] = set()
    for given, path in _inputs(request.reports, request.cwd):
        report: Report | None
        try:
            report = load_report(path)
            error = ""
        except SchemaVersionError as exc:
            raise UsageError(str(exc)) from None
        except ReportError as exc:
            report, error = None, f"unreadable report: {exc}"
        name = given or (report.repository if report is not None and report.repository else None) or _default_name(path)
        base, n = name, 2
        while name in names:
            name, n = f"{base}#{n}", n + 1
        names.add(name)
        sources.append(Source(name, report, error))
    for name in expected:
        if name not in names:
            sources.append(Source(name, None, "no report (its job failed or uploaded nothing; see that job's log)"))
    if not sources:
        raise UsageError("nothing to merge")
    return merge_reports(sources)


def run(ctx: Context) -> Report:
    report = merge(MergeRequest.from_args(ctx.args, ctx.cwd))
    step_summary_option(ctx, report)
    return report


def step_summary_option(ctx: Context, report: Report) -> None:
    """``--step-summary FILE`` of `merge` and `audit`, judged as the command line judges."""
    if ctx.args.step_summary:
        options = Options(fail_on=ctx.fail_on, errors_ok=ctx.args.errors_ok)
        write_step_summary(report, ctx.args.step_summary, options, ctx.cwd)


def write_step_summary(report: Report, dest: str, options: Options, base: Path | None = None) -> None:
    """Append the scorecard and top findings as markdown to ``dest`` (relative to ``base``,
    default the working directory): the job summary GitHub shows (``--step-summary FILE``)."""
    from launchready.report.github import step_summary

    text = step_summary(report, options)
    try:
        with open((base or Path.cwd()) / dest, "a", encoding="utf-8") as fh:
            fh.write(redact.scrub(text if text.endswith("\n") else text + "\n"))
    except OSError as exc:
        raise UsageError(f"--step-summary {dest}: {exc.strerror or exc}") from None
