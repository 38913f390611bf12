"""Git history scanning: what every commit added (and every commit message), one finding per
secret. ``scan.scan_history`` is the entry point; ``launchready history`` and the Action call it.

Pipeline: ``revs`` (which commits) -> ``prefetch`` (the ``git log -p -U0 --cc`` streams,
started at once) -> ``gitlog`` (commit records) -> ``patch`` (files, added lines) -> the
engine, on lines holding a keyword (``occurrences``; ``scan`` runs it in one process, from
or from both ends at once with a ``forked`` child) -> ``dedup`` (oldest sighting,
HEAD presence, removal commit; ``treegrep`` finds which trees hold a secret).

This package module imports nothing: ``launchready history`` starts git (``prefetch``)
before it pays for importing the scanner, so git walks and diffs while Python loads.
"""

# The checks a history scan reports besides its findings (``catalogue``).
CHECKS = {
    "history.objects": "git could read every commit and file version of the range scanned (a damaged or partial clone is an error, never a pass)"
}
