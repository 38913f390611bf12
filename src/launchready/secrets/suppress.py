"""Suppression: inline allow markers and baseline files.

Inline markers (``launchready:allow``, detect-secrets' ``pragma: allowlist secret``,
gitleaks' ``gitleaks:allow``) are recognised by the engine (``Match.allowed``); sources count
them in ``summary.suppressed``.

A baseline (``.launchready-baseline.json``) records known findings by the contract's
fingerprint (rule id + keyed scrypt hash of the secret; no raw secret, no fast hash), so it
survives line moves and renames. Findings whose fingerprint is in the baseline are dropped
and counted as suppressed; only new findings fail. ``apply_baseline`` is the one entry point
every command (scan, history, action) calls.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from launchready.config import Config
from launchready.errors import ConfigError, UsageError
from launchready.model import Finding, Report
from launchready.outfiles import replace_text

BASELINE_NAME = ".launchready-baseline.json"
BASELINE_VERSION = 2  # 2: a random per-repository "salt"; 1 (read, kept): the shared salt
READ_VERSIONS = (1, 2)


@dataclass
class Baseline:
    """fingerprint -> {rule_id, path, line, secret (redacted)}: display data for reviewers."""

    entries: dict[str, dict[str, Any]] = field(default_factory=dict)
    path: Path | None = None
    salt: str | None = None  # hex; None: a version 1 baseline (the shared salt)

    def __contains__(self, fingerprint: str) -> bool:
        return fingerprint in self.entries

    def add(self, finding: Finding) -> bool:
        if finding.fingerprint in self.entries:
            return False
        self.entries[finding.fingerprint] = entry(finding)
        return True

    def to_json(self) -> dict[str, Any]:
        import datetime as _dt

        out: dict[str, Any] = {
            "version": BASELINE_VERSION if self.salt else 1,
            "tool": "launchready",
            "generated_at": _dt.datetime.now(_dt.timezone.utc).replace(microsecond=0).isoformat(),
            "keyed": bool(os.environ.get("LAUNCHREADY_FINGERPRINT_KEY")),
        }
        if self.salt:
            out["salt"] = self.salt
        out["entries"] = {fp: self.entries[fp] for fp in sorted(self.entries)}
        return out

    def salt_bytes(self) -> bytes:
        """What ``redact`` salts fingerprints with for this baseline."""
        from launchready import redact

        return redact.baseline_salt(self.salt)


def entry(f: Finding) -> dict[str, Any]:
    return {"rule_id": f.rule_id, "path": f.path, "line": f.line, "secret": f.secret}


def load(path: Path) -> Baseline:
    """Read a baseline; a broken one is a ConfigError naming the file (exit 2)."""
    shown = str(path)
    from launchready.bounded import MAX_BASELINE_BYTES, BoundedReadError, read_text

    try:
        text = read_text(path, MAX_BASELINE_BYTES)
    except FileNotFoundError:
        raise ConfigError(shown, None, None, "baseline file not found") from None
    except BoundedReadError as exc:
        raise ConfigError(shown, None, None, f"baseline refused: {exc}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(shown, None, None, f"cannot read baseline: {exc}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ConfigError(shown, exc.lineno, None, f"invalid JSON: {exc.msg}") from None
    except RecursionError:
        raise ConfigError(shown, None, None, "invalid baseline: JSON nested too deeply") from None
    if not isinstance(data, dict) or "entries" not in data:
        if isinstance(data, dict) and "plugins_used" in data:
            raise ConfigError(
                shown,
                None,
                None,
                "this is a detect-secrets baseline: convert it with `launchready baseline import FILE`",
            )
        raise ConfigError(shown, None, None, "not a launchready baseline (no 'entries')")
    if data.get("version") not in READ_VERSIONS:
        raise ConfigError(
            shown,
            None,
            "version",
            f"unsupported baseline version (got {_version_shown(data.get('version'))}; this launchready reads 1 and 2)",
        )
    salt = data.get("salt")
    if data["version"] == 2 and not (
        isinstance(salt, str) and len(salt) >= 32 and all(c in "0123456789abcdef" for c in salt)
    ):
        raise ConfigError(shown, None, "salt", "a version 2 baseline needs 'salt': at least 32 lowercase hex digits")
    entries = data["entries"]
    if not isinstance(entries, dict) or not all(isinstance(v, dict) for v in entries.values()):
        raise ConfigError(shown, None, "entries", "must map fingerprints to objects")
    return Baseline(entries=dict(entries), path=path, salt=salt if data["version"] == 2 else None)


def _version_shown(version: Any) -> str:
    """A baseline's ``version`` for an error: a number as written, anything else by its kind."""
    from launchready.section_reader import describe

    return f"version {version}" if type(version) is int else describe(version)


def new_salt() -> str:
    """A random per-repository salt for a new baseline (128 bits, hex)."""
    return os.urandom(16).hex()


def salt_for(baseline_path: Path | None, root: Path | None) -> bytes:
    """The salt fingerprints use: the baseline's when there is a readable one, else the
    repository's (from its root commits), else the shared one (not in a repository)."""
    from launchready import redact

    if baseline_path is not None and baseline_path.is_file():
        try:
            return load(baseline_path).salt_bytes()
        except ConfigError:
            pass  # applying it reports the problem
    return redact.repository_salt(root)


