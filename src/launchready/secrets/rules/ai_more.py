"""AI providers beyond ``ai.py``: Tavily, Firecrawl, ElevenLabs, AssemblyAI, Deepgram, Fireworks, Together,
Voyage, Jina, Weights & Biases, Anthropic/Cohere/Mistral variants."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules._common import C, Pack

P = Pack()
P.token(
    "secret.tavily-api-key",
    "Tavily API key",
    r"tvly-(?:dev-|prod-)?[A-Za-z0-9]{32}",
    ("tvly-",),
    "https://app.tavily.com (API keys)",
    "TAVILY_API_KEY",
    severity=C,
)
P.token(
    "secret.firecrawl-api-key",
    "Firecrawl API key",
    r"fc-[a-f0-9]{32}",
    ("fc-",),
    "https://www.firecrawl.dev/app/api-keys",
    "FIRECRAWL_API_KEY",
    severity=C,
)
P.token(
    "secret.elevenlabs-api-key",
    "ElevenLabs API key",
    r"sk_[a-f0-9]{48}",
    ("sk_",),
    "https://elevenlabs.io/app/settings/api-keys",
    "ELEVENLABS_API_KEY",
    severity=C,
)
P.token(
    "secret.fireworks-api-key",
    "Fireworks AI API key",
    r"fw_[A-Za-z0-9]{24}",
    ("fw_",),
    "https://fireworks.ai/account/api-keys",
    "FIREWORKS_API_KEY",
    severity=C,
    entropy=3.5,
)
P.token(
    "secret.together-api-key",
    "Together AI API key",
    r"tgp_v1_[A-Za-z0-9_-]{43}",
    ("tgp_v1_",),
    "https://api.together.ai/settings/api-keys",
    "TOGETHER_API_KEY",
    severity=C,
)
P.token(
    "secret.voyage-api-key",
    "Voyage AI API key",
    r"pa-[A-Za-z0-9_-]{43}",
    ("pa-",),
    "https://dashboard.voyageai.com/api-keys",
    "VOYAGE_API_KEY",
    severity=C,
    entropy=3.8,
)
P.token(
    "secret.jina-api-key",
    "Jina AI API key",
    r"jina_[a-f0-9]{32}[A-Za-z0-9_-]{28}",
    ("jina_",),
    "https://jina.ai/api-dashboard",
    "JINA_API_KEY",
    severity=C,
)
P.named(
    "secret.ai-provider-key",
    "AI provider API key assigned by name (Together, AssemblyAI, Deepgram, Weights & Biases, "
    "Anthropic, Cohere, Mistral, Groq, DeepSeek, Llama API)",
    r"(?:together|assembly[_.-]?ai|deepgram|wandb|weights[_.-]?and[_.-]?biases|anthropic|claude|deepseek|llama[_.-]?api|fireworks"
    r"|voyage|jina|elevenlabs|eleven[_.-]?labs|tavily|langchain|langsmith)[\w.-]{0,20}?(?:key|token|secret)",
    r"[A-Za-z0-9_-]{32,100}",
    (
        "together",
        "assembly",
        "deepgram",
        "wandb",
        "weights_and",
        "weights-and",
        "anthropic",
        "claude",
        "deepseek",
        "llama_api",
        "llama-api",
        "llamaapi",
        "fireworks",
        "voyage",
        "jina",
        "elevenlabs",
        "eleven_labs",
        "eleven-labs",
        "tavily",
        "langchain",
        "langsmith",
    ),
    "your AI provider's API key page (revoke the key)",
    "WANDB_API_KEY",
    severity=C,
    entropy=3.5,
)
P.token(
    "secret.llamacloud-api-key",
    "LlamaCloud (LlamaIndex / LlamaParse) API key",
    r"llx-[A-Za-z0-9_-]{48}",
    ("llx-",),
    "https://cloud.llamaindex.ai (API Keys > delete the key)",
    "LLAMA_CLOUD_API_KEY",
    severity=C,
    entropy=3.5,
)

RULES: tuple[Rule, ...] = tuple(P.rules)
SAMPLES = P.samples
