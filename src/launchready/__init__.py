"""launchready: is your AI product safe to launch?

The commands are functions too (docs/library.md)::

    from launchready import ScanRequest, load_config, scan

    report = scan(ScanRequest(paths=["."]), load_config(None))
    for finding in report.findings:
        print(finding.rule_id, finding.path, finding.line, finding.secret)  # redacted

Each takes a request (a dataclass of the command's options), an optional ``Config`` and an
optional ``Console`` (where warnings and progress go; silent by default), and returns a
``Report`` (the commands that write files return what they did). Names are imported on first
use: ``import launchready`` stays as light as the pre-commit hook needs.
"""

from __future__ import annotations

import importlib

# not ``typing.TYPE_CHECKING``: importing typing costs ~10 ms before the ``launchready``
# command can start anything (mypy reads any name TYPE_CHECKING this way)
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__version__ = "0.1.0"

# public name -> (module that defines it, its name there). ``history``, ``live``, ``email``,
# ``journey``, ``audit``, ``inventory`` and ``init`` are also this package's subpackages, so
# their functions (and the others', for one style) go by verbs here.
_API = {
    "scan": ("launchready.commands.scan", "scan"),
    "ScanRequest": ("launchready.commands.scan", "ScanRequest"),
    "scan_history": ("launchready.commands.history", "history"),
    "HistoryRequest": ("launchready.commands.history", "HistoryRequest"),
    "check_live": ("launchready.commands.live", "live"),
    "LiveRequest": ("launchready.commands.live", "LiveRequest"),
    "check_email": ("launchready.commands.email", "email"),
    "EmailRequest": ("launchready.commands.email", "EmailRequest"),
    "run_journey": ("launchready.commands.journey", "journey"),
    "JourneyRequest": ("launchready.commands.journey", "JourneyRequest"),
    "merge_report_files": ("launchready.commands.merge", "merge"),
    "MergeRequest": ("launchready.commands.merge", "MergeRequest"),
    "write_step_summary": ("launchready.commands.merge", "write_step_summary"),
    "audit_mirrors": ("launchready.commands.audit", "audit"),
    "AuditRequest": ("launchready.commands.audit", "AuditRequest"),
    "take_inventory": ("launchready.commands.inventory", "inventory"),
    "InventoryRequest": ("launchready.commands.inventory", "InventoryRequest"),
    "describe_rules": ("launchready.commands.rules", "rules"),
    "RulesRequest": ("launchready.commands.rules", "RulesRequest"),
    "init_repo": ("launchready.commands.init", "init"),
    "InitRequest": ("launchready.commands.init", "InitRequest"),
    "InitResult": ("launchready.commands.init", "InitResult"),
    "write_baseline": ("launchready.commands.baseline", "baseline"),
    "BaselineRequest": ("launchready.commands.baseline", "BaselineRequest"),
    "BaselineResult": ("launchready.commands.baseline", "BaselineResult"),
    "install_hook": ("launchready.commands.install_hook", "install_hook"),
    "InstallHookRequest": ("launchready.commands.install_hook", "InstallHookRequest"),
    "HookInstalled": ("launchready.commands.install_hook", "HookInstalled"),
    "Console": ("launchready.commands", "Console"),
    "Config": ("launchready.config", "Config"),
    "load_config": ("launchready.config", "load_config"),
    "Report": ("launchready.model", "Report"),
    "Finding": ("launchready.model", "Finding"),
    "CheckResult": ("launchready.model", "CheckResult"),
    "Severity": ("launchready.model", "Severity"),
    "Status": ("launchready.model", "Status"),
    "OutputSpec": ("launchready.report", "OutputSpec"),
    "Options": ("launchready.report", "Options"),
    "write_outputs": ("launchready.report", "write_outputs"),
    "exit_code": ("launchready.verdict", "exit_code"),
    "combine_reports": ("launchready.combine", "combine"),
}

__all__ = [
    "AuditRequest",
    "BaselineRequest",
    "BaselineResult",
    "CheckResult",
    "Config",
    "Console",
    "EmailRequest",
    "Finding",
    "HistoryRequest",
    "HookInstalled",
    "InitRequest",
    "InitResult",
    "InstallHookRequest",
    "InventoryRequest",
    "JourneyRequest",
    "LiveRequest",
    "MergeRequest",
    "Options",
    "OutputSpec",
    "Report",
    "RulesRequest",
    "ScanRequest",
    "Severity",
    "Status",
    "__version__",
    "audit_mirrors",
    "check_email",
    "check_live",
    "combine_reports",
    "describe_rules",
    "exit_code",
    "init_repo",
    "install_hook",
    "load_config",
    "merge_report_files",
    "run_journey",
    "scan",
    "scan_history",
    "take_inventory",
    "write_baseline",
    "write_outputs",
    "write_step_summary",
]

if TYPE_CHECKING:
    from launchready.combine import combine as combine_reports
    from launchready.commands import Console
    from launchready.commands.audit import AuditRequest
    from launchready.commands.audit import audit as audit_mirrors
    from launchready.commands.baseline import BaselineRequest, BaselineResult
    from launchready.commands.baseline import baseline as write_baseline
    from launchready.commands.email import EmailRequest
    from launchready.commands.email import email as check_email
    from launchready.commands.history import HistoryRequest
    from launchready.commands.history import history as scan_history
    from launchready.commands.init import InitRequest, InitResult
    from launchready.commands.init import init as init_repo
    from launchready.commands.install_hook import HookInstalled, InstallHookRequest, install_hook
    from launchready.commands.inventory import InventoryRequest
    from launchready.commands.inventory import inventory as take_inventory
    from launchready.commands.journey import JourneyRequest
    from launchready.commands.journey import journey as run_journey
    from launchready.commands.live import LiveRequest
    from launchready.commands.live import live as check_live
    from launchready.commands.merge import MergeRequest, write_step_summary
    from launchready.commands.merge import merge as merge_report_files
    from launchready.commands.rules import RulesRequest
    from launchready.commands.rules import rules as describe_rules
    from launchready.commands.scan import ScanRequest, scan
    from launchready.config import Config, load_config
    from launchready.model import CheckResult, Finding, Report, Severity, Status
    from launchready.report import Options, OutputSpec, write_outputs
    from launchready.verdict import exit_code


def __getattr__(name: str) -> Any:
    where = _API.get(name)
    if where is None:
        raise AttributeError(f"module 'launchready' has no attribute {name!r}")
    value = getattr(importlib.import_module(where[0]), where[1])
    globals()[name] = value
    return value
