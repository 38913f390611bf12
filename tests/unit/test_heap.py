"""``heap.trim``: memory a process freed in the middle of its heap goes back to the system.
Run in a fresh interpreter: a real process, its real resident size."""

from __future__ import annotations

import subprocess
import sys

import pytest

from launchready import heap

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_trim")

# 60 MB in 1 KB blocks (glibc's heap, not Python's small-object arenas), one block kept past
# them so the heap cannot shrink from its top, the rest freed; resident size before and after
# ``trim`` (or nothing, with "none").
PROGRAM = """
import sys
from launchready import heap
def rss():
    for line in open("/proc/self/status"):
        if line.startswith("VmRSS"):
            return int(line.split()[1]) // 1024
blocks = [bytearray(1024) for _ in range(60 * 1024)]
pin = bytearray(1024)
del blocks
before = rss()
done = heap.trim() if sys.argv[1] == "trim" else None
print(before, rss(), done)
"""


def _run(mode: str) -> tuple[int, int, str]:
    out = subprocess.run([sys.executable, "-c", PROGRAM, mode], capture_output=True, text=True, check=True).stdout
    before, after, done = out.split()
    return int(before), int(after), done


def test_freed_memory_goes_back_to_the_system() -> None:
    if heap._malloc_trim() is None:
        pytest.skip("no glibc malloc_trim here")
    before, after, done = _run("none")
    assert before >= 50 and after >= 50, (before, after)  # freed, but still held: the problem
    before, after, done = _run("trim")
    assert done == "True" and before >= 50 and after < before - 40, (before, after)
