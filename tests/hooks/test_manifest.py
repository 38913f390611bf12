"""`.pre-commit-hooks.yaml` is valid for pre-commit and says what docs/hooks.md says."""

from __future__ import annotations

from pathlib import Path

from pre_commit.clientlib import load_manifest

ROOT = Path(__file__).resolve().parents[2]


def test_manifest_is_valid_and_hooks_are_configured_as_documented() -> None:
    hooks = {h["id"]: h for h in load_manifest(str(ROOT / ".pre-commit-hooks.yaml"))}
    assert set(hooks) == {"launchready-secrets", "launchready-env", "launchready-bundle"}
    assert all(h["language"] == "python" for h in hooks.values())
    secrets = hooks["launchready-secrets"]
    assert secrets["entry"] == "launchready scan --hook" and secrets["pass_filenames"] is True
    assert secrets["types"] == ["file"]  # no text filter: binary credential files are passed too
    for hid in ("launchready-env", "launchready-bundle"):
        assert hooks[hid]["always_run"] is True and hooks[hid]["pass_filenames"] is False
    assert hooks["launchready-env"]["entry"] == "launchready scan --env-only --hook"
    assert hooks["launchready-bundle"]["entry"] == "launchready scan --find-bundles"
    assert set(hooks["launchready-bundle"]["stages"]) == {"pre-push", "manual"}
    documented = (ROOT / "docs" / "hooks.md").read_text()
    assert all(hid in documented for hid in hooks)
