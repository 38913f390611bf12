"""Credential files people commit, read by their format (``rules/files.py``) and by name
(``credfiles.py``): each is found in its own file, stays quiet in the template or
environment-reading version of the same file, and is silent outside its file."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from launchready.demo.keygen import KeyGen
from launchready.secrets.credfiles import match_name
from launchready.secrets.engine import Engine
from launchready.secrets.rules import default_rules
from launchready.secrets.rules.files import RULES as FILE_CONTENT_RULES

ENGINE = Engine(default_rules())


def ids(text: str, path: str) -> list[str]:
    return [m.rule.id for m in ENGINE.scan(text, path)]


@pytest.mark.parametrize("rule_id", [r.id for r in FILE_CONTENT_RULES])
def test_each_credential_file_is_found_in_its_own_file(rule_id: str) -> None:
    s = KeyGen(31).sample(rule_id)
    assert ids(s.text, s.path) == [rule_id]


QUIET = [
    # templates and environment-reading versions of the same files
    (
        "wp-config-sample.php",
        "define( 'DB_PASSWORD', 'password_here' );\ndefine( 'AUTH_KEY', 'put your unique phrase here' );\n",
    ),
    ("wp-config.php", "define( 'DB_PASSWORD', getenv('WORDPRESS_DB_PASSWORD') );\n"),
    (
        "config/mongoid.yml",
        "production:\n  clients:\n    default:\n      options:\n        password: <%= ENV['MONGO_PASSWORD'] %>\n",
    ),
    ("config/secrets.yml", 'production:\n  secret_key_base: <%= ENV["SECRET_KEY_BASE"] %>\n'),
    ("mysite/settings.py", "SECRET_KEY = os.environ['DJANGO_SECRET_KEY']\n"),
    ("sftp-config.json", '{\n    "host": "example.com",\n    "password": "password"\n}\n'),
    ("ftp/sitemanager.xml", "<Server><Host>ftp.internal</Host><User>deploy</User></Server>\n"),
    ("db/schema.sql", "INSERT INTO `settings` (`key`, `value`) VALUES ('theme', 'dark');\n"),
    ("etc/passwd", "root:x:0:0:root:/root:/bin/bash\n"),
    ("etc/shadow", "root:*:19000:0:99999:7:::\ndaemon:!:19000:0:99999:7:::\n"),
]


@pytest.mark.parametrize(("path", "text"), QUIET)
def test_templates_and_references_are_quiet(path: str, text: str) -> None:
    assert ids(text, path) == []


def test_file_specific_patterns_stay_in_their_files() -> None:
    for rule in FILE_CONTENT_RULES:
        if rule.paths is None:
            continue
        s = KeyGen(32).sample(rule.id)
        assert rule.id not in ids(s.text, "docs/notes.md"), rule.id


@pytest.mark.parametrize(
    ("path", "rule_id"),
    [
        ("config/master.key", "secret.rails-master-key-file"),
        ("config/credentials/production.key", "secret.rails-master-key-file"),
        ("keys/deploy.ppk", "secret.putty-key-file"),
        ("workspace/General/.dbeaver/credentials-config.json", "secret.dbeaver-credentials-file"),
        ("profile/key4.db", "secret.browser-key-db-file"),
    ],
)
def test_credential_files_by_name(path: str, rule_id: str) -> None:
    rule = match_name(path)
    assert rule is not None and rule.id == rule_id


@pytest.mark.parametrize(
    "path",
    ["src/ssl/server.key", "config/credentials.yml.enc", "dbeaver/credentials-config.json.example", "docs/key4.md"],
)
def test_lookalike_names_are_not_credential_files(path: str) -> None:
    assert match_name(path) is None


def test_scan_reports_a_committed_rails_master_key(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / "config").mkdir()
    (tmp_path / "config" / "master.key").write_text(KeyGen(33).hex(32) + "\n")
    res = run_cli(["scan", "--json", "-"], tmp_path)
    assert res.code == 1 and '"secret.rails-master-key-file"' in res.out


@pytest.mark.timeout(300)
def test_ide_config_under_dot_idea_is_scanned_by_every_command(repo: Path, run_cli: Any) -> None:
    """`.idea/` is an IDE's config, not a dependency or cache: a committed dataSources or
    WebServers file (and a run configuration's environment) is read by the hook, `scan` and
    `history` alike. It was skipped everywhere, so the JetBrains rule could never fire."""
    from .test_one_engine import _commands_agree

    g = KeyGen(77)
    sample = g.sample("secret.jetbrains-datasource-password")
    files = {
        sample.path: sample.text,
        ".idea/workspace.xml": (
            '<project version="4">\n  <component name="RunManager">\n    <configuration name="api">\n'
            f'      <envs>\n        <env name="OPENAI_API_KEY" value="{g.openai_project()}" />\n      </envs>\n'
            "    </configuration>\n  </component>\n</project>\n"
        ),
    }
    _commands_agree(run_cli, repo, files)
    out = repo.parent / "idea.json"
    run_cli(["scan", ".", "-q", "--exit-zero", "--json", str(out)], repo)
    found = {(f["rule_id"], f["path"]) for f in json.loads(out.read_text())["findings"]}
    assert ("secret.jetbrains-datasource-password", ".idea/webServers.xml") in found
    assert ("secret.openai-project-key", ".idea/workspace.xml") in found
