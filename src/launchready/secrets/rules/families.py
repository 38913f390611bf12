"""Which family each built-in rule belongs to: ``rules list`` groups by it, ``docs/rules.md``
is written by it. The third-party yardstick (bench/thirdparty_accuracy.py) groups other
scanners' rules into the same eight families by name."""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules import (
    ai,
    ai_more,
    calls,
    chat,
    cloud,
    cloud_more,
    files,
    infra,
    keys,
    payment,
    saas,
    services,
    vcs,
)

AI, VCS, CHAT, CLOUD, PAYMENT, KEYS, GENERIC, SAAS = (
    "AI providers",
    "VCS, CI and registries",
    "chat",
    "cloud",
    "payment",
    "private keys",
    "generic assignments and credential files",
    "other SaaS",
)
FAMILIES: tuple[str, ...] = (AI, VCS, CHAT, CLOUD, PAYMENT, KEYS, GENERIC, SAAS)

_BY_MODULE: tuple[tuple[tuple[Rule, ...], str], ...] = (
    (ai.RULES, AI),
    (ai_more.RULES, AI),
    (cloud.RULES, CLOUD),
    (cloud_more.RULES, CLOUD),
    (vcs.RULES, VCS),
    (chat.RULES, CHAT),
    (payment.RULES, PAYMENT),
    (services.RULES, SAAS),
    (keys.RULES, KEYS),
    (files.RULES, GENERIC),
    (saas.RULES, SAAS),
    (infra.RULES, GENERIC),
    (calls.RULES, GENERIC),
)
# Rules whose module holds several families, by id prefix (first match wins).
_BY_PREFIX: tuple[tuple[str, str], ...] = (
    ("secret.gcp-", CLOUD),
    ("secret.github-", VCS),
    ("secret.gitlab-", VCS),
    ("secret.npm", VCS),
    ("secret.nuget-", VCS),
    ("secret.pypi", VCS),
    ("secret.slack-", CHAT),
    ("secret.discord-", CHAT),
    ("secret.telegram-", CHAT),
    ("secret.stripe-", PAYMENT),
    ("secret.shopify-", PAYMENT),
    ("secret.vault-", SAAS),
    ("secret.databricks-", SAAS),
    ("secret.doppler-", SAAS),
    ("secret.grafana-", SAAS),
    ("secret.planetscale-", SAAS),
    ("secret.age-", KEYS),
    ("secret.private-key", KEYS),
    ("secret.putty-", KEYS),
    ("secret.ssh-key-file", KEYS),
    ("secret.pkcs12-file", KEYS),
    ("secret.java-keystore-file", KEYS),
    ("secret.keytab-file", KEYS),
)


def family_of(rule: Rule) -> str:
    """The family of a rule; custom and gitleaks rules are their own."""
    if rule.source != "builtin":
        return rule.source
    for prefix, fam in _BY_PREFIX:
        if rule.id.startswith(prefix):
            return fam
    for rules, fam in _BY_MODULE:
        if any(r.id == rule.id for r in rules):
            return fam
    return GENERIC
