"""One catalogue of every rule and check: every area contributes, `rules list|explain` show
all of it, and a typo in `rules.disable` is a config error naming the line."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

from launchready import catalogue, live
from launchready.email import checks
from launchready.live.runner import AREAS

SRC = Path(__file__).resolve().parents[2] / "src" / "launchready"


def test_every_live_module_with_checks_is_an_area() -> None:
    """A live module with IDS that is not in AREAS would never run nor be listed."""
    with_ids = set()
    for info in pkgutil.iter_modules(live.__path__):
        module = importlib.import_module(f"launchready.live.{info.name}")
        if hasattr(module, "IDS"):
            with_ids.add(module)
    assert with_ids == set(AREAS)


def test_every_email_check_id_reported_is_catalogued() -> None:
    ids = {e.id for e in catalogue.builtin() if e.kind == "email"}
    for path in (SRC / "email").glob("*.py"):
        for found in re.findall(r'"(email\.[a-z-]+\.[a-z.-]+)"', path.read_text()):
            assert found in ids, f"{path.name}: {found} is reported but not in the catalogue"
    assert {m.__name__.rsplit(".", 1)[1] for m in catalogue.email_areas()} == {"spf", "dkim", "dmarc", "mx", "mtasts"}
    assert set(checks.AREAS) == {i.rsplit(".", 1)[0] for i in ids}


def test_ids_are_unique_and_described() -> None:
    entries = catalogue.builtin()
    ids = [e.id for e in entries]
    assert len(ids) == len(set(ids))
    assert all(e.description for e in entries)
    assert all(e.fix for e in entries if e.kind in ("secret", "env", "build", "repo", "live", "inventory"))


def test_rules_list_shows_every_kind(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["rules", "list"], tmp_path)
    assert res.code == 0
    ids = {line.split()[0] for line in res.out.splitlines()}
    for prefix in (
        "secret.",
        "env.",
        "build.",
        "repo.",
        "tls.",
        "headers.",
        "cors.",
        "exposure.",
        "email.spf.",
        "email.dmarc.",
    ):
        assert any(i.startswith(prefix) for i in ids), prefix
    for one in (
        "history.objects",
        "audit.scanned",
        "env.missing-in-production",
        "env.defined-unused",
        "journey.<step>",
        "bundle.secret",
    ):
        assert one in ids
    assert len(ids) == len(catalogue.builtin())


@pytest.mark.parametrize(
    ("rule_id", "expected"),
    [
        ("tls.expiry", "Renew the certificate"),
        ("email.dmarc.policy", "p=none only monitors"),
        ("history.objects", "damaged or partial clone"),
        ("journey.checkout", "user journey"),
        ("env.defined-unused", "no code or config reads"),
        ("secret.http-url-password", "history:  reads lines matching"),
        ("secret.facebook-app-token", "history:  reads a file's added lines whole where"),
    ],
)
def test_rules_explain_every_kind(rule_id: str, expected: str, run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    res = run_cli(["rules", "explain", rule_id], tmp_path)
    assert res.code == 0, res.err
    assert expected in res.out


def test_sarif_rule_metadata_comes_from_the_catalogue() -> None:
    from launchready.report.common import _known_rules

    known = _known_rules()
    assert {"secret.aws-access-key-id", "env.file-not-ignored", "build.source-map-shipped"} <= set(known)
    assert any(i.startswith("repo.") for i in known) and "env.missing-in-production" in known


def _config(tmp_path: Path, *ids: str) -> None:
    lines = ["version: 1", "rules:", "  disable:"] + [f"    - {i}" for i in ids]
    (tmp_path / ".launchready.yml").write_text("\n".join(lines) + "\n")


def test_a_typo_in_rules_disable_is_a_config_error_naming_the_line(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _config(tmp_path, "secret.aws-access-key-id", "tls.expiry", "secret.stripe-secret-kye")
    res = run_cli(["scan", "."], tmp_path)
    assert res.code == 2
    assert ".launchready.yml:6: rules.disable.2: unknown rule id 'secret.stripe-secret-kye'" in res.err
    assert "did you mean" in res.err


def test_rules_disable_accepts_every_kind_of_id(run_cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / ".launchready.yml").write_text(
        "version: 1\nrules:\n  disable: [aws-access-key-id, secret.private-key, env.file-not-ignored, build.source-map-shipped,"
        " repo.debug-django, tls.expiry, email.spf.all, history.objects, my-token]\n"
        "  custom:\n    - id: my-token\n      regex: 'mytok_[a-z0-9]{20}'\n"
    )
    res = run_cli(["rules", "list"], tmp_path)
    assert res.code == 0, res.err
    ids = {line.split()[0] for line in res.out.splitlines()}
    assert not ids & {
        "secret.aws-access-key-id",
        "secret.private-key",
        "tls.expiry",
        "email.spf.all",
        "secret.my-token",
    }


def test_docs_checks_md_is_current() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "checks.md"
    assert doc.read_text() == catalogue.render_markdown(), (
        "regenerate: python -m launchready.catalogue > docs/checks.md"
    )


def test_disabling_secret_and_file_checks_loads_no_live_or_email_code(tmp_path: Path) -> None:
    """Checking `rules.disable` ids must not import the whole catalogue when every id is a
    secret rule or a file check: that cost ~0.3 s on every hook run and history scan."""
    import subprocess
    import sys

    _config(
        tmp_path, "secret.aws-access-key-id", "env.file-not-ignored", "build.source-map-shipped", "secret.ssh-key-file"
    )
    probe = (
        "import sys; from launchready.config import load_config; "
        f"cfg = load_config({str(tmp_path / '.launchready.yml')!r}); "
        "print(sorted(cfg.disabled_rules)); "
        "print([m for m in sys.modules if m.startswith(('launchready.live', 'launchready.email', 'dns', 'requests'))])"
    )
    out = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True).stdout.splitlines()
    assert "env.file-not-ignored" in out[0] and "secret.ssh-key-file" in out[0]
    assert out[1] == "[]"
