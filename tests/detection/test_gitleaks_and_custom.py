"""Custom rules from .launchready.yml and gitleaks migration (.gitleaks.toml), end to end."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from launchready.config import Config, load_config
from launchready.demo.keygen import KeyGen
from launchready.registry import rule_set
from launchready.secrets.engine import Engine

GITLEAKS = r"""
title = "team config"

[extend]
useDefault = true

[allowlist]
paths = ['''(?i)fixtures/''']

[[rules]]
id = "acme-api-token"
description = "ACME internal API token"
regex = '''\b(acme_(?i)[a-z0-9]{32})(?:[\x60'"\s;]|\\[nr]|$)'''
secretGroup = 1
entropy = 3.0
keywords = ["acme_"]
[[rules.allowlists]]
stopwords = ["deadbeef"]
regexes = ['''^acme_0+$''']

[[rules]]
id = "acme-lookbehind"
regex = '''(?<=token=)[a-z]{10}'''

[[rules]]
id = "pkcs12-file"
path = '''(?i)\.p12$'''

[[rules]]
id = "broken"
regex = '''([a-z'''
"""


def _write(root: Path, name: str, text: str) -> Path:
    p = root / name
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text)
    return p


def test_gitleaks_rules_run_with_re2_and_warnings_name_each_unusable_rule(tmp_path: Path) -> None:
    _write(tmp_path, ".gitleaks.toml", GITLEAKS)
    rs = rule_set(Config(), tmp_path)
    ids = {r.id for r in rs.rules}
    assert "secret.acme-api-token" in ids and "secret.openai-project-key" in ids  # useDefault
    joined = "\n".join(rs.warnings)
    for name in ("acme-lookbehind", "pkcs12-file", "broken"):
        assert name in joined, joined
    # RE2 only: a lookbehind is named as unusable, never run on Python's re (which can stall)
    assert "'acme-lookbehind': regex cannot be used (RE2: invalid perl operator" in joined
    [acme] = [r for r in rs.rules if r.id == "secret.acme-api-token"]
    assert acme.syntax == "re2" and acme.source == "gitleaks"

    eng = Engine(rs.rules)
    token = "acme_" + KeyGen(1).chars(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    assert [(m.rule.id, m.secret) for m in eng.scan(f"ACME={token}\n", "app.env")] == [("secret.acme-api-token", token)]
    assert eng.scan(f"ACME={token}\n", "tests/fixtures/app.env") == []  # global allowlist path
    stop = "acme_" + "deadbeef" + KeyGen(2).chars(24, "abcdefghijklmnopqrstuvwxyz0123456789")
    assert eng.scan(f"ACME={stop}\n", "app.env") == []  # stopword
    assert eng.scan("x?token=kdjfhgmznb\n", "a.txt") == []  # the lookbehind rule is not run


def test_without_use_default_gitleaks_rules_extend_the_pack_unless_replace_is_configured(tmp_path: Path) -> None:
    _write(tmp_path, ".gitleaks.toml", GITLEAKS.replace("useDefault = true", "useDefault = false"))
    rs = rule_set(Config(), tmp_path)  # a .gitleaks.toml alone never turns the built-in pack off
    assert {"secret.openai-project-key", "secret.acme-api-token"} <= {r.id for r in rs.rules}
    assert rs.gitleaks_note is not None and "in addition to" in rs.gitleaks_note
    rs = rule_set(Config(gitleaks_mode="replace"), tmp_path)
    assert "secret.openai-project-key" not in {r.id for r in rs.rules}
    assert "secret.acme-api-token" in {r.id for r in rs.rules}
    assert any("gitleaks_mode: replace" in w for w in rs.warnings)


def test_gitleaks_config_key_and_invalid_toml(tmp_path: Path, run_cli: Any) -> None:
    _write(tmp_path, "sec/leaks.toml", GITLEAKS)
    _write(tmp_path, ".launchready.yml", "version: 1\ngitleaks_config: sec/leaks.toml\n")
    token = "acme_" + KeyGen(3).chars(32, "abcdefghijklmnopqrstuvwxyz0123456789")
    _write(tmp_path, "src/app.py", f"ACME = '{token}'\n")
    res = run_cli(["scan", "--json", "-", "src"], tmp_path)
    data = json.loads(res.out)
    assert [f["rule_id"] for f in data["findings"]] == ["secret.acme-api-token"]
    assert token not in res.out
    listed = run_cli(["rules", "list"], tmp_path)
    assert "secret.acme-api-token" in listed.out and "[gitleaks]" in listed.out
    assert "broken" in listed.err

    _write(tmp_path, "sec/leaks.toml", "[[rules]\nid = 'x'\n")
    res = run_cli(["scan", "src"], tmp_path)
    assert res.code == 2 and "leaks.toml" in res.err and "invalid TOML" in res.err


def test_custom_rules_from_launchready_yml(tmp_path: Path, run_cli: Any) -> None:
    _write(
        tmp_path,
        ".launchready.yml",
        "version: 1\nrules:\n  custom:\n"
        "    - id: secret.acme-key\n      description: ACME key\n      severity: critical\n"
        "      regex: '\\b(acmk_[A-Za-z0-9]{24})\\b'\n      secret_group: 1\n      keywords: [ACMK_]\n"
        "      allow: ['^acmk_0']\n",
    )
    key = "acmk_" + KeyGen(4).chars(24)
    _write(tmp_path, "a.py", f"K = '{key}'\nJ = 'acmk_0{KeyGen(5).chars(23)}'\n")
    res = run_cli(["scan", "--json", "-", "a.py"], tmp_path)
    [f] = json.loads(res.out)["findings"]
    assert (f["rule_id"], f["severity"], f["line"]) == ("secret.acme-key", "critical", 1)
    explained = run_cli(["rules", "explain", "acme-key"], tmp_path)
    assert "source:   custom" in explained.out


def test_custom_rule_bad_regex_is_a_config_error(tmp_path: Path) -> None:
    p = _write(tmp_path, ".launchready.yml", "version: 1\nrules:\n  custom:\n    - id: x\n      regex: '([a-z'\n")
    cfg = load_config(p)
    with pytest.raises(Exception, match=r"\.launchready\.yml:5: rules\.custom\.0\.regex"):
        rule_set(cfg, tmp_path)


def test_disable_builtin_rule(tmp_path: Path) -> None:
    p = _write(
        tmp_path, ".launchready.yml", "version: 1\nrules:\n  disable: [secret.generic-assignment, stripe-test-key]\n"
    )
    ids = {r.id for r in rule_set(load_config(p), tmp_path).rules}
    assert "secret.generic-assignment" not in ids and "secret.stripe-test-key" not in ids
    assert "secret.openai-project-key" in ids


def test_rules_list_and_explain(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli(["rules", "list"], tmp_path)
    assert res.code == 0 and len(res.out.splitlines()) >= 60
    res = run_cli(["rules", "explain", "secret.supabase-service-role-key"], tmp_path)
    assert "service_role" in res.out and "https://supabase.com" in res.out
    res = run_cli(["rules", "explain", "secret.nope-key"], tmp_path)
    assert res.code == 2 and "unknown rule id" in res.err


def test_gitleaks_allowlist_targets_and_extend_path(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "base.toml",
        r"""
