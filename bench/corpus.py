"""A seeded generator of a labelled secret-detection corpus (written at run time, never committed).

True secrets come from ``KeyGen.sample(rule_id)`` for every built-in rule, placed in the
files real projects keep them in: ``.env``, ``settings.py``, ``config.ts``,
``docker-compose.yml``, Jupyter notebooks, Kubernetes ``Secret`` manifests (base64 ``data``)
and minified JS bundles; file-shaped credentials (PEM keys, ``.netrc``, ``.pgpass`` ...) are
written as their own files. Hard negatives (placeholders, env references, documented example
keys, lockfile integrity hashes, digests, UUIDs, git SHAs, public keys and certificates, data
URIs, publishable keys, Sentry DSNs, Supabase anon keys, fake test values) sit in the same
files. Labels are ``(path, line, kind)`` with kind ``secret`` or ``negative``.

    python bench/corpus.py OUT_DIR [--seed 7]
"""

from __future__ import annotations

import argparse
import base64
import json
import random
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))

from launchready.demo.keygen import ALNUM, B64, B64URL, KeyGen
from launchready.secrets.rules import default_rules

FORMATS = ("env", "py", "ts", "compose", "ipynb", "k8s", "minjs", "json", "sh")
SKIP_RULES = {"secret.stripe-test-key"}  # low severity by design: not part of the yardstick
_ASSIGN = re.compile(r"""^\s*(?:export\s+)?([A-Za-z_][\w]*)\s*[:=]\s*['"]?(.*?)['"]?,?\s*$""")


@dataclass
class Entry:
    name: str
    value: str
    kind: str  # "secret" | "negative"
    raw_line: str | None = None  # a negative that is a whole line, not an assignment


@dataclass
class Corpus:
    files: dict[str, str] = field(default_factory=dict)
    labels: list[dict[str, object]] = field(default_factory=list)

    def add(self, path: str, text: str, marks: list[tuple[int, str]]) -> None:
        self.files[path] = text
        for line, kind in marks:
            self.labels.append({"path": path, "line": line, "kind": kind})


def _b64(s: str) -> str:
    return base64.b64encode(s.encode()).decode()


