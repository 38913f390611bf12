"""Stripe, GitHub and Slack webhook handlers in an app that never verifies a signature (whole-app)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo import pyast
from launchready.repo.checkers import AppContext, Hit, app_check, rule
from launchready.repo.routes import Route, app_routes

UNVERIFIED = rule(
    "repo.auth-webhook-unverified",
    Severity.HIGH,
    "Webhook handler with no signature verification anywhere in the application: anyone can forge events",
    "Verify the signature before trusting the body: Stripe stripe.Webhook.construct_event / "
    "stripe.webhooks.constructEvent; GitHub HMAC-SHA256 of the raw body against "
    "X-Hub-Signature-256 with hmac.compare_digest / crypto.timingSafeEqual; Slack "
    "SignatureVerifier or the X-Slack-Signature HMAC.",
    scope="app",
)

# What counts as verification, per provider (function or method names called in code).
_PY_VERIFY = {
    "stripe": {"construct_event", "compare_digest"},
    "github": {"compare_digest", "verify_signature"},
    "slack": {"compare_digest", "is_valid_request", "is_valid"},
}
_JS_VERIFY = {
    "stripe": {"constructEvent", "constructEventAsync", "timingSafeEqual"},
    "github": {"timingSafeEqual", "verify", "verifyAndReceive", "verifyWebhookSignature"},
    "slack": {"timingSafeEqual", "verifyRequestSignature", "verifySlackRequest"},
}


def provider(route: Route, file_text: str = "") -> str | None:
    name = f"{route.url} {route.handler}".lower()
    if "webhook" not in name and "hook" not in name and "events" not in name:
        return None
    for p in ("stripe", "github", "slack"):
        if p in name:
            return p
    if "webhook" not in name:
        return None
    for text in (route.source, file_text):  # the handler first, then its module
        src = text.lower()
        if "stripe" in src:
            return "stripe"
        if "x-hub-signature" in src or "x-github-event" in src or "github" in src:
            return "github"
        if "slack" in src:
            return "slack"
    return None


def _verified(app: AppContext) -> set[str]:
    found: set[str] = set()
    for f in app.files:
        if f.kind == "py" and any(
            w in f.text for w in ("construct_event", "compare_digest", "is_valid", "verify_signature")
        ):
            called = {pyast.last_name(n.func) for n in f.nodes if isinstance(n, ast.Call)}
            uses_verifier = "SignatureVerifier" in {
                pyast.last_name(n) for n in f.nodes if isinstance(n, (ast.Name, ast.Attribute))
            }
            for p, names in _PY_VERIFY.items():
                relevant = names - ({"is_valid", "is_valid_request"} if not uses_verifier else set())
                if called & relevant:
                    found.add(p)
        elif f.kind == "js" and any(
            w in f.text for w in ("constructEvent", "timingSafeEqual", "verify", "@slack/bolt")
        ):
            js = f.js
            called = {js.toks[i].value for i, _ in js.calls(frozenset().union(*_JS_VERIFY.values()))}
            for p, names in _JS_VERIFY.items():
                if (
                    p == "github"
                    and called & {"verify", "verifyAndReceive"}
                    and not any(t.value.startswith("@octokit/webhooks") for t in js.strings())
                ):
                    names = names - {"verify", "verifyAndReceive"}
                if called & names:
                    found.add(p)
            if any(t.value == "@slack/bolt" for t in js.strings()):
                found.add("slack")
    return found


@app_check([UNVERIFIED])
def unverified_webhooks(app: AppContext) -> Iterator[Hit]:
    texts = {f.path: f.text for f in app.files}
    hooks = [(r, p) for r in app_routes(app) if r.mutating and (p := provider(r, texts.get(r.path, ""))) is not None]
    if not hooks:
        return
    verified = _verified(app)
    for r, p in hooks:
        if p not in verified:
            yield Hit(
                UNVERIFIED,
                r.line,
                r.column,
                f"{p.capitalize()} webhook {r.label()} never verifies the signature (none found anywhere in the application)",
                path=r.path,
            )
