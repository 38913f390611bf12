"""Property-based fuzzing (Hypothesis) of every parser a pull request controls.

For each: ``.launchready.yml``, ``.gitleaks.toml``, ``.gitleaksignore``, event payloads, SPF
records, notebooks, source maps and env files, any input either parses or is refused with the
parser's own error type (which the CLI turns into exit 2): never another exception (exit 3),
never a hang past the example's deadline, and never a generated secret in what we print.
Examples are kept few per parser (``max_examples``) so the file runs in well under a minute
on two cores; ``HYPOTHESIS_PROFILE=long`` runs many more.
"""

from __future__ import annotations

import contextlib
import functools
import io
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from launchready.config import CUSTOM_RULE_KEYS, TOP_KEYS, load_config
from launchready.demo.keygen import KeyGen
from launchready.errors import ConfigError, UsageError
from launchready.secrets.engine import Engine

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "email"))
from email_dns_server import dns_server

settings.register_profile(
    "ci",
    max_examples=40,
    deadline=timedelta(seconds=30),  # generous: a shared CI machine; a hang is minutes
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large],
)
settings.register_profile("long", parent=settings.get_profile("ci"), max_examples=2000)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

SECRET = KeyGen(77).stripe_secret()  # generated at test time; must never be printed raw

# --- building blocks ---------------------------------------------------------------------------

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(allow_nan=True),
    st.text(max_size=40),
    st.sampled_from(["(a+)+$", "(?<=x)y", "[", "a{1001}", "(?P<s>x+)", "\\", "%{d}", SECRET]),
)
json_values = st.recursive(
    scalars,
    lambda kids: st.lists(kids, max_size=4) | st.dictionaries(st.text(max_size=12), kids, max_size=4),
    max_leaves=30,
)


def keyed(keys: set[str] | frozenset[str]) -> st.SearchStrategy[dict[str, Any]]:
    """Mappings whose keys are mostly the real ones, so the fuzzer reaches deep validation."""
    return st.dictionaries(st.sampled_from(sorted(keys)) | st.text(max_size=8), json_values, max_size=6)


custom_rule = st.fixed_dictionaries(
    {
        "id": st.text(min_size=1, max_size=10),
        "regex": st.sampled_from(["tok_[a-z]{8}", "(a+)+$", "(?<=k)x", "[", "(?P<s>x+)"]) | st.text(max_size=20),
    },
    optional={k: json_values for k in sorted(CUSTOM_RULE_KEYS - {"id", "regex"})},
)
launchready_yml = st.one_of(
    st.text(max_size=300),
    keyed(TOP_KEYS).map(lambda d: yaml.safe_dump(d, allow_unicode=True)),
    st.lists(custom_rule, max_size=3).map(lambda rules: yaml.safe_dump({"version": 1, "rules": {"custom": rules}})),
    st.sampled_from(
        [
            "a: &a [*a]\n",
            "x: " + "[" * 300 + "]" * 300 + "\n",
            "a: &a [1,1,1,1,1,1,1,1,1,1]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: [*b,*b,*b,*b,*b,*b,*b,*b,*b,*b]\n",
        ]
    ),
)


def _toml_value(v: Any) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, list):
        return "[" + ", ".join(_toml_value(x) for x in v) + "]"
    return json.dumps(str(v))


def _toml(doc: dict[str, Any]) -> str:
    """A small TOML writer for the shapes below (top keys, tables, arrays of tables)."""
    out: list[str] = []
    for k, v in doc.items():
        if not isinstance(v, (dict, list)) or (isinstance(v, list) and not all(isinstance(x, dict) for x in v)):
            out.append(f"{json.dumps(k)} = {_toml_value(v)}")
    for k, v in doc.items():
        if isinstance(v, dict):
            out.append(f"[{json.dumps(k)}]")
            out += [f"{json.dumps(a)} = {_toml_value(b)}" for a, b in v.items() if not isinstance(b, dict)]
        elif isinstance(v, list) and v and all(isinstance(x, dict) for x in v):
            for table in v:
                out.append(f"[[{json.dumps(k)}]]")
                out += [f"{json.dumps(a)} = {_toml_value(b)}" for a, b in table.items() if not isinstance(b, dict)]
    return "\n".join(out) + "\n"


toml_scalars = st.one_of(
    st.booleans(),
    st.integers(-100, 100),
    st.text(max_size=20),
    st.sampled_from(["(a+)+$", "(?<=x)y", "[", "/dev/zero", "../../etc/passwd", "tok_[a-z]{8}"]),
)
toml_lists = st.lists(toml_scalars, max_size=3)
gitleaks_rule = st.dictionaries(
    st.sampled_from(["id", "regex", "secretGroup", "entropy", "keywords", "path", "description", "tags", "skipReport"]),
    toml_scalars | toml_lists,
    max_size=6,
)
gitleaks_toml = st.one_of(
    st.text(max_size=300),
    st.fixed_dictionaries(
        {},
        optional={
            "title": toml_scalars,
            "extend": st.dictionaries(
                st.sampled_from(["useDefault", "path", "disabledRules"]), toml_scalars | toml_lists, max_size=3
            ),
            "allowlist": st.dictionaries(
                st.sampled_from(["regexes", "paths", "stopwords", "regexTarget", "condition"]),
                toml_scalars | toml_lists,
                max_size=4,
            ),
            "rules": st.lists(gitleaks_rule, max_size=3),
        },
    ).map(_toml),
)