def negatives(g: KeyGen, rng: random.Random) -> list[Entry]:
    """One round of hard negatives: values a scanner must not report."""
    svc = rng.choice(["OPENAI", "STRIPE", "ANTHROPIC", "GITHUB", "SENDGRID", "DATABASE", "APP", "SLACK"])
    name = f"{svc}_{rng.choice(['API_KEY', 'SECRET_KEY', 'TOKEN', 'PASSWORD', 'SECRET'])}"
    anon = g.supabase_anon()
    pk = "pk" + "_live_" + g.chars(99)
    dsn = f"https://{g.hex(32)}@o{g.chars(6, '0123456789')}.ingest.sentry.io/{g.chars(7, '0123456789')}"
    return [
        Entry(name, "${" + name + "}", "negative"),
        Entry(name, "<your-key>", "negative"),
        Entry(name, "your-api-key-here", "negative"),
        Entry(
            name,
            rng.choice(["sk-...", "sk-" + "x" * 48, "*" * 20, "xxxxxxxxxxxxxxxx", "changeme", "REPLACE_ME"]),
            "negative",
        ),
        Entry(name, "", "negative", raw_line=f'{name.lower()} = os.environ["{name}"]'),
        Entry(name, "", "negative", raw_line=f"const {name.lower()} = process.env.{name};"),
        Entry("AWS_ACCESS_KEY_ID", "AKIA" + "IOSFODNN7" + "EXAMPLE", "negative"),
        Entry("AWS_SECRET_ACCESS_KEY", "wJalrXUtnFEMI" + "/K7MDENG/" + "bPxRfiCY" + "EXAMPLEKEY", "negative"),
        Entry("INTEGRITY", "sha512-" + g.chars(86, B64) + "==", "negative"),
        Entry("IMAGE_DIGEST", "sha256:" + g.hex(64), "negative"),
        Entry("REQUEST_ID", g.uuid(), "negative"),
        Entry("GIT_SHA", g.hex(40), "negative"),
        Entry("STRIPE_PUBLISHABLE_KEY", pk, "negative"),
        Entry("SENTRY_DSN", dsn, "negative"),
        Entry("NEXT_PUBLIC_SUPABASE_ANON_KEY", anon, "negative"),
        Entry("TEST_PASSWORD", rng.choice(["test-password", "password123", "testpass", "hunter2"]), "negative"),
        Entry("LOGO", "data:image/png;base64," + g.chars(120, B64), "negative"),
        Entry(
            "DATABASE_URL",
            rng.choice(
                [
                    "postgres://postgres:postgres@localhost:5432/dev",
                    "postgres://app:${DB_PASSWORD}@db:5432/app",
                    "redis://localhost:6379/0",
                    "mysql://root:root@127.0.0.1:3306/test",
                ]
            ),
            "negative",
        ),
        Entry("CACHE_KEY_PREFIX", "v2:user-profile:", "negative"),
        Entry("PASSWORD_MIN_LENGTH", "12", "negative"),
        Entry("KMS_KEY_ARN", f"arn:aws:kms:us-east-1:{g.chars(12, '0123456789')}:key/{g.uuid()}", "negative"),
        Entry("SECRET_NAME", f"prod/{g.word()}/db-credentials", "negative"),
        Entry("SSH_KEY_PATH", "~/.ssh/id_ed25519", "negative"),
        Entry(
            "GOOGLE_CLIENT_ID",
            f"{g.chars(12, '0123456789')}-{g.chars(32, 'abcdefghijklmnopqrstuvwxyz0123456789')}.apps.googleusercontent.com",
            "negative",
        ),
        Entry("TOKEN_EXPIRY_SECONDS", "3600", "negative"),
        Entry("STRIPE_PRICE_ID", "price_" + g.chars(24), "negative"),
        Entry("NEXT_PUBLIC_POSTHOG_KEY", "phc_" + g.chars(43), "negative"),
        Entry(name, "", "negative", raw_line='headers = {"Authorization": f"Bearer {token}"}'),
        Entry(name, "", "negative", raw_line='token = jwt.encode(payload, settings.SECRET_KEY, algorithm="HS256")'),
        Entry(name, "", "negative", raw_line="SECRET_KEY = get_random_secret_key()"),
        Entry(name, "", "negative", raw_line="client = OpenAI(api_key=api_key, timeout=30)"),
        Entry(name, "", "negative", raw_line='password_hash = "$2b$12$' + g.chars(53, ALNUM + "./") + '"'),
        Entry(name, "", "negative", raw_line='AUTH_HEADER_NAME = "X-Api-Key"'),
        Entry(
            name,
            "",
            "negative",
            raw_line=f'<script src="/static/js/main.{g.hex(8)}.chunk.js" integrity="sha384-{g.chars(64, B64)}"></script>',
        ),
    ]


def _entries_for_rules(seed: int, per_rule: int) -> tuple[list[Entry], list[tuple[str, str, str]]]:
    """Assignable secrets (name, value) and whole-file samples (path, text, secret)."""
    assignable: list[Entry] = []
    files: list[tuple[str, str, str]] = []
    rules = [r.id for r in default_rules() if r.id not in SKIP_RULES]
    n = 0
    for rid in rules:
        for k in range(per_rule):
            n += 1
            s = KeyGen(seed * 10007 + n).sample(rid)
            line = s.text.splitlines()[s.line - 1]
            m = _ASSIGN.match(line)
            simple = s.path in (".env", "app/settings.py", "src/config.ts") and m and s.secret in m.group(2)
            if simple and m is not None:
                assignable.append(Entry(m.group(1), m.group(2), "secret"))
            else:
                files.append((f"creds/{rid.split('.', 1)[1]}-{k}/{s.path}", s.text, s.secret))
    return assignable, files


