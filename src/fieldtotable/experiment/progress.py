"""Progress bars on stderr for long experiments.

:func:`progress_bar` returns a bar that uses ``tqdm`` when it is installed and a
small built-in one otherwise. Bars are drawn only on a terminal: the setting
``None`` (the default of the experiment functions) shows one when ``sys.stderr`` is
a TTY, ``False`` never does, ``True`` always does on ``sys.stderr``, and a text
stream shows one on that stream when it is a TTY (the command line passes its
stderr, or ``False`` with ``--quiet``).
"""

from __future__ import annotations

import importlib
import sys
import time
from typing import Any, Protocol, TextIO

__all__ = ["ProgressBar", "ProgressSetting", "progress_bar"]

ProgressSetting = bool | TextIO | None
"""How to show progress: ``None`` (auto), ``False``, ``True`` or a stream."""

_REFRESH_S = 0.1
_WIDTH = 24


class ProgressBar(Protocol):
    """What the experiments need of a progress bar."""

    def grow(self, runs: int) -> None:
        """Add ``runs`` to the total."""

    def advance(self, runs: int = 1) -> None:
        """Count ``runs`` more as done."""

    def note(self, text: str) -> None:
        """Show ``text`` after the counts (the optimiser's best so far)."""

    def close(self) -> None:
        """Finish the bar (leave the terminal on a new line)."""


class _Silent:
    def grow(self, runs: int) -> None:
        pass

    def note(self, text: str) -> None:
        pass

    def advance(self, runs: int = 1) -> None:
        pass

    def close(self) -> None:
        pass


class _TextBar:
    """``desc  |#######.........|  12/40 runs  3.1 s, ~9 s left`` redrawn in place."""

    def __init__(self, description: str, total: int, stream: TextIO) -> None:
        self.description = description
        self.total = total
        self.done = 0
        self.stream = stream
        self.started = time.monotonic()
        self.drawn = 0.0
        self.shown = False
        self.text = ""

    def grow(self, runs: int) -> None:
        self.total += runs
        self._draw()

    def note(self, text: str) -> None:
        self.text = text
        self._draw(force=True)

    def advance(self, runs: int = 1) -> None:
        self.done += runs
        self._draw()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self.drawn < _REFRESH_S and self.done < self.total:
            return
        self.drawn = now
        total = max(self.total, 1)
        filled = min(_WIDTH, _WIDTH * self.done // total)
        elapsed = now - self.started
        text = (
            f"\r{self.description}  |{'#' * filled}{'.' * (_WIDTH - filled)}|  "
            f"{self.done}/{self.total} runs  {elapsed:.1f} s"
        )
        if 0 < self.done < self.total:
            text += f", ~{elapsed / self.done * (self.total - self.done):.0f} s left"
        if self.text:
            text += f"  {self.text}"
        self.stream.write(text + "\x1b[K")
        self.stream.flush()
        self.shown = True

    def close(self) -> None:
        if self.shown or self.total:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()


class _TqdmBar:
    def __init__(self, tqdm: Any, description: str, total: int, stream: TextIO) -> None:
        self.bar = tqdm(total=total, desc=description, file=stream, unit="run", leave=True)

    def grow(self, runs: int) -> None:
        self.bar.total += runs
        self.bar.refresh()

    def note(self, text: str) -> None:
        self.bar.set_postfix_str(text)

    def advance(self, runs: int = 1) -> None:
        self.bar.update(runs)

    def close(self) -> None:
        self.bar.close()


def _is_tty(stream: TextIO) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def progress_bar(setting: ProgressSetting, description: str, total: int = 0) -> ProgressBar:
    """Return a progress bar, or one that draws nothing.

    Parameters
    ----------
    setting
        ``None``: on when ``sys.stderr`` is a terminal; ``False``: off; ``True``: on,
        on ``sys.stderr``; a stream: on when that stream is a terminal.
    description
        Shown before the bar (``"compare"``).
    total
        Runs expected (more can be added with :meth:`ProgressBar.grow`).

    Returns
    -------
    ProgressBar
        A ``tqdm`` bar if tqdm is installed, else a built-in one; a silent one when off.
    """
    if setting is False:
        return _Silent()
    if setting is None or setting is True:
        stream: TextIO = sys.stderr
        if setting is None and not _is_tty(stream):
            return _Silent()
    else:
        stream = setting
        if not _is_tty(stream):
            return _Silent()
    try:
        tqdm = importlib.import_module("tqdm").tqdm
    except ImportError:
        return _TextBar(description, total, stream)
    return _TqdmBar(tqdm, description, total, stream)
