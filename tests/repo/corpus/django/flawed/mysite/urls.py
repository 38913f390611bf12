from django.contrib import admin
from django.urls import path

from chat import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", views.login_view, name="login"),  # expect: repo.ratelimit-missing
    path("api/chat/", views.chat, name="chat"),  # expect: repo.ratelimit-missing
    path("upload/", views.upload, name="upload"),  # expect: repo.ratelimit-missing
    path("webhooks/github/", views.github_webhook),  # expect: repo.auth-webhook-unverified
    path("health/", views.health),
]
