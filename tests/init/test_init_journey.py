"""`launchready init` writes a starter journey for the AI chat shape it reads from the code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from launchready.config import load_config
from launchready.init.detect import detect
from launchready.init.journey import detect_shape
from launchready.journey.config import load_journey

ROOT = Path(__file__).resolve().parents[2]

FASTAPI_TOKEN = {
    "api/requirements.txt": "fastapi==0.115.0\n",
    "api/main.py": """from fastapi import FastAPI
from fastapi.responses import StreamingResponse

app = FastAPI()


@app.post("/v1/users/register")
async def register(body: dict) -> dict: ...


@app.post("/v1/auth/token")
async def token(body: dict) -> dict:
    return {"access_token": make(body), "token_type": "bearer"}


@app.post("/v1/chat")
async def chat(body: dict) -> StreamingResponse:
    return StreamingResponse(gen(), media_type="text/event-stream")


@app.post("/v1/chats/{chat_id}/messages")
async def send(chat_id: str) -> dict: ...
""",
}
NEXT_AI_SDK = {
    "package.json": json.dumps({"dependencies": {"next": "14.2.0", "ai": "4.0.0"}}),
    "app/api/chat/route.ts": "import { streamText } from 'ai';\nexport async function POST(req: Request) {\n"
    "  return streamText({ model, messages }).toDataStreamResponse();\n}\n",
    "app/api/auth/signup/route.ts": "export async function POST(req: Request) { return Response.json({}); }\n",
    "app/api/auth/login/route.ts": "import { cookies } from 'next/headers';\nexport async function POST(req: Request) {\n"
    "  cookies().set('session', s);\n  return Response.json({});\n}\n",
}


def _write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)


def _uncommented_journey(config_text: str) -> str:
    lines = config_text.splitlines()
    start = lines.index("# journey:")
    end = next(i for i in range(start, len(lines)) if not lines[i].startswith("# "))
    body = [line.split("  # ")[0].removeprefix("# ") for line in lines[start:end]]
    return "version: 1\n" + "\n".join(body) + "\n"


def test_fastapi_token_shape(tmp_path: Path) -> None:
    _write(tmp_path, FASTAPI_TOKEN)
    shape = detect_shape(tmp_path, detect(tmp_path))
    assert (shape.signup, shape.login, shape.chat) == ("/v1/users/register", "/v1/auth/token", "/v1/chat")
    assert shape.session == "token" and shape.stream == "sse" and not shape.ai_sdk
    assert shape.found == ("signup", "login", "chat")


def test_next_ai_sdk_shape(tmp_path: Path) -> None:
    _write(tmp_path, NEXT_AI_SDK)
    shape = detect_shape(tmp_path, detect(tmp_path))
    assert (shape.signup, shape.login, shape.chat) == ("/api/auth/signup", "/api/auth/login", "/api/chat")
    assert shape.session == "cookie" and shape.ai_sdk and shape.stream == "auto"


def test_init_writes_a_starter_journey_that_is_valid_once_uncommented(tmp_path: Path, run_cli: Any) -> None:
    schema = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
    for files in (FASTAPI_TOKEN, NEXT_AI_SDK, {"README.md": "nothing to detect\n"}):
        root = tmp_path / str(len(list(tmp_path.iterdir())))
        root.mkdir()
        _write(root, files)
        res = run_cli(["init"], root)
        assert res.code == 0, res.err
        text = (root / ".launchready.yml").read_text()
        assert load_journey(load_config(root / ".launchready.yml")).steps == []  # commented out: inactive
        path = root / "uncommented.yml"
        path.write_text(_uncommented_journey(text))
        assert list(jsonschema.Draft202012Validator(schema).iter_errors(yaml.safe_load(path.read_text()))) == []
        s = load_journey(load_config(path))
        assert [st.name for st in s.steps] == ["signup", "login", "chat"]
        assert s.steps[2].stream in ("sse", "auto") and s.steps[1].captures
        if files is FASTAPI_TOKEN:
            assert s.steps[2].headers[0][0] == "Authorization" and "/v1/chat" in text
