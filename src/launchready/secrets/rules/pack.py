"""The rule pack, as data: one ``Rule`` per detector, ids ``secret.<provider>-<kind>``.

The rules live in one module per provider family; this module only puts them in order.
Adding a rule touches its family module and ``tests/secrets/test_rules.py`` (which
refuses rules without true and false samples) plus ``KeyGen.sample``.
"""

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

RULES: tuple[Rule, ...] = (
    *ai.RULES,
    *ai_more.RULES,
    *cloud.RULES,
    *cloud_more.RULES,
    *vcs.RULES,
    *saas.RULES,
    *chat.RULES,
    *payment.RULES,
    *services.RULES,
    *keys.RULES,
    *files.RULES,
    *infra.RULES,
    *calls.RULES,
)
# How KeyGen.sample writes a true sample for the table-built rules: rule id -> (name, value regex).
SAMPLES: dict[str, tuple[str, str]] = {
    **ai_more.SAMPLES,
    **cloud_more.SAMPLES,
    **vcs.SAMPLES,
    **chat.SAMPLES,
    **payment.SAMPLES,
    **services.SAMPLES,
}
