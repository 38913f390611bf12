"""``patch.bodies_matching`` (one search over a commit's patch) finds exactly the files whose
hunks a search of each file's hunks finds: keywords in file names, headers, deleted files and
merges do not count, a keyword in a later file of the same patch does."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.conftest import commit_files

from launchready.config import Config
from launchready.history.gitlog import stream_commits
from launchready.history.logproc import log_command
from launchready.history.occurrences import _KEY_LINE, _find_key_line
from launchready.history.patch import bodies_matching, sections
from launchready.registry import rule_set
from launchready.secrets.engine import Engine


def _git(root: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(root), *args], check=True, capture_output=True)


def _commit(root: Path, files: dict[str, str | None], message: str) -> None:
    for name, text in files.items():
        path = root / name
        if text is None:
            path.unlink()
            _git(root, "rm", "-q", "--", name)
            continue
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
        _git(root, "add", "--", name)
    _git(root, "commit", "-q", "-m", message)


def _repo(root: Path) -> None:
    _git(root, "init", "-q", "-b", "main")
    _git(root, "config", "user.email", "t@example.invalid")
    _git(root, "config", "user.name", "t")
    long_line = "A" * 70
    _commit(
        root,
        {
            "password/token_secret.txt": "nothing here\n",  # keywords only in the file's name
            "a.txt": "plain\n",
            "b.txt": "x = 1\npassword = 'hunter2hunter2'\n",
            "c/api_key.py": "y = 2\n",
            "key.pem": f"{long_line}\n",
        },
        "first",
    )
    _commit(root, {"a.txt": "plain\nmore\n", "b.txt": "x = 1\n", "d.txt": "token = 'abc'\n"}, "second")
    _commit(root, {"password/token_secret.txt": None, "e.txt": "secret_key here\n"}, "delete")
    _git(root, "checkout", "-q", "-b", "side")
    _commit(root, {"a.txt": "side\nmore\n"}, "side")
    _git(root, "checkout", "-q", "main")
    _commit(root, {"a.txt": "main\nmore\n"}, "main")
    subprocess.run(["git", "-C", str(root), "merge", "-q", "side", "-m", "merge"], capture_output=True, check=False)
    (root / "a.txt").write_text("api_key = 'resolved'\nmore\n")
    _git(root, "add", "a.txt")
    _git(root, "commit", "-q", "-m", "merge")


def test_one_search_per_patch_finds_what_a_search_per_file_finds(tmp_path: Path) -> None:
    _repo(tmp_path)
    engine = Engine(rule_set(Config(), tmp_path).rules)
    seen_hits = seen_misses = seen_keys = 0
    for commit in stream_commits(log_command(tmp_path, ["--all"])):
        secs = list(sections(commit.patch))
        assert all(s.at >= 0 and commit.patch[s.at : s.end] == s.body for s in secs if s.body)
        keyed = bodies_matching(commit.patch, secs, engine.find_keyword)
        keys = bodies_matching(commit.patch, secs, _find_key_line)
        # starting where the whole patch's first match is (what the collector does) finds the same
        first_kw, first_key = engine.find_keyword(commit.patch), _find_key_line(commit.patch, 0)
        assert bodies_matching(commit.patch, secs, engine.find_keyword, first_kw) == keyed
        assert bodies_matching(commit.patch, secs, _find_key_line, first_key) == keys
        for sec in secs:
            hit = engine.mentions_keyword(sec.body)
            assert (sec.at in keyed) == hit, (commit.message, sec.header)
            assert (sec.at in keys) == (_KEY_LINE.search(sec.body) is not None), (commit.message, sec.header)
            seen_hits += hit
            seen_misses += not hit
            seen_keys += sec.at in keys
    assert seen_hits >= 4 and seen_misses >= 3 and seen_keys == 1


def test_text_that_is_not_ascii_is_placed_as_scan_places_it(repo: Path) -> None:
    """The keyword lines of files in any script are scanned together, one engine call for
    many files (``İ`` lowers to two characters; the batch keeps every offset): each secret is
    at the line and column ``scan`` gives it, in the file that has it."""
    from launchready.demo.keygen import KeyGen
    from launchready.history import revs
    from launchready.history.scan import scan_history
    from launchready.registry import all_rules

    g = KeyGen(31)
    files = {
        "docs/tr.md": f"# İstanbul İİİ\nİzmir: İ password = '{g.password(18)}' İ\n",
        "app/settings.py": f"API_TOKEN = '{g.chars(32)}'\n",
        "docs/fr.md": f"Clé ünïcödé 😀\n\nsecret_key: « é » '{g.chars(40)}'\ncafé token = '{g.chars(36)}'\n",
        "docs/ja.md": f"パスワード\npassword = '{g.password(20)}'  # 秘密\n",
    }
    commit_files(repo, files, "docs")
    engine = Engine(all_rules(Config()))
    want = sorted(
        (rel, m.rule.id, m.line, m.column, m.end_column) for rel, text in files.items() for m in engine.scan(text, rel)
    )
    assert len(want) >= 4
    result = scan_history(repo, revs.resolve(repo, all_refs=True), engine, jobs=1)
    got = sorted((f.path, f.rule_id, f.line, f.column, f.end_column) for f in result.findings)
    assert got == want


def test_present_at_head_reads_only_the_paths_that_had_the_secret(repo: Path) -> None:
    """HEAD is searched in the files the secret was added to, named literally (glob
    characters, spaces, non-ASCII); the same value elsewhere at HEAD does not count, and a
    list of paths too long for git's command line searches the whole tree, same answers."""
    from launchready.demo.keygen import KeyGen
    from launchready.history import dedup, treegrep
    from launchready.history.revs import head_commit

    g = KeyGen(32)
    kept, moved = g.chars(40), g.chars(40)
    files = {"cfg/[prod] *.env": f"TOKEN={kept}\n", "docs/café notes.md": f"x {moved}\n", "elsewhere.txt": moved}
    commit_files(repo, files, "c")
    head = head_commit(repo)
    where = {kept: ["cfg/[prod] *.env"], moved: ["docs/old.md"], "Zz" + g.chars(30): ["cfg/[prod] *.env"]}
    assert dedup.present_at_head(repo, head, where) == {kept}
    many = [f"dir{i:05d}/" + "p" * 100 for i in range(25_000)]  # 2.7 MB: more than Linux lets argv hold
    texts = treegrep.grep_texts(repo, str(head), [kept, moved], ["cfg/[prod] *.env", *many])
    assert sum(len(p) for p in many) > treegrep.MAX_PATHSPEC_BYTES
    assert kept in texts["cfg/[prod] *.env"]
    assert treegrep.grep_texts(repo, str(head), [kept, moved], ["cfg/[prod] *.env"]) == {"cfg/[prod] *.env": {kept}}


