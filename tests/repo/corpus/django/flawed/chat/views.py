import json
import logging

from django.contrib.auth import authenticate, login
from django.http import HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt

from chat.llm import complete
from chat.models import Document

logger = logging.getLogger(__name__)


def login_view(request):
    user = authenticate(request, username=request.POST["username"], password=request.POST["password"])
    if user is None:
        return JsonResponse({"error": "invalid credentials"}, status=401)
    login(request, user)
    return JsonResponse({"ok": True})


@csrf_exempt
def chat(request):
    logger.debug("request meta: %s", request.META)  # expect: repo.logging-request-headers
    body = json.loads(request.body)
    response = JsonResponse({"answer": complete(body["message"])})
    response["Access-Control-Allow-Origin"] = request.headers.get("Origin")  # expect: repo.cors-origin-reflected
    return response


def upload(request):
    f = request.FILES["document"]  # expect: repo.upload-no-limit
    Document.objects.create(owner=request.user, file=f)
    return JsonResponse({"name": f.name})


@csrf_exempt
def github_webhook(request):
    event = request.headers.get("X-GitHub-Event")
    payload = json.loads(request.body)
    if event == "push":
        logger.info("push to %s", payload["ref"])
    return HttpResponse(status=204)


def health(request):
    return JsonResponse({"status": "ok"})
