"""The files ``launchready init`` writes. Deterministic (no dates, no ports): re-running
``init`` produces the same bytes, so it changes nothing."""

from __future__ import annotations

from launchready import __version__
from launchready.init.detect import Stack

REPO_URL = "https://github.com/launchready/launchready"
ACTION = "launchready/launchready"
# actions/checkout pinned to a commit (v4.2.2), as our own workflow checks recommend.
CHECKOUT = "actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2"
HOOK_IDS = ("launchready-secrets", "launchready-env")


def rev() -> str:
    return f"v{__version__}"


def _detected(stacks: list[Stack]) -> str:
    if not stacks:
        return "# Detected stack: none recognised (Next.js, Vite, CRA, FastAPI, Flask, Django, Express).\n"
    return "# Detected stack: " + ", ".join(s.name + s.where for s in stacks) + ".\n"


def config(stacks: list[Stack], journey: list[str] | None = None) -> str:
    """A commented starter ``.launchready.yml`` (valid as is: only safe defaults are active).

    ``journey``: the commented starter journey lines (``init/journey.py``), before ``live:``.
    """
    backend = next((s for s in stacks if s.kind == "backend"), None)
    frontend = next((s for s in stacks if s.kind == "frontend"), None)
    api_hint = {
        "FastAPI": "/api/chat",
        "Flask": "/api/chat",
        "Django": "/api/chat/",
        "Express": "/api/chat",
    }.get(backend.name if backend else "", "/api/chat")
    lines = [
        "# launchready configuration (written by `launchready init`; edit freely).",
        f"# Reference: {REPO_URL}/blob/main/docs/init.md and docs/live-checks.md",
        _detected(stacks).rstrip("\n"),
        "version: 1",
        "",
        "# The lowest severity that fails a run: critical, high, medium, low or info.",
        "fail_on: high",
        "",
        "# Paths never scanned (globs), e.g. test fixtures that hold fake keys on purpose.",
        "exclude: []",
        "",
        "# Turn rules off by id (`launchready rules list`) or add your own:",
        "# rules:",
        "#   disable: []",
        "#   custom:",
        "#     - id: secret.acme-internal-token",
        "#       regex: 'acme_[a-z0-9]{32}'",
        "#       keywords: [acme_]",
        "",
    ]
    if frontend is not None and frontend.public_prefix:
        built = " ".join(f"--bundle {p}" for p in frontend.build_paths())
        lines += [
            f"# {frontend.name}: every {frontend.public_prefix}* variable ships to the browser; keep API keys",
            "# in server-only variables (the env checks fail on a secret behind that prefix).",
            f"# After a build, check what you ship: launchready scan {built}",
            "",
        ]
    lines += journey or []
    lines += [
        "# Post-deploy checks (`launchready live`, and the workflow's post-deploy job). Uncomment",
        "# and set your deployed URL. Identities come from environment variables, never from",
        "# this file.",
        "# live:",
        "#   targets:",
        "#     - url: https://app.example.com/",
        "#   allowed_origins: [https://app.example.com]",
        "#   identities:",
        "#     a: {token_env: LR_USER_A_TOKEN}  # a test user who owns the resource below",
        "#     b: {token_env: LR_USER_B_TOKEN}  # a second test user",
        "#   authz:",
        "#     resources:",
        f"#       - path: {api_hint.rstrip('/')}s/CHAT-ID-OWNED-BY-A",
        "#   ratelimit:",
        "#     endpoints:",
        f"#       - {{path: {api_hint}, method: POST, body: {{message: hi}}, identity: a, limit: 20}}",
        "#   input:",
        "#     endpoints:",
        f"#       - {{path: {api_hint}, method: POST, body: {{message: hi}}, identity: a}}",
        "#   latency:",
        "#     endpoints: [/]",
        "#   monitoring:",
        "#     health: /health  # must answer a health document, not the app's HTML shell",
        "#   email:",
        "#     domain: example.com",
        "#     dkim_selectors: [google]",
    ]
    return "\n".join(lines) + "\n"


# The hooks as .pre-commit-hooks.yaml defines them (a test keeps the two in step), for a
# `repo: local` block that runs the installed `launchready` (language: system).
LOCAL_HOOKS: tuple[tuple[str, str, str, tuple[str, ...]], ...] = (
    ("launchready-secrets", "launchready secrets", "launchready scan --hook", ()),
    (
        "launchready-env",
        "launchready env files",
        "launchready scan --env-only --hook",
        ("always_run: true", "pass_filenames: false"),
    ),
    (
        "launchready-bundle",
        "launchready build output",
        "launchready scan --find-bundles",
        ("always_run: true", "pass_filenames: false", "stages: [pre-push, manual]"),
    ),
)


