"""Reading and writing the files a user names, safely.

- :mod:`.reading`: only regular files are read (never a device, a named pipe, a
  socket or a folder, which could read without end or block for ever), and at most
  a given number of bytes whatever the file's size says.
- :mod:`.atomic`: a file is written to a temporary sibling, flushed to disk and moved
  into place, so that it is complete or absent; a folder of files is written into a
  staging folder and moved into place only when every file is written, so that a
  full disk leaves nothing half-written behind.
"""

from __future__ import annotations

from fieldtotable.fileio.atomic import StagedFolder, check_writable_target, write_atomic
from fieldtotable.fileio.reading import (
    FileTooLargeError,
    NotRegularFileError,
    open_regular_file,
    read_regular_file,
)

__all__ = [
    "FileTooLargeError",
    "NotRegularFileError",
    "StagedFolder",
    "check_writable_target",
    "open_regular_file",
    "read_regular_file",
    "write_atomic",
]
