"""The synthetic user journey (``launchready journey``): sign up, log in, chat, on a schedule.

- ``config``: the ``journey:`` section of .launchready.yml, validated into steps;
- ``values``: ``{env: VAR}``, ``{var: name}`` and per-run generated values;
- ``reply``: JSON paths, streamed replies (SSE, chunked) and redacted excerpts;
- ``runner``: the steps in order through the live checks' polite ``Client``;
- ``notify``: the state file between runs and the webhook on a change.
"""