def precommit_hooks(stacks: list[Stack], indent: int, local: bool = False) -> str:
    """Our ``- repo:`` block for ``.pre-commit-config.yaml``, its dash at column ``indent``:
    the published release (``repo:`` URL and ``rev:`` tag), or with ``local`` hooks that run
    the ``launchready`` installed here (a checkout or a wheel: no published tag to pin)."""
    d = " " * indent
    if local:
        out = [
            f"{d}# launchready installed from a checkout or a wheel: these hooks run the `launchready`",
            f"{d}# on PATH when you commit (activate its environment first). For the published release",
            f"{d}# use instead: repo: {REPO_URL} with rev: {rev()} (see docs/hooks.md).",
            f"{d}- repo: local",
            f"{d}  hooks:",
        ]
        for hook_id, name, entry, extra in LOCAL_HOOKS:
            out += [
                f"{d}    - id: {hook_id}",
                f"{d}      name: {name}",
                f"{d}      entry: {entry}",
                f"{d}      language: system",
            ]
            out += [f"{d}      {x}" for x in extra]
        return "\n".join(out) + "\n"
    out = [
        f"{d}# the published release of launchready ({rev()})",
        f"{d}- repo: {REPO_URL}",
        f"{d}  rev: {rev()}",
        f"{d}  hooks:",
    ]
    out += [f"{d}    - id: {h}" for h in HOOK_IDS]
    # build output is checked before pushing (`pre-commit install --hook-type pre-push`)
    out.append(f"{d}    - id: launchready-bundle")
    return "\n".join(out) + "\n"


def precommit_file(stacks: list[Stack], local: bool = False) -> str:
    return (
        "# See https://pre-commit.com; install with `pre-commit install` and\n"
        "# `pre-commit install --hook-type pre-push`.\n"
        "repos:\n" + precommit_hooks(stacks, 2, local)
    )


GITIGNORE_BLOCK = (
    "# env files hold secrets (added by `launchready init`); commit .env.example instead\n.env*\n!.env.example\n"
)


def workflow(stacks: list[Stack], default_branch: str) -> str:
    """``.github/workflows/launchready.yml``: PR check, nightly history audit, post-deploy."""
    return f"""\
# launchready: secrets, launch checks and a scorecard (written by `launchready init`).
# {REPO_URL}/blob/main/docs/init.md
name: launchready

on:
  pull_request:
  push:
    branches: [{default_branch}]
  schedule:
    - cron: "27 3 * * *"  # nightly: audit the whole history
  workflow_dispatch:
  deployment_status:  # post-deploy: Vercel, Netlify, Render... report deployments this way

permissions:
  contents: read

jobs:
  pr-check:
    name: launchready (pull request)
    if: github.event_name == 'pull_request' || github.event_name == 'push'
    runs-on: ubuntu-latest
    timeout-minutes: 15
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0  # every commit of the pull request, not just its tip
          persist-credentials: false
      - uses: {ACTION}@{rev()}  # pin to the release's commit SHA in your repo
        with:
          # pull requests: the files, repo checks and the PR's commits; pushes: the new commits
          mode: ${{{{ github.event_name == 'pull_request' && 'all' || 'history' }}}}
          fail_on: high
          strict_suppressions: true  # a pull request cannot silence its own findings

  history-audit:
    name: launchready (history audit)
    if: github.event_name == 'schedule' || github.event_name == 'workflow_dispatch'
    runs-on: ubuntu-latest
    timeout-minutes: 30
    steps:
      - uses: {CHECKOUT}
        with:
          fetch-depth: 0
          persist-credentials: false
      - uses: {ACTION}@{rev()}  # pin to the release's commit SHA in your repo
        with:
          mode: history

  post-deploy:
    name: launchready (live checks)
    if: github.event_name == 'deployment_status' && github.event.deployment_status.state == 'success'
    runs-on: ubuntu-latest
    timeout-minutes: 10
    steps:
      - uses: {CHECKOUT}
        with:
          persist-credentials: false
      - uses: {ACTION}@{rev()}  # pin to the release's commit SHA in your repo
        with:
          mode: live
          url: ${{{{ github.event.deployment_status.environment_url }}}}
"""
