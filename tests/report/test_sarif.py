from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from launchready.demo.keygen import KeyGen
from launchready.model import Report
from launchready.report import Options
from launchready.report.sarif import FINGERPRINT_KEY, render, to_sarif

SCHEMA = json.loads((Path(__file__).parent / "data" / "sarif-schema-2.1.0.json").read_text())


def _validate(doc: dict[str, object]) -> None:
    validator = jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker())
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    assert not errors, "\n".join(f"{list(e.path)}: {e.message}" for e in errors)


def test_schema_is_the_official_one() -> None:
    assert SCHEMA["title"] == "Static Analysis Results Format (SARIF) Version 2.1.0 JSON Schema"
    assert len(SCHEMA["definitions"]) == 52
    jsonschema.Draft7Validator.check_schema(SCHEMA)


def test_schema_rejects_broken_sarif(mixed_report: Report) -> None:
    # Proves the validation below can fail: a result level outside the enum is caught.
    doc = to_sarif(mixed_report, Options())
    doc["runs"][0]["results"][0]["level"] = "critical"
    with pytest.raises(AssertionError, match="level"):
        _validate(doc)


def test_mixed_report_is_valid_sarif(mixed_report: Report) -> None:
    doc = json.loads(render(mixed_report, Options()))
    _validate(doc)
    [run] = doc["runs"]
    # live checks are not SARIF results: four findings, four results
    assert len(run["results"]) == 4
    assert {r["ruleId"] for r in run["results"]} == {
        "secret.openai-project-key",
        "secret.github-pat-classic",
        "build.source-map",
    }


def test_rules_carry_metadata(mixed_report: Report) -> None:
    run = to_sarif(mixed_report, Options())["runs"][0]
    rules = {r["id"]: r for r in run["tool"]["driver"]["rules"]}
    openai = rules["secret.openai-project-key"]
    assert openai["shortDescription"]["text"] == "OpenAI project API key"
    assert openai["fullDescription"]["text"]
    assert openai["name"] == "SecretOpenaiProjectKey"
    assert "platform.openai.com" in openai["help"]["text"]
    assert openai["help"]["markdown"].startswith("**Fix:**")
    assert openai["defaultConfiguration"]["level"] == "error"
    assert openai["properties"]["security-severity"] == "9.5"
    assert "external/cwe/cwe-798" in openai["properties"]["tags"]
    build = rules["build.source-map"]
    assert build["defaultConfiguration"]["level"] == "warning"
    assert build["properties"]["security-severity"] == "5.5"
    # ruleIndex points at the right rule
    for res in run["results"]:
        assert run["tool"]["driver"]["rules"][res["ruleIndex"]]["id"] == res["ruleId"]


def test_locations_and_fingerprints(mixed_report: Report) -> None:
    run = to_sarif(mixed_report, Options())["runs"][0]
    by_loc = {}
    for res in run["results"]:
        phys = res["locations"][0]["physicalLocation"]
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        by_loc[(phys["artifactLocation"]["uri"], phys.get("region", {}).get("startLine"))] = res
    first = by_loc[("src/app.py", 3)]
    region = first["locations"][0]["physicalLocation"]["region"]
    assert region["startColumn"] == 11 and region["endLine"] == 3
    assert region["endColumn"] > region["startColumn"]
    finding = next(f for f in mixed_report.findings if f.path == "src/app.py" and f.line == 3)
    assert first["partialFingerprints"] == {FINGERPRINT_KEY: finding.fingerprint}
    assert first["level"] == "error"
    assert "sk-proj-…" in first["message"]["text"]
    # a file-level finding has no region
    source_map = by_loc[("dist/app.js.map", None)]
    assert "region" not in source_map["locations"][0]["physicalLocation"]
    # paths are URI-encoded, not raw
    assert ("config/ci%2C1.yml", 1) in by_loc
    history = by_loc[("config/ci%2C1.yml", 1)]
    assert history["properties"]["commit"] == "a" * 40
    assert "still in history" in history["message"]["text"]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == "file:///work/repo/"


def test_empty_report_is_valid() -> None:
    doc = to_sarif(Report(command="scan", root="."), Options())
    _validate(doc)
    assert doc["runs"][0]["results"] == []
    assert "uri" not in doc["runs"][0]["originalUriBaseIds"]["%SRCROOT%"]  # relative root


def test_real_scan_sarif_valid(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    keys = KeyGen(11)
    (repo / "app.py").write_text(f'STRIPE = "{keys.stripe_secret()}"\n')
    (repo / "sub dir").mkdir()
    (repo / "sub dir" / "cfg.py").write_text(f'TOKEN = "{keys.github_classic()}"\n')
    res = run_cli(["scan", "--sarif", "-"], repo)
    assert res.code == 1, res.err
    doc = json.loads(res.out)
    _validate(doc)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in doc["runs"][0]["results"]}
    assert "app.py" in uris and "sub%20dir/cfg.py" in uris