def _render(fmt: str, entries: list[Entry], rng: random.Random, g: KeyGen) -> tuple[str, str, list[tuple[int, str]]]:
    """(file name, text, [(line, kind)]) for one file of the given format."""
    lines: list[str] = []
    marks: list[tuple[int, str]] = []

    def put(text: str, kind: str | None) -> None:
        lines.append(text)
        if kind:
            marks.append((len(lines), kind))

    if fmt == "env":
        put("# generated by the deploy script; do not edit by hand", None)
        for e in entries:
            put(e.raw_line if e.raw_line else f"{e.name}={e.value}", e.kind)
            if rng.random() < 0.3:
                put("", None)
        return ".env", "\n".join(lines) + "\n", marks
    if fmt == "py":
        put('"""Django settings for the service."""', None)
        put("import os", None)
        put("", None)
        put("DEBUG = False", None)
        for e in entries:
            put(e.raw_line if e.raw_line else f'{e.name} = "{e.value}"', e.kind)
        put('ALLOWED_HOSTS = ["api.internal"]', None)
        return "settings.py", "\n".join(lines) + "\n", marks
    if fmt == "ts":
        put("// Runtime configuration", None)
        put("export const config = {", None)
        for e in entries:
            if e.raw_line:
                put(f"  // {e.raw_line}", e.kind)
            else:
                key = e.name[0].lower() + re.sub(r"_([a-z])", lambda m: m.group(1).upper(), e.name.lower())[1:]
                key = e.name if rng.random() < 0.5 else key
                put(f"  {key}: '{e.value}',", e.kind)
        put("  retries: 3,", None)
        put("};", None)
        return "config.ts", "\n".join(lines) + "\n", marks
    if fmt == "compose":
        put("services:", None)
        put("  api:", None)
        put("    image: ghcr.io/acme/api:1.4.2", None)
        put("    environment:", None)
        for e in entries:
            if e.raw_line:
                put(f"      # {e.raw_line}", e.kind)
            else:
                put(f'      {e.name}: "{e.value}"' if rng.random() < 0.5 else f"      - {e.name}={e.value}", e.kind)
        put("    ports:", None)
        put('      - "8080:8080"', None)
        return "docker-compose.yml", "\n".join(lines) + "\n", marks
    if fmt == "k8s":
        put("apiVersion: v1", None)
        put("kind: Secret", None)
        put("metadata:", None)
        put("  name: app-secrets", None)
        put("type: Opaque", None)
        put("data:", None)
        for e in entries:
            if e.raw_line:
                continue
            put(f"  {e.name}: {_b64(e.value)}", e.kind)
        return "k8s/secret.yaml", "\n".join(lines) + "\n", marks
    if fmt == "ipynb":
        # one code cell per entry; labels are the lines of the JSON file
        cells = []
        for e in entries:
            src = e.raw_line if e.raw_line else f'os.environ["{e.name}"] = "{e.value}"'
            cells.append(
                {
                    "cell_type": "code",
                    "execution_count": None,
                    "metadata": {},
                    "outputs": [],
                    "source": ["import os\n", src + "\n", "client = make_client()"],
                }
            )
        nb = {"cells": cells, "metadata": {"kernelspec": {"name": "python3"}}, "nbformat": 4, "nbformat_minor": 5}
        text = json.dumps(nb, indent=1) + "\n"
        text_lines = text.splitlines()
        search_from = 0
        for e in entries:
            src = e.raw_line if e.raw_line else f'os.environ["{e.name}"] = "{e.value}"'
            enc = json.dumps(src + "\n")
            for i in range(search_from, len(text_lines)):
                if enc in text_lines[i]:
                    marks.append((i + 1, e.kind))
                    search_from = i + 1
                    break
        return "analysis.ipynb", text, marks
    if fmt == "minjs":
        # one bundle line per entry (so labels by line stay unambiguous), like a split chunk
        for e in entries:
            pre = ";".join(
                f"var {g.chars(2, 'abcdefghij')}{i}=function(t){{return t*{i}}}" for i in range(rng.randint(20, 80))
            )
            if e.raw_line:
                put(pre + ";" + e.raw_line.replace("\n", " "), e.kind)
            else:
                put(f'{pre};var cfg={{{e.name}:"{e.value}",env:"production"}};', e.kind)
        return "dist/assets/index.min.js", "\n".join(lines) + "\n", marks
    if fmt == "json":
        put("{", None)
        put('  "name": "worker",', None)
        put('  "settings": {', None)
        for e in entries:
            if e.raw_line:
                put(f'    "_comment_{len(lines)}": {json.dumps(e.raw_line)},', e.kind)
            else:
                key = (
                    e.name.lower()
                    if rng.random() < 0.5
                    else re.sub(r"_([a-z])", lambda m: m.group(1).upper(), e.name.lower())
                )
                put(f"    {json.dumps(key)}: {json.dumps(e.value)},", e.kind)
        put('    "region": "eu-west-1"', None)
        put("  }", None)
        put("}", None)
        return "config/app.json", "\n".join(lines) + "\n", marks
    if fmt == "sh":
        put("#!/usr/bin/env bash", None)
        put("set -euo pipefail", None)
        for e in entries:
            if e.raw_line:
                put(f"# {e.raw_line}", e.kind)
            elif e.kind == "negative" or not re.fullmatch(r"[A-Za-z0-9._~+/=-]+", e.value) or rng.random() < 0.5:
                put(f"export {e.name}='{e.value}'", e.kind)
            else:
                put(f'curl -sS -H "Authorization: Bearer {e.value}" https://api.internal/v1/ping  # {e.name}', e.kind)
        return "scripts/deploy.sh", "\n".join(lines) + "\n", marks
    raise ValueError(fmt)


