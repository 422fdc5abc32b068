"""Reading only regular files, and only so many bytes of them.

A path a user names may be a device (``/dev/zero`` reads without end), a named pipe
(opening it blocks until a writer comes), a socket or a folder; the size the file
system reports for them (``st_size``) is 0, so a size check alone lets them through.
:func:`open_regular_file` refuses anything that is not a regular file after symbolic
links are followed: it looks before opening (so that opening cannot block or have
the side effects some devices have), opens with ``O_NONBLOCK`` (so that a file
swapped for a pipe in between cannot block the open) and checks again the file it
actually opened (``fstat``), so that no swap between the look and the open gets
through. :func:`read_regular_file` then reads at most ``max_bytes + 1`` bytes,
whatever the size said.
"""

from __future__ import annotations

import errno
import os
import stat
from typing import BinaryIO

__all__ = [
    "FileTooLargeError",
    "NotRegularFileError",
    "file_kind",
    "open_regular_file",
    "read_regular_file",
]

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_NOCTTY", 0)
    | getattr(os, "O_CLOEXEC", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotRegularFileError(OSError):
    """A path that names a folder, a device, a named pipe or a socket, not a file.

    ``strerror`` reads ``not a regular file: it is a named pipe (FIFO)``.
    """

    def __init__(self, path: str | os.PathLike[str], mode: int) -> None:
        super().__init__(
            errno.EINVAL, f"not a regular file: it is {file_kind(mode)}", os.fspath(path)
        )


class FileTooLargeError(OSError):
    """A file longer than the most bytes a reader accepts.

    Attributes
    ----------
    size
        Its size in bytes when the file system said it, else ``None`` (it grew, or
        said less than it held).
    limit
        The most bytes accepted.
    """

    def __init__(self, path: str | os.PathLike[str], size: int | None, limit: int) -> None:
        self.size = size
        self.limit = limit
        said = f"{size} bytes" if size is not None else "more bytes"
        super().__init__(errno.EFBIG, f"file too large: {said}, over {limit}", os.fspath(path))


def file_kind(mode: int) -> str:
    """Name the kind of file of ``mode`` (from ``os.stat``), with its article.

    Parameters
    ----------
    mode
        ``st_mode``.

    Returns
    -------
    str
        ``"a regular file"``, ``"a directory"``, ``"a named pipe (FIFO)"``, ...
    """
    kinds = (
        (stat.S_ISREG, "a regular file"),
        (stat.S_ISDIR, "a directory"),
        (stat.S_ISFIFO, "a named pipe (FIFO)"),
        (stat.S_ISCHR, "a character device"),
        (stat.S_ISBLK, "a block device"),
        (stat.S_ISSOCK, "a socket"),
    )
    for test, name in kinds:
        if test(mode):
            return name
    return "a special file"


def open_regular_file(path: str | os.PathLike[str]) -> BinaryIO:
    """Open a regular file for reading in binary mode, refusing any other kind of file.

    Parameters
    ----------
    path
        The file; a symbolic link is followed.

    Returns
    -------
    BinaryIO
        The open file (blocking reads); close it, or use it in a ``with`` block.

    Raises
    ------
    NotRegularFileError
        If ``path`` names a folder, a device, a named pipe, a socket (checked before
        opening, and again on the file opened).
    OSError
        If it cannot be opened (``FileNotFoundError`` for a missing file or a broken
        symbolic link, ``PermissionError``, ...).
    """
    before = os.stat(path)
    if not stat.S_ISREG(before.st_mode):
        raise NotRegularFileError(path, before.st_mode)
    descriptor = os.open(path, _OPEN_FLAGS)
    try:
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):
            raise NotRegularFileError(path, opened.st_mode)
        os.set_blocking(descriptor, True)
        return os.fdopen(descriptor, "rb")
    except BaseException:
        os.close(descriptor)
        raise


def read_regular_file(path: str | os.PathLike[str], max_bytes: int | None = None) -> bytes:
    """Return the bytes of a regular file, reading at most ``max_bytes + 1`` of them.

    Parameters
    ----------
    path
        The file; a symbolic link is followed.
    max_bytes
        The most bytes accepted (``None``: no limit beyond the file's own end).

    Returns
    -------
    bytes
        The whole content.

    Raises
    ------
    NotRegularFileError
        If ``path`` is not a regular file.
    FileTooLargeError
        If the file is longer than ``max_bytes`` (by its size, or by what was read).
    OSError
        If it cannot be opened or read.
    """
    with open_regular_file(path) as stream:
        if max_bytes is None:
            return stream.read()
        size = os.fstat(stream.fileno()).st_size
        if size > max_bytes:
            raise FileTooLargeError(path, size, max_bytes)
        data = stream.read(max_bytes + 1)
        if len(data) > max_bytes:
            raise FileTooLargeError(path, None, max_bytes)
        return data
