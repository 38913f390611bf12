"""Support chat API: FastAPI + OpenAI + Stripe billing."""

import logging
import os

import sentry_sdk
from dotenv import load_dotenv
from fastapi import FastAPI, Request, UploadFile
from fastapi.middleware.cors import CORSMiddleware

from app.llm import answer
from app.billing import mark_paid

load_dotenv()
logger = logging.getLogger("api")
sentry_sdk.init(dsn=os.environ.get("SENTRY_DSN"), send_default_pii=True)  # expect: repo.logging-tracker-pii

app = FastAPI(title="Support bot", debug=True)  # expect: repo.debug-server
app.add_middleware(  # expect: repo.cors-wildcard-credentials
    CORSMiddleware,
    allow_origins=["*"],
    allow_credentials=True,
    allow_methods=["*"],
    allow_headers=["*"],
)


@app.on_event("startup")
async def startup() -> None:
    logger.info("starting with %s", dict(os.environ))  # expect: repo.logging-env-dump


@app.post("/api/chat")  # expect: repo.ratelimit-missing
async def chat(request: Request) -> dict[str, str]:
    body = await request.json()
    logger.info("headers: %s", request.headers)  # expect: repo.logging-request-headers
    prompt = body["message"]
    logger.info(f"prompt: {prompt}")  # expect: repo.logging-prompt
    return {"answer": await answer(prompt)}


@app.post("/api/upload")  # listed in the ratelimit finding at /api/chat
async def upload(file: UploadFile) -> dict[str, int]:  # expect: repo.upload-no-limit
    data = await file.read()
    return {"bytes": len(data)}


@app.post("/webhooks/stripe")  # expect: repo.auth-webhook-unverified
async def stripe_webhook(request: Request) -> dict[str, bool]:
    event = await request.json()
    if event["type"] == "checkout.session.completed":
        await mark_paid(event["data"]["object"]["id"])
    return {"received": True}


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}
