import hashlib
import hmac
import json
import logging

from django.conf import settings
from django.contrib.auth import authenticate, login
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django_ratelimit.decorators import ratelimit

from chat.llm import complete
from chat.models import Document

logger = logging.getLogger(__name__)
ALLOWED_ORIGINS = {"https://app.example.com"}


@ratelimit(key="ip", rate="5/m", block=True)
def login_view(request):
    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
    if user is None:
        return JsonResponse({"error": "invalid credentials"}, status=401)
    login(request, user)
    return JsonResponse({"ok": True})


@ratelimit(key="user_or_ip", rate="30/m", block=True)
def chat(request):
    logger.debug("chat request from %s", request.META.get("REMOTE_ADDR"))
    body = json.loads(request.body)
    response = JsonResponse({"answer": complete(body["message"])})
    origin = request.headers.get("Origin")
    if origin in ALLOWED_ORIGINS:
        response["Access-Control-Allow-Origin"] = origin
    return response


@ratelimit(key="user", rate="10/h", block=True)
def upload(request):
    f = request.FILES["document"]
    if f.size > settings.MAX_UPLOAD_BYTES:
        return JsonResponse({"error": "file too large"}, status=413)
    Document.objects.create(owner=request.user, file=f)
    return JsonResponse({"name": f.name})


@csrf_exempt
def github_webhook(request):
    expected = "sha256=" + hmac.new(
        settings.GITHUB_WEBHOOK_SECRET.encode(), request.body, hashlib.sha256
    ).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Hub-Signature-256", "")):
        return HttpResponse(status=401)
    event = request.headers.get("X-GitHub-Event")
    payload = json.loads(request.body)
    if event == "push":
        logger.info("push to %s", payload["ref"])
    return HttpResponse(status=204)


def health(request):
    return JsonResponse({"status": "ok"})
