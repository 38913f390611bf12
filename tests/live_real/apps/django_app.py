"""A one-file Django project served by gunicorn (``gunicorn django_app:application``).
MODE=good|flawed (see README.md). The good configuration limits /api/chat the way
django-ratelimit does: 403 once the limit is reached."""

from __future__ import annotations

import json
import os
import time

from django.conf import settings

GOOD = os.environ.get("MODE") == "good"
settings.configure(
    DEBUG=not GOOD,
    SECRET_KEY=os.environ["DJANGO_KEY"],
    ROOT_URLCONF=__name__,
    ALLOWED_HOSTS=["*"],
    INSTALLED_APPS=["django.contrib.sessions"],
    MIDDLEWARE=[
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
    ],
    SESSION_ENGINE="django.contrib.sessions.backends.signed_cookies",
    SESSION_COOKIE_SECURE=GOOD,
    SESSION_COOKIE_HTTPONLY=GOOD,
    CSRF_COOKIE_SECURE=GOOD,
    SECURE_PROXY_SSL_HEADER=("HTTP_X_FORWARDED_PROTO", "https"),
    DATA_UPLOAD_MAX_MEMORY_SIZE=1024 * 1024 if GOOD else None,
)

from django.core.wsgi import get_wsgi_application  # noqa: E402
from django.http import HttpRequest, HttpResponse, JsonResponse  # noqa: E402
from django.middleware.csrf import get_token  # noqa: E402
from django.urls import path  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

TOKENS = {os.environ["TOKEN_A"]: "a", os.environ["TOKEN_B"]: "b"}
NOTES = {"1": {"owner": "a", "text": os.environ["NOTE_A"]}}
PAGE = '<!doctype html><html><head><title>Notes</title></head><body><div id=app></div><script src="/static/app.js"></script></body></html>'
calls: list[float] = []


def user(request: HttpRequest) -> str | None:
    auth = request.headers.get("Authorization", "")
    return TOKENS.get(auth.removeprefix("Bearer ").strip()) if auth.startswith("Bearer ") else None


def index(request: HttpRequest) -> HttpResponse:
    get_token(request)  # the page has a form: Django sets csrftoken (readable by scripts by design)
    request.session["seen"] = True
    return HttpResponse(PAGE)


def health(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


def me(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"user": user(request)})


@csrf_exempt
def echo(request: HttpRequest) -> JsonResponse:
    if not GOOD:
        data = json.loads(request.body)  # unvalidated: a bad body is a 500 (with DEBUG, a debug page)
        return JsonResponse({"name": data["name"].upper(), "count": data["count"] + 1})
    if request.content_type != "application/json":
        return JsonResponse({"error": "application/json only"}, status=415)
    try:
        data = json.loads(request.body)
    except ValueError:
        return JsonResponse({"error": "invalid JSON"}, status=400)
    if not isinstance(data, dict) or not isinstance(data.get("name"), str) or not isinstance(data.get("count"), int):
        return JsonResponse({"error": "name must be a string, count an integer"}, status=422)
    return JsonResponse({"name": data["name"], "count": data["count"]})


@csrf_exempt
def chat(request: HttpRequest) -> HttpResponse:
    now = time.monotonic()
    calls[:] = [t for t in calls if now - t < 60] + [now]
    if GOOD and len(calls) > 5:
        return HttpResponse("<h1>403 Forbidden</h1>", status=403)  # what django-ratelimit's default answers
    return JsonResponse({"answer": "hello"})


def note(request: HttpRequest, nid: str) -> JsonResponse:
    who = user(request)
    if who is None:
        return JsonResponse({"error": "login required"}, status=401)
    n = NOTES.get(nid)
    if n is None or (GOOD and n["owner"] != who):
        return JsonResponse({"error": "not found"}, status=404)
    return JsonResponse(n)


urlpatterns = [
    path("", index),
    path("health", health),
    path("api/me", me),
    path("api/echo", echo),
    path("api/chat", chat),
    path("api/notes/<str:nid>", note),
]
application = get_wsgi_application()
