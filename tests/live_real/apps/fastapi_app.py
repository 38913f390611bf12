"""FastAPI on uvicorn. MODE=good|flawed (see README.md)."""

from __future__ import annotations

import os
import time

from fastapi import FastAPI, HTTPException, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.responses import HTMLResponse, JSONResponse
from pydantic import BaseModel

GOOD = os.environ.get("MODE") == "good"
TOKENS = {os.environ["TOKEN_A"]: "a", os.environ["TOKEN_B"]: "b"}
NOTES = {"1": {"owner": "a", "text": os.environ["NOTE_A"]}}
PAGE = '<!doctype html><html><head><title>Notes</title></head><body><div id=app></div><script src="/static/app.js"></script></body></html>'
SITE = os.environ["SITE_ORIGIN"]
calls: list[float] = []

app = FastAPI(debug=not GOOD)
if GOOD:
    app.add_middleware(
        CORSMiddleware,
        allow_origins=[SITE],
        allow_credentials=True,
        allow_methods=["GET", "POST"],
        allow_headers=["content-type", "authorization"],
    )
else:
    app.add_middleware(
        CORSMiddleware, allow_origin_regex=".*", allow_credentials=True, allow_methods=["*"], allow_headers=["*"]
    )


def user(request: Request) -> str | None:
    auth = request.headers.get("authorization", "")
    return TOKENS.get(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None


@app.get("/", response_class=HTMLResponse)
def index() -> str:
    return PAGE


@app.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}


@app.get("/api/me")
def me(request: Request) -> dict[str, str | None]:
    return {"user": user(request)}


class Echo(BaseModel):
    name: str
    count: int


if GOOD:

    @app.post("/api/echo")
    def echo(body: Echo) -> dict[str, object]:
        return {"name": body.name, "count": body.count}
else:

    @app.post("/api/echo")
    async def echo_flawed(request: Request) -> dict[str, object]:
        data = await request.json()  # no validation: bad JSON or types crash with a traceback
        return {"name": data["name"].upper(), "count": data["count"] + 1}


@app.post("/api/chat")
def chat() -> JSONResponse:
    now = time.monotonic()
    calls[:] = [t for t in calls if now - t < 60] + [now]
    if GOOD and len(calls) > 5:
        return JSONResponse({"detail": "rate limited"}, status_code=429, headers={"Retry-After": "60"})
    return JSONResponse({"answer": "hello"})


@app.get("/api/notes/{nid}")
def note(nid: str, request: Request) -> dict[str, str]:
    who = user(request)
    if who is None:
        raise HTTPException(401, "login required")
    n = NOTES.get(nid)
    if n is None or (GOOD and n["owner"] != who):
        raise HTTPException(404, "not found")
    return n
