"""Progress for long work: a single rewritten line on a terminal, silence in CI logs.

``Progress(stream)`` is enabled only when ``stream`` is a tty and the environment is not a
CI runner (``CI`` or ``GITHUB_ACTIONS`` set), and never when ``quiet``. Commands pass
their ``Console``'s stderr; nothing below ``cli.py`` prints to ``sys.stdout`` itself.

    progress = Progress(console.stderr, quiet=console.quiet)
    progress.update("history", "1200 commits, 14.2 MB/s")
    progress.done()
"""

from __future__ import annotations

import os
import time
from typing import TextIO

from launchready.printable import safe


def interactive(stream: TextIO) -> bool:
    """True on a terminal outside CI."""
    if os.environ.get("CI") or os.environ.get("GITHUB_ACTIONS"):
        return False
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False


class Progress:
    def __init__(self, stream: TextIO, quiet: bool = False, min_interval: float = 0.08) -> None:
        self.stream = stream
        self.enabled = not quiet and interactive(stream)
        self.min_interval = min_interval
        self._last = 0.0
        self._width = 0

    def update(self, stage: str, detail: str = "", force: bool = False) -> None:
        """Rewrite the progress line (rate-limited unless ``force``)."""
        if not self.enabled:
            return
        now = time.monotonic()
        if not force and now - self._last < self.min_interval:
            return
        self._last = now
        text = safe(f"{stage}: {detail}" if detail else stage)[:110]
        pad = max(0, self._width - len(text))
        self.stream.write("\r" + text + " " * pad)
        self.stream.flush()
        self._width = len(text)

    def done(self) -> None:
        """Erase the progress line."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
