from django.contrib import admin
from django.urls import path

from chat import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", views.login_view, name="login"),  # expect: repo.ratelimit-missing
    path("api/chat/", views.chat, name="chat"),  # listed in the ratelimit finding at login/
    path("upload/", views.upload, name="upload"),  # listed in the ratelimit finding at login/
    path("webhooks/github/", views.github_webhook),  # expect: repo.auth-webhook-unverified
    path("health/", views.health),
]
