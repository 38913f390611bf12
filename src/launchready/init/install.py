"""How this launchready was installed, so ``init`` writes hooks that work for it.

- ``checkout``: ``pip install .`` / ``pip install -e .`` from a source tree, or run from one;
- ``wheel``: ``pip install launchready-X.whl`` (a built wheel or sdist file);
- ``release``: the published release (a package index, or the GitHub tag ``vX.Y.Z``).

Read from the installer's own record, PEP 610's ``direct_url.json`` (pip writes it for
every install that did not come from an index), never guessed from paths alone.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import metadata

from launchready import __version__

PUBLISHED_REPO = "https://github.com/launchready/launchready"


@dataclass(frozen=True)
class Install:
    kind: str  # "checkout", "wheel" or "release"
    why: str  # for humans: what told us

    @property
    def local(self) -> bool:
        """Hooks must run this installed ``launchready`` (``repo: local``), not a published tag."""
        return self.kind != "release"


def _published(url: str) -> bool:
    return url.rstrip("/").removesuffix(".git").removeprefix("git+") == PUBLISHED_REPO


def detect_install() -> Install:
    try:
        dist = metadata.distribution("launchready")
    except metadata.PackageNotFoundError:  # run from a source tree (PYTHONPATH=src)
        return Install("checkout", "launchready runs from a source tree, not installed")
    raw = dist.read_text("direct_url.json")
    if not raw and dist.read_text("INSTALLER") is None:
        # Metadata no installer wrote: the egg-info a build leaves in a source tree, found
        # because that tree is on sys.path (PYTHONPATH=src, or a tool that put it first).
        return Install("checkout", "launchready runs from a source tree, not installed")
    if not raw:
        return Install("release", "installed from a package index")
    try:
        direct = json.loads(raw)
    except ValueError:
        return Install("wheel", "installed from a local file")
    url = str(direct.get("url", ""))
    if "dir_info" in direct:
        editable = bool(direct["dir_info"].get("editable"))
        return Install("checkout", f"installed from a checkout{' (editable)' if editable else ''}")
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict):
        if _published(url) and vcs.get("requested_revision") == f"v{__version__}":
            return Install("release", f"installed from the published release tag v{__version__}")
        return Install("checkout", "installed from a git repository at a commit or branch")
    return Install("wheel", "installed from a built wheel or sdist file")
