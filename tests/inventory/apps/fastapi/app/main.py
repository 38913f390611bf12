import os

import anthropic
import boto3
import sentry_sdk
from app.settings import settings
from fastapi import FastAPI, Request
from qdrant_client import QdrantClient
from sendgrid import SendGridAPIClient

sentry_sdk.init(dsn=settings.sentry_dsn)
app = FastAPI()
claude = anthropic.Anthropic(api_key=settings.anthropic_api_key)
qdrant = QdrantClient(url=settings.qdrant_url, api_key=settings.qdrant_api_key)
s3 = boto3.client("s3")
BUCKET = os.environ["S3_BUCKET"]
mail = SendGridAPIClient(os.getenv("SENDGRID_API_KEY"))
MODEL = os.getenv("CLAUDE_MODEL", "claude-3-5-haiku-latest")


@app.post("/api/chat")
async def chat(request: Request) -> dict[str, str]:
    body = await request.json()
    reply = claude.messages.create(model=MODEL, max_tokens=512, messages=[{"role": "user", "content": body["message"]}])
    return {"reply": reply.content[0].text}
