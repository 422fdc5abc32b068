"""The command-line reference (docs/reference/cli.md): current and complete."""

from __future__ import annotations

import argparse
import re
from pathlib import Path

import pytest
from tools.reference_pages import REGENERATE_COMMAND
from tools.reference_pages.cli_page import PAGE_PATH, cli_markdown, commands, synopsis

from fieldtotable import cli
from fieldtotable.cli import options
from fieldtotable.cli.options import RenamedOption

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / PAGE_PATH
COMMANDS = list(commands())


@pytest.fixture(scope="module")
def page() -> str:
    return PAGE.read_text(encoding="utf-8")


def section(page: str, words: str) -> str:
    match = re.search(rf"^## fieldtotable {words}\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    assert match is not None, f"no section for 'fieldtotable {words}' on {PAGE_PATH}"
    return match.group(1)


def test_page_is_up_to_date(page: str) -> None:
    assert page == cli_markdown(), f"{PAGE_PATH} is stale; run {REGENERATE_COMMAND}"


def test_the_walk_finds_every_command() -> None:
    names = [words for words, _help, _parser in COMMANDS]
    assert names == [
        "run",
        "report",
        "validate",
        "show",
        "schema",
        "scenarios",
        "replicate",
        "compare",
        "sweep",
        "optimise",
        "sensitivity",
        "uncertainty",
        "bench channels",
    ]


@pytest.mark.parametrize(
    ("words", "parser"), [(w, p) for w, _h, p in COMMANDS], ids=[w for w, _h, _p in COMMANDS]
)
def test_every_option_is_documented(page: str, words: str, parser: argparse.ArgumentParser) -> None:
    text = section(page, words)
    for action in parser._actions:
        if isinstance(action, argparse._HelpAction):
            continue
        if isinstance(action, RenamedOption):  # listed as an old name, not in the table
            for option in action.option_strings:
                flat = " ".join(text.split())
                assert f"`{option}` (now `{action.new}`)" in flat, f"{words}: {option}"
            continue
        assert action.help, f"{words}: {action.dest} has no help text"
        if action.option_strings:
            for option in action.option_strings:
                assert f"`{option}`" in text, f"{words}: {option} is not on {PAGE_PATH}"
        else:
            assert f"| `{action.metavar or action.dest}` |" in text


@pytest.mark.parametrize(
    ("words", "parser"), [(w, p) for w, _h, p in COMMANDS], ids=[w for w, _h, _p in COMMANDS]
)
def test_synopsis_names_only_real_options(words: str, parser: argparse.ArgumentParser) -> None:
    """Every ``--option`` of the synopsis is accepted by the command's parser."""
    known = {option for action in parser._actions for option in action.option_strings}
    for option in re.findall(r"\[(-{1,2}[a-z][a-z-]*)", synopsis(words, parser)):
        assert option in known, f"{words}: {option}"


def test_exit_statuses_cover_every_status_the_commands_return(page: str) -> None:
    codes = {
        cli.EXIT_OK,
        cli.EXIT_BAD_INPUT,
        options.EXIT_RUNS_FAILED,
    }
    assert codes <= set(cli.EXIT_STATUSES)
    for code in cli.EXIT_STATUSES:
        assert f"| `{code}` |" in page


def test_exit_statuses_are_what_main_returns(capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["--version"]) == 0
    assert cli.main(["no-such-command"]) == 2
    assert cli.main(["validate", "no-such-file.yaml"]) == 2
    capsys.readouterr()