def save(baseline: Baseline, path: Path) -> None:
    """Write ``baseline`` to ``path`` atomically (``outfiles.replace_text``: a path that is a
    device, pipe or directory is refused)."""
    text = json.dumps(baseline.to_json(), indent=2, ensure_ascii=False) + "\n"
    replace_text(path, text, "baseline", "name a file to write the baseline to")


def default_path(config: Config, root: Path) -> Path:
    """Config ``baseline:`` (relative to the config file) or ``.launchready-baseline.json`` at ``root``."""
    if config.baseline:
        p = Path(config.baseline)
        if not p.is_absolute():
            p = (Path(config.path).parent if config.path else root) / p
        return p
    return root / BASELINE_NAME


def resolve(explicit: str | None, config: Config, root: Path, cwd: Path) -> Path | None:
    """The baseline to apply: ``--baseline FILE`` (must exist), else config/default if present."""
    if explicit:
        p = Path(explicit) if os.path.isabs(explicit) else cwd / explicit
        if not p.is_file():
            raise UsageError(f"baseline file not found: {explicit}")
        return p
    p = default_path(config, root)
    return p if p.exists() else None  # a FIFO or device is refused by load(), not skipped


def filter_findings(findings: Iterable[Finding], baseline: Baseline) -> tuple[list[Finding], int]:
    kept: list[Finding] = []
    dropped = 0
    for f in findings:
        if f.fingerprint in baseline:
            dropped += 1
        else:
            kept.append(f)
    return kept, dropped


def apply_baseline(report: Report, baseline_path: str | os.PathLike[str] | None) -> int:
    """Drop findings recorded in the baseline at ``baseline_path`` (None: nothing to do).

    Adds the number dropped to ``report.summary.suppressed`` and returns it. Raises
    ``ConfigError`` for a missing or broken file.
    """
    if baseline_path is None:
        return 0
    baseline = load(Path(baseline_path))
    report.findings, dropped = filter_findings(report.findings, baseline)
    report.summary.suppressed += dropped
    if dropped:
        report.notes.append(f"{dropped} known finding(s) suppressed by the baseline {Path(baseline_path).name}")
    return dropped


# ---- detect-secrets import -------------------------------------------------------------------


@dataclass
class ImportResult:
    imported: int = 0
    by_line: int = 0  # matched by file and line because the hashes differ (value extent)
    unmatched: list[tuple[str, int, str]] = field(default_factory=list)  # path, line, type


def import_detect_secrets(ds_baseline: Path, root: Path, engine: Any, into: Baseline) -> ImportResult:
    """Convert a detect-secrets ``.secrets.baseline`` into our fingerprints.

    detect-secrets stores only ``hashed_secret`` (an unsalted SHA-1 of the secret) with file
    and line. We re-scan each referenced file with our engine and record our fingerprint for
    every match whose SHA-1 equals that hash; when the hashes differ (the two tools cut the
    value differently) a match of ours on the same line is recorded instead. Entries neither
    way finds (file gone, a detector we do not have) are listed as unmatched.
    """
    try:
        from detect_secrets.core import baseline as ds  # lazy: never on the hot path
        from detect_secrets.core.potential_secret import PotentialSecret
    except ImportError:
        raise UsageError(
            "baseline import needs the detect-secrets package: pip install 'launchready[detect-secrets]'"
        ) from None
    from launchready.secrets.engine import to_finding

    try:
        raw = ds.load_from_file(str(ds_baseline))
        collection = ds.load(raw, str(ds_baseline))
    except FileNotFoundError:
        raise UsageError(f"detect-secrets baseline not found: {ds_baseline}") from None
    except (ValueError, KeyError, TypeError, OSError) as exc:
        # the exception's text can quote the file (a value); its kind and a line say enough
        line = getattr(exc, "lineno", None)
        raise ConfigError(
            str(ds_baseline), line, None, f"not a readable detect-secrets baseline ({type(exc).__name__})"
        ) from None
    result = ImportResult()
    by_file: dict[str, list[Any]] = {}
    for filename, secret in collection:
        by_file.setdefault(filename, []).append(secret)
    for filename, wanted in sorted(by_file.items()):
        path = root / filename
        try:
            text = path.read_bytes().decode("utf-8-sig", errors="replace")
        except OSError:
            result.unmatched.extend((filename, s.line_number or 0, s.type) for s in wanted)
            continue
        shown = Path(filename).as_posix()
        matches = engine.scan(text, shown)
        for s in wanted:
            hits = [m for m in matches if PotentialSecret.hash_secret(m.secret) == s.secret_hash]
            if not hits and s.line_number:
                hits = [m for m in matches if m.line == s.line_number]
                if hits:
                    result.by_line += 1
            if not hits:
                result.unmatched.append((filename, s.line_number or 0, s.type))
                continue
            for m in hits:
                if into.add(to_finding(m, shown)):
                    result.imported += 1
    return result
