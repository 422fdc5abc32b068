"""Write the generated reference pages: ``python -m tools.reference_pages [--check]``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from tools.reference_pages import REGENERATE_COMMAND, pages


def main(argv: Sequence[str] | None = None) -> int:
    """Write (or check) every generated page under the repository root.

    Parameters
    ----------
    argv
        Command-line arguments; ``sys.argv[1:]`` when ``None``.

    Returns
    -------
    int
        0 when the pages were written or are up to date; 1 when ``--check`` found
        a page out of date.
    """
    parser = argparse.ArgumentParser(
        prog="python -m tools.reference_pages",
        description="Write the documentation pages generated from the code.",
    )
    parser.add_argument(
        "--root", default=".", help="the repository root (default: the current folder)"
    )
    parser.add_argument(
        "--check", action="store_true", help="write nothing; exit 1 if a page is out of date"
    )
    args = parser.parse_args(argv)
    root = Path(args.root)
    stale = []
    for path, write in pages().items():
        target = root / path
        text = write()
        current = target.read_text(encoding="utf-8") if target.is_file() else None
        if current == text:
            continue
        if args.check:
            stale.append(path)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        print(f"wrote {path}")
    for path in stale:
        print(f"{path} is out of date; regenerate with {REGENERATE_COMMAND}", file=sys.stderr)
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
