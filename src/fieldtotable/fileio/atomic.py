"""Writing files and folders of files all-or-nothing.

:func:`write_atomic` writes a file to a temporary sibling, flushes it to disk
(``fsync``) and moves it into place with :func:`os.replace`: the file is then either
its old self or complete, never half-written, even when the disk fills up or the
process is killed. :class:`StagedFolder` does the same for a folder of files (an
export): the files are written into a staging folder, flushed, and moved into place
only when every one is written; on any failure the staging folder, and any folder
made for it, is removed.

Temporary files and folders are created with the permissions the user's umask
gives (``0o666`` / ``0o777`` masked), as a plain ``open`` would, so that what is
published is readable as any file the user writes.
"""

from __future__ import annotations

import contextlib
import errno
import os
import secrets
import shutil
import stat
from pathlib import Path
from types import TracebackType

from fieldtotable.fileio.reading import NotRegularFileError

__all__ = ["StagedFolder", "check_writable_target", "write_atomic"]

_TRIES = 100


def check_writable_target(path: str | os.PathLike[str]) -> None:
    """Refuse to replace anything but a regular file (or nothing).

    Parameters
    ----------
    path
        Where a file is about to be written; a symbolic link is followed.

    Raises
    ------
    NotRegularFileError
        If ``path`` exists and is a folder, a device, a named pipe or a socket:
        replacing ``/dev/null`` with a file, or writing into a pipe nobody reads,
        is never what was meant.
    """
    try:
        found = os.stat(path)
    except FileNotFoundError:
        return
    if not stat.S_ISREG(found.st_mode):
        raise NotRegularFileError(path, found.st_mode)


def _fsync_folder(folder: Path) -> None:
    """Flush a folder's entries (a rename in it) to disk, where the platform can."""
    try:
        descriptor = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:  # pragma: no cover - Windows cannot open folders
        return
    try:
        with contextlib.suppress(OSError):
            os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_file(path: Path) -> None:
    """Flush a closed file's data to disk (a late "disk full" shows here)."""
    descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _temporary_name(folder: Path, stem: str) -> Path:
    return folder / f".{stem}.{secrets.token_hex(4)}.tmp"


def write_atomic(path: str | os.PathLike[str], data: str | bytes, *, own: bool = False) -> Path:
    """Write ``data`` to ``path`` so that the file is complete or unchanged, never partial.

    Parameters
    ----------
    path
        The file; its folder must exist. A symbolic link is followed (the file it
        names is replaced, the link stays).
    data
        Text (written as UTF-8) or bytes.
    own
        ``path`` is a file of the caller's own layout (a run store's record), not one
        a user named: whatever entry is there (a symbolic link, a named pipe) is
        replaced by the file, not followed or refused; only a folder is refused.

    Returns
    -------
    Path
        The path written (as given).

    Raises
    ------
    NotRegularFileError
        If ``path`` is a folder, a device, a named pipe or a socket (with ``own``,
        only a folder is refused, by :func:`os.replace`).
    OSError
        If the file cannot be written (disk full, permission, missing folder); the
        temporary file is removed and ``path`` is left as it was.
    """
    if own:
        target = Path(path)
    else:
        target = Path(os.path.realpath(path))
        check_writable_target(target)
    payload = data.encode("utf-8") if isinstance(data, str) else data
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    flags |= getattr(os, "O_BINARY", 0)
    for _ in range(_TRIES):
        temporary = _temporary_name(target.parent, target.name)
        try:
            descriptor = os.open(temporary, flags, 0o666)
        except FileExistsError:  # pragma: no cover - 32 random bits collided
            continue
        break
    else:  # pragma: no cover
        raise FileExistsError(errno.EEXIST, "no free temporary name", str(target.parent))
    try:
        with os.fdopen(descriptor, "wb") as stream:
            stream.write(payload)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    _fsync_folder(target.parent)
    return Path(path)


class StagedFolder:
    """A folder of files written all-or-nothing; use as a context manager.

    ``with StagedFolder("out") as staging:`` gives a new, empty staging folder to
    write the files into (flat: files only). When the block ends without an
    exception, every file is flushed to disk and moved into ``out``: if ``out`` did
    not exist, the staging folder is renamed to it in one step; if it did, each file
    replaces the one of the same name there (other files in ``out`` stay). When the
    block raises (a full disk), the staging folder is removed with everything in it,
    and so are the folders made to hold it; ``out`` is left as it was.

    Parameters
    ----------
    target
        The folder the files are for; created (with its parents) if missing.

    Raises
    ------
    NotADirectoryError
        On entering, if ``target`` exists and is not a folder.
    OSError
        On entering, if the staging folder cannot be made; on leaving, if the
        files cannot be flushed or moved (everything staged is then removed).
    """

    def __init__(self, target: str | os.PathLike[str]) -> None:
        self.target = Path(target)
        self._staging: Path | None = None
        self._made: list[Path] = []
        self._into_existing = False

    def __enter__(self) -> Path:
        target = self.target
        if target.is_dir():
            self._into_existing = True
            parent = target
        elif os.path.lexists(target):
            raise NotADirectoryError(errno.ENOTDIR, "exists and is not a folder", str(target))
        else:
            parent = target.parent
            self._make_parents(parent)
        try:
            self._staging = self._make_staging(parent)
        except BaseException:
            self._remove_made()
            raise
        return self._staging

    def _make_parents(self, folder: Path) -> None:
        missing: list[Path] = []
        while not folder.exists() and folder != folder.parent:
            missing.append(folder)
            folder = folder.parent
        try:
            for path in reversed(missing):
                path.mkdir()
                self._made.append(path)
        except BaseException:
            self._remove_made()
            raise

    def _make_staging(self, parent: Path) -> Path:
        stem = "staging" if self._into_existing else self.target.name
        for _ in range(_TRIES):
            staging = _temporary_name(parent, stem)
            try:
                staging.mkdir(0o777)
            except FileExistsError:  # pragma: no cover - 32 random bits collided
                continue
            return staging
        raise FileExistsError(  # pragma: no cover
            errno.EEXIST, "no free temporary name", str(parent)
        )

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        staging = self._staging
        if staging is None:  # pragma: no cover - __enter__ failed
            return
        try:
            if kind is None:
                self._publish(staging)
        except BaseException:
            self._discard(staging)
            raise
        if kind is not None:
            self._discard(staging)

    def _publish(self, staging: Path) -> None:
        files = sorted(staging.iterdir())
        for file in files:
            _fsync_file(file)
        _fsync_folder(staging)
        if not self._into_existing:
            os.rename(staging, self.target)
            _fsync_folder(self.target.parent)
            return
        for file in files:  # check first, so that nothing is half-moved
            check_writable_target(self.target / file.name)
        for file in files:
            os.replace(file, self.target / file.name)
        staging.rmdir()
        _fsync_folder(self.target)

    def _discard(self, staging: Path) -> None:
        shutil.rmtree(staging, ignore_errors=True)
        self._remove_made()

    def _remove_made(self) -> None:
        for folder in reversed(self._made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        self._made.clear()
