"""History leaves out a keyword line it already scanned without a match (a history adds the
same lines again and again), and only a line whose matches depend on its bytes alone: never
one that belongs to a longer logical line, never one that held a match. Real repositories,
the real ``history`` command and the real collector."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from tests.conftest import commit_file, commit_files

from launchready.config import Config
from launchready.demo.keygen import KeyGen
from launchready.history.gitlog import stream_commits
from launchready.history.ignore import GitleaksIgnore
from launchready.history.logproc import log_command
from launchready.history.occurrences import Collector
from launchready.registry import rule_set
from launchready.secrets.engine import Engine

pytestmark = pytest.mark.timeout(120)


def _findings(run_cli, repo: Path) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    out = repo.parent / "report.json"
    run_cli(["history", "-q", "--all", "--jobs", "1", "--json", str(out)], repo)
    findings: list[dict[str, object]] = json.loads(out.read_text())["findings"]
    return findings


def _filler(repo: Path, n: int) -> None:
    """A commit of more (clean, new) keyword lines than a batch holds: what was read before it
    has been scanned, and its clean lines remembered, when the next commit is read."""
    commit_file(repo, f"filler{n}.py", "".join(f"token_{n}_{i} = get_token({i})\n" for i in range(1200)), "filler")


def test_a_line_seen_clean_alone_is_scanned_again_as_part_of_a_command(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """``-u user:password`` alone is no credential (nothing says it is curl's); the same line
    continuing a ``curl ... \\`` is. Seen clean first, it must still be read with its command."""
    pw = KeyGen(11).chars(20)
    option = f'  -u "deploy:{pw}"  # the token from the vault'
    # oldest first: one process scans the newest commits first (``--jobs 1``)
    commit_file(repo, "deploy.sh", f"curl -sS https://search.internal:9200/_bulk \\\n{option}\n", "the command")
    _filler(repo, 1)
    commit_file(repo, "notes.md", f"{option}\n", "the option alone")
    found = [f for f in _findings(run_cli, repo) if f["rule_id"] == "secret.curl-credential"]
    assert [(f["path"], f["line"]) for f in found] == [("deploy.sh", 2)]


def test_a_line_with_a_secret_is_found_every_time_it_is_added(repo: Path, run_cli) -> None:  # type: ignore[no-untyped-def]
    """Only lines that held no match are remembered: a secret line added again is counted
    each time (occurrences), in every file it was added to."""
    key = KeyGen(12).stripe_secret()
    line = f'STRIPE_KEY = "{key}"\n'
    commit_file(repo, "a.py", "token = get_token()\n" + line, "one")
    _filler(repo, 1)
    commit_file(repo, "b.py", "token = get_token()\n" + line, "two")
    _filler(repo, 2)
    commit_files(repo, {"c.py": line, "d.py": "token = get_token()\n" + line}, "three")
    [f] = [f for f in _findings(run_cli, repo) if f["rule_id"] == "secret.stripe-secret-key"]
    assert f["occurrences"] == 4 and f["path"] == "a.py"


def _collector(repo: Path) -> tuple[Collector, Engine]:
    engine = Engine(rule_set(Config(), repo).rules)
    return Collector(engine, GitleaksIgnore(), (), 0, repo), engine


def test_keyword_lines_scanned_clean_are_left_out_the_next_time(repo: Path) -> None:
    """The same clean keyword lines added in a later commit queue nothing; a new line among
    them is queued alone; a line that ends in ``\\`` or ``>`` (its logical line may go on) is
    never left out."""
    clean = "token = get_token()\napi_key = settings.API_KEY\n"
    commit_file(repo, "a.py", clean, "one")
    commit_file(repo, "b.py", clean, "two")
    commit_file(repo, "c.py", clean + "password = read_password()\n", "three")
    commit_file(repo, "d.sh", "token=$(cat token.txt) \\\n", "four")
    commit_file(repo, "e.sh", "token=$(cat token.txt) \\\n", "five")
    commits = list(stream_commits(log_command(repo, ["HEAD"], extra=["--reverse"])))
    collector, _ = _collector(repo)
    queued: list[bytes] = []
    for commit in commits:
        collector.add_commit(commit)
        queued.append(b"|".join(p.text for p in collector._batch))
        collector._flush()
    one, two, three, four, five = queued
    assert one == b"token = get_token()\napi_key = settings.API_KEY"
    assert two == b""
    assert three == b"password = read_password()"
    assert four == five == b"token=$(cat token.txt) \\"
    assert collector.finish().records == {}


@pytest.mark.parametrize("names", [("a.key", "c.key"), ("c.key", "a.key")])
def test_a_key_added_to_two_files_of_one_commit_counts_twice(repo: Path, run_cli, names: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    """One commit writes the same new key into a new file and over the body of an old key
    (its diff shows no BEGIN line: the file is read again whole), with a file of more keyword
    lines than a batch holds between the two. Both are sightings, in whichever order the two
    files are scanned."""
    whole, body_only = names
    old = KeyGen(13).pem_private_key()
    new = KeyGen(14).pem_private_key()
    commit_file(repo, body_only, old + "\n", "the old key")
    filler = "".join(f"token_{i} = get_token({i})\n" for i in range(1200))
    commit_files(repo, {whole: new + "\n", "b.py": filler, body_only: new + "\n"}, "the new key, twice")
    [f] = [f for f in _findings(run_cli, repo) if f["rule_id"] == "secret.private-key" and f["present_at_head"]]
    assert f["occurrences"] == 2
