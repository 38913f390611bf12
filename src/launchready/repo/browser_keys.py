"""AI SDK clients created in browser code, where their API key ships to every visitor."""

from __future__ import annotations

import re
from collections.abc import Iterator

from launchready.model import Severity
from launchready.repo.checkers import FileContext, Hit, any_of, file_check, rule

ALLOW_BROWSER = rule(
    "repo.secrets-ai-browser-client",
    Severity.HIGH,
    "AI SDK client created with dangerouslyAllowBrowser: true: the API key ships to every visitor",
    "Call the model from a server route (API route, server action, backend) and keep the key in a "
    "server-only environment variable; remove dangerouslyAllowBrowser.",
)
CLIENT_COMPONENT = rule(
    "repo.secrets-ai-client-component",
    Severity.HIGH,
    "OpenAI/Anthropic client constructed in a 'use client' component: it runs in the browser",
    "Move the SDK call into a server component, route handler or server action and call that from the client.",
)
PUBLIC_KEY = rule(
    "repo.secrets-ai-public-env-key",
    Severity.CRITICAL,
    "AI API key read from a browser-exposed variable (NEXT_PUBLIC_/VITE_/REACT_APP_): it is inlined into the bundle",
    "Rename the variable without the public prefix, read it only in server code, and rotate the "
    "key: it has already been shipped in built bundles.",
)

# Constructors and factories of AI SDK clients (openai, @anthropic-ai/sdk, Vercel AI SDK, Google).
_SDK_CTORS = frozenset(
    {
        "OpenAI",
        "AzureOpenAI",
        "Anthropic",
        "AnthropicBedrock",
        "createOpenAI",
        "createAnthropic",
        "GoogleGenerativeAI",
        "GoogleGenAI",
        "Groq",
        "Mistral",
        "MistralClient",
        "CohereClient",
        "Together",
        "OpenAIApi",
        "Configuration",
    }
)
_SDK_MODULES = (
    "openai",
    "@anthropic-ai/sdk",
    "@ai-sdk/",
    "@google/generative-ai",
    "@google/genai",
    "groq-sdk",
    "@mistralai/",
    "cohere-ai",
    "together-ai",
)
_PUBLIC_ENV = re.compile(
    r"^(?:process\.env|import\.meta\.env)\.(NEXT_PUBLIC_|VITE_|REACT_APP_|PUBLIC_|EXPO_PUBLIC_)(\w+)"
)
_KEYISH = re.compile(r"(KEY|TOKEN|SECRET)", re.IGNORECASE)


def _imports_sdk(ctx: FileContext) -> bool:
    return any(t.value.startswith(_SDK_MODULES) for t in ctx.js.strings())


@file_check({"js"}, any_of("dangerouslyAllowBrowser"), [ALLOW_BROWSER])
def allow_browser(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    for i, t in enumerate(js.toks):
        if t.is_id("dangerouslyAllowBrowser") and js.p(i + 1, ":") and js.span_true(i + 2, i + 3):
            yield Hit(ALLOW_BROWSER, t.line, t.col)


@file_check({"js"}, any_of("use client"), [CLIENT_COMPONENT])
def client_component(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    if not js.directive("use client") or not _imports_sdk(ctx):
        return
    for i, _ in js.calls(_SDK_CTORS):
        t = js.toks[i]
        if js.is_property(i):
            continue
        yield Hit(
            CLIENT_COMPONENT,
            t.line,
            t.col,
            f"{t.value} client constructed in a 'use client' component: it runs in the browser",
        )


@file_check({"js"}, any_of("NEXT_PUBLIC_", "VITE_", "REACT_APP_", "PUBLIC_"), [PUBLIC_KEY])
def public_env_key(ctx: FileContext) -> Iterator[Hit]:
    js = ctx.js
    sdk_file = _imports_sdk(ctx)
    spans: list[tuple[int, int]] = []
    for _, open_idx in js.calls(_SDK_CTORS):
        spans.append((open_idx, js.close(open_idx)))
    for i, t in enumerate(js.toks):
        # apiKey: <public env> anywhere in a file that uses an AI SDK
        if sdk_file and t.kind == "id" and t.value in ("apiKey", "api_key", "key") and js.p(i + 1, ":"):
            spans.append((i + 2, i + 8))
    for s, e in spans:
        for j in range(s, min(e, len(js.toks))):
            tj = js.toks[j]
            if tj.kind != "id" or tj.value not in ("process", "import") or js.is_property(j):
                continue
            name, _ = js.chain(j)
            m = _PUBLIC_ENV.match(name)
            if m and _KEYISH.search(m.group(2)):
                yield Hit(
                    PUBLIC_KEY,
                    tj.line,
                    tj.col,
                    f"AI API key read from {m.group(1)}{m.group(2)}: browser-exposed variables are inlined into the bundle",
                )
