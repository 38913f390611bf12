"""A seeded generator of realistic-looking (but never real) credentials.

Tests, benchmarks and the demo generate their secret-shaped data here at run time, so no
live-looking key is ever committed to this repository (push protection and our own hook
would rightly block it). ``KeyGen(seed)`` is deterministic.
"""

from __future__ import annotations

import base64
import json
import random
import string

from launchready.secrets.validators import github_checksum_append

ALNUM = string.ascii_letters + string.digits
LOWER_ALNUM = string.ascii_lowercase + string.digits
B64URL = ALNUM + "-_"
HEX = "0123456789abcdef"


class KeyGen:
    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)

    def chars(self, n: int, alphabet: str = ALNUM) -> str:
        # Rejection-sample until the value is mixed enough to pass entropy floors.
        while True:
            s = "".join(self.rng.choice(alphabet) for _ in range(n))
            if len(set(s)) >= min(n, len(alphabet)) * 0.5:
                return s

    def openai_project(self) -> str:
        return "sk-proj-" + self.chars(74, B64URL) + "T3BlbkFJ" + self.chars(74, B64URL)

    def github_classic(self) -> str:
        return github_checksum_append("ghp_" + self.chars(30))

    def stripe_secret(self) -> str:
        return "sk_live_" + self.chars(99)

    def password(self, n: int = 16) -> str:
        return self.chars(n, ALNUM + "!#%*+-_")

    def jwt(self, claims: dict[str, object]) -> str:
        def enc(obj: object) -> str:
            return base64.urlsafe_b64encode(json.dumps(obj).encode()).decode().rstrip("=")

        return f"{enc({'alg': 'HS256', 'typ': 'JWT'})}.{enc(claims)}.{self.chars(43, B64URL)}"