def generate(out: Path, seed: int = 7, per_rule: int = 4) -> Corpus:
    rng = random.Random(seed)
    g = KeyGen(seed)
    corpus = Corpus()
    assignable, whole_files = _entries_for_rules(seed, per_rule)
    rng.shuffle(assignable)
    chunk = 0
    while assignable:
        take, assignable = assignable[:6], assignable[6:]
        neg = rng.sample(negatives(g, rng), 6)
        entries = take + neg
        rng.shuffle(entries)
        seen: set[str] = set()
        for e in entries:  # one key per name per file (YAML mappings, env files)
            while e.name in seen:
                e.name = "ALT_" + e.name
            seen.add(e.name)
        fmt = FORMATS[chunk % len(FORMATS)]
        name, text, marks = _render(fmt, entries, rng, g)
        corpus.add(f"svc{chunk:03d}/{name}", text, marks)
        chunk += 1
    for path, text, secret in whole_files:
        line = text[: text.index(secret)].count("\n") + 1
        corpus.add(path, text, [(line, "secret")])
    # lockfiles, certificates and public keys: whole files of hard negatives
    for i in range(8):
        deps = {
            f"pkg-{g.chars(6, 'abcdefghijklmnop')}": {
                "version": f"1.{i}.0",
                "resolved": f"https://registry.npmjs.org/x/-/x-1.{i}.0.tgz",
                "integrity": "sha512-" + g.chars(86, B64) + "==",
            }
            for _ in range(6)
        }
        text = json.dumps({"name": "app", "lockfileVersion": 3, "packages": deps}, indent=2) + "\n"
        marks = [(n + 1, "negative") for n, ln in enumerate(text.splitlines()) if '"integrity"' in ln]
        corpus.add(f"web{i}/package-lock.json", text, marks)
        body = "\n".join(g.chars(64, B64) for _ in range(8))
        for kind in ("CERTIFICATE", "PUBLIC KEY"):
            pem = f"-----BEGIN {kind}-----\n{body}\n-----END {kind}-----\n"
            corpus.add(f"certs{i}/{kind.lower().replace(' ', '_')}.pem", pem, [(2, "negative")])
        ssh = f"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI{g.chars(43, B64URL)} deploy@ci\n"
        corpus.add(f"certs{i}/id_ed25519.pub", ssh, [(1, "negative")])
        pre = f"repos:\n  - repo: https://github.com/pre-commit/pre-commit-hooks\n    rev: {g.hex(40)}\n"
        corpus.add(f"tools{i}/.pre-commit-config.yaml", pre, [(3, "negative")])
    for path, text in corpus.files.items():
        p = out / path
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
    (out.parent / f"{out.name}.labels.json").write_text(json.dumps(corpus.labels, indent=1))
    return corpus


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    c = generate(args.out, args.seed)
    kinds = [lbl["kind"] for lbl in c.labels]
    print(f"{len(c.files)} files, {kinds.count('secret')} secrets, {kinds.count('negative')} hard negatives")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
