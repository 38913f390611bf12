"""Support chat API: FastAPI + OpenAI + Stripe billing."""

import logging
import os

import sentry_sdk
import stripe
from dotenv import load_dotenv
from fastapi import FastAPI, HTTPException, Request, UploadFile
from fastapi.middleware.cors import CORSMiddleware
from slowapi import Limiter
from slowapi.util import get_remote_address

from app.llm import answer
from app.billing import mark_paid

load_dotenv()
logger = logging.getLogger("api")
sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), send_default_pii=False)

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
ALLOWED_ORIGINS = [o for o in os.environ.get("ALLOWED_ORIGINS", "").split(",") if o]
REQUIRED = ("OPENAI_API_KEY", "STRIPE_WEBHOOK_SECRET")

limiter = Limiter(key_func=get_remote_address)
app = FastAPI(title="Support bot", debug=os.environ.get("APP_DEBUG") == "1")
app.state.limiter = limiter
app.add_middleware(
    CORSMiddleware,
    allow_origins=ALLOWED_ORIGINS,
    allow_credentials=True,
    allow_methods=["GET", "POST"],
    allow_headers=["content-type"],
)


@app.on_event("startup")
async def startup() -> None:
    missing = [name for name in REQUIRED if name not in os.environ]
    logger.info("starting; missing settings: %s", missing)


@app.post("/api/chat")
@limiter.limit("20/minute")
async def chat(request: Request) -> dict[str, str]:
    body = await request.json()
    logger.info("chat request id=%s", request.headers.get("x-request-id"))
    prompt = body["message"]
    logger.info("prompt length %d", len(prompt))
    return {"answer": await answer(prompt)}


@app.post("/api/upload")
@limiter.limit("5/minute")
async def upload(request: Request, file: UploadFile) -> dict[str, int]:
    if file.size is None or file.size > MAX_UPLOAD_BYTES:
        raise HTTPException(status_code=413, detail="file too large")
    data = await file.read()
    return {"bytes": len(data)}


@app.post("/webhooks/stripe")
async def stripe_webhook(request: Request) -> dict[str, bool]:
    payload = await request.body()
    signature = request.headers.get("stripe-signature", "")
    try:
        event = stripe.Webhook.construct_event(payload, signature, os.environ["STRIPE_WEBHOOK_SECRET"])
    except (ValueError, stripe.error.SignatureVerificationError):
        raise HTTPException(status_code=400, detail="bad signature") from None
    if event["type"] == "checkout.session.completed":
        await mark_paid(event["data"]["object"]["id"])
    return {"received": True}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
