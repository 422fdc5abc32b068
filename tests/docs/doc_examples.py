"""Find and run the fenced examples of the documentation, so that the docs cannot rot.

The convention (docs/index.md says it for writers too):

- ``python`` blocks run in order, one namespace per page, in a fresh directory that
  holds a copy of the repository's ``scenarios/``;
- ``console`` blocks: ``$ `` lines are commands, the lines after one are its expected
  output (``...`` alone matches any lines, ``...`` inside a line any text; a last line
  ``[exit N]`` expects status N, otherwise 0); no output lines means none is checked;
- ``sh`` / ``bash`` blocks: every line is a command, output not checked;
- ``yaml`` blocks must parse; ``<!-- file: NAME -->`` just before the fence writes the
  block to NAME in the page's directory before any block of the page runs (a file is a
  declaration: a command may use a file shown further down); ``json`` blocks must parse;
- ``<!-- docs-test: skip REASON -->`` just before a fence skips that block.

Commands understood: ``fieldtotable ...`` and ``python -m fieldtotable ...`` (run in
this process through :func:`fieldtotable.cli.main`), ``python``/``python3 ...`` (a
subprocess with this interpreter), ``pip install ...`` (set-up: not run; CI installs the
same way), ``python -m pytest`` (the suite itself: not run again),
``VAR=value`` prefixes, ``A && B``. Anything else is an error.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parents[2]

_FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})\s*(?P<info>[^`\s]*)[^`]*$")
_SKIP = re.compile(r"^<!--\s*docs-test:\s*skip\s+(?P<reason>\S.*?)\s*-->$")
_FILE = re.compile(r"^<!--\s*file:\s*(?P<name>\S+)\s*-->$")
_EXIT = re.compile(r"^\[exit (?P<status>\d+)\]$")
_ASSIGNMENT = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")

RUN_LANGUAGES = {"python", "console", "sh", "bash", "yaml", "json"}


@dataclass(frozen=True)
class Block:
    """One fenced block of a Markdown page."""

    page: Path
    line: int  # 1-based line of the first line of content
    language: str
    text: str
    skip_reason: str | None
    file_name: str | None

    @property
    def where(self) -> str:
        """``page:line`` for messages."""
        try:
            name = self.page.relative_to(REPO)
        except ValueError:
            name = self.page
        return f"{name}:{self.line}"


class DocExampleError(AssertionError):
    """An example of the docs did not do what the page says."""


def parse_blocks(page: Path, text: str | None = None) -> list[Block]:
    """Return the fenced blocks of ``page`` (its text read unless given)."""
    lines = (page.read_text(encoding="utf-8") if text is None else text).splitlines()
    blocks: list[Block] = []
    index = 0
    while index < len(lines):
        opening = _FENCE.match(lines[index])
        if opening is None:
            index += 1
            continue
        indent, fence = opening["indent"], opening["fence"]
        language = opening["info"].lower()
        previous = lines[index - 1].strip() if index > 0 else ""
        skip = _SKIP.match(previous)
        file_directive = _FILE.match(previous)
        body: list[str] = []
        index += 1
        start = index + 1
        while index < len(lines):
            stripped = lines[index].strip()
            if stripped.startswith(fence[0] * len(fence)) and set(stripped) == {fence[0]}:
                break
            line = lines[index]
            body.append(line[len(indent) :] if line.startswith(indent) else line.lstrip())
            index += 1
        else:
            raise DocExampleError(f"{page}:{start - 1}: unclosed code fence")
        index += 1
        blocks.append(
            Block(
                page=page,
                line=start,
                language=language,
                text="\n".join(body) + "\n",
                skip_reason=skip["reason"] if skip else None,
                file_name=file_directive["name"] if file_directive else None,
            )
        )
    return blocks


def output_matches(expected: list[str], actual: str) -> bool:
    """Whether ``actual`` matches the expected lines (``...`` wildcards, see module)."""
    pattern = []
    for line in expected:
        if line.strip() == "...":
            pattern.append(r"(?:[^\n]*\n)*?")
        else:
            parts = [re.escape(part) for part in line.rstrip().split("...")]
            pattern.append("[^\n]*".join(parts) + r"[ \t]*\n")
    normalised = "".join(line.rstrip() + "\n" for line in actual.rstrip("\n").splitlines())
    return re.fullmatch("".join(pattern), normalised) is not None


@dataclass
class Page:
    """The state one page's examples share: a directory and a namespace."""

    directory: Path
    namespace: dict[str, object]

    def declare_files(self, blocks: list[Block]) -> None:
        """Write every block marked ``<!-- file: NAME -->`` to NAME, before any runs."""
        for block in blocks:
            if block.file_name is not None and block.skip_reason is None:
                target = self.directory / block.file_name
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(block.text, encoding="utf-8")

    def run(self, block: Block) -> None:
        """Run one block; raise :class:`DocExampleError` when it fails."""
        if block.skip_reason is not None or block.language not in RUN_LANGUAGES:
            return
        runner = {
            "python": self._python,
            "console": self._console,
            "sh": self._shell,
            "bash": self._shell,
            "yaml": self._yaml,
            "json": self._json,
        }[block.language]
        runner(block)

    def _python(self, block: Block) -> None:
        # Pad so that tracebacks give the line numbers of the page.
        code = compile("\n" * (block.line - 1) + block.text, str(block.page), "exec")
        with contextlib.chdir(self.directory):
            exec(code, self.namespace)  # the docs' own code, run on purpose

    def _yaml(self, block: Block) -> None:
        try:
            list(yaml.safe_load_all(block.text))
        except yaml.YAMLError as error:
            raise DocExampleError(f"{block.where}: YAML does not parse: {error}") from None

    def _json(self, block: Block) -> None:
        try:
            json.loads(block.text)
        except json.JSONDecodeError as error:
            raise DocExampleError(f"{block.where}: JSON does not parse: {error}") from None

    def _shell(self, block: Block) -> None:
        for offset, line in enumerate(_join_continuations(block.text.splitlines())):
            if line.strip() and not line.lstrip().startswith("#"):
                self._command(line, None, block, block.line + offset)

    def _console(self, block: Block) -> None:
        commands: list[tuple[str, list[str], int]] = []
        lines = block.text.splitlines()
        index = 0
        while index < len(lines):
            line = lines[index]
            if line.startswith("$ "):
                command, index = _continued(lines, index)
                commands.append((command, [], block.line + index))
            elif commands:
                commands[-1][1].append(line)
            elif line.strip():
                raise DocExampleError(f"{block.where}: output before the first '$ ' command")
            index += 1
        for command, expected, line_number in commands:
            self._command(command, expected, block, line_number)

    def _command(
        self, command: str, expected: list[str] | None, block: Block, line_number: int
    ) -> None:
        where = f"{block.where.rsplit(':', 1)[0]}:{line_number}"
        expected_status = 0
        if expected:
            while expected and not expected[-1].strip():
                expected.pop()
            status_line = _EXIT.match(expected[-1].strip()) if expected else None
            if status_line:
                expected_status = int(status_line["status"])
                expected.pop()
        output, status = "", 0
        try:
            words = shlex.split(command, comments=True)
        except ValueError as error:
            raise DocExampleError(f"{where}: cannot split {command!r}: {error}") from None
        for part in _split_and(words):
            part_output, status = self._one_command(part, where)
            output += part_output
            if status != 0:
                break
        if status != expected_status:
            raise DocExampleError(
                f"{where}: `{command}` exited {status}, the page expects {expected_status}\n"
                f"{output}"
            )
        if expected and not output_matches(expected, output):
            shown = "\n".join(expected)
            raise DocExampleError(
                f"{where}: `{command}` printed\n{output}\n--- but the page shows ---\n{shown}"
            )

    def _one_command(self, words: list[str], where: str) -> tuple[str, int]:
        environment: dict[str, str] = {}
        while words and _ASSIGNMENT.match(words[0]):
            name, _, value = words[0].partition("=")
            environment[name] = value
            words = words[1:]
        if not words:
            raise DocExampleError(f"{where}: empty command")
        program, arguments = words[0], words[1:]
        if program in {"pip", "pip3"} or arguments[:3] == ["-m", "pip", "install"]:
            return "", 0  # set-up; CI installs the package the same way
        if program in {"python", "python3"} and arguments[:2] == ["-m", "pytest"]:
            return "", 0  # the test suite itself: it is what is running this
        if program == "fieldtotable":
            return self._in_process(arguments, environment)
        if program in {"python", "python3"}:
            if arguments[:2] == ["-m", "fieldtotable"]:
                return self._in_process(arguments[2:], environment)
            completed = subprocess.run(
                [sys.executable, *arguments],
                cwd=self.directory,
                env={**os.environ, **environment},
                capture_output=True,
                text=True,
                timeout=300,
                check=False,
            )
            return completed.stdout + completed.stderr, completed.returncode
        raise DocExampleError(
            f"{where}: the docs tests cannot run `{program}`; use fieldtotable or python, "
            "or put <!-- docs-test: skip REASON --> before the block"
        )

    def _in_process(self, arguments: list[str], environment: dict[str, str]) -> tuple[str, int]:
        from fieldtotable.cli import main  # noqa: PLC0415 - imported where the docs use it

        stdout, stderr = io.StringIO(), io.StringIO()
        saved = {name: os.environ.get(name) for name in environment}
        os.environ.update(environment)
        try:
            with (
                contextlib.chdir(self.directory),
                contextlib.redirect_stdout(stdout),
                contextlib.redirect_stderr(stderr),
            ):
                status = main(arguments)
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value
        return stdout.getvalue() + stderr.getvalue(), status


def _continued(lines: list[str], index: int) -> tuple[str, int]:
    """The command starting at ``lines[index]`` (``$ `` removed), joined over ``\\``."""
    command = lines[index][2:]
    while command.endswith("\\") and index + 1 < len(lines):
        index += 1
        command = command[:-1] + " " + lines[index].lstrip().removeprefix("> ")
    return command, index


def _join_continuations(lines: list[str]) -> list[str]:
    joined: list[str] = []
    for line in lines:
        if joined and joined[-1].endswith("\\"):
            joined[-1] = joined[-1][:-1] + " " + line.strip()
        else:
            joined.append(line)
    return joined


def _split_and(words: list[str]) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for word in words:
        if word == "&&":
            parts.append([])
        else:
            parts[-1].append(word)
    return [part for part in parts if part]


def documentation_pages() -> list[Path]:
    """Every Markdown page of the site, and the README."""
    return [REPO / "README.md", *sorted((REPO / "docs").rglob("*.md"))]
