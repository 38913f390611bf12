"""The demo's static frontend: an HTML page, a minified JS bundle and (flawed) its source map.

The same files are served by the demo deployment and written into the demo repository's
build output (``dist/``), so the bundle checks and ``scan --bundle`` judge the same bytes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from launchready.demo.values import DemoValues

BUNDLE_NAME = "app.js"


@dataclass(frozen=True)
class Frontend:
    index_html: str
    bundle_js: str
    source_map: str | None  # None when no map is shipped


def _api_source(values: DemoValues, fixed: bool) -> str:
    if fixed:
        return (
            "// Calls our own backend; the model key stays on the server.\n"
            "export async function send(message: string): Promise<string> {\n"
            "  const res = await fetch('/api/chat', {\n"
            "    method: 'POST', credentials: 'same-origin',\n"
            "    headers: { 'Content-Type': 'application/json' },\n"
            "    body: JSON.stringify({ message }),\n"
            "  });\n"
            "  return (await res.json()).reply;\n"
            "}\n"
        )
    return (
        "// TODO move to the backend before launch\n"
        f'const OPENAI_API_KEY = "{values.openai_key}";\n'
        "export async function send(message: string): Promise<string> {\n"
        "  const res = await fetch('https://api.openai.com/v1/chat/completions', {\n"
        "    method: 'POST',\n"
        "    headers: { Authorization: `Bearer ${OPENAI_API_KEY}`, 'Content-Type': 'application/json' },\n"
        "    body: JSON.stringify({ model: 'gpt-4o-mini', messages: [{ role: 'user', content: message }] }),\n"
        "  });\n"
        "  return (await res.json()).choices[0].message.content;\n"
        "}\n"
    )


def build(values: DemoValues, fixed: bool) -> Frontend:
    if fixed:
        js = (
            'async function s(e){const t=await fetch("/api/chat",{method:"POST",credentials:"same-origin",'
            'headers:{"Content-Type":"application/json"},body:JSON.stringify({message:e})});'
            "return(await t.json()).reply}window.demoChat={send:s};\n"
        )
        source_map = None
    else:
        js = (
            f'const o="{values.openai_key}";async function s(e){{const t=await fetch('
            '"https://api.openai.com/v1/chat/completions",{method:"POST",headers:{Authorization:'
            '`Bearer ${o}`,"Content-Type":"application/json"},body:JSON.stringify({model:"gpt-4o-mini",'
            'messages:[{role:"user",content:e}]})});return(await t.json()).choices[0].message.content}'
            f"window.demoChat={{send:s}};\n//# sourceMappingURL={BUNDLE_NAME}.map\n"
        )
        source_map = json.dumps(
            {
                "version": 3,
                "file": BUNDLE_NAME,
                "sources": ["src/api.ts"],
                "sourcesContent": [_api_source(values, fixed)],
                "names": ["OPENAI_API_KEY", "send"],
                "mappings": "AAAA",
            }
        )
    html = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<title>Demo Chat</title>\n</head>\n<body>\n<main id="chat">Demo Chat: an AI assistant</main>\n'
        f'<script src="/static/{BUNDLE_NAME}"></script>\n</body>\n</html>\n'
    )
    return Frontend(html, js, source_map)


def api_source(values: DemoValues, fixed: bool) -> str:
    """The unminified client source (``src/api.ts`` in the demo repository)."""
    return _api_source(values, fixed)
