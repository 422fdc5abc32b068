"""The tail options of ``replicate``, ``compare`` and ``sweep``, and what they print.

::

    fieldtotable replicate SCENARIO --quantiles 5,50,95 --cvar 0.95
        --target 'fill_rate>=0.9' [--period month|week]

``--quantiles`` and ``--cvar`` apply to the ``--kpi`` KPIs (default:
:data:`~fieldtotable.experiment.tail_summary.DEFAULT_TAIL_KPIS`); ``--target``
(repeatable) asks for the probability that a replication -- or, with ``--period``, a
month or week -- meets a target. ``replicate``'s ``--target`` also keeps its older
meaning: a number (``0.05``, ``5%``) is the precision target of ``-n auto``. The
estimates come from :mod:`fieldtotable.experiment.tail_summary`; this module only
reads the options and lays the answer out.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from typing import Any

from fieldtotable.cli.experiment_support import fraction
from fieldtotable.experiment.compare import ComparisonResult
from fieldtotable.experiment.errors import ExperimentError
from fieldtotable.experiment.results import ExperimentResult
from fieldtotable.experiment.sweep import SweepResult
from fieldtotable.experiment.tail_summary import (
    TailRequest,
    TailRow,
    Target,
    comparison_tails,
    experiment_tails,
    tails_to_dict,
)
from fieldtotable.results.paths import unknown_kpis
from fieldtotable.results.periods import PERIODS
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables.tails import format_tails

__all__ = ["add_tail_options", "percentiles", "tail_output", "tail_request"]


def add_tail_options(command: argparse.ArgumentParser, *, precision_target: bool) -> None:
    """Add ``--quantiles``, ``--cvar``, ``--target`` and ``--period`` to a command.

    Parameters
    ----------
    command
        The sub-command's parser.
    precision_target
        Whether ``--target`` may also be a number: ``replicate``'s precision target of
        ``-n auto`` (stored in ``args.target``, default 0.05).
    """
    command.add_argument(
        "--quantiles",
        type=percentiles,
        metavar="P,P,...",
        help="quantiles of each --kpi over the replications, in percent (e.g. 5,50,95), "
        "each with a bootstrap interval",
    )
    command.add_argument(
        "--cvar",
        type=fraction,
        metavar="LEVEL",
        help="CVaR of each --kpi at LEVEL (e.g. 0.95: the mean of the worst 5 %%, on the "
        "KPI's bad side), with a bootstrap interval",
    )
    target_help = (
        "the probability of meeting 'KPI>=X' or 'KPI<=X' (repeatable), with a Wilson interval"
    )
    if precision_target:
        command.set_defaults(target=0.05)
        target_help += "; a number (e.g. 0.05) is -n auto's precision target: half-width / |mean|"
    command.add_argument(
        "--target",
        action=_TargetAction,
        dest="tail_targets",
        default=[],
        metavar="'KPI>=X'" + ("|FRACTION" if precision_target else ""),
        help=target_help,
    )
    command.add_argument(
        "--period",
        choices=PERIODS,
        help="take the tails over every complete month or week of every replication "
        "(e.g. CVaR95 of monthly spoilage, the share of weeks with fill rate < 90%%)",
    )


class _TargetAction(argparse.Action):
    """``--target``: a KPI target, or (where allowed) the precision target of -n auto."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,  # noqa: ARG002  # argparse's signature
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,  # noqa: ARG002  # argparse's signature
    ) -> None:
        text = str(values)
        if hasattr(namespace, "target") and _is_number(text):
            try:
                namespace.target = fraction(text)
            except argparse.ArgumentTypeError as exc:
                raise argparse.ArgumentError(self, str(exc)) from None
            return
        try:
            target = Target.parse(text)
        except ValueError as exc:
            raise argparse.ArgumentError(self, str(exc)) from None
        setattr(namespace, self.dest, [*getattr(namespace, self.dest, []), target])


