"""The command-line reference (``docs/reference/cli.md``), generated from the parser.

Every command and option of ``fieldtotable``, read from the argparse parser that
:func:`fieldtotable.cli.build_parser` returns (names, values, choices, help texts,
descriptions), and the exit statuses of :data:`fieldtotable.cli.EXIT_STATUSES`.
The synopsis lines are written here rather than by argparse, whose line wrapping
differs between Python versions. Regenerate with ``python -m tools.reference_pages``.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

from tools.reference_pages.markdown import inline, table, wrap

from fieldtotable.cli import EXIT_STATUSES, build_parser
from fieldtotable.cli.options import RenamedOption

__all__ = ["PAGE_PATH", "cli_markdown", "commands", "option_value", "synopsis"]

PAGE_PATH = "docs/reference/cli.md"
"""Where the page lives, relative to the repository root."""

_WIDTH = 88
_HOW_MANY = {None: "one", "?": "optional", "+": "one or more", "*": "any number"}


def _subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    """Return the sub-command parsers of ``parser``, by name, in the order added."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _help_of(parser: argparse.ArgumentParser, name: str) -> str:
    """Return the one-line help of sub-command ``name`` of ``parser``."""
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                if choice.dest == name:
                    return choice.help or ""
    return ""


def commands(
    parser: argparse.ArgumentParser | None = None,
) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
    """Yield every command that does something, depth first.

    Parameters
    ----------
    parser
        The parser to walk; :func:`fieldtotable.cli.build_parser` when ``None``.

    Yields
    ------
    tuple of (str, str, argparse.ArgumentParser)
        The command's words after the program name (``"bench channels"``), its
        one-line help and its parser; commands that only group others
        (``bench``) are walked through, not yielded.
    """
    root = build_parser() if parser is None else parser

    def walk(
        current: argparse.ArgumentParser, words: str
    ) -> Iterator[tuple[str, str, argparse.ArgumentParser]]:
        for name, sub in _subcommands(current).items():
            path = f"{words} {name}".strip()
            if _subcommands(sub):
                yield from walk(sub, path)
            else:
                yield path, _help_of(current, name), sub

    yield from walk(root, "")


def _documented(parser: argparse.ArgumentParser) -> list[argparse.Action]:
    return [
        action
        for action in parser._actions
        if not isinstance(action, argparse._HelpAction | argparse._SubParsersAction)
        and action.help != argparse.SUPPRESS
    ]


def option_value(action: argparse.Action) -> str:
    """Return what an option or argument takes, in words (``N``, ``csv, json``, ...).

    Parameters
    ----------
    action
        An argparse action.

    Returns
    -------
    str
        Its metavar, or its choices, or ``—`` for a flag that takes no value; for
        a positional argument, how many it takes (``one``, ``optional``, ``one or
        more``).
    """
    if action.nargs == 0:
        return "—"
    if not action.option_strings:
        return _HOW_MANY.get(action.nargs, str(action.nargs))  # type: ignore[arg-type]
    if action.choices is not None:
        return ", ".join(f"`{choice}`" for choice in action.choices)
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
    return f"`{metavar}`"


def _usage_part(action: argparse.Action) -> str:
    if action.option_strings:
        name = action.option_strings[-1] if len(action.option_strings[-1]) <= 2 else None
        name = name or next(o for o in action.option_strings if o.startswith("--"))
        if action.nargs == 0:
            text = name
        elif action.choices is not None and action.metavar is None:
            text = f"{name} {{{','.join(str(c) for c in action.choices)}}}"
        else:
            metavar = action.metavar if isinstance(action.metavar, str) else action.dest.upper()
            text = f"{name} {metavar}"
        return text if action.required else f"[{text}]"
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest
    if action.nargs == "?":
        return f"[{metavar}]"
    if action.nargs == "+":
        return f"{metavar} [{metavar} ...]"
    if action.nargs == "*":
        return f"[{metavar} ...]"
    return metavar


