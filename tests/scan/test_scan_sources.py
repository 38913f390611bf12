"""`launchready scan` over real files and real git repositories: what is read and how it is shown."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tests.conftest import commit_file, git

from launchready.demo.keygen import KeyGen


def _json(res: Any) -> dict[str, Any]:
    return json.loads(res.out)  # type: ignore[no-any-return]


def _ids(data: dict[str, Any]) -> list[tuple[str, str, int | None]]:
    return sorted((f["rule_id"], f["path"], f["line"]) for f in data["findings"])


def _no_leak(res: Any, *secrets: str) -> None:
    for s in secrets:
        for part in (s, s[8:40], s[-20:]):
            assert part not in res.out and part not in res.err


def test_gitignore_governs_in_a_work_tree(repo: Path, run_cli: Any) -> None:
    key = KeyGen(1).openai_project()
    (repo / ".gitignore").write_text("ignored/\n")
    (repo / "ignored").mkdir()
    (repo / "ignored" / "a.py").write_text(f'K = "{key}"\n')
    (repo / "untracked.py").write_text(f'K = "{key}"\n')
    res = run_cli(["scan", "--no-env", "--json", "-"], repo)
    assert res.code == 1
    assert _ids(_json(res)) == [("secret.openai-project-key", "untracked.py", 1)]
    _no_leak(res, key)


def test_outside_git_everything_but_dependency_dirs(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(2).openai_project()
    for d in ("node_modules/pkg", ".venv/lib", "src"):
        (tmp_path / d).mkdir(parents=True)
        (tmp_path / d / "k.js").write_text(f'const k = "{key}";\n')
    res = run_cli(["scan", "--json", "-"], tmp_path)
    assert _ids(_json(res)) == [("secret.openai-project-key", "src/k.js", 1)]
    assert _json(res)["root"] == str(tmp_path)


def test_paths_relative_to_cwd_and_to_root_in_staged_mode(repo: Path, run_cli: Any) -> None:
    key = KeyGen(3).openai_project()
    (repo / "sub" / "deep").mkdir(parents=True)
    (repo / "sub" / "deep" / "x.py").write_text(f'K = "{key}"\n')
    res = run_cli(["scan", "--json", "-", "deep"], repo / "sub")
    assert _ids(_json(res)) == [("secret.openai-project-key", "deep/x.py", 1)]
    git(repo, "add", "sub/deep/x.py")
    res = run_cli(["scan", "--staged", "--json", "-"], repo / "sub")
    data = _json(res)
    assert _ids(data) == [("secret.openai-project-key", "sub/deep/x.py", 1)]
    assert Path(data["root"]).resolve() == repo.resolve()


def test_staged_reads_the_index_not_the_work_tree(repo: Path, run_cli: Any) -> None:
    key = KeyGen(4).openai_project()
    commit_file(repo, "app.py", "print('hi')\n")
    # staged: the key; working tree: the key removed again (partially staged file)
    (repo / "app.py").write_text(f"print('hi')\nK = \"{key}\"\n")
    git(repo, "add", "app.py")
    (repo / "app.py").write_text("print('hi')\n")
    res = run_cli(["scan", "--staged", "--json", "-"], repo)
    assert res.code == 1
    assert _ids(_json(res)) == [("secret.openai-project-key", "app.py", 2)]
    # and the reverse: clean index, dirty work tree -> staged scan is clean
    git(repo, "add", "app.py")
    (repo / "app.py").write_text(f'K = "{key}"\n')
    res = run_cli(["scan", "--staged", "--json", "-"], repo)
    assert res.code == 0 and _json(res)["findings"] == []


def test_hook_mode_staged_else_worktree(repo: Path, run_cli: Any) -> None:
    kg = KeyGen(5)
    k1, k2 = kg.openai_project(), kg.openai_project()
    commit_file(repo, "a.py", "a = 1\n")
    commit_file(repo, "b.py", "b = 1\n")
    (repo / "a.py").write_text(f'A = "{k1}"\n')
    git(repo, "add", "a.py")
    (repo / "a.py").write_text("a = 2\n")  # unstaged change hides the key from the work tree
    (repo / "b.py").write_text(f'\nB = "{k2}"\n')  # not staged: read from the work tree
    res = run_cli(["scan", "--hook", "--json", "-", "a.py", "b.py"], repo)
    assert _ids(_json(res)) == [("secret.openai-project-key", "a.py", 1), ("secret.openai-project-key", "b.py", 2)]
    _no_leak(res, k1, k2)


def test_stdin_path_is_dash(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(6).github_classic()
    res = run_cli(["scan", "--json", "-", "-"], tmp_path, stdin=f"token: {key}\n")
    assert _ids(_json(res)) == [("secret.github-pat-classic", "-", 1)]
    _no_leak(res, key)


def test_config_exclude_globs(repo: Path, run_cli: Any) -> None:
    key = KeyGen(7).openai_project()
    (repo / ".launchready.yml").write_text("version: 1\nexclude:\n  - 'fixtures/'\n  - '*.snap'\n")
    for rel in ("fixtures/x.py", "a/b/test.snap", "src/real.py"):
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(f'K = "{key}"\n')
    res = run_cli(["scan", "--json", "-"], repo)
    assert _ids(_json(res)) == [("secret.openai-project-key", "src/real.py", 1)]


def test_binary_skipped_with_verbose_note(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(8).openai_project()
    (tmp_path / "blob.bin").write_bytes(b"\0\x01" + key.encode() + b"\n")
    res = run_cli(["scan", "-v", "--json", "-"], tmp_path)
    assert res.code == 0 and _json(res)["findings"] == []
    assert "skipped blob.bin: binary" in res.err
    # a file that was not read is listed as skipped, never counted as scanned
    assert _json(res)["summary"]["files_scanned"] == 0
    assert _json(res)["summary"]["files_skipped"] == 1
    assert _json(res)["skipped_files"][0]["path"] == "blob.bin"


def test_credential_files_by_name_even_when_binary(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / "cert.p12").write_bytes(b"\x30\x82\x00\x00binary\0stuff")
    (tmp_path / "release.keystore").write_bytes(b"\xfe\xed\xfe\xed\0\0")
    (tmp_path / "terraform.tfstate").write_text('{"version": 4, "resources": []}\n')
    (tmp_path / ".ssh").mkdir()
    (tmp_path / ".ssh" / "id_ed25519").write_text("not even a key\n")
    (tmp_path / ".ssh" / "id_ed25519.pub").write_text("ssh-ed25519 AAAA\n")
    (tmp_path / "prod.tfvars.example").write_text('password = "changeme"\n')
    res = run_cli(["scan", "--json", "-"], tmp_path)
    data = _json(res)
    assert _ids(data) == [
        ("secret.java-keystore-file", "release.keystore", None),
        ("secret.pkcs12-file", "cert.p12", None),
        ("secret.ssh-key-file", ".ssh/id_ed25519", None),
        ("secret.terraform-state-file", "terraform.tfstate", None),
    ]
    assert res.code == 1
    listed = run_cli(["rules", "list"], tmp_path).out
    for rid in ("secret.pkcs12-file", "env.public-prefix-secret", "build.source-map-shipped"):
        assert rid in listed


def test_credential_file_rule_can_be_disabled(tmp_path: Path, run_cli: Any) -> None:
    (tmp_path / "cert.pfx").write_bytes(b"\0\0")
    (tmp_path / ".launchready.yml").write_text("version: 1\nrules:\n  disable: [secret.pkcs12-file]\n")
    res = run_cli(["scan", "--json", "-"], tmp_path)
    assert res.code == 0, res.out


def test_missing_path_is_usage_error(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli(["scan", "nope"], tmp_path)
    assert res.code == 2 and "no such file or directory: nope" in res.err


def test_staged_outside_git_is_usage_error(tmp_path: Path, run_cli: Any) -> None:
    res = run_cli(["scan", "--staged"], tmp_path)
    assert res.code == 2 and "git work tree" in res.err


def test_gitleaks_config_warnings_go_to_stderr(repo: Path, run_cli: Any) -> None:
    (repo / ".gitleaks.toml").write_text(
        "[extend]\nuseDefault = true\n[[rules]]\nid = 'bad-one'\nregex = '''(?<=x)abc[('''\nkeywords = ['abc']\n"
    )
    (repo / "a.py").write_text("x = 1\n")
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 0
    assert "warning:" in res.err and "bad-one" in res.err
    assert json.loads(res.out)["findings"] == []


def test_fifo_and_symlinks_are_not_read(tmp_path: Path, run_cli: Any) -> None:
    import os

    key = KeyGen(9).openai_project()
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "k.py").write_text(f'K = "{key}"\n')
    proj = tmp_path / "proj"
    proj.mkdir()
    os.mkfifo(proj / "pipe")
    (proj / "link.py").symlink_to(outside / "k.py")
    (proj / "linkdir").symlink_to(outside)
    res = run_cli(["scan", "--json", "-"], proj)
    assert res.code == 0 and json.loads(res.out)["findings"] == []


def test_staged_binary_credential_file_and_exclude(repo: Path, run_cli: Any) -> None:
    (repo / "deploy").mkdir()
    (repo / "deploy" / "upload.jks").write_bytes(b"\xfe\xed\xfe\xed\0\x00\x02")
    (repo / "vendor").mkdir()
    (repo / "vendor" / "id_rsa").write_text("-----BEGIN OPENSSH PRIVATE KEY-----\n")
    git(repo, "add", "deploy/upload.jks", "vendor/id_rsa")
    (repo / ".launchready.yml").write_text("version: 1\nexclude: ['vendor/']\n")
    res = run_cli(["scan", "--staged", "--json", "-"], repo)
    assert _ids(_json(res)) == [("secret.java-keystore-file", "deploy/upload.jks", None)]
    res = run_cli(["scan", "--hook", "--json", "-", "deploy/upload.jks"], repo)
    assert _ids(_json(res)) == [("secret.java-keystore-file", "deploy/upload.jks", None)]


def test_overlapping_paths_read_each_file_once(tmp_path: Path, run_cli: Any) -> None:
    key = KeyGen(10).openai_project()
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "a.py").write_text(f'K = "{key}"\n')
    res = run_cli(["scan", "--json", "-", ".", "src", "src/a.py"], tmp_path)
    data = _json(res)
    assert _ids(data) == [("secret.openai-project-key", "src/a.py", 1)]
    assert data["summary"]["files_scanned"] == 1
