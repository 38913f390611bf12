"""Values in journey steps: ``{env: VAR}``, ``{var: name}`` and per-run generated values.

A string in a step (a path, a header, a JSON body value, an expected text) is a
``Template``: literal text with placeholders.

- ``{env: VAR}``: an environment variable, read at run time (same rule as live identities:
  secrets are never written in the file). Its value is registered for redaction.
- ``{var: name}``: a value captured by an earlier step (a session token, a chat id).
- ``{uuid}``, ``{timestamp}``: generated once per run (the same value in every step).
- ``{email}``: a unique signup address per run, ``launchready+<timestamp>-<id>@<journey.email_domain>``.
- ``{password}``: a strong password generated per run, registered for redaction.

A YAML mapping ``{env: VAR}`` or ``{var: name}`` used as a whole value means the same as the
string form. Other braces are literal text.
"""

from __future__ import annotations

import os
import re
import secrets
import time
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from launchready import redact
from launchready.section_reader import shown_name

GENERATED = ("uuid", "timestamp", "email", "password")
PLACEHOLDER = re.compile(r"\{\s*(env|var)\s*:\s*([A-Za-z_][\w-]*)\s*\}|\{(uuid|timestamp|email|password)\}")


@dataclass(frozen=True)
class Placeholder:
    kind: str  # env | var | gen
    name: str


@dataclass(frozen=True)
class Template:
    parts: tuple[str | Placeholder, ...]

    @property
    def literal(self) -> bool:
        return all(isinstance(p, str) for p in self.parts)

    def placeholders(self, kind: str) -> set[str]:
        return {p.name for p in self.parts if isinstance(p, Placeholder) and p.kind == kind}

    def shown(self) -> str:
        """The template as written (for dry runs and messages): placeholders, not values."""
        out = []
        for p in self.parts:
            if isinstance(p, str):
                out.append(p)
            elif p.kind == "gen":
                out.append("{" + p.name + "}")
            else:
                out.append("{" + p.kind + ": " + p.name + "}")
        return "".join(out)


def parse_template(raw: Any) -> Template:
    """A string, or a one-key mapping ``{env: VAR}`` / ``{var: name}``, as a Template."""
    if isinstance(raw, dict):
        if len(raw) == 1:
            ((k, val),) = raw.items()
            if k in ("env", "var") and isinstance(val, str) and re.fullmatch(r"[A-Za-z_][\w-]*", val.strip()):
                return Template((Placeholder(k, val.strip()),))
        raise ValueError("a value mapping must be {env: VARIABLE} or {var: name}")
    if isinstance(raw, bool) or raw is None:
        raise ValueError("must be a string")
    if isinstance(raw, (int, float)):
        raw = str(raw)
    if not isinstance(raw, str):
        raise ValueError("must be a string")
    parts: list[str | Placeholder] = []
    pos = 0
    for m in PLACEHOLDER.finditer(raw):
        if m.start() > pos:
            parts.append(raw[pos : m.start()])
        if m.group(3):
            parts.append(Placeholder("gen", m.group(3)))
        else:
            parts.append(Placeholder(m.group(1), m.group(2)))
        pos = m.end()
    if pos < len(raw):
        parts.append(raw[pos:])
    return Template(tuple(parts))


class MissingValue(Exception):
    """A placeholder has no value (an unset environment variable, a capture that never happened)."""


@dataclass
class Values:
    """Everything placeholders resolve to during one run."""

    email_domain: str | None = None
    env: Callable[[str], str | None] = os.environ.get
    # why an ``{env: VAR}`` may not be read (live.config.EnvPolicy.refusal), None when it may
    refusal: Callable[[str], str | None] = lambda _name: None
    vars: dict[str, str] = field(default_factory=dict)
    generated: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.generated:
            now = int(time.time())
            ident = uuid.uuid4().hex
            self.generated = {
                "uuid": ident,
                "timestamp": str(now),
                # letters, digits and symbols so a password policy accepts it
                "password": "Lr-" + secrets.token_urlsafe(18) + "9a!",
            }
            if self.email_domain:
                self.generated["email"] = f"launchready+{now}-{ident[:8]}@{self.email_domain}"
        redact.remember(self.generated["password"])

    def lookup(self, p: Placeholder) -> str:
        if p.kind == "gen":
            got = self.generated.get(p.name)
            if got is None:
                raise MissingValue(f"{{{p.name}}} needs journey.email_domain")
            return got
        if p.kind == "var":
            if p.name not in self.vars:
                raise MissingValue(f"{{var: {p.name}}} was not captured")
            return self.vars[p.name]
        why = self.refusal(p.name)
        if why:
            raise MissingValue(f"{{env: {shown_name(p.name)}}} not read: {why}")
        got = self.env(p.name)
        if not got:
            raise MissingValue(f"environment variable {shown_name(p.name)} is not set")
        redact.remember(got)
        return got

    def render(self, t: Template) -> str:
        return "".join(p if isinstance(p, str) else self.lookup(p) for p in t.parts)

    def render_tree(self, x: Any) -> Any:
        """A JSON or form body: Templates rendered, everything else as written."""
        if isinstance(x, Template):
            return self.render(x)
        if isinstance(x, Mapping):
            return {k: self.render_tree(v) for k, v in x.items()}
        if isinstance(x, list):
            return [self.render_tree(v) for v in x]
        return x

    def capture(self, name: str, value: str, secret: bool) -> None:
        self.vars[name] = value
        if secret:
            redact.remember(value)
