"""The malformed-and-extreme corpus: every case ends cleanly, bounded in time and memory.

Each folder under ``tests/corpus/`` holds ``cases.yaml`` (a list of cases) and the files
those cases use. A case runs ``fieldtotable <argv>`` in a fresh process (forked by
:mod:`corpus_runner`) in a temporary copy of its folder, limited to
:data:`TIMEOUT_SECONDS` and :data:`MEMORY_BYTES`, and must end in one of two ways:

- ``expect: error`` — exit status 2, something on stderr, no traceback, one problem
  per line (no line of stderr starts with white space, as a traceback's frames or a
  wrapped message would);
- ``expect: ok`` — exit status 0, no traceback, and no ``nan`` or ``inf`` printed.

Keys of a case (or of each of its ``steps``, which run in order in one folder):

``name``
    Unique within its folder.
``argv``
    The command line after ``fieldtotable``.
``files``
    File name → text, written before the first step.
``special``
    File name → ``fifo``, ``dir`` or ``link:TARGET``: a named pipe, a folder or a
    symbolic link, made before the first step.
``generate``
    File name → the name of a function of :mod:`corpus_generators` that returns the
    file's text: large inputs are written by code, not committed.
``max_file_bytes``
    A file-size limit for the step's process: writes past it fail as on a full disk.
``expect``
    ``error`` or ``ok`` (see above); ``exit`` overrides the status expected.
``messages`` / ``stdout``
    Substrings that must all appear in stderr / stdout.
``edit``
    Glob → ``[old, new]``: a step that replaces text in the matching files instead
    of running a command (at least one replacement must happen).
``check_files``
    Glob → ``{contains: [...], absent: [...], count: N}``, checked on the files
    (not folders) matching it after the last step.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import corpus_generators
import pytest
import yaml

CORPUS = Path(__file__).parent
TIMEOUT_SECONDS = 10
MEMORY_BYTES = 2 * 1024**3
RUNNER = CORPUS / "corpus_runner.py"

# A number printed as not-a-number or infinite, in any of the spellings in use.
NON_FINITE = re.compile(r"(?<![\w.])[-+]?(nan|inf|infinity)(?![\w])", re.IGNORECASE)


def _cases() -> Iterator[Any]:
    for manifest in sorted(CORPUS.glob("*/cases.yaml")):
        area = manifest.parent.name
        with manifest.open(encoding="utf-8") as stream:
            cases = yaml.safe_load(stream) or []
        for case in cases:
            yield pytest.param(manifest.parent, case, id=f"{area}/{case['name']}")


ALL_CASES = list(_cases())


class Runner:
    """A long-lived :mod:`corpus_runner` process that forks a child per command."""

    def __init__(self) -> None:
        self.process: subprocess.Popen[str] | None = None

    def _start(self) -> subprocess.Popen[str]:
        environment = dict(os.environ)
        environment.update(
            OPENBLAS_NUM_THREADS="1",
            OMP_NUM_THREADS="1",
            MKL_NUM_THREADS="1",
            MPLBACKEND="Agg",
            COLUMNS="100",
        )
        return subprocess.Popen(
            [sys.executable, str(RUNNER)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            env=environment,
        )

    def run(
        self,
        argv: list[str],
        cwd: Path,
        max_file_bytes: int | None = None,
        entry: str | None = None,
        timeout: int = TIMEOUT_SECONDS,
    ) -> dict[str, Any]:
        if self.process is None or self.process.poll() is not None:
            self.process = self._start()
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        request = {
            "argv": argv,
            "cwd": str(cwd),
            "timeout": timeout,
            "memory_bytes": MEMORY_BYTES,
            "max_file_bytes": max_file_bytes,
            "entry": entry,
        }
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        answer = self.process.stdout.readline()
        if not answer:
            self.process = None
            pytest.fail("the corpus runner died")
        result: dict[str, Any] = json.loads(answer)
        return result

    def close(self) -> None:
        if self.process is not None:
            assert self.process.stdin is not None
            assert self.process.stdout is not None
            self.process.stdin.close()
            self.process.wait(timeout=30)
            self.process.stdout.close()


@pytest.fixture(scope="session")
def runner() -> Iterator[Runner]:
    started = Runner()
    yield started
    started.close()


def _prepare(folder: Path, case: dict[str, Any], work: Path) -> None:
    shutil.copytree(folder, work, ignore=shutil.ignore_patterns("cases.yaml"))
    for name, text in (case.get("files") or {}).items():
        target = work / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for name, generator in (case.get("generate") or {}).items():
        (work / name).write_text(getattr(corpus_generators, generator)(), encoding="utf-8")
    for name, kind in (case.get("special") or {}).items():
        target = work / name
        if kind == "fifo":
            os.mkfifo(target)
        elif kind == "dir":
            target.mkdir(parents=True)
        elif kind.startswith("link:"):
            target.symlink_to(kind.removeprefix("link:"))
        else:
            pytest.fail(f"unknown special kind {kind!r} for {name}")


def _edit(work: Path, edits: dict[str, list[str]]) -> None:
    for pattern, (old, new) in edits.items():
        replaced = 0
        for file in sorted(work.glob(pattern)):
            if file.is_file():
                text = file.read_text(encoding="utf-8")
                replaced += text.count(old)
                file.write_text(text.replace(old, new), encoding="utf-8")
        assert replaced, f"edit {pattern}: {old!r} was not found"


def _check_step(step: dict[str, Any], result: dict[str, Any]) -> None:
    stderr, stdout = result["stderr"], result["stdout"]
    shown = f"exit {result['exit']}\n--- stderr ---\n{stderr}\n--- stdout ---\n{stdout[-3000:]}"
    assert result["signal"] is None, (
        f"killed by signal {result['signal']} (time or memory)\n{shown}"
    )
    assert "Traceback" not in stderr, shown
    expect = step.get("expect", "ok")
    if expect == "error":
        assert result["exit"] == step.get("exit", 2), shown
        assert stderr.strip(), f"an error with nothing on stderr\n{shown}"
        wrapped = [line for line in stderr.splitlines() if line[:1].isspace()]
        assert not wrapped, f"stderr is not one problem per line: {wrapped}\n{shown}"
    elif expect == "ok":
        assert result["exit"] == step.get("exit", 0), shown
        match = NON_FINITE.search(stdout)
        assert match is None, f"a non-finite number in the output: {match}\n{shown}"
    else:
        pytest.fail(f"unknown expectation {expect!r}")
    for message in step.get("messages") or []:
        assert message in stderr, f"{message!r} not in stderr\n{shown}"
    for text in step.get("stdout") or []:
        assert text in stdout, f"{text!r} not in stdout\n{shown}"


def _check_files(work: Path, checks: dict[str, dict[str, Any]]) -> None:
    for pattern, expected in checks.items():
        files = sorted(path for path in work.glob(pattern) if path.is_file())
        if "count" in expected:
            assert len(files) == expected["count"], f"{pattern}: {[str(f) for f in files]}"
        text = "\n".join(file.read_text(encoding="utf-8", errors="replace") for file in files)
        for wanted in expected.get("contains") or []:
            assert wanted in text, f"{pattern}: {wanted!r} not found in {len(files)} files"
        for unwanted in expected.get("absent") or []:
            assert unwanted not in text, f"{pattern}: {unwanted!r} found"


@pytest.mark.parametrize(("folder", "case"), ALL_CASES)
def test_case_ends_cleanly(
    runner: Runner, folder: Path, case: dict[str, Any], tmp_path: Path
) -> None:
    work = tmp_path / "work"
    _prepare(folder, case, work)
    steps = case.get("steps") or [case]
    for step in steps:
        if "edit" in step:
            _edit(work, step["edit"])
            continue
        result = runner.run(list(step["argv"]), work, step.get("max_file_bytes"))
        _check_step(step, result)
    _check_files(work, case.get("check_files") or {})


# The harness itself: each check can fail, and the bounds hold.


def test_a_hang_is_stopped_by_the_alarm(runner: Runner, tmp_path: Path) -> None:
    result = runner.run([], tmp_path, entry="corpus_probes:hang", timeout=1)
    assert result["signal"] == signal.SIGALRM
    assert result["seconds"] < 3
    with pytest.raises(AssertionError, match="killed by signal"):
        _check_step({"expect": "error"}, result)


def test_memory_past_the_limit_fails_in_the_child(runner: Runner, tmp_path: Path) -> None:
    result = runner.run([], tmp_path, entry="corpus_probes:allocate")
    assert "MemoryError" in result["stderr"]
    with pytest.raises(AssertionError, match="Traceback"):
        _check_step({"expect": "error"}, result)


@pytest.mark.parametrize(
    ("probe", "step", "complaint"),
    [
        ("crash", {"expect": "error"}, "Traceback"),
        ("print_nan", {"expect": "ok"}, "non-finite"),
        ("wrapped_error", {"expect": "error"}, "one problem per line"),
        ("wrapped_error", {"expect": "ok"}, "exit 2"),
    ],
)
def test_each_check_can_fail(
    runner: Runner, tmp_path: Path, probe: str, step: dict[str, Any], complaint: str
) -> None:
    result = runner.run([], tmp_path, entry=f"corpus_probes:{probe}")
    with pytest.raises(AssertionError, match=complaint):
        _check_step(step, result)


def test_the_file_size_limit_acts_as_a_full_disk(runner: Runner, tmp_path: Path) -> None:
    argv = ["big.bin", "5000"]
    full = runner.run(argv, tmp_path, max_file_bytes=1000, entry="corpus_probes:write_file")
    assert full["exit"] == 2
    _check_step({"expect": "error", "messages": ["big.bin: cannot write: File too large"]}, full)
    with pytest.raises(AssertionError, match="not in stderr"):
        _check_step({"expect": "error", "messages": ["No space left"]}, full)
    roomy = runner.run(argv, tmp_path, entry="corpus_probes:write_file")
    assert roomy["exit"] == 0
    assert (tmp_path / "big.bin").stat().st_size == 5000


def test_the_corpus_is_large_and_named_uniquely() -> None:
    names = [param.id for param in ALL_CASES]
    assert len(names) == len(set(names)), "two cases of one folder share a name"
    areas = {name.split("/")[0] for name in names}
    assert {"numbers", "files", "names", "present"} <= areas
    assert len(names) >= 60, f"the corpus has only {len(names)} cases"