def synopsis(words: str, parser: argparse.ArgumentParser) -> str:
    """Return the synopsis of a command: its words, options, then arguments.

    Parameters
    ----------
    words
        The command after the program name (``"run"``).
    parser
        Its parser.

    Returns
    -------
    str
        ``fieldtotable run [--seed N] ... [SCENARIO]``, wrapped at 88 columns with
        the options aligned under the first.
    """
    actions = _documented(parser)
    options = [_usage_part(a) for a in actions if a.option_strings]
    positionals = [_usage_part(a) for a in actions if not a.option_strings]
    head = f"{parser.prog.split()[0]} {words}"
    lines = [head]
    for part in [*options, *positionals]:
        if len(lines[-1]) + 1 + len(part) > _WIDTH:
            lines.append(" " * len(head))
        lines[-1] += " " + part
    return "\n".join(lines)


def _names(action: argparse.Action) -> str:
    if action.option_strings:
        return ", ".join(f"`{name}`" for name in action.option_strings)
    metavar = action.metavar if isinstance(action.metavar, str) else action.dest
    return f"`{metavar}`"


def _help(action: argparse.Action) -> str:
    text = action.help or ""
    if "%(" in text:
        text = text % {**vars(action), "prog": "fieldtotable"}
    return inline(text)


_INTRO = """\
# Command line reference

<!-- Generated from the argument parser by
     tools.reference_pages.cli_page.cli_markdown(); do not edit.
     Regenerate with:  python -m tools.reference_pages -->

The `fieldtotable` command (also `python -m fieldtotable`) is a thin layer over the
Python API. `fieldtotable --help` lists the commands and `fieldtotable COMMAND --help`
shows a command's options; `fieldtotable --version` prints the version. A scenario is
a YAML file ([format](../scenario-format.md)) or the name of a built-in scenario
(`fieldtotable scenarios` lists them; an existing file of that name wins); where
`SCENARIO` is optional, the built-in `baseline` scenario is used. What the commands
print and write is described in the [results reference](results.md).

An option has one meaning on every command: `--out DIR` is the folder the command
writes its files to, `--store DIR` an experiment's resumable run store, `--report PATH`
the HTML report, `-n N` the number of replications. A misspelt command or option is
answered with the closest name.
"""


def cli_markdown() -> str:
    """Return the reference of the command line, as Markdown.

    Returns
    -------
    str
        The text of ``docs/reference/cli.md``: the exit statuses, then per command
        its synopsis, description and a table of its arguments and options.
    """
    parser = build_parser()
    found = list(commands(parser))
    lines = [_INTRO, "## Exit status", ""]
    lines += table(
        ["status", "meaning"], [[f"`{code}`", text] for code, text in EXIT_STATUSES.items()]
    )
    lines += [
        "",
        wrap(
            "Any other failure is a defect of the program: it stops with its traceback (status 1)."
        ),
        "",
        "## Commands",
        "",
    ]
    lines += table(
        ["command", "what it does"],
        [[f"[`{words}`](#{words.replace(' ', '-')})", inline(text)] for words, text, _ in found],
    )
    lines.append("")
    for words, text, sub in found:
        lines += [
            f'<a id="{words.replace(" ", "-")}"></a>',
            "",
            f"## fieldtotable {words}",
            "",
            wrap(inline(sub.description or text)),
            "",
            "```text",
            synopsis(words, sub),
            "```",
            "",
        ]
        rows = [[_names(a), option_value(a), _help(a)] for a in _documented(sub)]
        lines += [*table(["argument", "value", "meaning"], rows), ""]
        renamed = [
            f"`{old}` (now `{action.new}`)"
            for action in sub._actions
            if isinstance(action, RenamedOption)
            for old in action.option_strings
        ]
        if renamed:
            lines += [
                wrap(
                    "Old names, still accepted with a notice on stderr until the next "
                    f"release: {', '.join(renamed)}."
                ),
                "",
            ]
    return "\n".join(lines).rstrip("\n") + "\n"
