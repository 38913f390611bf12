"""No output format leaks a secret: text (also -v), JSON, SARIF, JUnit, GitHub annotations,
the job summary, HTML, for `scan` and `history`, and the traceback of an internal error.

Secrets are generated at run time (KeyGen) and planted in a real git repository; the real
CLI writes every format; each output is searched for the raw value and for every long
substring of it (beyond the public prefix the contract allows to stay visible).
"""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterable
from pathlib import Path

import pytest

from launchready.demo.keygen import KeyGen

TOKEN_NGRAM = 12  # no 12 characters of a token may survive (prefixes such as sk-proj- are shorter)
PASSWORD_NGRAM = 6  # password-like values show no characters at all


def git(repo: Path, *args: str) -> str:
    return subprocess.run(["git", "-C", str(repo), *args], check=True, capture_output=True, text=True).stdout


def commit_file(repo: Path, rel: str, content: str, message: str) -> None:
    (repo / rel).write_text(content)
    git(repo, "add", rel)
    git(repo, "commit", "-q", "-m", message)


def _secrets() -> dict[str, tuple[str, int]]:
    """name -> (secret value, n-gram length that must never appear)."""
    k = KeyGen(20261129)
    pem = k.pem_private_key()
    pem_body = "".join(line for line in pem.splitlines() if line and not line.startswith("-----"))
    out = {
        "openai": (k.openai_project(), TOKEN_NGRAM),
        "anthropic": (k.anthropic(), TOKEN_NGRAM),
        "github": (k.github_classic(), TOKEN_NGRAM),
        "github_fg": (k.github_fine_grained(), TOKEN_NGRAM),
        "stripe": (k.stripe_secret(), TOKEN_NGRAM),
        "slack": (k.slack_bot(), TOKEN_NGRAM),
        "sendgrid": (k.sendgrid(), TOKEN_NGRAM),
        "huggingface": (k.huggingface(), TOKEN_NGRAM),
        "aws_id": (k.aws_key_id(), TOKEN_NGRAM),
        "aws_secret": (k.aws_secret(), TOKEN_NGRAM),
        "supabase": (k.supabase_service_role(), TOKEN_NGRAM),
        "db_password": (k.password(18), PASSWORD_NGRAM),
        "smtp_password": (k.password(20), PASSWORD_NGRAM),
        "pem_body": (pem_body, TOKEN_NGRAM),
        "history_only": (k.openai_project(), TOKEN_NGRAM),
    }
    out["_pem"] = (pem, 0)  # written to disk whole; checked through pem_body
    return out


def _leaks(text: str, secrets: dict[str, tuple[str, int]]) -> list[str]:
    found = []
    for name, (value, n) in secrets.items():
        if n == 0:
            continue
        if value in text:
            found.append(f"{name}: the whole value")
            continue
        start = _public_prefix_len(value) if n == TOKEN_NGRAM else 0
        for i in range(start, len(value) - n + 1):
            if value[i : i + n] in text:
                found.append(f"{name}: {n} characters at offset {i}")
                break
    return found


def _public_prefix_len(value: str) -> int:
    # The contract lets tokens keep their public prefix (sk-proj-, ghp_, github_pat_, xoxb-).
    for prefix in (
        "github_pat_",
        "sk-proj-",
        "sk-ant-api03-",
        "sk_live_",
        "xoxb-",
        "ghp_",
        "hf_",
        "SG.",
    ):
        if value.startswith(prefix):
            return len(prefix)
    return 0


def _plant(repo: Path, s: dict[str, tuple[str, int]]) -> None:
    # One value per line, in the files where people really paste them.
    gone = s["history_only"][0]
    commit_file(repo, "old_settings.py", f'OPENAI_API_KEY = "{gone}"\n', "add settings")
    git(repo, "rm", "-q", "old_settings.py")
    git(repo, "commit", "-q", "-m", "remove settings")
    (repo / "config.py").write_text(
        "\n".join(
            [
                f'OPENAI_API_KEY = "{s["openai"][0]}"',
                f'ANTHROPIC_API_KEY = "{s["anthropic"][0]}"',
                f'GITHUB_TOKEN = "{s["github"][0]}"',
                f'GH_FINE = "{s["github_fg"][0]}"',
                f'STRIPE_SECRET_KEY = "{s["stripe"][0]}"',
                f'SLACK_BOT_TOKEN = "{s["slack"][0]}"',
                f'SENDGRID_API_KEY = "{s["sendgrid"][0]}"',
                f'HF_TOKEN = "{s["huggingface"][0]}"',
                f'AWS_ACCESS_KEY_ID = "{s["aws_id"][0]}"',
                f'AWS_SECRET_ACCESS_KEY = "{s["aws_secret"][0]}"',
                f'SUPABASE_SERVICE_ROLE_KEY = "{s["supabase"][0]}"',
                f'DATABASE_URL = "postgres://app:{s["db_password"][0]}@db.example.test:5432/app"',
            ]
        )
        + "\n"
    )
    (repo / ".env").write_text(f"SMTP_PASSWORD={s['smtp_password'][0]}\n")
    (repo / "deploy_key.pem").write_text(s["_pem"][0] + "\n")
    git(repo, "add", "config.py", "deploy_key.pem")
    git(repo, "commit", "-q", "-m", "config")


