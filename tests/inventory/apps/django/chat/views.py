import os

import stripe
from django.http import HttpRequest, JsonResponse
from openai import OpenAI
from pinecone import Pinecone

client = OpenAI(api_key=os.environ["OPENAI_API_KEY"])
index = Pinecone(api_key=os.environ["PINECONE_API_KEY"]).Index("docs")
stripe.api_key = os.environ["STRIPE_SECRET_KEY"]


def chat(request: HttpRequest) -> JsonResponse:
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": "hi"}])
    return JsonResponse({"reply": reply.choices[0].message.content})


def stripe_webhook(request: HttpRequest) -> JsonResponse:
    event = stripe.Webhook.construct_event(
        request.body, request.headers["Stripe-Signature"], os.environ["STRIPE_WEBHOOK_SECRET"]
    )
    return JsonResponse({"received": event["type"]})
