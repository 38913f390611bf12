"""The rule pack, as data: one ``Rule`` per detector, ids ``secret.<provider>-<kind>``.

The rules live in one module per provider family; this module only puts them in order.
Adding a rule touches its family module and ``tests/secrets/test_rules.py`` (which
refuses rules without true and false samples) plus ``KeyGen.sample``.
"""

from __future__ import annotations

from launchready.secrets.rule import Rule
from launchready.secrets.rules import ai, cloud, infra, saas

RULES: tuple[Rule, ...] = (*ai.RULES, *cloud.RULES, *saas.RULES, *infra.RULES)
