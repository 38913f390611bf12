"""exposure.* and bundle.secret: content matching on real sites (incl. 200-HTML-for-everything)."""

from __future__ import annotations

from launchready.demo.keygen import KeyGen
from launchready.live import bundle, exposure
from launchready.model import Severity, Status

from .conftest import one, run_area
from .site import Resp, Site, html, js

PAGE = '<!doctype html><html><head><script src="/assets/app.js"></script><script src="https://cdn.other.test/lib.js"></script></head><body></body></html>'


def test_spa_shell_everywhere_is_not_a_false_positive() -> None:
    with Site(spa=True) as site:
        r = run_area(exposure, [site])
        b = run_area(bundle, [site])
    for cid in exposure.IDS:
        assert one(r, cid).status is Status.PASS, one(r, cid)
    assert one(b, "bundle.secret").status is Status.PASS
    assert site.count("/.env") == 1 and site.count("/.git/config") == 1


def test_dev_server_shell_with_module_imports_is_not_a_backup_file() -> None:
    shell = '<!doctype html>\n<html><head><script type="module">\nimport RefreshRuntime from "/@react-refresh"\n</script></head></html>'
    with Site(spa=True) as site:
        site.default = html(shell)
        r = run_area(exposure, [site])
    assert one(r, "exposure.backup-files").status is Status.PASS


def test_exposed_files_fail() -> None:
    env_file = "# prod\nDATABASE_URL=postgres://u:p@db/x\nOPENAI_API_KEY=placeholder\n"
    routes = {
        "/": html(PAGE),
        "/assets/app.js": js("console.log(1);\n//# sourceMappingURL=app.js.map\n"),
        "/assets/app.js.map": Resp(
            200, '{"version":3,"sources":["src/app.ts"],"mappings":"AAAA"}', [("Content-Type", "application/json")]
        ),
        "/.env.production": Resp(200, env_file),
        "/.git/config": Resp(200, "[core]\n\trepositoryformatversion = 0\n\tbare = false\n"),
        "/.git/HEAD": Resp(200, "ref: refs/heads/main\n"),
        "/backup.sql": Resp(200, "-- MySQL dump 10.13\nCREATE TABLE users (id int);\n"),
    }
    with Site(routes, spa=False) as site:
        r = run_area(exposure, [site])
    env = one(r, "exposure.env-file")
    assert env.status is Status.FAIL and env.severity is Severity.CRITICAL and ".env.production" in env.message
    assert one(r, "exposure.git").status is Status.FAIL
    assert one(r, "exposure.backup-files").status is Status.FAIL
    sm = one(r, "exposure.source-maps")
    assert sm.status is Status.FAIL and "app.js.map" in sm.message
    assert one(r, "exposure.debug-page").status is Status.PASS
    assert "postgres://u:p@db/x" not in str(r)  # only urls and sizes in evidence


def test_debug_page_and_stack_traces() -> None:
    trace = "<pre>Traceback (most recent call last):\n  File \"/app/main.py\", line 12, in handler\nKeyError: 'x'</pre>"
    with Site({"/": html("ok")}) as site:
        site.default = Resp(500, trace, [("Content-Type", "text/html")])
        r = run_area(exposure, [site])
    c = one(r, "exposure.debug-page")
    assert c.status is Status.FAIL and "Traceback" in c.message


def test_exposure_down_site_is_error() -> None:
    with Site() as site:
        pass
    r = run_area(exposure, [site], timeout=0.5)
    assert all(c.status is Status.ERROR for cs in r.values() for c in cs), r


def test_secret_in_bundle_is_critical() -> None:
    key = KeyGen(7).openai_project()
    routes = {"/": html(PAGE), "/assets/app.js": js(f'const client = new OpenAI({{apiKey: "{key}"}});\n')}
    with Site(routes) as site:
        b = run_area(bundle, [site])
    c = one(b, "bundle.secret")
    assert c.status is Status.FAIL and c.severity is Severity.CRITICAL
    assert "secret.openai" in c.message
    assert key not in str(b) and key[10:40] not in str(b)
    assert site.count("/assets/app.js") == 1


def test_secret_in_inline_script() -> None:
    key = KeyGen(9).github_classic()
    with Site({"/": html(f'<html><script>window.cfg = {{token: "{key}"}}</script></html>')}) as site:
        b = run_area(bundle, [site])
    assert one(b, "bundle.secret").status is Status.FAIL
    assert key not in str(b)


def test_cross_origin_scripts_are_not_fetched() -> None:
    with Site({"/": html(PAGE), "/assets/app.js": js("console.log('clean')")}) as site:
        b = run_area(bundle, [site])
    c = one(b, "bundle.secret")
    assert c.status is Status.PASS and c.evidence["scripts_scanned"] == 1
