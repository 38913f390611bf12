"""AI and model-provider keys: OpenAI, Anthropic, Google, Azure, Hugging Face and friends."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import ALPHABET_RUN, UUID, B, C, E, H, L, fix, kv

RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.openai-api-key",
        description="OpenAI API key (legacy user key)",
        severity=C,
        keywords=("t3blbkfj",),
        regex=B + r"(sk-(?:None-)?[A-Za-z0-9]{20}T3BlbkFJ[A-Za-z0-9]{20})" + E,
        secret_group=1,
        prefix="sk-",
        fix=fix("https://platform.openai.com/api-keys"),
    ),
    Rule(
        id="secret.openai-project-key",
        description="OpenAI project API key",
        severity=C,
        keywords=("sk-proj-",),
        regex=B + r"(sk-proj-[A-Za-z0-9_-]{40,300})" + E,
        secret_group=1,
        prefix="sk-proj-",
        fix=fix("https://platform.openai.com/api-keys"),
    ),
    Rule(
        id="secret.openai-service-account-key",
        description="OpenAI service-account API key",
        severity=C,
        keywords=("sk-svcacct-",),
        regex=B + r"(sk-svcacct-[A-Za-z0-9_-]{40,300})" + E,
        secret_group=1,
        prefix="sk-svcacct-",
        fix=fix("https://platform.openai.com/settings/organization/projects (the project's service accounts)"),
    ),
    Rule(
        id="secret.openai-admin-key",
        description="OpenAI organization admin key",
        severity=C,
        keywords=("sk-admin-",),
        regex=B + r"(sk-admin-[A-Za-z0-9_-]{40,300})" + E,
        secret_group=1,
        prefix="sk-admin-",
        fix=fix("https://platform.openai.com/settings/organization/admin-keys", "the admin key"),
    ),
    Rule(
        id="secret.anthropic-api-key",
        description="Anthropic API key",
        severity=C,
        keywords=("sk-ant-api03-",),
        # issued keys are 93 characters and `AA` after the prefix; keys of a few characters more or less
        # (older or truncated in transit) are still keys: the prefix says whose they are
        regex=B + r"(sk-ant-api03-[A-Za-z0-9_-]{80,110})" + E,
        secret_group=1,
        allow=(ALPHABET_RUN,),
        prefix="sk-ant-api03-",
        fix=fix("https://console.anthropic.com/settings/keys"),
    ),
    Rule(
        id="secret.anthropic-admin-key",
        description="Anthropic Admin API key",
        severity=C,
        keywords=("sk-ant-admin01-",),
        regex=B + r"(sk-ant-admin01-[A-Za-z0-9_-]{80,110})" + E,
        secret_group=1,
        allow=(ALPHABET_RUN,),
        prefix="sk-ant-admin01-",
        fix=fix("https://console.anthropic.com/settings/admin-keys", "the admin key"),
    ),
    # A Firebase web config's apiKey and a Maps JavaScript API key are Google API keys (the same
    # AIza shape) that ship to every browser by design: not passwords, but each can call every
    # API its Google Cloud project enables, Gemini included. Low (as in a shipped bundle,
    # ``build_output``), with the fix that helps: restrict the key. Listed before
    # secret.google-api-key, which it wins over on the same key.
    Rule(
        id="secret.google-browser-api-key",
        description=(
            "Google API key meant for browsers (a Firebase web config, the Maps JavaScript API): public by design, "
            "but it can call every API its project enables"
        ),
        severity=L,
        keywords=("aiza",),
        cased_keywords=("AIza",),
        # the key followed within the config by a Firebase-only field (`authDomain`, a
        # `*.firebaseapp.com` host, `messagingSenderId`); under a Firebase or Maps name; or in
        # the Maps JavaScript API's script URL
        regex=(
            r"(?<![A-Za-z0-9_-])(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])"
            r"(?=[\s\S]{0,400}?(?:\bauthDomain\b|\.firebaseapp\.com\b|\bmessagingSenderId\b))"
            r"|(?i:[\w.-]*(?:firebase|google[_.-]?maps?|maps?|places)[\w.-]{0,20}?(?:api[_.-]?)?key)[\"']?\s*[:=]\s*[\"'`]?"
            r"(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])"
            r"|maps\.googleapis\.com/maps/api/js\?(?:[^\s\"'<>]*?&(?:amp;)?)?key=(AIza[0-9A-Za-z_-]{35})(?![A-Za-z0-9_-])"
        ),
        window=600,
        line_trigger=r"AIza[0-9A-Za-z_-]{35}",  # every match holds the key itself
        secret_group=(1, 2, 3),
        prefix="AIza",
        entropy=3.5,
        fix=(
            "A Firebase web or Maps JavaScript key is meant to ship to browsers; restrict what it can do instead: Google "
            "Cloud console > APIs & Services > Credentials > the key > API restrictions (only the APIs the page uses, "
            "never the Generative Language API) and Application restrictions (HTTP referrers: your domains). If Gemini "
            "or another paid API was enabled on the project, rotate the key there."
        ),
    ),
    Rule(
        id="secret.google-api-key",
        description="Google API key (Gemini / Google AI Studio / GCP)",
        severity=H,
        keywords=("aiza",),
        regex=B + r"(AIza[0-9A-Za-z_-]{35})" + E,
        secret_group=1,
        prefix="AIza",
        entropy=3.5,
        fix=fix(
            "https://aistudio.google.com/app/apikey (Gemini) or https://console.cloud.google.com/apis/credentials",
            "the key (or restrict it)",
        ),
    ),
    Rule(
        id="secret.gcp-service-account",
        description="GCP service-account key file (JSON with private_key_id)",
        severity=C,
        keywords=("private_key_id",),
        regex=r'"private_key_id"\s*:\s*"([0-9a-f]{40})"',
        secret_group=1,
        allow_uuid=True,
        password_like=True,
        fix=fix("https://console.cloud.google.com/iam-admin/serviceaccounts (Keys tab)", "the service-account key")
        + " Prefer workload identity federation over key files.",
    ),
    Rule(
        id="secret.gcp-oauth-client-secret",
        description="Google OAuth client secret",
        severity=H,
        keywords=("gocspx-",),
        regex=B + r"(GOCSPX-[A-Za-z0-9_-]{28})" + E,
        secret_group=1,
        prefix="GOCSPX-",
        fix=fix("https://console.cloud.google.com/apis/credentials", "the client secret (reset it)"),
    ),
    Rule(
        id="secret.azure-openai-key",
        description="Azure OpenAI / Azure AI services key",
        severity=C,
        keywords=("azure",),
        regex=kv(r"azure[\w.-]{0,40}?(?:key|secret)", r"[0-9a-f]{32}|[A-Za-z0-9]{84}"),
        secret_group=1,
        allow_uuid=True,
        entropy=3.0,
        fix=fix("https://portal.azure.com (your resource > Keys and Endpoint > Regenerate)"),
    ),
    Rule(
        id="secret.huggingface-token",
        description="Hugging Face access token",
        severity=H,
        keywords=("hf_",),
        regex=B + r"(hf_[A-Za-z]{34})" + E,
        secret_group=1,
        prefix="hf_",
        entropy=3.5,
        fix=fix("https://huggingface.co/settings/tokens", "the token"),
    ),
    Rule(
        id="secret.huggingface-org-token",
        description="Hugging Face organization API token",
        severity=H,
        keywords=("api_org_",),
        regex=B + r"(api_org_[A-Za-z]{34})" + E,
        secret_group=1,
        prefix="api_org_",
        entropy=3.5,
        fix=fix("https://huggingface.co/settings/tokens", "the token"),
    ),
    Rule(
        id="secret.cohere-api-key",
        description="Cohere API key",
        severity=C,
        keywords=("cohere", "co_api_key"),
        regex=kv(r"cohere|co_api_key", r"[A-Za-z0-9]{40}"),
        secret_group=1,
        entropy=4.0,
        fix=fix("https://dashboard.cohere.com/api-keys"),
    ),
    Rule(
        id="secret.mistral-api-key",
        description="Mistral AI API key",
        severity=C,
        keywords=("mistral",),
        regex=kv(r"mistral", r"[A-Za-z0-9]{32}"),
        secret_group=1,
        entropy=3.8,
        fix=fix("https://console.mistral.ai/api-keys"),
    ),
    Rule(
        id="secret.groq-api-key",
        description="Groq API key",
        severity=C,
        keywords=("gsk_",),
        regex=B + r"(gsk_[A-Za-z0-9]{52})" + E,
        secret_group=1,
        prefix="gsk_",
        entropy=4.0,
        fix=fix("https://console.groq.com/keys"),
    ),
    Rule(
        id="secret.replicate-api-token",
        description="Replicate API token",
        severity=C,
        keywords=("r8_",),
        regex=B + r"(r8_[A-Za-z0-9]{37})" + E,
        secret_group=1,
        prefix="r8_",
        entropy=3.8,
        fix=fix("https://replicate.com/account/api-tokens", "the token"),
    ),
    Rule(
        id="secret.openrouter-api-key",
        description="OpenRouter API key",
        severity=C,
        keywords=("sk-or-v1-",),
        regex=B + r"(sk-or-v1-[0-9a-f]{64})" + E,
        secret_group=1,
        prefix="sk-or-v1-",
        fix=fix("https://openrouter.ai/settings/keys"),
    ),
    Rule(
        id="secret.perplexity-api-key",
        description="Perplexity API key",
        severity=C,
        keywords=("pplx-",),
        regex=B + r"(pplx-[A-Za-z0-9]{48})" + E,
        secret_group=1,
        prefix="pplx-",
        entropy=4.0,
        fix=fix("https://www.perplexity.ai/settings/api"),
    ),
    Rule(
        id="secret.xai-api-key",
        description="xAI (Grok) API key",
        severity=C,
        keywords=("xai-",),
        regex=B + r"(xai-[A-Za-z0-9]{80})" + E,
        secret_group=1,
        prefix="xai-",
        entropy=4.0,
        fix=fix("https://console.x.ai (API Keys)"),
    ),
    Rule(
        id="secret.deepseek-api-key",
        description="DeepSeek (or other OpenAI-compatible provider) API key",
        severity=C,
        keywords=("sk-",),
        regex=B + r"(sk-[0-9a-f]{32})" + E,
        secret_group=1,
        prefix="sk-",
        entropy=3.2,
        fix=fix("https://platform.deepseek.com/api_keys (or the provider that issued it)"),
    ),
    Rule(
        id="secret.pinecone-api-key",
        description="Pinecone API key",
        severity=H,
        keywords=("pcsk_",),
        regex=B + r"(pcsk_[A-Za-z0-9]{4,8}_[A-Za-z0-9]{40,100})" + E,
        secret_group=1,
        prefix="pcsk_",
        fix=fix("https://app.pinecone.io (your project > API Keys)"),
    ),
    Rule(
        id="secret.pinecone-legacy-key",
        description="Pinecone API key (legacy UUID format)",
        severity=H,
        keywords=("pinecone",),
        regex=kv(r"pinecone[\w.-]{0,20}?key", UUID),
        secret_group=1,
        allow_uuid=True,
        fix=fix("https://app.pinecone.io (your project > API Keys)"),
    ),
    Rule(
        id="secret.langsmith-api-key",
        description="LangSmith / LangChain API key",
        severity=H,
        keywords=("lsv2_",),
        regex=B + r"(lsv2_(?:pt|sk)_[0-9a-f]{32}_[0-9a-f]{10})" + E,
        secret_group=1,
        prefix="lsv2_",
        fix=fix("https://smith.langchain.com/settings (API Keys)"),
    ),
)
