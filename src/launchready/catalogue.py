"""One catalogue of everything launchready checks: every rule and check id with what it
looks for, its severity (when fixed ahead of time) and its fix.

Every area contributes explicitly, through a typed ``Protocol`` that mypy checks:

- a secret rule (``SecretRule``): the built-in pack, credential files, ``env.*`` and
  ``build.*`` file rules, custom and gitleaks-migrated rules (``registry.rule_set``);
- a repo rule (``RepoRule``): ``repo.rules()``;
- a live area (``LiveArea``): each module listed in ``live.runner.AREAS``, with ``IDS`` and
  ``FIX``;
- a check area (``CheckArea``): a module with ``CHECKS`` (id -> what it checks): the email
  checks, and ``history``, ``audit``/``merge``, ``inventory`` and ``journey``.

It feeds ``rules list`` and ``rules explain``, SARIF rule metadata, the scorecard and the
check of ``rules.disable`` in the config. Imported lazily: the live areas import the HTTP
stack, which the pre-commit hook never needs.
"""

from __future__ import annotations

import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from launchready.model import Severity

if TYPE_CHECKING:
    from launchready.config import Config
    from launchready.live.base import Planned, Run
    from launchready.live.config import Target
    from launchready.model import CheckResult


class _Rule(Protocol):
    """What every rule of the catalogue says about itself."""

    @property
    def id(self) -> str: ...
    @property
    def severity(self) -> Severity: ...
    @property
    def description(self) -> str: ...
    @property
    def fix(self) -> str: ...


class SecretRule(_Rule, Protocol):
    """A detection rule the secret engine runs (or a file rule it lists)."""

    @property
    def source(self) -> str: ...


class RepoRule(_Rule, Protocol):
    """A static check of the repository's code and configuration."""

    @property
    def scope(self) -> str: ...


class LiveArea(Protocol):
    """A module of live checks against the deployed site (``live.runner.AREAS``)."""

    @property
    def AREA(self) -> str: ...
    @property
    def PHASE(self) -> int: ...
    @property
    def IDS(self) -> tuple[str, ...]: ...
    @property
    def FIX(self) -> str | Mapping[str, str]: ...

    def plan(self, run: Run, target: Target) -> list[Planned]: ...
    def check(self, run: Run, target: Target) -> list[CheckResult]: ...


class CheckArea(Protocol):
    """A module whose checks have fixed ids: ``CHECKS`` maps each id to what it checks."""

    @property
    def CHECKS(self) -> Mapping[str, str]: ...


@dataclass(frozen=True)
class Entry:
    id: str
    kind: str  # secret, env, build, repo, live, email, history, audit, inventory, journey
    description: str
    fix: str = ""
    severity: Severity | None = None  # None: decided per result (live and email checks)
    source: str = "builtin"  # builtin, custom, gitleaks
    scope: str = ""  # repo rules: file, app or file+app
    area: str = ""  # live and email: the module that runs it


def _kind(rule_id: str, default: str) -> str:
    head = rule_id.split(".", 1)[0]
    return head if head in ("env", "build", "repo") else default


def from_secret_rule(rule: SecretRule) -> Entry:
    return Entry(rule.id, _kind(rule.id, "secret"), rule.description, rule.fix, rule.severity, rule.source)


def from_repo_rule(rule: RepoRule) -> Entry:
    return Entry(rule.id, "repo", rule.description, rule.fix, rule.severity, scope=rule.scope)


def from_live_area(area: LiveArea) -> list[Entry]:
    about = (area.__doc__ or "").strip().split("\n\n", 1)[0].replace("\n", " ")  # type: ignore[attr-defined]
    about = about.split(":", 1)[1].strip() if about.startswith("``") and ":" in about else about
    fixes = area.FIX
    return [
        Entry(i, "live", about, fixes if isinstance(fixes, str) else fixes.get(i, ""), area=area.AREA) for i in area.IDS
    ]


def from_check_area(kind: str, area: CheckArea, severity: Severity | None = None) -> list[Entry]:
    return [Entry(i, kind, about, severity=severity, area=kind) for i, about in area.CHECKS.items()]


