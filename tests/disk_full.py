"""A full disk, for tests: writes to regular files fail past a size, as on a full disk.

:func:`file_size_limit` lowers this process's ``RLIMIT_FSIZE`` for the duration of a
``with`` block, with ``SIGXFSZ`` ignored, so that a write that would make a file
larger than the limit fails with ``OSError(EFBIG, "File too large")`` through the
real code path (the library's own ``open``/``write``/``fsync`` calls), then puts the
limit back (a process may raise its soft limit up to its hard limit). Pipes and
sockets, through which pytest talks, are not affected.
"""

from __future__ import annotations

import contextlib
import signal
from collections.abc import Iterator

import pytest

__all__ = ["file_size_limit"]


@contextlib.contextmanager
def file_size_limit(max_bytes: int) -> Iterator[None]:
    """Make every regular file larger than ``max_bytes`` fail to grow, inside the block.

    Parameters
    ----------
    max_bytes
        The largest file size that writes may reach.
    """
    resource = pytest.importorskip("resource")
    if not hasattr(signal, "SIGXFSZ"):  # pragma: no cover - not POSIX
        pytest.skip("needs SIGXFSZ")
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    previous = signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
        signal.signal(signal.SIGXFSZ, previous)
