"""The journey: section: the schema, the loader and the example agree; bad input names the key."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from launchready.config import load_config
from launchready.journey.config import SECTION_KEYS, STEP_KEYS, load_journey
from launchready.journey.values import Values, parse_template

ROOT = Path(__file__).resolve().parents[2]
SCHEMA = json.loads((ROOT / "schemas" / "config.schema.json").read_text())
EXAMPLE = ROOT / "docs" / "examples" / "launchready.journey.yml"


def test_schema_matches_the_loader_and_the_example() -> None:
    journey = SCHEMA["properties"]["journey"]
    assert set(journey["properties"]) == SECTION_KEYS
    assert set(journey["properties"]["steps"]["items"]["properties"]) == STEP_KEYS
    validator = jsonschema.Draft202012Validator(SCHEMA)
    doc = yaml.safe_load(EXAMPLE.read_text())
    assert list(validator.iter_errors(doc)) == []
    s = load_journey(load_config(EXAMPLE))
    assert [st.name for st in s.steps] == ["signup", "login", "create-chat", "send-message"]
    assert s.steps[3].stream == "sse" and s.steps[1].expect.latency_ms == 2000
    assert s.webhook_env == "LR_JOURNEY_WEBHOOK" and s.email_domain == "example.com"
    bad = dict(doc)
    bad["journey"] = {**doc["journey"], "steps": [{"name": "x", "path": "/", "expect": {"stauts": 200}}]}
    assert list(validator.iter_errors(bad))


def test_templates_and_generated_values() -> None:
    t = parse_template("Bearer {var: token} {env: HOME_X} {uuid}-{timestamp} {email} {not a placeholder}")
    assert t.placeholders("var") == {"token"} and t.placeholders("env") == {"HOME_X"}
    assert t.placeholders("gen") == {"uuid", "timestamp", "email"}
    assert t.shown() == "Bearer {var: token} {env: HOME_X} {uuid}-{timestamp} {email} {not a placeholder}"
    v = Values(email_domain="example.test", env={"HOME_X": "h-value"}.get)
    v.capture("token", "tok-123456", secret=True)
    out = v.render(t)
    assert out.startswith("Bearer tok-123456 h-value ") and out.endswith(" {not a placeholder}")
    assert v.generated["email"].endswith("@example.test") and v.generated["uuid"] in out
    other = Values(email_domain="example.test")
    assert other.generated["email"] != v.generated["email"] and other.generated["password"] != v.generated["password"]
    assert parse_template({"env": "X"}).placeholders("env") == {"X"}
