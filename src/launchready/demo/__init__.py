"""The embedded demo deployment behind ``launchready demo``.

A deliberately flawed (or, with ``fixed=True``, fixed) "AI chatbot" on loopback: an HTTPS
API signed by a throwaway CA, a plain-HTTP port, a static frontend with a JS bundle, a DNS
server for the demo's mail domain, and a demo git repository. Everything binds to
127.0.0.1 on free ports and is torn down by the context managers in ``server.py``.
"""

from __future__ import annotations

DOMAIN = "demo-chat.test"
APP_HOST = f"app.{DOMAIN}"
ORIGIN_ALLOWED = f"https://{APP_HOST}"
