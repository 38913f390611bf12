"""Logging hygiene: whole environments, request headers, secrets and prompts in logs; PII to trackers."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import FileContext, Hit, file_check, rule

ENV_DUMP = rule(
    "repo.logging-env-dump",
    Severity.HIGH,
    "The whole process environment is logged or printed: every secret in it ends up in the logs",
    "Log only the specific, non-secret variables you need (e.g. the names of missing ones).",
)
HEADERS = rule(
    "repo.logging-request-headers",
    Severity.MEDIUM,
    "Request headers are logged whole: Authorization headers, cookies and API keys end up in the logs",
    "Log selected headers (request id, user agent) or redact Authorization, Cookie and *-Key headers first.",
)
SECRET = rule(
    "repo.logging-secret-value",
    Severity.HIGH,
    "A secret (API key, token, password) is logged or printed",
    "Do not log credentials; log whether one is set, or its last 4 characters at most.",
)
PROMPT = rule(
    "repo.logging-prompt",
    Severity.LOW,
    "Full prompts are logged: user input and any data pasted into prompts end up in the logs",
    "Log prompt metadata (length, model, token counts, a hash) instead of the prompt text, or "
    "send it to a store with retention and access control.",
)
PII_TRACKER = rule(
    "repo.logging-tracker-pii",
    Severity.MEDIUM,
    "Error tracker set to send default PII (IP addresses, cookies, headers, user data)",
    "Set send_default_pii=False / sendDefaultPii: false and add only the fields you need with a before_send scrubber.",
)

_ENV_SECRET = re.compile(r"(KEY|SECRET|TOKEN|PASSWORD|PASSWD|PWD|CREDENTIAL|AUTH)", re.IGNORECASE)
_PROMPT_NAME = re.compile(
    r"^(prompt|prompts|system_prompt|full_prompt|user_prompt|final_prompt|rendered_prompt|llm_prompt|prompt_text)$",
    re.IGNORECASE,
)
_REQUEST_BASE = re.compile(r"(^|\.)(request|req|self\.request|ctx\.request|context\.request|event)$", re.IGNORECASE)


def _env_key_name(node: ast.AST) -> str | None:
    """os.environ['X'], os.environ.get('X'), os.getenv('X') -> 'X'."""
    if isinstance(node, ast.Subscript) and pyast.dotted(node.value) in ("os.environ", "environ"):
        return pyast.str_value(node.slice)
    if isinstance(node, ast.Call) and node.args:
        d = pyast.dotted(node.func)
        if d in ("os.environ.get", "environ.get", "os.getenv", "getenv"):
            return pyast.str_value(node.args[0])
    return None


def _classify_py(node: ast.AST) -> tuple[str, str] | None:
    d = pyast.dotted(node)
    if d in ("os.environ", "environ", "os.environ.copy()", "os.environ()") or (
        isinstance(node, ast.Call) and pyast.dotted(node.func) in ("os.environ.copy", "os.environ.items")
    ):
        return ENV_DUMP, "os.environ"
    if (d.endswith(".headers") and _REQUEST_BASE.search(d[: -len(".headers")])) or d.endswith("request.META"):
        return HEADERS, d
    key = _env_key_name(node)
    if key is not None and _ENV_SECRET.search(key):
        return SECRET, key
    if isinstance(node, (ast.Name, ast.Attribute)):
        name = pyast.last_name(node)
        if pyast.is_secret_name(name):
            return SECRET, name
        if _PROMPT_NAME.search(pyast.snake(name)):
            return PROMPT, name
    return None


_SENSITIVE_WORDS = re.compile(r"environ|headers|META|key|token|secret|passw|prompt|auth|credential|pwd", re.IGNORECASE)
_PY_CALLS = (
    "print(",
    ".debug(",
    ".info(",
    ".warning(",
    ".warn(",
    ".error(",
    ".exception(",
    ".critical(",
    ".log(",
    ".fatal(",
    ".msg(",
)
_RECEIVER = re.compile(r"(\w+)$")


def _py_gate(text: str) -> bool:
    """A log/print call followed closely by a sensitive word; substring scans only (hook path)."""
    if "send_default_pii" in text:
        return True
    for needle in _PY_CALLS:
        i = text.find(needle)
        while i >= 0:
            end = i + len(needle)
            if needle[0] == ".":
                m = _RECEIVER.search(text, max(0, i - 40), i)
                ok = m is not None and "log" in m.group(1).lower()
            else:
                ok = True
            if ok and _SENSITIVE_WORDS.search(text, end, end + 300):
                return True
            i = text.find(needle, end)
    return False


_PY_GATE = _py_gate


@file_check({"py"}, _PY_GATE, [ENV_DUMP, HEADERS, SECRET, PROMPT, PII_TRACKER])
def logging_python(ctx: FileContext) -> Iterator[Hit]:
    for call in pyast.calls(ctx):
        if pyast.is_true(pyast.kwarg(call, "send_default_pii")):
            yield Hit(PII_TRACKER, call.lineno, call.col_offset + 1)
            continue
        if not pyast.is_log_call(call):
            continue
        seen: set[str] = set()
        for node in pyast.log_args(call):
            found = _classify_py(node)
            if found is None or found[0] in seen:
                continue
            seen.add(found[0])
            rule_id, what = found
            yield Hit(rule_id, call.lineno, call.col_offset + 1, _message(rule_id, what))


def _message(rule_id: str, what: str) -> str:
    return {
        ENV_DUMP: f"the whole environment ({what}) is logged: every secret in it ends up in the logs",
        HEADERS: f"request headers ({what}) are logged whole, including Authorization and Cookie",
        SECRET: f"a secret ({what}) is logged or printed",
        PROMPT: f"a full prompt ({what}) is logged",
    }[rule_id]


# -- JavaScript ----------------------------------------------------------------------------------

_JS_LOG_OBJECTS = re.compile(
    r"^(console|logger|log|winston|pino|this\.logger|this\.log|fastify\.log|req\.log|app\.log)$"
)
_JS_LOG_METHODS = frozenset({"log", "info", "debug", "warn", "error", "trace", "dir", "table", "fatal"})


_JS_WORDS = re.compile(r"process\.env|meta\.env|headers|key|token|secret|passw|prompt|auth|credential", re.IGNORECASE)
_JS_CALLS = ("console.", "logger.", "log.", "Logger.", "winston.", "pino.")


def _js_gate(text: str) -> bool:
    if "sendDefaultPii" in text:
        return True
    for needle in _JS_CALLS:
        i = text.find(needle)
        while i >= 0:
            end = i + len(needle)
            if _JS_WORDS.search(text, end, end + 300):
                return True
            i = text.find(needle, end)
    return False


@file_check({"js"}, _js_gate, [ENV_DUMP, HEADERS, SECRET, PROMPT, PII_TRACKER])
def logging_js(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    toks = js.toks
    for i, t in enumerate(toks):
        if t.kind == "id" and t.value == "sendDefaultPii" and js.p(i + 1, ":") and js.span_true(i + 2, i + 3):
            yield Hit(PII_TRACKER, t.line, t.col)
            continue
        if t.kind != "id" or t.value not in _JS_LOG_METHODS or not js.p(i + 1, "(") or not js.is_property(i):
            continue
        # receiver chain: walk back over "a.b."
        k = i - 1
        parts: list[str] = []
        while k - 1 >= 0 and js.p(k, ".") and toks[k - 1].kind == "id":
            parts.append(toks[k - 1].value)
            k -= 2
        receiver = ".".join(reversed(parts))
        if not _JS_LOG_OBJECTS.match(receiver):
            continue
        close = js.close(i + 1)
        seen: set[str] = set()
        for j in range(i + 2, min(close, len(toks))):
            found = _classify_js(ctx, j)
            if found is None or found[0] in seen:
                continue
            seen.add(found[0])
            head = toks[k + 1]
            yield Hit(found[0], head.line, head.col, _message(*found))


def _classify_js(ctx: FileContext, j: int) -> tuple[str, str] | None:
    js = ctx.js
    t = js.toks[j]
    if t.kind != "id" or js.is_property(j):
        return None
    if js.p(j + 1, ":") and (js.p(j - 1, "{") or js.p(j - 1, ",")):
        return None  # an object key; its value is examined separately
    name, end = js.chain(j)
    nxt = js.tok(end)
    whole = nxt is None or not (nxt.is_p("(") or nxt.is_p("[") or nxt.is_p(".") or nxt.is_p("?."))
    if name == "process.env":
        return (ENV_DUMP, "process.env") if whole else None
    if name.startswith("process.env.") or name.startswith("import.meta.env."):
        key = name.rsplit(".", 1)[-1]
        return (SECRET, key) if _ENV_SECRET.search(key) and whole else None
    parts = name.split(".")
    if parts[-1] == "headers" and len(parts) >= 2 and parts[-2] in ("req", "request", "ctx", "event") and whole:
        return HEADERS, name
    if not whole:
        return None
    last = parts[-1]
    if last in ("length", "size"):
        return None
    if pyast.is_secret_name(last):
        return SECRET, name
    if _PROMPT_NAME.search(pyast.snake(last)):
        return PROMPT, name
    return None
