"""Planted secrets of every shape the scan pipeline handles never reach any output."""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

from tests.conftest import git

from launchready.demo.keygen import KeyGen


def _plant(repo: Path) -> list[str]:
    kg = KeyGen(71)
    secrets = {name: kg.openai_project() for name in ("py", "nb", "k8s", "js", "map", "env", "example")}
    secrets["gh"] = kg.github_classic()
    secrets["stripe"] = kg.stripe_secret()
    secrets["pw"] = kg.password(22)
    secrets["shared"] = kg.password(24)
    (repo / ".gitignore").write_text("dist/\n.env.local\n.env.development\n")
    (repo / "app.py").write_text(
        f'OPENAI = "{secrets["py"]}"\nGH = "{secrets["gh"]}"\nDB_PASSWORD = "{secrets["pw"]}"\n'
    )
    nb = {
        "cells": [
            {
                "cell_type": "code",
                "metadata": {},
                "outputs": [],
                "execution_count": None,
                "source": [f'key = "{secrets["nb"]}"\n'],
            }
        ],
        "metadata": {},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    (repo / "n.ipynb").write_text(json.dumps(nb, indent=1))
    b64 = base64.b64encode(secrets["k8s"].encode()).decode()
    (repo / "secret.yaml").write_text(
        f"apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  OPENAI_API_KEY: {b64}\n"
    )
    (repo / "dist").mkdir()
    (repo / "dist" / "app.js").write_text(f'var k="{secrets["js"]}";\n//# sourceMappingURL=app.js.map\n')
    sm = {
        "version": 3,
        "sources": ["src/s.ts"],
        "sourcesContent": [f"const s = '{secrets['stripe']}'\n"],
        "mappings": "",
    }
    (repo / "dist" / "app.js.map").write_text(json.dumps(sm))
    (repo / ".env.local").write_text(f"NEXT_PUBLIC_OPENAI_API_KEY={secrets['env']}\n")
    (repo / ".env.development").write_text(f"JWT_SECRET={secrets['shared']}\n")
    (repo / ".env.production").write_text(f"JWT_SECRET={secrets['shared']}\n")
    (repo / ".env.example").write_text(f"OPENAI_API_KEY={secrets['example']}\n")
    git(repo, "add", "app.py")
    return list(secrets.values())


def test_no_output_format_contains_a_planted_secret(repo: Path, run_cli: Any) -> None:
    secrets = _plant(repo)
    out_dir = repo.parent / "out"
    args = [
        "scan",
        "-vv",
        "--json",
        str(out_dir / "r.json"),
        "--sarif",
        str(out_dir / "r.sarif"),
        "--junit",
        str(out_dir / "r.xml"),
        "--github",
    ]
    res = run_cli(args, repo)
    assert res.code == 1, res.err
    text = run_cli(["scan", "-vv"], repo)
    staged = run_cli(["scan", "--staged", "-vv"], repo)
    blobs = [res.out, res.err, text.out, text.err, staged.out, staged.err]
    blobs += [p.read_text() for p in out_dir.iterdir()]
    run_cli(["baseline", "create"], repo)
    blobs.append((repo / ".launchready-baseline.json").read_text())
    data = json.loads((out_dir / "r.json").read_text())
    rules = {f["rule_id"] for f in data["findings"]}
    assert {
        "env.public-prefix-secret",
        "env.shared-secret-across-envs",
        "env.example-real-secret",
        "build.source-map-shipped",
        "secret.openai-project-key",
        "secret.stripe-secret-key",
    } <= rules
    for s in secrets:
        for blob in blobs:
            assert s not in blob
            assert s[-16:] not in blob, "a tail of a planted secret leaked"
