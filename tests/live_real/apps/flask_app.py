"""Flask: ``python flask_app.py`` runs Werkzeug's dev server with the debugger (the flawed way
to deploy); ``gunicorn flask_app:app`` is the good one. MODE=good|flawed (see README.md)."""

from __future__ import annotations

import os
import time

from flask import Flask, Response, jsonify, request

GOOD = os.environ.get("MODE") == "good"
TOKENS = {os.environ["TOKEN_A"]: "a", os.environ["TOKEN_B"]: "b"}
NOTES = {"1": {"owner": "a", "text": os.environ["NOTE_A"]}}
PAGE = '<!doctype html><html><head><title>Notes</title></head><body><div id=app></div><script src="/static/app.js"></script></body></html>'
calls: list[float] = []

app = Flask(__name__, static_folder=None)
app.config.update(
    MAX_CONTENT_LENGTH=1024 * 1024 if GOOD else None,
    SECRET_KEY=os.environ["FLASK_KEY"],
    SESSION_COOKIE_SECURE=GOOD,
    SESSION_COOKIE_SAMESITE="Lax" if GOOD else None,
)


def user() -> str | None:
    auth = request.headers.get("Authorization", "")
    return TOKENS.get(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None


@app.get("/")
def index() -> str:
    from flask import session

    session["seen"] = True
    return PAGE


@app.get("/health")
def health() -> Response:
    return jsonify(status="ok")


@app.get("/api/me")
def me() -> Response:
    return jsonify(user=user())


@app.post("/api/echo")
def echo() -> tuple[Response, int] | Response:
    if not GOOD:
        data = request.get_json(force=True)  # unvalidated
        return jsonify(name=data["name"].upper(), count=data["count"] + 1)
    if not request.is_json:
        return jsonify(error="application/json only"), 415
    data = request.get_json(silent=True)
    if data is None:
        return jsonify(error="invalid JSON"), 400
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not isinstance(data.get("count"), int):
        return jsonify(error="name must be a string, count an integer"), 422
    return jsonify(name=data["name"], count=data["count"])


@app.post("/api/chat")
def chat() -> tuple[Response, int, dict[str, str]] | Response:
    now = time.monotonic()
    calls[:] = [t for t in calls if now - t < 60] + [now]
    if GOOD and len(calls) > 5:
        return jsonify(error="Too Many Requests"), 429, {"Retry-After": "60"}
    return jsonify(answer="hello")


@app.get("/api/notes/<nid>")
def note(nid: str) -> tuple[Response, int] | Response:
    who = user()
    if who is None:
        return jsonify(error="login required"), 401
    n = NOTES.get(nid)
    if n is None or (GOOD and n["owner"] != who):
        return jsonify(error="not found"), 404
    return jsonify(n)


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=int(os.environ["PORT"]), debug=True, use_reloader=False)
