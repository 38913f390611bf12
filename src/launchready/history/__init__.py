"""Git history scanning: what every commit added (and every commit message), one finding per
secret. ``scan.scan_history`` is the entry point; ``launchready history`` and the Action call it.

Pipeline: ``revs`` (which commits) -> ``gitlog`` (stream ``git log -p -U0 --cc``) ->
``patch`` (added lines per file) -> the engine (``occurrences``, in worker processes over
slices of the commit list) -> ``dedup`` (oldest sighting, HEAD presence, removal commit).

This package module imports nothing: ``launchready history`` starts ``git rev-list`` (``revs``)
before it pays for importing the scanner, so git walks the history while Python loads.
"""
