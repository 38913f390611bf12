"""`scan --bundle`: build output is read regardless of .gitignore; what ships is critical."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from launchready.demo.keygen import KeyGen


def _scan(cwd: Path, run_cli: Any, *args: str) -> tuple[Any, dict[str, Any]]:
    res = run_cli(["scan", "--json", "-", *args], cwd)
    assert res.code in (0, 1), res.err
    return res, json.loads(res.out)


def _rows(data: dict[str, Any]) -> list[tuple[str, str, int | None, str]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["severity"]) for f in data["findings"])


def _map(sources: list[str], contents: list[str]) -> str:
    return json.dumps(
        {"version": 3, "file": "app.js", "sources": sources, "sourcesContent": contents, "mappings": "AAAA"}
    )


def _project(repo: Path) -> tuple[str, str]:
    kg = KeyGen(31)
    k_js, k_map = kg.openai_project(), kg.stripe_secret()
    (repo / ".gitignore").write_text("dist/\n")
    dist = repo / "dist" / "assets"
    dist.mkdir(parents=True)
    (dist / "app.js").write_text(f'const c={{k:"{k_js}"}};console.log(c);\n//# sourceMappingURL=app.js.map\n')
    src = f"import Stripe from 'stripe'\n\nconst stripe = new Stripe('{k_map}')\n"
    (dist / "app.js.map").write_text(_map(["../src/pay.ts", "../src/a.ts"], [src, "export {}\n"]))
    (dist / "vendor.js").write_text("var a=1;\n//# sourceMappingURL=https://cdn.example.com/vendor.js.map\n")
    (dist / "index.html").write_text("<html><script src=/assets/app.js></script></html>\n")
    (dist / "logo.png").write_bytes(b"\x89PNG\0\0")
    return k_js, k_map


def test_bundle_flag_scans_ignored_build_output(repo: Path, run_cli: Any) -> None:
    k_js, k_map = _project(repo)
    res, data = _scan(repo, run_cli, "--bundle", "dist")
    assert res.code == 1
    assert _rows(data) == [
        ("build.source-map-reference", "dist/assets/vendor.js", 2, "low"),
        ("build.source-map-shipped", "dist/assets/app.js.map", None, "medium"),
        ("secret.openai-project-key", "dist/assets/app.js", 1, "critical"),
        ("secret.stripe-secret-key", "dist/assets/app.js.map", None, "critical"),
    ]
    by_rule = {f["rule_id"]: f for f in data["findings"]}
    assert "ships to every visitor's browser" in by_rule["secret.openai-project-key"]["message"]
    msg = by_rule["secret.stripe-secret-key"]["message"]
    assert "../src/pay.ts line 3" in msg
    for k in (k_js, k_map):
        assert k not in res.out and k[10:30] not in res.out
    row = next(r for r in data["scorecard"] if r["row"] == "Secret handling")
    assert row["state"] == "fail"


def test_plain_scan_of_project_root_includes_detected_build_output(repo: Path, run_cli: Any) -> None:
    _project(repo)
    _res, data = _scan(repo, run_cli)
    assert {f["path"] for f in data["findings"]} >= {"dist/assets/app.js", "dist/assets/app.js.map"}
    _res, data = _scan(repo, run_cli, "--no-bundles")
    assert not [f for f in data["findings"] if f["path"].startswith("dist/")]


def test_find_bundles_and_nothing_found(tmp_path: Path, run_cli: Any) -> None:
    res, data = _scan(tmp_path, run_cli, "--find-bundles")
    assert res.code == 0 and data["findings"] == []
    assert any("no build output found" in n for n in data["notes"])
    (tmp_path / ".next" / "static" / "chunks").mkdir(parents=True)
    key = KeyGen(32).openai_project()
    (tmp_path / ".next" / "static" / "chunks" / "main.js").write_text(f'fetch("x",{{headers:{{a:"Bearer {key}"}}}})\n')
    res, data = _scan(tmp_path, run_cli, "--find-bundles")
    assert _rows(data) == [("secret.openai-project-key", ".next/static/chunks/main.js", 1, "critical")]


def test_inline_data_uri_source_map(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(33).github_classic()
    sm = _map(["src/gh.js"], [f"const token = '{key}'\n"])
    inline = base64.b64encode(sm.encode()).decode()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "gh.js").write_text(f"var t=1;\n//# sourceMappingURL=data:application/json;base64,{inline}\n")
    res, data = _scan(tmp_path, run_cli, "--bundle", "out")
    assert _rows(data) == [
        ("build.source-map-inline", "out/gh.js", 2, "medium"),
        ("secret.github-pat-classic", "out/gh.js", None, "critical"),
    ]
    assert key not in res.out


def test_bundle_must_be_a_directory(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli(["scan", "--bundle", "nope"], tmp_path)
    assert res.code == 2 and "--bundle nope" in res.err


def test_firebase_web_config_is_not_critical_but_a_gemini_key_is(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(34)
    fb, gem = "AIza" + kg.chars(35), "AIza" + kg.chars(35)
    (tmp_path / "dist").mkdir()
    (tmp_path / "dist" / "fb.js").write_text(
        f'const firebaseConfig={{apiKey:"{fb}",authDomain:"demo.firebaseapp.com",projectId:"demo"}};\n'
    )
    (tmp_path / "dist" / "ai.js").write_text(
        f'fetch("https://generativelanguage.googleapis.com/v1beta/models?key={gem}")\n'
    )
    res, data = _scan(tmp_path, run_cli, "--bundle", "dist")
    sev = {f["path"]: f["severity"] for f in data["findings"]}
    assert sev == {"dist/fb.js": "low", "dist/ai.js": "critical"}
    assert fb not in res.out and gem not in res.out


def test_find_bundles_in_a_monorepo(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(35).openai_project()
    web = tmp_path / "apps" / "web" / ".next" / "static" / "chunks"
    web.mkdir(parents=True)
    (web / "page.js").write_text(f'const k="{key}";\n')
    (tmp_path / "node_modules" / "x" / "dist").mkdir(parents=True)
    (tmp_path / "node_modules" / "x" / "dist" / "i.js").write_text(f'const k="{key}";\n')
    _res, data = _scan(tmp_path, run_cli, "--find-bundles")
    assert _rows(data) == [("secret.openai-project-key", "apps/web/.next/static/chunks/page.js", 1, "critical")]
