"""Give memory the process has freed back to the system.

glibc's ``malloc`` keeps what a large piece of work freed (a history commit with a patch of
several MB is split, decoded and scanned in copies of it) for reuse, in the middle of its
heap where it cannot shrink: the process stays that much larger for the rest of a scan. On
fastapi's history (7,782 commits) that held each scanning process ~10 MB above its steady
size (bench/RESULTS.md, "history-pipe-memory"). ``trim()`` asks glibc to release it
(``malloc_trim``); elsewhere (musl, macOS) it does nothing.
"""

from __future__ import annotations

import functools
import sys
from collections.abc import Callable


@functools.cache
def _malloc_trim() -> Callable[[int], int] | None:
    if not sys.platform.startswith("linux"):
        return None
    import ctypes  # here, on first use: a scan's start-up never needs it

    try:
        # the symbols already loaded, libc's among them (``ctypes.util.find_library`` would
        # run ``ldconfig -p``, a process)
        trim: Callable[[int], int] = ctypes.CDLL(None).malloc_trim  # glibc only
    except (OSError, AttributeError):
        return None
    return trim


def trim() -> bool:
    """Return freed heap memory to the system; False where that cannot be asked for."""
    fn = _malloc_trim()
    if fn is None:
        return False
    fn(0)
    return True