def _outputs(paths: Iterable[Path]) -> dict[str, str]:
    return {p.name: p.read_text(encoding="utf-8") for p in paths}


def test_no_format_leaks_a_secret(repo: Path, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    s = _secrets()
    _plant(repo, s)
    out = tmp_path / "out"
    texts: dict[str, str] = {}
    for cmd in ("scan", "history"):
        files = [out / f"{cmd}.json", out / f"{cmd}.sarif", out / f"{cmd}.xml", out / f"{cmd}.html"]
        res = run_cli(
            [cmd, "--json", str(files[0]), "--sarif", str(files[1]), "--junit", str(files[2]), "--html", str(files[3])],
            repo,
        )
        assert res.code == 1, res.err
        texts.update(_outputs(files))
        texts[f"{cmd} text"] = res.out + res.err
        verbose = run_cli([cmd, "-vv"], repo)
        texts[f"{cmd} -vv"] = verbose.out + verbose.err
        gh = run_cli([cmd, "--github"], repo)
        texts[f"{cmd} --github"] = gh.out + gh.err

    # The job summary and outputs the Action writes, from the same report.
    from launchready.model import Finding, Report, Severity
    from launchready.report import Options
    from launchready.report.github import format_outputs, step_summary

    data = json.loads(texts["scan.json"])
    report = Report(command="scan", root=data["root"])
    for f in data["findings"]:
        report.findings.append(
            Finding(
                rule_id=f["rule_id"],
                severity=Severity(f["severity"]),
                path=f["path"],
                message=f["message"],
                fix=f["fix"],
                fingerprint=f["fingerprint"],
                line=f["line"],
                column=f["column"],
                secret=f["secret"],
            )
        )
    texts["summary"] = step_summary(report, Options(), [f"{len(report.findings)} findings"])
    texts["outputs"] = format_outputs({"findings": len(report.findings)})

    # Not vacuous: the planted secrets were found, and the history-only one too.
    scan = json.loads(texts["scan.json"])
    rules = {f["rule_id"] for f in scan["findings"]}
    assert len(scan["findings"]) >= 10, rules
    assert any(r.startswith("secret.openai") for r in rules)
    assert any("private-key" in r for r in rules), rules
    history = json.loads(texts["history.json"])
    assert any(f["present_at_head"] is False for f in history["findings"]), history["findings"]
    sarif = json.loads(texts["scan.sarif"])
    assert len(sarif["runs"][0]["results"]) == len(scan["findings"])

    problems = {name: _leaks(text, s) for name, text in texts.items()}
    assert {k: v for k, v in problems.items() if v} == {}


def test_internal_error_traceback_is_scrubbed(
    repo: Path,
    run_cli,
    monkeypatch: pytest.MonkeyPatch,  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.delenv("LAUNCHREADY_RAISE", raising=False)
    key = KeyGen(99).stripe_secret()
    (repo / "pay.py").write_text(f'STRIPE_SECRET_KEY = "{key}"\n')

    import launchready.report.json_report as json_report
    from launchready.model import Report
    from launchready.report import Options

    def exploding(report: Report, options: Options) -> str:
        raise RuntimeError(f"writer failed on value {key} in {report.findings[0].path}")

    monkeypatch.setattr(json_report, "render", exploding)
    res = run_cli(["scan", "--json", "-"], repo)
    assert res.code == 3
    assert "internal error" in res.err and "RuntimeError: writer failed on value" in res.err
    assert "Traceback" in res.err
    assert key not in res.err and key not in res.out
    assert not _leaks(res.err + res.out, {"stripe": (key, TOKEN_NGRAM)})
    assert "[redacted #" in res.err