def tail_request(
    args: argparse.Namespace, scenarios: Scenario | Sequence[Scenario]
) -> TailRequest | None:
    """Return the tails the options ask for, or ``None`` when they ask for none.

    Parameters
    ----------
    args
        The parsed options.
    scenarios
        The scenario(s) run, whose products, legs and nodes a KPI path may name.

    Returns
    -------
    TailRequest or None
        The request.

    Raises
    ------
    ExperimentError
        In one line, for a KPI the scenarios do not have or ``--period`` without any
        tail statistic.
    """
    request = TailRequest(
        quantiles=tuple(args.quantiles or ()),
        cvar_level=args.cvar,
        targets=tuple(args.tail_targets),
        period=args.period,
        kpis=tuple(args.kpis or ()),
    )
    if request.empty:
        if args.period is not None:
            raise ExperimentError("argument --period: needs --quantiles, --cvar or --target")
        return None
    keys = [*request.statistic_kpis, *(target.kpi for target in request.targets)]
    for scenario in [scenarios] if isinstance(scenarios, Scenario) else scenarios:
        unknown = unknown_kpis(keys, scenario)
        if unknown:
            raise ExperimentError(f"unknown KPI for the tails: {unknown[0]}")
    return request


def tail_output(
    result: ExperimentResult | ComparisonResult | SweepResult,
    request: TailRequest,
    text: str,
    *,
    as_json: bool,
    width: int | None,
) -> str:
    """Return the command's output with the tails added.

    Parameters
    ----------
    result
        What the command ran.
    request
        The tails asked for.
    text
        The command's output without them (tables, or JSON text).
    as_json
        Whether ``text`` is JSON: the tails go under its ``tails`` key.
    width
        Columns the tables should fit.

    Returns
    -------
    str
        The tables followed by the tails, or the JSON with a ``tails`` key.

    Raises
    ------
    ExperimentError
        In one line, when a statistic cannot be taken (a KPI with no monthly or
        weekly form under ``--period``, a KPI with no bad side under ``--cvar``).
    """
    try:
        each, differences, baseline = _estimate(result, request)
    except ValueError as exc:
        raise ExperimentError(f"tails: {exc}") from None
    if as_json:
        data = json.loads(text)
        data["tails"] = {
            "period": request.period,
            "by_configuration": tails_to_dict(each),
            "paired_differences": tails_to_dict(differences),
        }
        return json.dumps(data, indent=2, ensure_ascii=False, default=str)
    return text + "\n\n" + format_tails(each, request, differences, baseline, width=width)


def _estimate(
    result: ExperimentResult | ComparisonResult | SweepResult, request: TailRequest
) -> tuple[dict[str, list[TailRow]], Mapping[str, list[TailRow]], str | None]:
    if isinstance(result, ComparisonResult):
        each, differences = comparison_tails(result, request)
        return each, differences, result.baseline
    if isinstance(result, SweepResult):
        return (
            {point.label: experiment_tails(point.result, request) for point in result.points},
            {},
            None,
        )
    return {result.scenario_name: experiment_tails(result, request)}, {}, None


def _is_number(text: str) -> bool:
    try:
        float(text.rstrip("%"))
    except ValueError:
        return False
    return True


def percentiles(text: str) -> tuple[float, ...]:
    """Read ``--quantiles 5,50,95`` as probabilities (0.05, 0.5, 0.95).

    Parameters
    ----------
    text
        Percentages separated by commas (``P5`` and ``5%`` read too).

    Returns
    -------
    tuple of float
        The probabilities, in order.

    Raises
    ------
    argparse.ArgumentTypeError
        For a value that is not a number strictly between 0 and 100.
    """
    found = []
    for part in text.split(","):
        try:
            value = float(part.strip().rstrip("%").removeprefix("P").removeprefix("p"))
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"must be percentages separated by commas, e.g. 5,50,95 (got {text!r})"
            ) from None
        if not 0 < value < 100:
            raise argparse.ArgumentTypeError(f"each must lie between 0 and 100 (got {part!r})")
        found.append(value / 100)
    return tuple(found)
