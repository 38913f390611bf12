"""``Engine.path_scoped``: whether a path-scoped rule (``.pgpass``, ``.netrc``, ``wp-config.php``)
applies to a path, asked of all the patterns at once, answers as each pattern asked alone."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from launchready.config import Config
from launchready.model import Severity
from launchready.registry import rule_set
from launchready.secrets.engine import Engine
from launchready.secrets.rule import Rule

PATHS = [
    ".pgpass",
    "home/.pgpass",
    "home/x.pgpass",
    ".netrc",
    "_netrc",
    "a/netrc",
    "config/settings.py",
    "config/settings/production.py",
    "config/settings/a/b.py",
    "mysettings.py",
    "db/dump.SQL",
    "db/dump.sql.txt",
    "db/dump.sql.gz",
    "FileZilla.xml",
    "x/sitemanager.xml",
    ".idea/dataSources.local.xml",
    ".idea/dataSources.xml.bak",
    "wp-config-sample.php",
    "infra/main.tf",
    "infra/main.tf.json",
    "secrets.yml",
    "config/secrets.yaml",
    "secrets.yml\n",  # a line break: Python's $ matches before it
    "settings.py\n",
    "données/.pgpass",
    "README.md",
    "",
]


def _scoped_alone(engine: Engine, path: str) -> bool:
    return any(p.search(path) is not None for p in engine._path_re if p is not None)


@pytest.fixture(scope="module")
def engine() -> Engine:
    return Engine(rule_set(Config(), Path(".")).rules)


@pytest.mark.parametrize("path", PATHS)
def test_the_builtin_rules_answer_as_each_pattern_alone(engine: Engine, path: str) -> None:
    assert engine.path_scoped(path) == _scoped_alone(engine, path)


def test_some_paths_are_scoped_and_some_not(engine: Engine) -> None:
    # the comparison above would pass with no path-scoped rule at all
    assert engine.path_scoped("home/.pgpass") and engine.path_scoped("config/settings.py")
    assert not engine.path_scoped("README.md") and not engine.path_scoped("db/dump.sql.gz")


def test_every_path_of_this_repository(engine: Engine) -> None:
    out = subprocess.run(["git", "ls-files"], capture_output=True, text=True, check=False).stdout.split("\n")
    paths = [p for p in out if p] or PATHS
    assert [engine.path_scoped(p) for p in paths] == [_scoped_alone(engine, p) for p in paths]


def _rule(rule_id: str, paths: str) -> Rule:
    return Rule(rule_id, "d", Severity.HIGH, ("k",), r"k=(\S+)", "fix", paths=paths, source="config")


def test_a_pattern_whose_meaning_differs_in_re2_is_searched_alone() -> None:
    # \w is Unicode in Python's re, ASCII in RE2: such a pattern is not joined with the others
    engine = Engine([_rule("a", r"(?:^|/)\.pgpass$"), _rule("b", r"(?:^|/)\w+\.cfg$")])
    assert engine.path_scoped("etc/dönnées.cfg") == _scoped_alone(engine, "etc/dönnées.cfg")
    assert engine.path_scoped("a/.pgpass") and not engine.path_scoped("a/pgpass.txt")


def test_no_path_scoped_rule() -> None:
    engine = Engine([Rule("a", "d", Severity.HIGH, ("k",), r"k=(\S+)", "fix")])
    assert not engine.path_scoped(".pgpass")