def live_areas() -> Sequence[LiveArea]:
    from launchready.live.runner import AREAS

    return AREAS


def email_areas() -> Sequence[CheckArea]:
    from launchready.email import dkim, dmarc, mtasts, mx, spf

    return (spf, dkim, dmarc, mx, mtasts)


def _other_areas() -> list[Entry]:
    from launchready import history
    from launchready.audit import merge
    from launchready.inventory import build
    from launchready.journey import runner

    return [
        *from_check_area("history", history, Severity.HIGH),
        *from_check_area("audit", merge),
        *[Entry(i, "inventory", about, build.FIXES[i], build.SEVERITIES[i]) for i, about in build.CHECKS.items()],
        *from_check_area("journey", runner, Severity.HIGH),
    ]


@functools.cache
def builtin() -> tuple[Entry, ...]:
    """Every built-in id (no custom or gitleaks rules: those come with a config)."""
    from launchready import repo
    from launchready.registry import file_rules
    from launchready.secrets.rules import default_rules

    entries = [from_secret_rule(r) for r in [*default_rules(), *file_rules()]]
    entries += [from_repo_rule(r) for r in repo.rules()]
    for area in live_areas():
        entries += from_live_area(area)
    for email in email_areas():
        entries += from_check_area("email", email)
    entries += _other_areas()
    return tuple(entries)


def entries(config: Config) -> list[Entry]:
    """What ``config`` enables: the built-in ids less ``rules.disable``, plus its custom and
    gitleaks-migrated rules."""
    from launchready.registry import rule_set

    enabled = {r.id: r for r in rule_set(config, None).rules}
    out = [from_secret_rule(r) for r in enabled.values()]
    seen = set(enabled)
    off = config.disabled_rules
    for e in builtin():
        if e.id in seen or e.id in off or (e.kind == "secret" and e.id.removeprefix("secret.") in off):
            continue
        seen.add(e.id)
        out.append(e)
    return out


def find(rule_id: str, candidates: Sequence[Entry] | None = None) -> Entry | None:
    """The entry for ``rule_id`` (secret and repo ids may omit their prefix)."""
    pool = builtin() if candidates is None else candidates
    for wanted in (rule_id, f"secret.{rule_id}", f"repo.{rule_id}"):
        for e in pool:
            if e.id == wanted:
                return e
    if rule_id.startswith("journey."):  # one check per journey step, named after it
        return next((e for e in pool if e.id == "journey.<step>"), None)
    return None


def known(rule_id: str) -> bool:
    return find(rule_id) is not None


KIND_TITLES = (
    ("env", "Env files (`env.*`)"),
    ("build", "Build output (`build.*`)"),
    ("repo", "Repository checks (`repo.*`)"),
    ("live", "Live checks against the deployed site"),
    ("email", "Email checks (`email.*`)"),
    ("history", "History"),
    ("inventory", "Inventory (`launchready inventory`)"),
    ("audit", "Merged reports (`launchready merge`, `launchready audit`)"),
    ("journey", "Journey (`launchready journey`)"),
)


def render_markdown() -> str:
    """docs/checks.md: every id but the secret rules (docs/rules.md lists those in detail)."""
    out = [
        "# Every check\n",
        "Generated from the catalogue (`src/launchready/catalogue.py`): `python -m launchready.catalogue > "
        "docs/checks.md`. The secret rules (`secret.*`) are in [rules.md](rules.md). `launchready rules list` "
        "shows all of them and `launchready rules explain ID` one; any id can go in `rules.disable`. "
        'Live and email checks set their severity per result ("varies").\n',
    ]
    entries = builtin()
    for kind, title in KIND_TITLES:
        rows = [e for e in entries if e.kind == kind]
        if not rows:
            continue
        out += [f"## {title}\n", "| id | severity | checks | fix |", "|---|---|---|---|"]
        for e in rows:
            fix = e.fix.replace("|", "\\|")
            about = e.description.replace("|", "\\|")
            out.append(f"| `{e.id}` | {e.severity.value if e.severity else 'varies'} | {about} | {fix} |")
        out.append("")
    return "\n".join(out)


if __name__ == "__main__":
    import sys

    sys.stdout.write(render_markdown())
