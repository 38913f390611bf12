"""Live post-deploy checks, one module per area (see docs/live-checks.md).

Other areas import ``launchready.live.http.make_session``/``HttpOptions``/``open_socket`` for
HTTP(S) with ``--resolve`` and ``--ca-bundle``.
"""
