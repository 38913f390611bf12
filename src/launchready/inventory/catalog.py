"""The external services a small AI product is likely to use, as data: how to recognise each
in code (Python imports, npm packages, environment variable names), which variables its SDK
reads on its own, which secret rules find its keys, and what to watch after launch.

Adding a service is one ``Service(...)`` entry below; ``tests/inventory`` checks every entry
is well formed.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    kind: str  # "AI provider", "vector store", "database", "storage", "email", ...
    py: tuple[str, ...] = ()  # import prefixes (``openai``, ``google.generativeai``)
    npm: tuple[str, ...] = ()  # package names; a trailing "/" matches a scope (``@aws-sdk/``)
    env: tuple[str, ...] = ()  # variable name prefixes (``OPENAI_``) or exact names
    implicit: tuple[str, ...] = ()  # variables the SDK reads by itself when the code does not
    rules: tuple[str, ...] = ()  # secret rule id prefixes (``secret.openai-``)
    status: str = ""  # the provider's status page
    watch: str = ""  # the errors to alert on


_AI_WATCH = ("429 rate limits and quota errors (insufficient_quota), 401 invalid or revoked key, 5xx and "
             "timeouts from the API, streaming responses cut short, spend per day")  # fmt: skip

SERVICES: tuple[Service, ...] = (
    # -- AI providers -----------------------------------------------------------------------
    Service("openai", "OpenAI", "AI provider", py=("openai", "langchain_openai"),
            npm=("openai", "@ai-sdk/openai", "@langchain/openai"), env=("OPENAI_",),
            implicit=("OPENAI_API_KEY", "OPENAI_ORG_ID", "OPENAI_BASE_URL"), rules=("secret.openai-",),
            status="https://status.openai.com", watch=_AI_WATCH),
    Service("azure-openai", "Azure OpenAI", "AI provider", npm=("@azure/openai", "@ai-sdk/azure"),
            env=("AZURE_OPENAI_",), implicit=("AZURE_OPENAI_API_KEY", "AZURE_OPENAI_ENDPOINT"),
            rules=("secret.azure-openai",), status="https://azure.status.microsoft/", watch=_AI_WATCH),
    Service("anthropic", "Anthropic", "AI provider", py=("anthropic", "langchain_anthropic"),
            npm=("@anthropic-ai/sdk", "@ai-sdk/anthropic", "@langchain/anthropic"), env=("ANTHROPIC_", "CLAUDE_"),
            implicit=("ANTHROPIC_API_KEY",), rules=("secret.anthropic-",),
            status="https://status.anthropic.com", watch=_AI_WATCH),
    Service("google-ai", "Google AI (Gemini)", "AI provider",
            py=("google.generativeai", "google.genai", "langchain_google_genai", "vertexai"),
            npm=("@google/generative-ai", "@google/genai", "@ai-sdk/google", "@langchain/google-genai"),
            env=("GEMINI_", "GOOGLE_API_KEY", "GOOGLE_GENERATIVE_AI_", "GOOGLE_AI_"),
            implicit=("GOOGLE_API_KEY", "GEMINI_API_KEY", "GOOGLE_GENERATIVE_AI_API_KEY"),
            rules=("secret.google-", "secret.gcp-api"), status="https://aistudio.google.com/status", watch=_AI_WATCH),
    Service("mistral", "Mistral", "AI provider", py=("mistralai", "langchain_mistralai"),
            npm=("@mistralai/mistralai", "@ai-sdk/mistral"), env=("MISTRAL_",), implicit=("MISTRAL_API_KEY",),
            rules=("secret.mistral",), status="https://status.mistral.ai", watch=_AI_WATCH),
    Service("groq", "Groq", "AI provider", py=("groq", "langchain_groq"), npm=("groq-sdk", "@ai-sdk/groq"),
            env=("GROQ_",), implicit=("GROQ_API_KEY",), rules=("secret.groq",),
            status="https://groqstatus.com", watch=_AI_WATCH),
    Service("cohere", "Cohere", "AI provider", py=("cohere", "langchain_cohere"), npm=("cohere-ai", "@ai-sdk/cohere"),
            env=("COHERE_", "CO_API_KEY"), implicit=("CO_API_KEY", "COHERE_API_KEY"), rules=("secret.cohere",),
            status="https://status.cohere.com", watch=_AI_WATCH),
    Service("replicate", "Replicate", "AI provider", py=("replicate",), npm=("replicate",),
            env=("REPLICATE_",), implicit=("REPLICATE_API_TOKEN",), rules=("secret.replicate",),
            status="https://replicatestatus.com", watch=_AI_WATCH),
    Service("huggingface", "Hugging Face", "AI provider", py=("huggingface_hub", "transformers", "langchain_huggingface"),
            npm=("@huggingface/",), env=("HF_", "HUGGINGFACE", "HUGGING_FACE"), implicit=("HF_TOKEN",),
            rules=("secret.huggingface",), status="https://status.huggingface.co", watch=_AI_WATCH),
    Service("together", "Together AI", "AI provider", py=("together",), npm=("together-ai", "@ai-sdk/togetherai"),
            env=("TOGETHER_",), implicit=("TOGETHER_API_KEY",), rules=("secret.together",),
            status="https://status.together.ai", watch=_AI_WATCH),
    Service("fireworks", "Fireworks AI", "AI provider", py=("fireworks",), npm=("@ai-sdk/fireworks",),
            env=("FIREWORKS_",), implicit=("FIREWORKS_API_KEY",), rules=("secret.fireworks",),
            status="https://status.fireworks.ai", watch=_AI_WATCH),
    Service("perplexity", "Perplexity", "AI provider", npm=("@ai-sdk/perplexity",), env=("PERPLEXITY_", "PPLX_"),
            rules=("secret.perplexity",), status="https://status.perplexity.com", watch=_AI_WATCH),
    Service("deepseek", "DeepSeek", "AI provider", npm=("@ai-sdk/deepseek",), env=("DEEPSEEK_",),
            rules=("secret.deepseek",), status="https://status.deepseek.com", watch=_AI_WATCH),
    Service("xai", "xAI (Grok)", "AI provider", npm=("@ai-sdk/xai",), env=("XAI_", "GROK_"),
            rules=("secret.xai",), status="https://status.x.ai", watch=_AI_WATCH),
    Service("elevenlabs", "ElevenLabs", "AI provider", py=("elevenlabs",), npm=("elevenlabs", "@elevenlabs/"),
            env=("ELEVENLABS_", "ELEVEN_"), implicit=("ELEVENLABS_API_KEY",), rules=("secret.elevenlabs",),
            status="https://status.elevenlabs.io", watch=_AI_WATCH),
    Service("deepgram", "Deepgram", "AI provider", py=("deepgram",), npm=("@deepgram/",), env=("DEEPGRAM_",),
            implicit=("DEEPGRAM_API_KEY",), rules=("secret.deepgram",), status="https://status.deepgram.com",
            watch=_AI_WATCH),
    Service("assemblyai", "AssemblyAI", "AI provider", py=("assemblyai",), npm=("assemblyai",),
            env=("ASSEMBLYAI_", "ASSEMBLY_AI_"), rules=("secret.assemblyai",),
            status="https://status.assemblyai.com", watch=_AI_WATCH),
    Service("voyage", "Voyage AI", "AI provider", py=("voyageai",), npm=("voyageai",), env=("VOYAGE_",),
            implicit=("VOYAGE_API_KEY",), rules=("secret.voyage",), watch=_AI_WATCH),
    Service("tavily", "Tavily", "AI search", py=("tavily", "langchain_tavily"), npm=("@tavily/",),
            env=("TAVILY_",), implicit=("TAVILY_API_KEY",), rules=("secret.tavily",),
            watch="401 invalid key, 429 credits exhausted, empty results"),
    Service("serpapi", "SerpAPI / Serper", "AI search", py=("serpapi",), npm=("serpapi",),
            env=("SERPAPI_", "SERPER_", "SERP_API_"), rules=("secret.serp",),
            watch="401 invalid key, 429 quota exhausted"),
    Service("exa", "Exa", "AI search", py=("exa_py",), npm=("exa-js",), env=("EXA_",), rules=("secret.exa",),
            watch="401 invalid key, 429 quota exhausted"),
    Service("ai-gateway", "Vercel AI Gateway", "AI provider", npm=("@ai-sdk/gateway",), env=("AI_GATEWAY_",),
            implicit=("AI_GATEWAY_API_KEY",), rules=("secret.vercel-ai-gateway",), status="https://www.vercel-status.com",
            watch=_AI_WATCH),
    Service("openrouter", "OpenRouter", "AI provider", npm=("@openrouter/",), env=("OPENROUTER_",),
            rules=("secret.openrouter",), status="https://status.openrouter.ai", watch=_AI_WATCH),
    Service("ollama", "Ollama", "AI provider", py=("ollama", "langchain_ollama"), npm=("ollama",), env=("OLLAMA_",),
            watch="the model server down or out of memory, slow first tokens"),
    # -- LLM observability ------------------------------------------------------------------
    Service("langsmith", "LangSmith", "LLM observability", py=("langsmith",), npm=("langsmith",),
            env=("LANGSMITH_", "LANGCHAIN_API_KEY", "LANGCHAIN_TRACING", "LANGCHAIN_PROJECT", "LANGCHAIN_ENDPOINT"),
            implicit=("LANGSMITH_API_KEY", "LANGSMITH_PROJECT", "LANGSMITH_ENDPOINT", "LANGSMITH_TRACING",
                      "LANGCHAIN_API_KEY", "LANGCHAIN_TRACING_V2", "LANGCHAIN_PROJECT", "LANGCHAIN_ENDPOINT"), rules=("secret.langsmith",),
            status="https://status.smith.langchain.com", watch="traces stopping (tracing silently off), 401 invalid key"),
    Service("langfuse", "Langfuse", "LLM observability", py=("langfuse",), npm=("langfuse",), env=("LANGFUSE_",),
            implicit=("LANGFUSE_SECRET_KEY", "LANGFUSE_PUBLIC_KEY", "LANGFUSE_HOST"), rules=("secret.langfuse",),
            watch="traces stopping, 401 invalid key"),
    Service("helicone", "Helicone", "LLM observability", env=("HELICONE_",), rules=("secret.helicone",),
            watch="requests failing through the proxy (it sits in the request path)"),
    # -- vector stores ----------------------------------------------------------------------
    Service("pinecone", "Pinecone", "vector store", py=("pinecone", "langchain_pinecone"),
            npm=("@pinecone-database/",), env=("PINECONE_",), implicit=("PINECONE_API_KEY",),
            rules=("secret.pinecone",), status="https://status.pinecone.io",
            watch="401 invalid key, 429 and read-unit limits, index not found after a rename, query latency"),
    Service("weaviate", "Weaviate", "vector store", py=("weaviate",), npm=("weaviate-client", "weaviate-ts-client"),
            env=("WEAVIATE_",), rules=("secret.weaviate",), status="https://status.weaviate.io",
            watch="401, connection errors, query latency"),
    Service("qdrant", "Qdrant", "vector store", py=("qdrant_client",), npm=("@qdrant/",), env=("QDRANT_",),
            rules=("secret.qdrant",), status="https://status.qdrant.io", watch="401, connection errors, query latency"),
    Service("chroma", "Chroma", "vector store", py=("chromadb", "langchain_chroma"), npm=("chromadb",),
            env=("CHROMA_",), watch="connection errors, collection not found, disk full on the server"),
    Service("milvus", "Milvus / Zilliz", "vector store", py=("pymilvus",), npm=("@zilliz/",),
            env=("MILVUS_", "ZILLIZ_"), watch="connection errors, query latency"),
    # -- databases --------------------------------------------------------------------------
    Service("supabase", "Supabase", "database and auth", py=("supabase",), npm=("@supabase/",),
            env=("SUPABASE_", "NEXT_PUBLIC_SUPABASE_", "VITE_SUPABASE_"), rules=("secret.supabase",),
            status="https://status.supabase.com",
            watch="401/403 from PostgREST (row level security), connection pool exhausted, auth email rate limits"),
    Service("postgres", "PostgreSQL", "database", py=("psycopg", "psycopg2", "asyncpg", "sqlalchemy"),
            npm=("pg", "postgres", "@prisma/client", "drizzle-orm", "@neondatabase/serverless", "@vercel/postgres"),
            env=("DATABASE_URL", "POSTGRES_", "PGHOST", "PGUSER", "PGPASSWORD", "PGDATABASE", "DIRECT_URL"), rules=("secret.postgres", "secret.database-url"),
            watch="connection errors and pool exhaustion, slow queries, disk almost full, failed migrations"),
    Service("neon", "Neon", "database", npm=("@neondatabase/",), env=("NEON_",), rules=("secret.neon",),
            status="https://neonstatus.com", watch="connection errors, compute suspended, slow cold starts"),
    Service("planetscale", "PlanetScale", "database", npm=("@planetscale/",), env=("PLANETSCALE_",),
            rules=("secret.planetscale",), status="https://www.planetscalestatus.com", watch="connection errors, slow queries"),
    Service("mongodb", "MongoDB", "database", py=("pymongo", "motor", "mongoengine"), npm=("mongodb", "mongoose"),
            env=("MONGODB_", "MONGO_", "MONGO_URL", "MONGODB_URI"), rules=("secret.mongodb",),
            status="https://status.cloud.mongodb.com", watch="connection errors, slow queries, storage almost full"),
    Service("redis", "Redis / Upstash", "cache and queue", py=("redis", "upstash_redis"),
            npm=("redis", "ioredis", "@upstash/redis", "@upstash/ratelimit"),
            env=("REDIS_", "UPSTASH_", "KV_"), rules=("secret.upstash", "secret.redis"),
            status="https://status.upstash.com", watch="connection errors, evictions, memory almost full"),
    Service("firebase", "Firebase", "database and auth", py=("firebase_admin",), npm=("firebase", "firebase-admin"),
            env=("FIREBASE_", "NEXT_PUBLIC_FIREBASE_", "VITE_FIREBASE_"), implicit=("GOOGLE_APPLICATION_CREDENTIALS",),
            rules=("secret.firebase", "secret.gcp-service-account"), status="https://status.firebase.google.com",
            watch="permission-denied from security rules, quota exceeded"),
    Service("turso", "Turso", "database", npm=("@libsql/",), env=("TURSO_", "LIBSQL_"), rules=("secret.turso",),
            watch="connection errors, slow queries"),
    # -- storage ----------------------------------------------------------------------------
    Service("aws", "AWS (S3, SES, ...)", "cloud and storage", py=("boto3", "botocore", "aioboto3"),
            npm=("@aws-sdk/", "aws-sdk"), env=("AWS_", "S3_"),
            implicit=("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_REGION",
                      "AWS_DEFAULT_REGION", "AWS_PROFILE"),
            rules=("secret.aws-",), status="https://health.aws.amazon.com/health/status",
            watch="AccessDenied (a key rotated or a policy changed), 4xx on public buckets, the monthly bill"),
    Service("cloudflare", "Cloudflare (R2, Workers, ...)", "cloud and storage", npm=("cloudflare", "wrangler"),
            env=("CLOUDFLARE_", "CF_", "R2_"), rules=("secret.cloudflare",), status="https://www.cloudflarestatus.com",
            watch="R2 AccessDenied, Worker errors and CPU limits"),
    Service("gcp", "Google Cloud", "cloud and storage", py=("google.cloud",), npm=("@google-cloud/",),
            env=("GCP_", "GCLOUD_", "GOOGLE_CLOUD_", "GCS_"), implicit=("GOOGLE_APPLICATION_CREDENTIALS",),
            rules=("secret.gcp-",), status="https://status.cloud.google.com",
            watch="permission denied after a service account change, quota errors, the monthly bill"),
    Service("azure", "Azure", "cloud and storage", py=("azure",), npm=("@azure/",), env=("AZURE_",),
            rules=("secret.azure-",), status="https://azure.status.microsoft/",
            watch="AuthenticationFailed (a key or SAS expired), throttling"),
    Service("vercel-blob", "Vercel Blob / KV", "storage", npm=("@vercel/blob", "@vercel/kv"),
            env=("BLOB_READ_WRITE_TOKEN",), implicit=("BLOB_READ_WRITE_TOKEN",), rules=("secret.vercel",),
            status="https://www.vercel-status.com", watch="upload failures, storage limits"),
    Service("uploadthing", "UploadThing", "storage", npm=("uploadthing", "@uploadthing/"), env=("UPLOADTHING_",),
            implicit=("UPLOADTHING_TOKEN", "UPLOADTHING_SECRET"), rules=("secret.uploadthing",),
            watch="upload failures, file size limits"),
    # -- email and messaging ----------------------------------------------------------------
    Service("sendgrid", "SendGrid", "email", py=("sendgrid",), npm=("@sendgrid/",), env=("SENDGRID_",),
            implicit=("SENDGRID_API_KEY",), rules=("secret.sendgrid",), status="https://status.sendgrid.com",
            watch="401 invalid key, bounces and spam reports, sending paused for reputation"),
    Service("resend", "Resend", "email", py=("resend",), npm=("resend",), env=("RESEND_",),
            implicit=("RESEND_API_KEY",), rules=("secret.resend",), status="https://resend-status.com",
            watch="401 invalid key, domain not verified, bounces"),
    Service("postmark", "Postmark", "email", py=("postmarker",), npm=("postmark",), env=("POSTMARK_",),
            rules=("secret.postmark",), status="https://status.postmarkapp.com",
            watch="401 invalid token, bounces, inactive recipients"),
    Service("mailgun", "Mailgun", "email", npm=("mailgun.js", "mailgun-js"), env=("MAILGUN_",),
            rules=("secret.mailgun",), status="https://status.mailgun.com", watch="401 invalid key, bounces, domain disabled"),
    Service("brevo", "Brevo (Sendinblue)", "email", py=("sib_api_v3_sdk", "brevo"), npm=("@getbrevo/", "sib-api-v3-sdk"),
            env=("BREVO_", "SENDINBLUE_", "SIB_"), rules=("secret.brevo", "secret.sendinblue"),
            status="https://status.brevo.com", watch="401 invalid key, bounces"),
    Service("loops", "Loops", "email", npm=("loops",), env=("LOOPS_",), rules=("secret.loops",),
            watch="401 invalid key, bounces"),
    Service("smtp", "SMTP server", "email", py=("smtplib", "aiosmtplib", "fastapi_mail", "flask_mail"),
            npm=("nodemailer",), env=("SMTP_", "EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD", "MAIL_"),
            rules=("secret.smtp",), watch="authentication failures, connection timeouts, bounces"),
    Service("twilio", "Twilio", "SMS and voice", py=("twilio",), npm=("twilio",), env=("TWILIO_",),
            implicit=("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN"), rules=("secret.twilio",),
            status="https://status.twilio.com", watch="20003 authentication errors, undelivered messages, spend per day"),
    Service("vonage", "Vonage", "SMS and voice", py=("vonage",), npm=("@vonage/",), env=("VONAGE_", "NEXMO_"),
            rules=("secret.vonage",), status="https://vonage.statuspage.io", watch="authentication errors, undelivered messages"),
    Service("slack", "Slack", "chat", py=("slack_sdk", "slack_bolt"), npm=("@slack/",), env=("SLACK_",),
            rules=("secret.slack",), status="https://slack-status.com", watch="invalid_auth, webhook 404 after a channel change"),
    Service("discord", "Discord", "chat", py=("discord",), npm=("discord.js",), env=("DISCORD_",),
            rules=("secret.discord",), status="https://discordstatus.com", watch="401 invalid token, webhook 404"),
    Service("telegram", "Telegram", "chat", py=("telegram", "aiogram"), npm=("telegraf", "node-telegram-bot-api"),
            env=("TELEGRAM_",), rules=("secret.telegram",), watch="401 invalid token, webhook not set"),
    # -- payments ---------------------------------------------------------------------------
    Service("stripe", "Stripe", "payments", py=("stripe",), npm=("stripe", "@stripe/"),
            env=("STRIPE_", "NEXT_PUBLIC_STRIPE_", "VITE_STRIPE_"), rules=("secret.stripe-",),
            status="https://status.stripe.com",
            watch="webhook signature failures and delivery retries, 401 invalid key, failed payments and disputes"),
    Service("lemonsqueezy", "Lemon Squeezy", "payments", npm=("@lemonsqueezy/",), env=("LEMONSQUEEZY_", "LEMON_SQUEEZY_"),
            rules=("secret.lemon",), watch="webhook signature failures, failed payments"),
    Service("paddle", "Paddle", "payments", py=("paddle_billing",), npm=("@paddle/",), env=("PADDLE_",),
            rules=("secret.paddle",), status="https://paddle.status.io", watch="webhook signature failures, failed payments"),
    Service("paypal", "PayPal / Braintree", "payments", py=("paypalrestsdk", "braintree"),
            npm=("@paypal/", "braintree"), env=("PAYPAL_", "BRAINTREE_"), rules=("secret.paypal", "secret.braintree"),
            status="https://www.paypal-status.com", watch="webhook verification failures, failed payments"),
    # -- auth -------------------------------------------------------------------------------
    Service("clerk", "Clerk", "auth", py=("clerk_backend_api",), npm=("@clerk/",),
            env=("CLERK_", "NEXT_PUBLIC_CLERK_", "VITE_CLERK_"), implicit=("CLERK_SECRET_KEY",),
            rules=("secret.clerk",), status="https://status.clerk.com", watch="sign-in failures, 401 from the backend API"),
    Service("auth0", "Auth0", "auth", py=("auth0",), npm=("@auth0/", "auth0"), env=("AUTH0_",),
            implicit=("AUTH0_SECRET", "AUTH0_CLIENT_SECRET"), rules=("secret.auth0",),
            status="https://status.auth0.com", watch="login failures, callback URL mismatches after a domain change"),
    Service("authjs", "Auth.js / NextAuth", "auth", npm=("next-auth", "@auth/"),
            env=("NEXTAUTH_", "AUTH_SECRET", "AUTH_URL", "AUTH_GOOGLE_", "AUTH_GITHUB_"),
            implicit=("NEXTAUTH_SECRET", "NEXTAUTH_URL", "AUTH_SECRET"), rules=("secret.nextauth",),
            watch="sign-in errors (OAuthCallback, Configuration), a missing AUTH_SECRET in production"),
    Service("okta", "Okta", "auth", py=("okta",), npm=("@okta/",), env=("OKTA_",), rules=("secret.okta",),
            status="https://status.okta.com", watch="login failures, token errors"),
    Service("workos", "WorkOS", "auth", py=("workos",), npm=("@workos-inc/",), env=("WORKOS_",),
            rules=("secret.workos",), status="https://status.workos.com", watch="SSO failures"),
    # -- analytics and monitoring -----------------------------------------------------------
    Service("posthog", "PostHog", "analytics", py=("posthog",), npm=("posthog-js", "posthog-node"),
            env=("POSTHOG_", "NEXT_PUBLIC_POSTHOG_", "VITE_POSTHOG_"), rules=("secret.posthog",),
            status="https://status.posthog.com", watch="events stopping after a deploy (a blocked script or a wrong key)"),
    Service("segment", "Segment", "analytics", py=("segment.analytics",), npm=("@segment/",), env=("SEGMENT_",),
            rules=("secret.segment",), status="https://status.segment.com", watch="events stopping"),
    Service("mixpanel", "Mixpanel", "analytics", py=("mixpanel",), npm=("mixpanel", "mixpanel-browser"),
            env=("MIXPANEL_",), rules=("secret.mixpanel",), status="https://www.mixpanelstatus.com", watch="events stopping"),
    Service("amplitude", "Amplitude", "analytics", py=("amplitude",), npm=("@amplitude/",), env=("AMPLITUDE_",),
            rules=("secret.amplitude",), status="https://status.amplitude.com", watch="events stopping"),
    Service("sentry", "Sentry", "error tracking", py=("sentry_sdk",), npm=("@sentry/",),
            env=("SENTRY_", "NEXT_PUBLIC_SENTRY_"), implicit=("SENTRY_DSN", "SENTRY_AUTH_TOKEN", "SENTRY_ENVIRONMENT"),
            rules=("secret.sentry",), status="https://status.sentry.io",
            watch="new issue alerts and error-rate spikes per release; quota exhausted (events dropped)"),
    Service("datadog", "Datadog", "monitoring", py=("ddtrace", "datadog"), npm=("dd-trace", "@datadog/"),
            env=("DD_", "DATADOG_"), implicit=("DD_API_KEY", "DD_SITE", "DD_ENV", "DD_SERVICE"),
            rules=("secret.datadog",), status="https://status.datadoghq.com", watch="monitors on error rate and latency"),
    Service("opentelemetry", "OpenTelemetry exporter", "monitoring", py=("opentelemetry",),
            npm=("@opentelemetry/", "@vercel/otel"), env=("OTEL_",),
            watch="the exporter failing silently (no traces after a deploy), error rate and latency per route"),
    Service("bugsnag", "Bugsnag", "error tracking", py=("bugsnag",), npm=("@bugsnag/",), env=("BUGSNAG_",),
            rules=("secret.bugsnag",), watch="error-rate spikes per release"),
    Service("rollbar", "Rollbar", "error tracking", py=("rollbar",), npm=("rollbar",), env=("ROLLBAR_",),
            rules=("secret.rollbar",), watch="error-rate spikes per release"),
    # -- background jobs and search ---------------------------------------------------------
    Service("inngest", "Inngest", "background jobs", py=("inngest",), npm=("inngest",), env=("INNGEST_",),
            implicit=("INNGEST_EVENT_KEY", "INNGEST_SIGNING_KEY"), rules=("secret.inngest",),
            status="https://status.inngest.com", watch="failed and retried functions"),
    Service("trigger", "Trigger.dev", "background jobs", npm=("@trigger.dev/",), env=("TRIGGER_",),
            implicit=("TRIGGER_SECRET_KEY",), rules=("secret.trigger",), watch="failed runs"),
    Service("qstash", "Upstash QStash", "background jobs", npm=("@upstash/qstash",), env=("QSTASH_",),
            rules=("secret.qstash",), watch="failed deliveries, signature failures"),
    Service("algolia", "Algolia", "search", py=("algoliasearch",), npm=("algoliasearch", "@algolia/"),
            env=("ALGOLIA_", "NEXT_PUBLIC_ALGOLIA_"), rules=("secret.algolia",), status="https://status.algolia.com",
            watch="403 invalid key, record quota"),
)  # fmt: skip

BY_ID = {s.id: s for s in SERVICES}

# Variables platforms and runtimes set themselves: never "missing in production".
PLATFORM_VARIABLES = frozenset({
    "NODE_ENV", "PORT", "HOST", "HOSTNAME", "HOME", "PATH", "PWD", "USER", "SHELL", "TZ", "LANG", "CI", "DEBUG",
    "PYTHONPATH", "PYTHONUNBUFFERED", "VIRTUAL_ENV", "ENV", "ENVIRONMENT", "APP_ENV", "NEXT_RUNTIME", "NEXT_PHASE",
    "WEB_CONCURRENCY", "TERM", "TMPDIR",
})  # fmt: skip
PLATFORM_PREFIXES = ("VERCEL_", "NEXT_PUBLIC_VERCEL_", "GITHUB_", "RUNNER_", "FLY_", "RENDER_", "RAILWAY_", "HEROKU_",
                     "NETLIFY_", "AWS_LAMBDA_", "K_SERVICE", "KUBERNETES_", "npm_", "LAUNCHREADY_",
                     "LANGSMITH_HOST_", "PLAYWRIGHT", "PYTEST_")  # fmt: skip


def is_platform_variable(name: str) -> bool:
    return name in PLATFORM_VARIABLES or name.startswith(PLATFORM_PREFIXES)


def service_for_variable(name: str) -> Service | None:
    """The service a variable belongs to by its name: the longest matching prefix wins
    (``NEXT_PUBLIC_``/``VITE_``... prefixes are looked through)."""
    for public in ("NEXT_PUBLIC_", "VITE_", "REACT_APP_", "EXPO_PUBLIC_", "NUXT_PUBLIC_", "PUBLIC_"):
        if name.startswith(public) and len(name) > len(public):
            found = _by_name(name)
            return found if found is not None else _by_name(name[len(public):])
    return _by_name(name)


def _by_name(name: str) -> Service | None:
    best: tuple[int, Service] | None = None
    for s in SERVICES:
        for p in (*s.env, *s.implicit):
            hit = name == p or (p.endswith("_") and name.startswith(p)) or (p.isupper() and not p.endswith("_")
                                                                             and name.startswith(p + "_"))  # fmt: skip
            if hit and (best is None or len(p) > best[0]):
                best = (len(p), s)
    return best[1] if best else None


def service_for_rule(rule_id: str) -> Service | None:
    for s in SERVICES:
        if any(rule_id.startswith(p) for p in s.rules):
            return s
    return None


def _matches_package(spec: str, package: str) -> bool:
    return package.startswith(spec) if spec.endswith("/") else package == spec or package.startswith(spec + "/")


def service_for_npm(package: str) -> Service | None:
    for s in SERVICES:
        if any(_matches_package(spec, package) for spec in s.npm):
            return s
    return None


def service_for_import(module: str) -> Service | None:
    for s in SERVICES:
        if any(module == p or module.startswith(p + ".") for p in s.py):
            return s
    return None
