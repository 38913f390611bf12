from chat import views
from django.urls import path

urlpatterns = [
    path("api/chat", views.chat),
    path("api/webhooks/stripe", views.stripe_webhook),
]
