"""A corpus of malformed scenario files, each refused with the right lines and messages.

``malformed/NN_short_name.yaml`` is ``tests/data/small.yaml`` with one deliberate
defect, named in its first line (a few files hold two or three, to prove that every
problem is reported in one pass); ``malformed/expected.yaml`` lists, for every file,
the line, field path and message of every problem it must raise.

Each file is checked twice: through the library (:func:`load_scenario`) and through
the command line in-process (``fieldtotable.cli.main``). One file with several
problems also goes through ``python -m fieldtotable validate FILE`` in a real process,
for what only a process shows (its exit status, its stderr, no traceback); the other
command families are run as real processes in ``tests/cli/test_cli.py``.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from fieldtotable.cli import main
from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import load_scenario
from fieldtotable.scenario.yaml_loader import parse_yaml
from yaml_budget import NodeBudget

CORPUS = Path(__file__).resolve().parent / "malformed"
EXPECTED_FILE = CORPUS / "expected.yaml"
FILES = sorted(path.name for path in CORPUS.glob("*.yaml") if path != EXPECTED_FILE)
NAME = re.compile(r"^\d{2}_[A-Za-z0-9_]+\.yaml$")

#: The file run as a real ``python -m fieldtotable`` process (by name, without the
#: number): several problems of the YAML level (duplicates, a refused tag) at once.
REAL_PROCESS_FILE = "multi_yaml_problems"


@dataclass(frozen=True)
class Expected:
    """One problem a file must raise (see the header of ``expected.yaml``)."""

    line: int | None
    path: str
    fragments: tuple[str, ...]

    def path_matches(self, path: str) -> bool:
        if self.path.endswith("*"):
            return path.startswith(self.path[:-1])
        return path == self.path

    def message_matches(self, message: str) -> bool:
        return all(fragment in message for fragment in self.fragments)

    def cli_prefix(self, file: str) -> str:
        """The start of this problem's stderr line: ``FILE:LINE: path: ``."""
        where = file if self.line is None else f"{file}:{self.line}"
        path = self.path.removesuffix("*")
        if not path:
            return f"{where}: "
        return f"{where}: {path}" if self.path.endswith("*") else f"{where}: {path}: "

    def __str__(self) -> str:
        return f"line {self.line}, path {self.path!r}, message with {list(self.fragments)}"


def _load_expectations() -> dict[str, list[Expected]]:
    # Read with the project's own loader: a duplicated file name is an error, not an
    # entry silently dropped.
    data, _ = parse_yaml(EXPECTED_FILE.read_text(encoding="utf-8"), str(EXPECTED_FILE))
    expectations: dict[str, list[Expected]] = {}
    for name, problems in data.items():
        entries = []
        for problem in problems:
            assert set(problem) == {"line", "path", "message"}, (name, problem)
            message = problem["message"]
            fragments = (message,) if isinstance(message, str) else tuple(message)
            entries.append(Expected(problem["line"], problem["path"], fragments))
        expectations[name] = entries
    return expectations


EXPECTED = _load_expectations()


def _short(name: str) -> str:
    return name.split("_", 1)[1].removesuffix(".yaml")


def _check_problems(name: str, error: ScenarioError) -> None:
    expected = EXPECTED[name]
    found = error.problems
    shown = "\n".join(str(problem) for problem in found)
    assert [p.line for p in found] == [e.line for e in expected], f"{name}:\n{shown}"
    for problem, want in zip(found, expected, strict=True):
        assert want.path_matches(problem.path), f"{name}: path of {problem} is not {want}"
        assert want.message_matches(problem.message), f"{name}: {problem} is not {want}"


def _check_cli(name: str, code: int | None, out: str, err: str) -> None:
    """Exit 2, nothing on stdout, one ``FILE:LINE: path: message`` line per problem."""
    assert code == 2, (name, code, err)
    assert out == "", (name, out)
    assert "Traceback" not in err, err
    lines = err.splitlines()
    expected = EXPECTED[name]
    assert len(lines) == len(expected), f"{name}: {len(expected)} problems expected:\n{err}"
    for line, want in zip(lines, expected, strict=True):
        prefix = want.cli_prefix(name)
        assert line.startswith(prefix), f"{name}: {line!r} should start with {prefix!r}"
        assert want.message_matches(line[len(prefix) :]), f"{name}: {line!r} is not {want}"


# --- the corpus itself --------------------------------------------------------------


def test_corpus_is_large_and_every_file_has_an_expectation() -> None:
    assert len(FILES) >= 40
    assert sorted(EXPECTED) == FILES, "files and expected.yaml must name the same files"
    numbers = [name.split("_", 1)[0] for name in FILES]
    assert len(set(numbers)) == len(numbers), "each file has its own number"
    for name in FILES:
        assert NAME.match(name), f"{name} is not named NN_short_name.yaml"
        assert EXPECTED[name], f"{name} must expect at least one problem"
        count = len((CORPUS / name).read_text(encoding="utf-8").splitlines())
        for want in EXPECTED[name]:
            assert want.line is None or 1 <= want.line <= count, (name, want)
            assert want.fragments, (name, want)
            assert all(want.fragments), (name, want)


def test_some_files_hold_several_problems() -> None:
    several = [name for name in FILES if len(EXPECTED[name]) >= 2]
    assert len(several) >= 3, several


def test_real_process_file_exists_and_has_several_problems() -> None:
    [name] = [name for name in FILES if _short(name) == REAL_PROCESS_FILE]
    assert len(EXPECTED[name]) >= 2


# --- the library ----------------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_library_reports_every_problem(name: str) -> None:
    path = CORPUS / name
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    _check_problems(name, caught.value)
    assert all(problem.file == str(path) for problem in caught.value.problems)


def test_alias_bomb_is_refused_after_bounded_work(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], yaml_nodes: NodeBudget
) -> None:
    [name] = [name for name in FILES if _short(name) == "alias_bomb"]
    # Work, not wall time: past the budget the node count fails the test at once.
    budget = yaml_nodes.allow_alias_budget((CORPUS / name).read_text(encoding="utf-8"))
    with pytest.raises(ScenarioError):
        load_scenario(CORPUS / name)
    assert 0 < yaml_nodes.built <= budget
    yaml_nodes.built = 0
    monkeypatch.chdir(CORPUS)
    assert main(["validate", name]) == 2
    assert 0 < yaml_nodes.built <= budget
    assert "refused" in capsys.readouterr().err


# --- the command line -----------------------------------------------------------------


@pytest.mark.parametrize("name", FILES)
def test_cli_in_process(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(CORPUS)
    capsys.readouterr()
    code = main(["validate", name])
    captured = capsys.readouterr()
    _check_cli(name, code, captured.out, captured.err)


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONIOENCODING": "utf-8"}


def test_cli_real_process() -> None:
    [name] = [name for name in FILES if _short(name) == REAL_PROCESS_FILE]
    done = subprocess.run(
        [sys.executable, "-m", "fieldtotable", "validate", name],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env=_env(),
        cwd=CORPUS,
        timeout=120,
        check=False,
    )
    _check_cli(name, done.returncode, done.stdout, done.stderr)
