"""What the experiment commands share: reading the scenario, the engine's options, errors.

``replicate``, ``compare``, ``sweep`` (:mod:`fieldtotable.cli.experiment`) and
``uncertainty`` (:mod:`fieldtotable.cli.uncertainty`) read their scenario with
:func:`read_scenario`, pass :func:`engine_options` to the experiment functions, and
wrap their handler in :func:`guard`, which turns experiment errors and an
:class:`OptionError` into one line on stderr and exit 2.
"""

from __future__ import annotations

import argparse
import warnings
from collections.abc import Callable
from typing import Any, TextIO

from fieldtotable.cli.options import (
    DEFAULT_SCENARIO,
    EXIT_BAD_INPUT,
    PROG,
    report_failed_runs,
    whole_number,
)
from fieldtotable.cli.outputs import OutputError
from fieldtotable.errors import ScenarioError
from fieldtotable.experiment import EXECUTORS, ExperimentError, RunFailedError, StoreWarning
from fieldtotable.scenario import apply_overrides, builtin_scenario, open_scenario
from fieldtotable.scenario.schema import Scenario

__all__ = [
    "Handler",
    "OptionError",
    "add_run_options",
    "engine_options",
    "fraction",
    "guard",
    "open_shortened",
    "read_scenario",
]

Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]
"""A command's handler: ``(args, out, err) -> exit status``."""


class OptionError(Exception):
    """An option value argparse accepted but the command cannot use."""


def fraction(text: str) -> float:
    """Read a level such as ``--confidence 0.95`` (or ``95%``) for argparse.

    Parameters
    ----------
    text
        A fraction or a percentage.

    Returns
    -------
    float
        The value, strictly between 0 and 1.

    Raises
    ------
    argparse.ArgumentTypeError
        For a value that is not a number strictly between 0 and 1.
    """
    try:
        value = float(text.rstrip("%")) / (100 if text.endswith("%") else 1)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number (got {text!r})") from None
    if not 0 < value < 1:
        raise argparse.ArgumentTypeError(f"must lie between 0 and 1 (got {text})")
    return value


def guard(handler: Handler) -> Handler:
    """Wrap a handler: experiment errors become one line on stderr and exit 2.

    Parameters
    ----------
    handler
        The command's handler.

    Returns
    -------
    Handler
        The handler, which also shows stored runs run again as one warning line each.
    """

    def run(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
        command = f"{PROG} {getattr(args, 'command', None) or handler.__name__.strip('_')}"

        def show(message: Warning | str, *_details: object, **_more: object) -> None:
            print(f"{command}: warning: {message}", file=err)

        try:
            with warnings.catch_warnings():
                # A stored run that is run again: one line each, as it is found.
                warnings.simplefilter("always", StoreWarning)
                warnings.showwarning = show
                return handler(args, out, err)
        except RunFailedError as exc:
            return report_failed_runs(command, exc, err)
        except (ExperimentError, OptionError, OutputError) as exc:
            print(f"{command}: error: {exc}", file=err)
            return EXIT_BAD_INPUT

    run.__name__ = handler.__name__
    run.__doc__ = handler.__doc__
    return run


def read_scenario(
    path: str | None, args: argparse.Namespace, overrides: dict[str, Any]
) -> Scenario:
    """Return the scenario of ``path`` (the default one when ``None``), changed as asked.

    Parameters
    ----------
    path
        The scenario file or built-in name, or ``None``.
    args
        The options (``--days``).
    overrides
        The ``--set`` values.

    Returns
    -------
    Scenario
        The scenario with the overrides applied and its horizon cut to ``--days``.

    Raises
    ------
    OptionError
        When ``--days`` is longer than the scenario's horizon.
    """
    scenario = builtin_scenario(DEFAULT_SCENARIO) if path is None else open_scenario(path)
    scenario = apply_overrides(scenario, overrides)
    if args.days is not None:
        if args.days > scenario.horizon_days:
            raise OptionError(
                f"argument --days: must be at most the scenario's horizon_days, "
                f"{scenario.horizon_days} (got {args.days})"
            )
        scenario = scenario.with_horizon(args.days)
    return scenario


def engine_options(args: argparse.Namespace, err: TextIO) -> dict[str, Any]:
    """Return the keyword arguments every experiment function takes, from the options.

    Parameters
    ----------
    args
        The options (``--seed``, ``--workers``, ``--executor``, ``--store``, ...).
    err
        The stream the progress bar draws on (unless ``--quiet``).

    Returns
    -------
    dict
        ``seed``, ``workers``, ``executor``, ``store``, ``dask_address``, ``kpis``,
        ``confidence`` and ``progress``.
    """
    executor = args.executor or ("dask" if args.dask_address else "process")
    return {
        "seed": args.seed,
        "workers": args.workers,
        "executor": executor,
        "store": args.store,
        "dask_address": args.dask_address,
        "kpis": args.kpis,
        "confidence": args.confidence,
        "progress": False if args.quiet else err,
    }


def add_run_options(command: argparse.ArgumentParser) -> None:
    """Add ``--seed``, ``--days``, ``--executor`` (default serial) and ``--workers``.

    Parameters
    ----------
    command
        The sub-command's parser (``optimise``, ``sensitivity``).
    """
    command.add_argument(
        "--seed",
        type=whole_number(0),
        default=0,
        metavar="N",
        help="seed of the experiment (default: 0)",
    )
    command.add_argument(
        "--days", type=whole_number(1), metavar="N", help="shorten the horizon to N days"
    )
    command.add_argument(
        "--executor",
        choices=EXECUTORS,
        default="serial",
        help="where runs execute (default: serial)",
    )
    command.add_argument(
        "--workers",
        type=whole_number(1),
        metavar="N",
        help="runs at once (default: all usable cores)",
    )


def open_shortened(path: str | None, days: int | None) -> Scenario:
    """Return the scenario of ``path`` (the default one when ``None``), cut to ``days``.

    Parameters
    ----------
    path
        The scenario file or built-in name, or ``None``.
    days
        ``--days``, or ``None`` to keep the horizon.

    Returns
    -------
    Scenario
        The scenario.

    Raises
    ------
    ScenarioError
        Named ``--days``, when it is longer than the scenario's horizon.
    """
    scenario = builtin_scenario(DEFAULT_SCENARIO) if path is None else open_scenario(path)
    if days is None:
        return scenario
    if days > scenario.horizon_days:
        raise ScenarioError.single(
            f"must be at most the scenario's horizon_days, {scenario.horizon_days} (got {days})",
            file="--days",
        )
    return scenario.with_horizon(days)