def test_kubernetes_secrets_history_finds_what_scan_finds(repo: Path) -> None:
    """A Secret's ``data:`` values, decoded, are found by history as by ``scan`` in every
    form ``scan`` decodes: bare, double- or single-quoted, a short (6-byte) password, and a
    block scalar (``.dockerconfigjson: |``), each the only value its manifest adds."""
    import base64
    import json

    from launchready.demo.keygen import KeyGen
    from launchready.history import revs
    from launchready.history.scan import scan_history
    from launchready.registry import all_rules
    from launchready.secrets.formats import k8s_secret_matches

    g = KeyGen(33)

    def b64(value: str) -> str:
        return base64.b64encode(value.encode()).decode()

    head = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: {n}\ntype: Opaque\ndata:\n"
    auth = b64(f"deploy:{g.password(20)}")
    cfg = json.dumps({"auths": {"registry.example.test": {"auth": auth}}})
    files = {
        "k8s/bare.yaml": head.format(n="a") + f"  api_token: {b64(g.stripe_secret())}\n",
        "k8s/double.yaml": head.format(n="b") + f'  db_password: "{b64(g.password(20))}"\n',
        "k8s/single.yaml": head.format(n="c") + f"  password: '{b64('Zx9#q2')}'\n",
        "k8s/docker.yaml": head.format(n="d") + f"  .dockerconfigjson: |\n    {b64(cfg)}\n",
    }
    commit_files(repo, files, "k8s")
    engine = Engine(all_rules(Config()))
    want = sorted(
        (rel, m.rule.id, line) for rel, text in files.items() for m, line, _ in k8s_secret_matches(engine, text, rel)
    )
    assert {w[0] for w in want} == set(files)  # scan decodes every one of them
    result = scan_history(repo, revs.resolve(repo, all_refs=True), engine, jobs=1)
    got = sorted((f.path, f.rule_id, f.line) for f in result.findings if f.path.startswith("k8s/"))
    assert [g for g in want if g in got] == want
