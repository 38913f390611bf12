"""The rule pack, as data. One ``Rule`` per detector; ids are ``secret.<provider>-<kind>``."""

from __future__ import annotations

from launchready.model import Severity
from launchready.secrets import validators
from launchready.secrets.rule import Rule

C, H, M = Severity.CRITICAL, Severity.HIGH, Severity.MEDIUM

RULES: tuple[Rule, ...] = (
    Rule(
        id="secret.openai-project-key",
        description="OpenAI project API key",
        severity=C,
        keywords=("sk-proj-",),
        regex=r"\b(sk-proj-[A-Za-z0-9_-]{40,200}(?:T3BlbkFJ[A-Za-z0-9_-]{20,})?)",
        secret_group=1,
        prefix="sk-proj-",
        fix="Revoke it at https://platform.openai.com/api-keys, create a new key and keep it server-side in an environment variable.",
    ),
    Rule(
        id="secret.github-pat-classic",
        description="GitHub personal access token (classic)",
        severity=C,
        keywords=("ghp_",),
        regex=r"\b(ghp_[A-Za-z0-9]{36})\b",
        secret_group=1,
        prefix="ghp_",
        validator=validators.github_checksum,
        fix="Delete it at https://github.com/settings/tokens and create a fine-grained token with the least scope.",
    ),
    Rule(
        id="secret.stripe-secret-key",
        description="Stripe secret key",
        severity=C,
        keywords=("sk_live_",),
        regex=r"\b(sk_live_[A-Za-z0-9]{24,247})\b",
        secret_group=1,
        prefix="sk_live_",
        fix="Roll the key at https://dashboard.stripe.com/apikeys and store the new one only on the server.",
    ),
    Rule(
        id="secret.private-key",
        description="Private key (PEM)",
        severity=C,
        keywords=("-----begin",),
        regex=r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----(?:\\n|\s)+([A-Za-z0-9+/=\s\\n]{64,}?)(?:\\n|\s)*-----END (?:RSA |EC |DSA |OPENSSH |ENCRYPTED )?PRIVATE KEY-----",
        secret_group=1,
        window=16384,
        password_like=True,
        fix="Treat the key as compromised: generate a new key pair, replace it wherever it is trusted, and load private keys from a secret manager.",
    ),
    Rule(
        id="secret.generic-assignment",
        description="High-entropy value assigned to a secret-sounding name",
        severity=H,
        keywords=("key", "secret", "token", "password", "passwd", "pwd"),
        regex=r"""(?i)\b[\w.-]*(?:api[_-]?key|secret|token|password|passwd|pwd|_key)\b["']?\s*(?:[:=]|=>|:=)\s*["'`]?([A-Za-z0-9_\-+/=.!@#$%^&*~]{12,200})["'`]?""",
        secret_group=1,
        entropy=3.5,
        generic=True,
        password_like=True,
        fix="Move the value to a secret manager or an untracked environment variable, rotate it at its issuer, and read it at runtime.",
    ),
)
