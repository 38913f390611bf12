"""Content the scanner must survive: huge files, chunk boundaries, bad UTF-8, CRLF, minified
JS, notebooks and Kubernetes Secrets."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest

from launchready.config import Config
from launchready.demo.keygen import KeyGen
from launchready.registry import all_rules
from launchready.secrets import scanner
from launchready.secrets.engine import Engine
from launchready.secrets.scanner import ScanOptions, ScanResult, scan_blob, windowed_matches
from launchready.secrets.sources import Blob


def _scan(tmp_path: Path, run_cli: Any, *extra: str) -> dict[str, Any]:
    res = run_cli(["scan", "--json", "-", *extra], tmp_path)
    assert res.code in (0, 1), res.err
    return json.loads(res.out)  # type: ignore[no-any-return]


def _locs(data: dict[str, Any]) -> list[tuple[str, str, int | None, int | None]]:
    return sorted((f["rule_id"], f["path"], f["line"], f["column"]) for f in data["findings"])


def _expected(text: str, needle: str) -> tuple[int, int]:
    i = text.index(needle)
    return text.count("\n", 0, i) + 1, i - (text.rfind("\n", 0, i) + 1) + 1


def test_large_file_secrets_at_chunk_boundaries_found_once(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(11)
    keys = [kg.openai_project() for _ in range(4)]
    line = "lorem ipsum dolor sit amet, consectetur adipiscing elit // filler\n"
    filler = line * ((scanner.CHUNK // len(line)) + 1)
    # key 0 straddles the first cut, key 1 starts right after it, key 2 sits in a long line
    # that spans the second cut, key 3 at the very end (no trailing newline).
    c = scanner.CHUNK
    body = filler[: c - 40] + f'K0 = "{keys[0]}"\nK1 = "{keys[1]}"\n' + filler
    pad = 2 * c - len(body) - 30
    body += "x" * pad + f' token = "{keys[2]}" ' + "y" * 100 + "\n" + filler[:200_000] + f'K3 = "{keys[3]}"'
    assert len(body) > 8 * 1024 * 1024
    (tmp_path / "big.js").write_text(body)
    data = _scan(tmp_path, run_cli)
    got = _locs(data)
    want = sorted(("secret.openai-project-key", "big.js", *_expected(body, k)) for k in keys)
    assert got == want
    assert data["summary"]["bytes_scanned"] == len(body)


def test_window_logic_matches_whole_text_scan() -> None:
    """Same matches (and positions) windowed as in one piece, for a small chunk size."""
    engine = Engine(all_rules(Config()))
    kg = KeyGen(12)
    parts = []
    for i in range(60):
        parts.append("a" * (i * 37 % 500) + "\n" + ("b" * 90 + "\n") * (i % 4))
        parts.append(f'key{i} = "{kg.openai_project()}"\n' if i % 3 else f'x = "{kg.github_classic()}" ')
    text = "".join(parts)
    whole = sorted((m.line, m.column, m.secret) for m in engine.scan(text))
    old = scanner.CHUNK, scanner.OVERLAP, scanner.BACK
    try:
        scanner.CHUNK, scanner.OVERLAP, scanner.BACK = 997, 400, 300
        pieces = [text[i : i + 113] for i in range(0, len(text), 113)]
        windowed = sorted((ln, col, m.secret) for m, ln, col in windowed_matches(engine, pieces, "x"))
    finally:
        scanner.CHUNK, scanner.OVERLAP, scanner.BACK = old
    assert len(whole) == 60
    assert windowed == whole


def test_invalid_utf8_crlf_and_bom(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(13).openai_project()
    raw = b"\xef\xbb\xbfprint('caf\xe9')\r\n\xff\xfe bad \r\n" + f'OPENAI_KEY = "{key}"\r\n'.encode()
    (tmp_path / "w.py").write_bytes(raw)
    data = _scan(tmp_path, run_cli)
    assert _locs(data) == [("secret.openai-project-key", "w.py", 3, 15)]


def test_minified_one_line_js_column(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(14).openai_project()
    js = "".join(f"function f{i}(a){{return a*{i}}};" for i in range(3000))
    js += f'var c={{apiKey:"{key}"}};' + "".join(f"var v{i}={i};" for i in range(2000))
    (tmp_path / "app.min.js").write_text(js)
    data = _scan(tmp_path, run_cli)
    assert _locs(data) == [("secret.openai-project-key", "app.min.js", 1, js.index(key) + 1)]


def test_notebook_source_and_output_lines(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(15)
    k_src, k_out = kg.openai_project(), kg.github_classic()
    nb = {
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Demo\n", "notes\n"]},
            {
                "cell_type": "code",
                "execution_count": 1,
                "metadata": {},
                "source": ["import os\n", f'client = OpenAI(api_key="{k_src}")\n', "print(1)"],
                "outputs": [{"name": "stdout", "output_type": "stream", "text": ["ok\n", f"token {k_out}\n"]}],
            },
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = json.dumps(nb, indent=1)
    (tmp_path / "demo.ipynb").write_text(raw)
    data = _scan(tmp_path, run_cli)
    src_line, _ = _expected(raw, k_src)
    out_line, _ = _expected(raw, k_out)
    got = [(r, p, ln) for r, p, ln, _c in _locs(data)]
    assert got == sorted(
        [
            ("secret.openai-project-key", "demo.ipynb", src_line),
            ("secret.github-pat-classic", "demo.ipynb", out_line),
        ]
    )
    cols = {f["rule_id"]: f["column"] for f in data["findings"]}
    assert cols["secret.openai-project-key"] == _expected(raw, k_src)[1]


def test_k8s_secret_base64_data(tmp_path: Path, run_cli: Any) -> None:
    kg = KeyGen(16)
    key = kg.openai_project()
    pw = kg.password(20)
    b64 = lambda s: base64.b64encode(s.encode()).decode()  # noqa: E731
    manifest = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  MODE: prod\n---\n"
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: app\ntype: Opaque\ndata:\n"
        f"  OPENAI_API_KEY: {b64(key)}\n"
        f"  DB_PASSWORD: {b64(pw)}\n"
        f"  ALLOWED_TOKEN: {b64(kg.openai_project())}  # launchready:allow\n"
        "  MODE: cHJvZA==\n"
    )
    (tmp_path / "k8s").mkdir()
    (tmp_path / "k8s" / "secret.yaml").write_text(manifest)
    res = run_cli(["scan", "--json", "-"], tmp_path)
    data = json.loads(res.out)
    found = {(f["rule_id"], f["line"], f["column"]) for f in data["findings"]}
    assert ("secret.openai-project-key", 14, 3) in found
    assert any((line, col) == (15, 3) for _r, line, col in found)  # the password under DB_PASSWORD
    assert all(line in (14, 15) for _r, line, _c in found)
    assert data["summary"]["suppressed"] >= 1
    for s in (key, pw, b64(key)[:30]):
        assert s not in res.out


def test_scan_blob_direct_unreadable_file_is_skipped(tmp_path: Path) -> None:
    engine = Engine(all_rules(Config()))
    result = ScanResult()
    scan_blob(engine, Blob("gone.txt", None, tmp_path / "gone.txt"), result, ScanOptions(file_checks=False))
    assert result.files == 0 and result.skipped and result.skipped[0][1].startswith("unreadable")


@pytest.mark.parametrize("marker", ["# launchready:allow", "# pragma: allowlist secret", "// gitleaks:allow"])
def test_inline_allow_markers_counted(tmp_path: Path, run_cli: Any, marker: str) -> None:
    key = KeyGen(17).openai_project()
    (tmp_path / "a.py").write_text(f'K = "{key}"  {marker}\n')
    data = _scan(tmp_path, run_cli)
    assert data["findings"] == [] and data["summary"]["suppressed"] == 1


def test_notebook_with_string_sources(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(18).openai_project()
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": f'import os\\nkey = "{key}"\\n',
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = json.dumps(nb, indent=1).replace("\\\\n", "\\n")
    (tmp_path / "s.ipynb").write_text(raw)
    data = _scan(tmp_path, run_cli)
    line, col = _expected(raw, key)
    assert _locs(data) == [("secret.openai-project-key", "s.ipynb", line, col)]


def test_notebook_lines_with_unusual_escaping_are_located(tmp_path: Path, run_cli: Any) -> None:
    """JSON lets a writer escape ``/`` (``\\/``) and any character (``\\u0041``): such a line
    is still found where it is. Before, each was searched for through the rest of the file
    (30 s for 40,000 such lines) and a secret in one was placed at the first place its text
    occurred, here the other cell's line."""
    key = KeyGen(24).openai_project()
    filler = ",\n".join(f'    "x = a\\/b{i}\\n"' for i in range(40_000))
    raw = (
        '{"cells": [\n'
        f' {{"cell_type": "code", "metadata": {{}}, "outputs": [], "source": ["OPENAI_API_KEY = \\"{key}\\"\\n"]}},\n'
        ' {"cell_type": "code", "metadata": {}, "outputs": [], "source": [\n'
        f"{filler},\n"
        f'    "client = \\u004fpenAI(api_key=\\"{key}\\") # https:\\/\\/platform.openai.com\\n"\n'
        " ]}\n"
        '], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}\n'
    )
    (tmp_path / "e.ipynb").write_text(raw)
    data = _scan(tmp_path, run_cli)
    first = _expected(raw, key)
    last_at = raw.rindex(key)
    last = (raw.count("\n", 0, last_at) + 1, last_at - (raw.rfind("\n", 0, last_at) + 1) + 1)
    assert _locs(data) == [
        ("secret.openai-project-key", "e.ipynb", first[0], first[1]),
        ("secret.openai-project-key", "e.ipynb", last[0], last[1]),
    ]


def test_notebook_json_output_is_scanned(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(19).github_classic()
    out = {
        "output_type": "execute_result",
        "execution_count": 1,
        "metadata": {},
        "data": {"application/json": {"config": {"token": key}}},
    }
    nb = {
        "cells": [{"cell_type": "code", "metadata": {}, "execution_count": 1, "source": ["cfg\n"], "outputs": [out]}],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    raw = json.dumps(nb, indent=1)
    (tmp_path / "j.ipynb").write_text(raw)
    data = _scan(tmp_path, run_cli)
    assert _locs(data) == [("secret.github-pat-classic", "j.ipynb", *_expected(raw, key))]