@contextlib.contextmanager
def _quiet_cwd(path: Path) -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = io.StringIO(), io.StringIO()
    old = Path.cwd()
    os.chdir(path)
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            yield out, err
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def repo() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as d:
        root = Path(d)
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        (root / "app.py").write_text(f"STRIPE = '{SECRET}'\naaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa!\n")
        subprocess.run(["git", "-C", str(root), "add", "."], check=True)
        subprocess.run(
            ["git", "-C", str(root), "-c", "user.name=a", "-c", "user.email=a@b.c", "commit", "-qm", "x"], check=True
        )
        yield root


# --- the parsers ---------------------------------------------------------------------------------


@given(text=launchready_yml)
def test_launchready_yml_through_the_cli(repo: Path, text: str) -> None:
    """The whole scan in process: exit 0, 1 or 2, and the scanned secret never printed."""
    from launchready.cli import main

    (repo / ".launchready.yml").write_text(text)
    try:
        with _quiet_cwd(repo) as (out, err):
            code = main(["scan", "app.py", "-v"])
    finally:
        (repo / ".launchready.yml").unlink()
    assert code in (0, 1, 2), err.getvalue()[-2000:]
    assert SECRET not in out.getvalue() + err.getvalue() or SECRET in text


@given(text=gitleaks_toml)
def test_gitleaks_toml(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    from launchready.secrets.gitleaks_config import GitleaksConfigError, load

    d = tmp_path_factory.mktemp("gl")
    (d / ".git").mkdir()
    (d / ".gitleaks.toml").write_text(text)
    try:
        got = load(d / ".gitleaks.toml", set())
    except GitleaksConfigError:
        return
    engine = Engine(got.rules)
    engine.scan(f"token = 'tok_abcdefgh' key={SECRET}\n" + "a" * 5000 + "!\n", "a/b.py")


@given(
    text=st.text(max_size=400)
    | st.lists(
        st.sampled_from(
            [
                "0" * 40 + ":a.py:stripe:1",
                "a.py:secret.x:3",
                "deadbeef:p:r:x",
                "::::",
                "a" * 40 + ":b\nc:r:9999999999999999999999",
            ]
        ),
        max_size=5,
    ).map("\n".join)
)
def test_gitleaksignore(text: str) -> None:
    from launchready.history.ignore import parse

    ign = parse(text)
    ign.ignores("0" * 40, "a.py", 1)


event_payloads = st.one_of(
    json_values,
    st.fixed_dictionaries(
        {
            "pull_request": st.fixed_dictionaries(
                {
                    "base": st.dictionaries(st.sampled_from(["sha", "ref"]), json_values, max_size=2),
                    "head": st.dictionaries(st.sampled_from(["sha", "ref"]), json_values, max_size=2),
                    "commits": json_values,
                }
            )
        }
    ),
    st.dictionaries(
        st.sampled_from(["before", "after", "ref", "forced", "repository", "merge_group"]), json_values, max_size=5
    ),
)


@given(
    name=st.sampled_from(
        ["pull_request", "pull_request_target", "push", "merge_group", "workflow_dispatch", "schedule"]
    ),
    event=event_payloads,
)
def test_event_payloads(repo: Path, name: str, event: Any) -> None:
    from launchready.action.event import plan_for

    if not isinstance(event, dict):
        return  # read_github refuses a payload that is not a JSON object (tested in test_crashes)
    with contextlib.suppress(UsageError):
        plan_for(repo, name, event)


spf_terms = st.sampled_from(
    [
        "include:a..b.test",
        f"include:{'x' * 64}.test",
        "a",
        "mx",
        "ptr",
        "exists:%{i}.x.test",
        "redirect=r.test",
        "ip4:1.2.3.4/33",
        "ip6:::1",
        "a:/99",
        "mx//200",
        "-all",
        "+all",
        "~all",
        "?all",
        "exp=%{z}",
        "include:fuzz.test",
        "include:loop.test",
        "a:nx.test",
        "mx:nx.test",
        "=",
        "%%",
        "v=spf1",
    ]
) | st.text(max_size=15)


@pytest.fixture(scope="module")
def spf_server() -> Iterator[Any]:
    with dns_server({"loop.test": [("TXT", "v=spf1 include:fuzz.test -all")]}) as server:
        yield server


@settings(max_examples=30)
@given(terms=st.lists(spf_terms, max_size=12))
def test_spf_records_parse_and_walk_within_limits(spf_server: Any, terms: list[str]) -> None:
    from launchready.email.dns import DnsClient, parse_nameserver
    from launchready.email.spf import MAX_QUERIES, check_spf, parse_spf

    record = " ".join(["v=spf1", *terms])
    parse_spf(record)
    spf_server.resolver.zone["fuzz.test"] = [("TXT", record)]
    client = DnsClient([parse_nameserver(spf_server.spec)], timeout=1.0, retries=0)
    before = len(spf_server.resolver.queries)
    check_spf(client, "fuzz.test")
    assert len(spf_server.resolver.queries) - before <= MAX_QUERIES + 2


notebook_json = st.one_of(
    st.text(max_size=300),
    st.fixed_dictionaries(
        {
            "cells": st.lists(
                st.fixed_dictionaries(
                    {},
                    optional={
                        "cell_type": st.sampled_from(["code", "markdown", "raw"]) | json_values,
                        "source": json_values | st.lists(st.text(max_size=30), max_size=3),
                        "outputs": json_values,
                        "metadata": json_values,
                    },
                ),
                max_size=3,
            )
        },
        optional={"metadata": json_values},
    ).map(json.dumps),
    st.just("[" * 5000 + "]" * 5000),
)


@given(text=notebook_json, secret_at=st.booleans())
def test_notebooks(text: str, secret_at: bool) -> None:
    from launchready.secrets import formats

    engine = _default_engine()
    raw = text.replace('"source": ""', f'"source": "KEY = \'{SECRET}\'"') if secret_at else text
    formats.notebook_matches(engine, raw, "nb.ipynb")


@given(value=notebook_json)
def test_notebook_strings_are_located_as_written(value: str) -> None:
    """Each string of a notebook, however the file escapes it, is found where its literal
    starts, in document order: the literal there decodes to it."""
    from launchready.secrets import formats

    try:
        doc = json.loads(value)
    except (ValueError, RecursionError):
        return
    strings: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            for k, v in node.items():
                strings.append(k)
                walk(v)
        elif isinstance(node, list):
            for v in node:
                walk(v)
        elif isinstance(node, str):
            strings.append(node)

    walk(doc)
    escaped = value.replace("/", "\\/")  # the same document, each slash written escaped
    for raw in (value, escaped):
        loc = formats._Locator(raw)
        for s in strings:
            at = loc.find(s)
            assert at is not None and raw[at] == '"'
            assert json.JSONDecoder().raw_decode(raw, at)[0] == s


@functools.cache
def _default_engine() -> Engine:
    from launchready.config import Config
    from launchready.registry import all_rules

    return Engine(all_rules(Config()))


source_maps = st.one_of(
    st.binary(max_size=300),
    st.fixed_dictionaries(
        {"version": json_values, "sources": json_values, "sourcesContent": json_values, "mappings": json_values}
    ).map(lambda d: json.dumps(d).encode()),
    st.just(b'{"version": 3, "sources": ' + b"[" * 5000 + b"]" * 5000 + b"}"),
)


@given(raw=source_maps)
def test_source_maps(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    from launchready.build_output import BundleScanner

    d = tmp_path_factory.mktemp("dist")
    (d / "app.js").write_text("//# sourceMappingURL=app.js.map\n")
    (d / "app.js.map").write_bytes(raw)
    result = BundleScanner(_default_engine(), d).scan([d])
    assert all(SECRET not in (f.secret or "") for f in result.findings)


env_text = st.lists(
    st.one_of(
        st.text(max_size=40),
        st.tuples(st.from_regex(r"[A-Z_]{1,12}", fullmatch=True), st.text(max_size=30)).map(
            lambda kv: f"{kv[0]}={kv[1]}"
        ),
        st.sampled_from(
            [
                f"STRIPE_KEY={SECRET}",
                "export A='unterminated",
                'B="multi\nline',
                "NEXT_PUBLIC_SECRET_KEY=" + SECRET,
                "=",
                "#x",
            ]
        ),
    ),
    max_size=8,
).map("\n".join)


@given(text=env_text, name=st.sampled_from([".env", ".env.example", ".env.production", "prod.env"]))
def test_env_files(text: str, name: str) -> None:
    from launchready.envfiles import EnvChecker, EnvFile, parse

    parse(text)
    checker = EnvChecker(_default_engine())
    f = EnvFile(name, None, text)
    for finding in [*checker.per_file(f, "tracked"), *checker.across([f, EnvFile(".env.local", None, text)])]:
        assert SECRET not in finding.message and SECRET not in (finding.secret or "")


@given(text=launchready_yml)
def test_launchready_yml_loader(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    """The loader and rule set alone (many more examples than the CLI test can afford)."""
    from launchready.registry import rule_set

    d = tmp_path_factory.mktemp("cfg")
    (d / ".launchready.yml").write_text(text)
    try:
        cfg = load_config(d / ".launchready.yml")
        rs = rule_set(cfg, d)
    except ConfigError:
        return
    Engine(rs.rules).scan("tok_abcdefgh " + "a" * 3000 + "!\n", "x.py")
