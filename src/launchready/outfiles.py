"""Write report files without following symbolic links.

A repository can commit ``launchready-report`` as a symlink to ``/etc`` or ``../..``; the
Action runs as root in its container, so writing ``launchready-report/report.json`` through
it would write outside the workspace. ``write_text`` walks the destination one directory at
a time with ``O_NOFOLLOW`` (relative to an open directory, so nothing can be swapped in
between the check and the write) and opens the file itself with ``O_NOFOLLOW``. A symbolic
link anywhere below the starting directory (the current directory, or the parent the user
named for an absolute path outside it) stops the run with exit 2 and a message naming it.
"""

from __future__ import annotations

import contextlib
import errno
import os
from pathlib import Path

from launchready.errors import UsageError

_DIR_FLAGS = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0) | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
_FILE_FLAGS = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


class SymlinkRefused(UsageError):
    """An output path goes through a symbolic link."""


def _refuse(what: str, shown: Path) -> SymlinkRefused:
    return SymlinkRefused(
        f"{what}: refusing to write through the symbolic link {shown} (a committed symlink could "
        "point outside the workspace); remove it or choose another output path"
    )


def _split(dest: Path, base: Path) -> tuple[Path, list[str]]:
    """(a directory we trust, the components below it that we create or check)."""
    absolute = dest if dest.is_absolute() else base / dest
    parts = Path(os.path.normpath(absolute))
    try:
        rel = parts.relative_to(base)
    except ValueError:
        # Outside the starting directory: the deepest existing ancestor the user named is
        # trusted as it is; what we create below it is checked like the rest.
        trusted, below = parts.parent, [parts.name]
        while not trusted.exists() and trusted.parent != trusted:
            below.insert(0, trusted.name)
            trusted = trusted.parent
        return trusted, below
    return base, list(rel.parts)


def write_text(dest: str | os.PathLike[str], content: str, what: str = "output", base: Path | None = None) -> None:
    """Write ``content`` (UTF-8) to ``dest``, creating directories, never through a symlink.

    ``base`` (default: the current directory) is where the checking starts: every component
    of ``dest`` below it must be a real directory (or not exist yet) and the file itself not
    a symlink. ``what`` names the output in the error (``--json``, ``input json_path``)."""
    start = (base or Path.cwd()).absolute()
    trusted, parts = _split(Path(dest), start)
    if not parts or parts[-1] in ("", ".", ".."):
        raise UsageError(f"{what}: {dest} is not a file path")
    data = content.encode("utf-8")
    fd = os.open(trusted, _DIR_FLAGS)
    try:
        here = trusted
        for name in parts[:-1]:
            here = here / name
            if name == "..":
                raise UsageError(f"{what}: {dest} leaves the directory it is written under")
            try:
                nxt = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except FileNotFoundError:
                os.mkdir(name, 0o777, dir_fd=fd)
                nxt = os.open(name, _DIR_FLAGS, dir_fd=fd)
            except OSError as exc:
                if exc.errno in (errno.ELOOP, errno.ENOTDIR) and os.path.islink(here):
                    raise _refuse(what, here) from None
                raise UsageError(f"{what}: cannot create {here}: {exc.strerror}") from None
            os.close(fd)
            fd = nxt
        target = here / parts[-1]
        try:
            out = os.open(parts[-1], _FILE_FLAGS, 0o666, dir_fd=fd)
        except OSError as exc:
            if exc.errno == errno.ELOOP or os.path.islink(target):
                raise _refuse(what, target) from None
            raise UsageError(f"{what}: cannot write {target}: {exc.strerror}") from None
        with os.fdopen(out, "wb") as fh:
            fh.write(data)
    finally:
        os.close(fd)


def replace_text(path: Path, content: str, what: str, hint: str) -> None:
    """Write ``content`` to ``path`` through ``<path>.tmp`` renamed over it: a run killed
    midway leaves the old file whole. A symlink at ``path`` is replaced itself (the rename
    never follows it); the temporary file is never written through one (``write_text``).

    A path that exists as something other than a file or a symlink (``/dev/null``, a pipe,
    a directory) is refused with ``"<what>: <path> is not a regular file; <hint>"``: the
    rename would replace it (a device node, when run as root in a container). Callers that
    take the path from the user check it up front the same way (``refuse_unreplaceable``)."""
    refuse_unreplaceable(path, what, hint)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    try:
        write_text(tmp, content, what, path.parent.absolute())
        os.replace(tmp, path)
    except BaseException:
        if tmp.is_file() and not tmp.is_symlink():  # ours, half written: never a link or a directory
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise


def refuse_unreplaceable(path: Path, what: str, hint: str) -> None:
    """Raise ``UsageError`` if ``path`` exists and is neither a file nor a symlink (see
    ``replace_text``)."""
    if os.path.lexists(path) and not path.is_symlink() and not path.is_file():
        raise UsageError(f"{what}: {path} is not a regular file; {hint}")
