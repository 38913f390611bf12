"""exposure.debug-page and the input checks recognise real frameworks' debug pages by content,
also behind HTML (<br>, &nbsp;, entities). The frameworks with a real server on this machine
are covered end to end in tests/live_real; here each page's tell is served from loopback."""

from __future__ import annotations

import pytest

from launchready.live import exposure
from launchready.live.base import normalise_html, stack_trace
from launchready.model import Status

from .conftest import one, run_area
from .site import Resp, Site, html

HPROF = b"JAVA PROFILE 1.0.2\x00\x00\x00\x00\x08" + b"\x00" * 64

# (framework, path that shows it, response)
TELLS = [
    (
        "Django 5 debug 404 (U+2019)",
        "/nf",
        Resp(
            404,
            "<p>You\u2019re seeing this error because you have <code>DEBUG = True</code> in your Django settings file.</p>",
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "Express dev error handler",
        "/nf",
        Resp(
            400,
            "<pre>SyntaxError: Unexpected end of JSON input<br> &nbsp; &nbsp;at JSON.parse (&lt;anonymous&gt;)<br> &nbsp; &nbsp;at parse (/srv/app/node_modules/body-parser/lib/types/json.js:92:19)</pre>",
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "Werkzeug console",
        "/console",
        Resp(200, "<title>Console // Werkzeug Debugger</title><div class=console>", [("Content-Type", "text/html")]),
    ),
    (
        "Spring Boot whitelabel",
        "/nf",
        Resp(
            404,
            "<html><body><h1>Whitelabel Error Page</h1><p>This application has no explicit mapping for /error</p>",
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "Spring Boot /actuator/env",
        "/actuator/env",
        Resp(
            200,
            '{"activeProfiles":[],"propertySources":[{"name":"server.ports"}]}',
            [("Content-Type", "application/json")],
        ),
    ),
    (
        "Spring Boot /actuator/heapdump",
        "/actuator/heapdump",
        Resp(200, HPROF, [("Content-Type", "application/octet-stream")]),
    ),
    (
        "ASP.NET yellow screen",
        "/nf",
        Resp(
            500,
            "<title>Runtime Error</title><h1>Server Error in '/' Application.</h1>",
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "PHP phpinfo()",
        "/info.php",
        Resp(
            200,
            '<!DOCTYPE html><html><head><title>PHP 8.2.7 - phpinfo()</title></head><body><h1 class="p">PHP Version 8.2.7</h1>',
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "Rails",
        "/nf",
        Resp(
            404,
            "<title>Action Controller: Exception caught</title><h1>Routing Error</h1>",
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "Laravel",
        "/nf",
        Resp(500, "<title>Whoops, looks like something went wrong.</title>", [("Content-Type", "text/html")]),
    ),
    (
        "Next.js dev overlay",
        "/nf",
        Resp(
            500,
            '<html><body><nextjs-portal></nextjs-portal><script id="__NEXT_DATA__" type="application/json">{"err":{"name":"Error"}}</script>',
            [("Content-Type", "text/html")],
        ),
    ),
    (
        "FastAPI/Starlette debug",
        "/nf",
        Resp(
            500,
            "Traceback (most recent call last):\n  File \"/app/main.py\", line 9, in echo\nKeyError: 'name'\n",
            [("Content-Type", "text/plain")],
        ),
    ),
]


@pytest.mark.parametrize(("name", "path", "resp"), TELLS, ids=[t[0] for t in TELLS])
def test_framework_debug_pages_fail(name: str, path: str, resp: Resp) -> None:
    with Site({"/": html("<p>home</p>"), path: resp}) as site:
        if path == "/nf":
            site.default = resp
        r = run_area(exposure, [site])
    c = one(r, "exposure.debug-page")
    assert c.status is Status.FAIL, (name, c)


def test_plain_error_pages_pass() -> None:
    routes = {"/": html("<p>home</p>"), "/console": html("<h1>Game console store</h1>")}
    with Site(routes) as site:
        site.default = Resp(
            404,
            "<h1>Not Found</h1><p>The requested URL was not found on this server.</p>",
            [("Content-Type", "text/html")],
        )
        r = run_area(exposure, [site])
    assert one(r, "exposure.debug-page").status is Status.PASS


def test_html_is_normalised_before_matching() -> None:
    page = "<pre>Error: boom<br> &nbsp; &nbsp;at handler (/srv/app.js:12:5)<br>&nbsp;&nbsp;at Layer.handle (/srv/node_modules/router/lib/layer.js:152:17)</pre>"
    assert "\n    at handler (/srv/app.js:12:5)" in normalise_html(page)
    assert stack_trace(page) == "at handler (/srv/app.js:12:5)"
    assert stack_trace("<p>Call us at 555 (office): 12:30</p>") is None


def test_gateway_errors_are_not_a_clean_bill() -> None:
    with Site({"/": html("<p>home</p>")}) as site:
        site.default = Resp(
            502, "<html><center><h1>502 Bad Gateway</h1></center></html>", [("Content-Type", "text/html")]
        )
        r = run_area(exposure, [site])
    for cid in ("exposure.backup-files", "exposure.debug-page", "exposure.env-file", "exposure.git"):
        assert one(r, cid).status is Status.ERROR, one(r, cid)
