"""Hard negatives: values that look like secrets but are placeholders, references or digests."""

from __future__ import annotations

import math
import re
from collections import Counter

# Whole-value placeholders and references. Matched against the extracted secret.
_PLACEHOLDER = re.compile(
    r"""(?ix)
    ^(?:
        \$\{[^}]*\}            # ${VAR}
      | \$[A-Z_][A-Z0-9_]*     # $VAR
      | \{\{.*\}\}             # {{ template }}
      | <[^>]*>                # <your-key>
      | %\([a-z_]+\)s          # %(name)s
      | (?:process\.env|os\.environ|import\.meta\.env|env)\b.*
      | (?:x|\*|\.|-|_|0|\#){4,}          # xxxx, ****, ...., 0000
      | .*(?:xxxx|\*\*\*\*|\.\.\.|…).*   # sk-...  sk-xxxx  sk-****
      | (?:your|my|the|insert|replace|put|enter|example|sample|dummy|fake|test|change)
        [-_ ]?(?:api[-_ ]?)?(?:key|secret|token|password|pass|pwd|here|me|value).*
      | changeme|password|secret|redacted|placeholder|notasecret|none|null|undefined|todo
    )$
    """
)
_DOC_EXAMPLES = frozenset(
    {
        "AKIAIOSFODNN7EXAMPLE",
        "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        "AKIAI44QH8DHBEXAMPLE",
        "je7MtGbClwBF/2Zp9Utk/h3yCo8nvbEXAMPLEKEY",
    }
)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
_HEX_DIGEST = re.compile(r"^(?:sha(?:1|256|384|512)[-:])?[0-9a-f]{40}$|^[0-9a-f]{64}$")
_INTEGRITY = re.compile(r"^sha(?:1|256|384|512)-[A-Za-z0-9+/=]{20,}$")
_FAKE_WORD = re.compile(r"(?i)example|dummy|placeholder|sample|fake|redacted|not[-_]?real")


def shannon_entropy(value: str) -> float:
    if not value:
        return 0.0
    counts = Counter(value)
    n = len(value)
    return -sum(c / n * math.log2(c / n) for c in counts.values())


def is_placeholder(value: str) -> bool:
    """True for values no one should be told to rotate."""
    v = value.strip().strip("'\"`")
    if not v or v in _DOC_EXAMPLES:
        return True
    if _PLACEHOLDER.match(v):
        return True
    if _UUID.match(v) or _HEX_DIGEST.match(v) or _INTEGRITY.match(v):
        return True
    if v.startswith(("data:", "sha256:", "sha512:")):
        return True
    if _FAKE_WORD.search(v):
        return True
    # One character repeated, or a simple run: aaaaaaaa, 12345678, abcdefgh
    if len(set(v)) <= 2:
        return True
    return v.lower() in "abcdefghijklmnopqrstuvwxyz0123456789" and len(v) >= 6
