"""Every secret-shaped value the demo uses, generated at run time with ``KeyGen``.

Nothing here is a literal: each run draws fresh values (``LAUNCHREADY_DEMO_SEED`` makes a
run reproducible, which the tests use to prove no report contains a raw value).
"""

from __future__ import annotations

import os
import secrets
from dataclasses import dataclass

from launchready.demo.keygen import B64URL, LOWER_ALNUM, KeyGen

SEED_ENV = "LAUNCHREADY_DEMO_SEED"


@dataclass(frozen=True)
class DemoValues:
    openai_key: str  # shipped in the flawed client bundle and its source map
    openai_server_key: str  # the server's own key, in the flawed .env
    stripe_key: str  # committed, then deleted: alive in history
    github_token: str  # staged but not committed
    db_password: str  # inside DATABASE_URL in the flawed .env
    session_secret: str  # the app's signing secret (flawed: hard-coded in settings)
    alice_token: str  # identity A (bearer token)
    bob_token: str  # identity B
    alice_password: str  # login password for alice

    def raw(self) -> list[str]:
        """Every value that must never appear in a report."""
        return [
            self.openai_key,
            self.openai_server_key,
            self.stripe_key,
            self.github_token,
            self.db_password,
            self.session_secret,
            self.alice_token,
            self.bob_token,
            self.alice_password,
        ]


def seed_from_env() -> int:
    raw = os.environ.get(SEED_ENV, "").strip()
    if raw:
        try:
            return int(raw)
        except ValueError:
            pass
    return secrets.randbits(48)


def make_values(seed: int) -> DemoValues:
    g = KeyGen(seed)
    return DemoValues(
        openai_key=g.openai_project(),
        openai_server_key=g.openai_project(),
        stripe_key=g.stripe_secret(),
        github_token=g.github_classic(),
        db_password=g.password(20).replace("#", "x").replace("%", "y"),
        session_secret=g.chars(48, B64URL),
        alice_token="demo_a_" + g.chars(32, LOWER_ALNUM),
        bob_token="demo_b_" + g.chars(32, LOWER_ALNUM),
        alice_password=g.password(14),
    )
