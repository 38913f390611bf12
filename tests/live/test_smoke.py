from __future__ import annotations

from launchready.live import headers, tls
from launchready.model import Status

from .conftest import one, run_area
from .site import HOST, Site, html


def test_smoke(ca) -> None:
    with Site({"/": html("<p>hi</p>", [("X-Content-Type-Options", "nosniff")])}, tls=ca.server_context(HOST)) as site:
        r = run_area(headers, [site], ca)
        assert one(r, "headers.content-type-options").status is Status.PASS
        assert one(r, "headers.csp").status is Status.FAIL
        t = run_area(tls, [site], ca)
        print(t)
        assert one(t, "tls.certificate").status is Status.PASS