[[rules]]
id = "zeta-token"
regex = '''zeta_[a-z0-9]{20}'''
keywords = ["zeta_"]
[[rules.allowlists]]
regexTarget = "line"
regexes = ['''# known-test-token''']
[[rules.allowlists]]
regexTarget = "match"
regexes = ['''^zeta_0''']
[[rules.allowlists]]
paths = ['''^vendor/''']
""",
    )
    _write(tmp_path, ".gitleaks.toml", '[extend]\npath = "base.toml"\nuseDefault = true\n')
    rs = rule_set(Config(), tmp_path)
    eng = Engine([r for r in rs.rules if r.source == "gitleaks"])
    tok = "zeta_" + KeyGen(6).chars(20, "abcdefghijklmnopqrstuvwxyz123456789")
    assert [m.rule.id for m in eng.scan(f"T = '{tok}'\n", "app.py")] == ["secret.zeta-token"]
    assert eng.scan(f"T = '{tok}'  # known-test-token\n", "app.py") == []
    assert eng.scan("T = 'zeta_0" + tok[6:] + "'\n", "app.py") == []
    assert eng.scan(f"T = '{tok}'\n", "vendor/lib.py") == []


def test_all_rules_keeps_its_one_argument_form(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from launchready.registry import all_rules, rule_warnings

    (tmp_path / ".git").mkdir()
    _write(tmp_path, ".gitleaks.toml", GITLEAKS)
    monkeypatch.chdir(tmp_path)
    cfg = Config()
    assert "secret.acme-api-token" in {r.id for r in all_rules(cfg)}
    assert any("broken" in w for w in rule_warnings(cfg))


@pytest.mark.parametrize("mode", ["extend", "replace"])
def test_an_empty_keyword_runs_the_rule_everywhere_as_gitleaks_does(tmp_path: Path, run_cli: Any, mode: str) -> None:
    """An empty keyword is in every text: the rule always runs. It used to find nothing
    (extend) or crash the scan with exit 3 (replace: an automaton with no keyword at all)."""
    _write(tmp_path, ".gitleaks.toml", "[[rules]]\nid = 'acme-tok'\nkeywords = ['']\nregex = '''tok_[a-z]{12}'''\n")
    _write(tmp_path, ".launchready.yml", f"version: 1\ngitleaks_mode: {mode}\n")
    token = "tok_" + KeyGen(6).chars(12, "abcdefghijklmnopqrstuvwxyz")
    _write(tmp_path, "src/app.py", f"TOKEN = '{token}'\n")
    res = run_cli(["scan", "--json", "-", "src"], tmp_path)
    assert res.code == 1, res.err
    assert [f["rule_id"] for f in json.loads(res.out)["findings"]] == ["secret.acme-tok"]
    assert token not in res.out + res.err
