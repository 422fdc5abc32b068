"""Run ``fieldtotable`` command lines in forked, bounded processes (the corpus' engine).

One runner process imports the package once, then forks a child per command line:
the child gets a 10 s alarm, a 2 GB address-space limit and, when a case asks, a
file-size limit that acts as a full disk; its exit status and output come back as one
JSON line. Forking from a warmed-up process keeps each case to the cost of the command
itself, not of Python's start-up and the package's imports (over a second each).

Protocol: one JSON object per line on stdin, ``{"argv": [...], "cwd": "...",
"timeout": 10, "memory_bytes": N, "max_file_bytes": N | null}`` (and, for the
harness' own tests, ``"entry": "module:function"`` to run instead of the CLI); one JSON object per
line on stdout, ``{"exit": int, "signal": int | null, "stdout": str, "stderr": str,
"seconds": float}``.
"""

from __future__ import annotations

import importlib
import json
import os
import resource
import selectors
import signal
import sys
import time
import traceback
from collections.abc import Callable
from typing import Any

# Imported once here, before any fork, rather than once per case.
import fieldtotable.report  # noqa: F401 - the figures and pages some commands write
from fieldtotable.cli.main import main

# What a crash of the command itself (not bad input) exits with in the child.
DEFECT_EXIT = 99


def _entry(name: str | None) -> Callable[[list[str]], int]:
    """The command to run: the CLI, or a probe ``module:function`` of the harness' tests."""
    if name is None:
        return main
    module, _, function = name.partition(":")
    command: Callable[[list[str]], int] = getattr(importlib.import_module(module), function)
    return command


def _child(request: dict[str, Any], out_write: int, err_write: int) -> None:
    """Run one command line in this forked process and never return."""
    code = DEFECT_EXIT
    try:
        os.dup2(out_write, 1)
        os.dup2(err_write, 2)
        null = os.open(os.devnull, os.O_RDONLY)
        os.dup2(null, 0)
        # Fresh streams, as a new process has: the runner's own have been written to.
        sys.stdout = open(1, "w", encoding="utf-8", closefd=False)  # noqa: SIM115
        sys.stderr = open(2, "w", encoding="utf-8", closefd=False, buffering=1)  # noqa: SIM115
        os.chdir(request["cwd"])
        memory = int(request["memory_bytes"])
        resource.setrlimit(resource.RLIMIT_AS, (memory, memory))
        if request.get("max_file_bytes") is not None:
            # A write past the limit then fails with EFBIG, as on a full disk,
            # instead of killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            limit = int(request["max_file_bytes"])
            resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
        # The default action of SIGALRM ends the process even inside C code.
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.alarm(int(request["timeout"]))
        command = _entry(request.get("entry"))
        try:
            code = command(request["argv"])
        except SystemExit as exit_:
            code = exit_.code if isinstance(exit_.code, int) else DEFECT_EXIT
        except BaseException:  # a defect: show it, and exit apart from bad input
            traceback.print_exc()
            code = DEFECT_EXIT
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _run(request: dict[str, Any]) -> dict[str, Any]:
    out_read, out_write = os.pipe()
    err_read, err_write = os.pipe()
    started = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(out_read)
        os.close(err_read)
        _child(request, out_write, err_write)
    os.close(out_write)
    os.close(err_write)
    chunks: dict[int, list[bytes]] = {out_read: [], err_read: []}
    selector = selectors.DefaultSelector()
    for descriptor in chunks:
        selector.register(descriptor, selectors.EVENT_READ)
    # The child's own alarm ends it; this deadline only guards against a child that
    # ignores the alarm (a defect in the runner, not in the command).
    deadline = started + float(request["timeout"]) + 5.0
    open_pipes = len(chunks)
    while open_pipes:
        remaining = deadline - time.perf_counter()
        if remaining <= 0:
            os.kill(pid, signal.SIGKILL)
            break
        for key, _ in selector.select(timeout=remaining):
            data = os.read(key.fd, 65536)
            if data:
                chunks[key.fd].append(data)
            else:
                selector.unregister(key.fd)
                open_pipes -= 1
    selector.close()
    _, status = os.waitpid(pid, 0)
    os.close(out_read)
    os.close(err_read)
    return {
        "exit": os.waitstatus_to_exitcode(status),
        "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else None,
        "stdout": b"".join(chunks[out_read]).decode("utf-8", "replace"),
        "stderr": b"".join(chunks[err_read]).decode("utf-8", "replace"),
        "seconds": time.perf_counter() - started,
    }


def serve() -> None:
    """Answer requests from stdin until it closes."""
    for line in sys.stdin:
        if line.strip():
            sys.stdout.write(json.dumps(_run(json.loads(line))) + "\n")
            sys.stdout.flush()


if __name__ == "__main__":
    serve()
