"""schemas/report.schema.json and schemas/config.schema.json against real reports and configs."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from launchready.config import CUSTOM_RULE_KEYS, RULE_KEYS, TOP_KEYS, load_config
from launchready.demo.keygen import KeyGen
from launchready.errors import ConfigError
from launchready.model import Report
from launchready.report.json_report import to_dict

SCHEMAS = Path(__file__).resolve().parents[2] / "schemas"
REPORT_SCHEMA = json.loads((SCHEMAS / "report.schema.json").read_text())
CONFIG_SCHEMA = json.loads((SCHEMAS / "config.schema.json").read_text())


def _errors(schema: dict[str, Any], doc: object) -> list[str]:
    v = jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())
    return [f"{list(e.path)}: {e.message}" for e in v.iter_errors(doc)]


def test_schemas_are_valid_2020_12() -> None:
    jsonschema.Draft202012Validator.check_schema(REPORT_SCHEMA)
    jsonschema.Draft202012Validator.check_schema(CONFIG_SCHEMA)


def test_mixed_report_validates(mixed_report: Report) -> None:
    doc = to_dict(mixed_report)
    assert _errors(REPORT_SCHEMA, doc) == []


@pytest.mark.parametrize(
    ("path", "value", "complaint"),
    [
        (("findings", 0, "severity"), "severe", "is not one of"),
        (("checks", 0, "status"), "ok", "is not one of"),
        (("scorecard", 0, "state"), "unknown", "is not one of"),
        (("findings", 0, "line"), 0, "less than the minimum"),
        (("findings", 0, "fingerprint"), "no-hash", "does not match"),
        (("summary", "files_scanned"), -1, "less than the minimum"),
    ],
)
def test_schema_is_precise(mixed_report: Report, path: tuple[Any, ...], value: object, complaint: str) -> None:
    doc = to_dict(mixed_report)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    errors = _errors(REPORT_SCHEMA, doc)
    assert errors and any(complaint in e for e in errors), errors


def test_required_keys(mixed_report: Report) -> None:
    doc = to_dict(mixed_report)
    del doc["findings"][0]["commit"]
    del doc["checks"]
    errors = _errors(REPORT_SCHEMA, doc)
    assert any("'commit' is a required property" in e for e in errors)
    assert any("'checks' is a required property" in e for e in errors)


def test_not_checked_row_needs_reason(mixed_report: Report) -> None:
    doc = to_dict(mixed_report)
    row = next(r for r in doc["scorecard"] if r["state"] == "not checked")
    row["reason"] = ""
    assert _errors(REPORT_SCHEMA, doc)


def test_real_cli_reports_validate(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    keys = KeyGen(14)
    (repo / "app.py").write_text(f'K = "{keys.openai_project()}"\nP = "{keys.stripe_secret()}"\n')
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 1, res.err
    doc = json.loads(res.out)
    assert doc["findings"], doc
    assert _errors(REPORT_SCHEMA, doc) == []
    clean = repo / "clean"
    clean.mkdir()
    (clean / "ok.txt").write_text("nothing here\n")
    res = run_cli(["scan", "--json", "-", "clean"], repo)
    assert res.code == 0
    assert _errors(REPORT_SCHEMA, json.loads(res.out)) == []


# --- config schema ------------------------------------------------------------------------

FULL_CONFIG = """\
version: 1
fail_on: medium
rules:
  disable: [secret.generic-assignment]
  custom:
    - id: secret.acme-key
      description: ACME API key
      severity: critical
      regex: 'acme_[a-z0-9]{32}'
      keywords: [acme_]
      entropy: 3.5
      fix: Rotate it in the ACME console.
      secret_group: 0
      paths: '\\.py$'
      allow: ['acme_0{32}']
      password_like: false
      prefix: acme_
