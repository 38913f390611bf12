"""Write one section of bench/RESULTS.md between ``<!-- NAME:start -->`` and ``<!-- NAME:end -->``
markers, stamped with date and machine, leaving the other sections (other engineers') alone."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, {platform.system()}"


def replace_section(name: str, body: str) -> None:
    stamp = f"_Measured {datetime.datetime.now(datetime.timezone.utc):%Y-%m-%d %H:%M} UTC on {machine()}._\n\n"
    start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
    block = f"{start}\n{stamp}{body}{end}"
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    if start in text and end in text:
        head, rest = text.split(start, 1)
        tail = rest.split(end, 1)[1]
        text = head + block + tail
    else:
        text = text.rstrip("\n") + f"\n\n{block}\n"
    RESULTS.write_text(text)


def publish(text: str, section: str | None) -> None:
    """Print a bench's result and, with ``section``, put it in that section of RESULTS.md."""
    print(text)
    if section:
        replace_section(section, text)
