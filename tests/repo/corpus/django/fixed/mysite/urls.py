from django.contrib import admin
from django.urls import path

from chat import views

urlpatterns = [
    path("admin/", admin.site.urls),
    path("login/", views.login_view, name="login"),
    path("api/chat/", views.chat, name="chat"),
    path("upload/", views.upload, name="upload"),
    path("webhooks/github/", views.github_webhook),
    path("health/", views.health),
]