exclude: [vendor/**, '*.min.js']
baseline: .launchready-baseline.json
gitleaks_config: .gitleaks.toml
live:
  url: https://127.0.0.1:8443
email:
  domain: example.test
scan: {}
"""


def test_schema_covers_every_config_key() -> None:
    props = CONFIG_SCHEMA["properties"]
    assert set(props) == TOP_KEYS
    assert set(props["rules"]["properties"]) == RULE_KEYS
    assert set(CONFIG_SCHEMA["$defs"]["custom_rule"]["properties"]) == CUSTOM_RULE_KEYS


def test_full_config_is_valid_for_both(tmp_path: Path) -> None:
    path = tmp_path / ".launchready.yml"
    path.write_text(FULL_CONFIG)
    cfg = load_config(path)  # our loader accepts it...
    assert cfg.custom_rules[0]["id"] == "secret.acme-key"
    assert _errors(CONFIG_SCHEMA, yaml.safe_load(FULL_CONFIG)) == []  # ...and so does the schema
    assert _errors(CONFIG_SCHEMA, None) == []  # an empty file is fine


@pytest.mark.parametrize(
    "text",
    [
        "version: 2\n",
        "fail_on: severe\n",
        "bogus: 1\n",
        "rules:\n  bogus: 1\n",
        "rules:\n  custom:\n    - id: x\n",
        "rules:\n  custom:\n    - {id: x, regex: y, colour: red}\n",
        "exclude: vendor\n",
        "live: [1]\n",
    ],
)
def test_schema_and_loader_reject_the_same(tmp_path: Path, text: str) -> None:
    path = tmp_path / ".launchready.yml"
    path.write_text(text)
    with pytest.raises(ConfigError):
        load_config(path)
    assert _errors(CONFIG_SCHEMA, yaml.safe_load(text))


def test_configuration_doc_example_is_valid(tmp_path: Path) -> None:
    import re

    doc = (SCHEMAS.parent / "docs" / "configuration.md").read_text()
    block = re.search(r"## A complete example\n\n```yaml\n(.*?)```", doc, re.S)
    assert block, "docs/configuration.md lost its example"
    assert _errors(CONFIG_SCHEMA, yaml.safe_load(block.group(1))) == []
    path = tmp_path / ".launchready.yml"
    path.write_text(block.group(1))
    assert load_config(path).fail_on is not None


def test_schema_and_section_readers_agree_key_by_key() -> None:
    """Each section's reader owns its keys (config.py, live/config.py, email/settings.py,
    journey/config.py): the schema lists exactly those, section by section."""
    from launchready.email.settings import KEYS as EMAIL_KEYS
    from launchready.journey import config as journey
    from launchready.live import config as live

    props = CONFIG_SCHEMA["properties"]
    live_props = props["live"]["properties"]
    target = next(t for t in live_props["targets"]["items"]["oneOf"] if t.get("type") == "object")
    pairs = {
        "live": (set(live_props), live.SECTION_KEYS),
        "live.targets[]": (set(target["properties"]), live.TARGET_KEYS),
        "live.email": (set(live_props["email"]["properties"]), EMAIL_KEYS),
        "email": (set(props["email"]["properties"]), EMAIL_KEYS),
        "journey": (set(props["journey"]["properties"]), journey.SECTION_KEYS),
    }
    for section, (schema_keys, reader_keys) in pairs.items():
        assert schema_keys == reader_keys, f"{section}: schema {sorted(schema_keys ^ reader_keys)} differ"
    for section in ("email", "journey"):
        assert props[section].get("additionalProperties") is False, f"{section}: the reader rejects unknown keys"


def test_schema_and_section_readers_agree_below_the_sections() -> None:
    """Every nested mapping a reader checks with allowed keys (live areas, identities,
    basic_auth, endpoints, journey steps, expectations, captures, notify, budget) has the
    same keys in the schema, and the schema refuses others as the reader does."""
    from launchready.journey import config as journey
    from launchready.live import config as live

    props = CONFIG_SCHEMA["properties"]
    live_props = props["live"]["properties"]
    endpoint = next(e for e in props["live"]["$defs"]["endpoint"]["oneOf"] if e.get("type") == "object")
    step = props["journey"]["properties"]["steps"]["items"]
    expect = step["properties"]["expect"]
    json_expect = next(j for j in expect["properties"]["json"]["items"]["oneOf"] if j.get("type") == "object")
    capture = next(
        c for c in step["properties"]["capture"]["additionalProperties"]["oneOf"] if c.get("type") == "object"
    )
    pairs: dict[str, tuple[dict[str, Any], set[str]]] = {
        **{f"live.{area}": (live_props[area], keys) for area, keys in live.AREA_KEYS.items()},
        "live.basic_auth": (live_props["basic_auth"], live.BASIC_AUTH_KEYS),
        "live.identities.*": (live_props["identities"]["additionalProperties"], live.IDENTITY_KEYS),
        "live endpoint": (endpoint, live.ENDPOINT_KEYS),
        "journey.steps[]": (step, journey.STEP_KEYS),
        "journey.steps[].expect": (expect, journey.EXPECT_KEYS),
        "journey.steps[].expect.json[]": (json_expect, journey.JSON_EXPECT_KEYS),
        "journey.steps[].capture.*": (capture, journey.CAPTURE_KEYS),
        "journey.notify": (props["journey"]["properties"]["notify"], journey.NOTIFY_KEYS),
        "journey.budget": (props["journey"]["properties"]["budget"], journey.BUDGET_KEYS),
    }
    for where, (schema, reader_keys) in pairs.items():
        schema_keys = set(schema["properties"])
        assert schema_keys == set(reader_keys), (
            f"{where}: schema and reader differ on {sorted(schema_keys ^ reader_keys)}"
        )
        assert schema.get("additionalProperties") is False, f"{where}: the reader rejects unknown keys"
