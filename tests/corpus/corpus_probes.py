"""Commands that misbehave on purpose, to prove the corpus' checks can fail."""

from __future__ import annotations

import sys
import time
from pathlib import Path


def hang(argv: list[str]) -> int:
    """Never end (the alarm must stop it)."""
    while True:
        time.sleep(1)


def allocate(argv: list[str]) -> int:
    """Ask for more memory than the limit allows."""
    block = bytearray(3 * 1024**3)
    return len(block) and 0


def crash(argv: list[str]) -> int:
    """Fail with a traceback, as a defect would."""
    raise RuntimeError("a defect")


def print_nan(argv: list[str]) -> int:
    """Exit 0 after printing a non-finite number."""
    print("spoiled_kg  1.5  nan")
    return 0


def wrapped_error(argv: list[str]) -> int:
    """Exit 2 with a problem spread over two lines."""
    print("scenario.yaml:3: legs.a: must be > 0\n    (got -1)", file=sys.stderr)
    return 2


def write_file(argv: list[str]) -> int:
    """Write ``argv[1]`` bytes into the file ``argv[0]``; exit 2 if the disk is full."""
    try:
        Path(argv[0]).write_bytes(b"x" * int(argv[1]))
    except OSError as exc:
        print(f"{argv[0]}: cannot write: {exc.strerror}", file=sys.stderr)
        return 2
    return 0
