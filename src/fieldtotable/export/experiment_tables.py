"""Tidy tables of experiments: replications, comparisons and sweeps.

Each builder returns named :class:`~fieldtotable.export.tables.Table` objects: the
summary of every KPI with its confidence interval (long: one row per KPI, with a
``unit`` column), the per-replication values (wide: one column per KPI, whose key
carries the unit), the cost per kg sold by stage with its confidence interval, and
optionally every run's own tables stacked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from fieldtotable.experiment.statistics import estimate
from fieldtotable.export.tables import (
    RUN_TABLES,
    ColumnType,
    Table,
    float_columns,
    make_table,
    run_table_set,
)
from fieldtotable.results.money_stages import COST_STAGES, stage_costs_per_kg
from fieldtotable.results.paths import kpi_unit

if TYPE_CHECKING:
    from fieldtotable.experiment.compare import ComparisonResult
    from fieldtotable.experiment.results import ExperimentResult
    from fieldtotable.experiment.statistics import Difference, Estimate
    from fieldtotable.experiment.sweep import SweepResult

__all__ = [
    "EXPERIMENT_LABEL_COLUMNS",
    "comparison_table_set",
    "experiment_table_set",
    "sweep_table_set",
]

_ESTIMATE_COLUMNS = ("n", "mean", "sd", "half_width", "low", "high", "confidence", "missing")
_DIFFERENCE_COLUMNS = (
    "n",
    "mean",
    "sd",
    "half_width",
    "low",
    "high",
    "confidence",
    "baseline_mean",
    "relative",
    "p_value",
    "significant",
    "missing",
)
_INT_FIELDS = {"n", "missing"}

EXPERIMENT_LABEL_COLUMNS: dict[str, str] = {
    "kpi": "the KPI key (a key of ``RunResult.kpis`` or a dotted breakdown path)",
    "unit": "the KPI's unit",
    "replication": "replication index from 0",
    "configuration": "a compared configuration's name",
    "baseline": "the name of the configuration it is compared with",
    "point": "sweep point index from 0",
    "label": "the point's overrides in words (``legs.a.fleet=2, scale=5``)",
    "stage": "stage of the channel's cost (``farm_gate``, ``collection``, ``transport``,"
    " ``hubs``, ``market``); its rows estimate the stage's cost per kg sold, whose means"
    " add up to the mean of ``total_cost_per_kg_sold_cny``",
}
"""Meaning of the columns of experiment tables that are not statistics or KPIs."""


def _stat_columns(names: Sequence[str]) -> list[tuple[str, ColumnType]]:
    def kind(name: str) -> ColumnType:
        if name in _INT_FIELDS:
            return "int"
        return "bool" if name == "significant" else "float"

    return [(name, kind(name)) for name in names]


def _estimate_row(found: Estimate | Difference, names: Sequence[str]) -> dict[str, Any]:
    return {name: getattr(found, name) for name in names}


def _unit(key: str) -> str:
    return kpi_unit(key)


def _summary_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    return [
        {"kpi": key, "unit": _unit(key), **_estimate_row(found, _ESTIMATE_COLUMNS)}
        for key, found in result.kpis.items()
    ]


def _parameter_paths(result: ExperimentResult) -> list[str]:
    """Return the paths of the uncertain parameters the runs drew, in order (or none)."""
    return list(dict.fromkeys(path for run in result.runs for path in run.parameters))


def _replication_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    paths = _parameter_paths(result)
    return [
        {
            "replication": index,
            **{path: float(result.runs[index].parameters[path]) for path in paths},
            **{key: values[index] for key, values in result.values.items()},
        }
        for index in range(result.n)
    ]


_STAGE_UNIT = "CNY/kg"


def _stage_rows(result: ExperimentResult) -> list[dict[str, Any]]:
    """Per stage of the cost, the estimate of its cost per kg sold over the replications."""
    per_kg = [stage_costs_per_kg(run) for run in result.runs]
    return [
        {
            "stage": stage,
            "unit": _STAGE_UNIT,
            **_estimate_row(
                estimate([values[stage] for values in per_kg], result.confidence),
                _ESTIMATE_COLUMNS,
            ),
        }
        for stage in COST_STAGES
    ]


def _stage_table(prefix: Sequence[tuple[str, ColumnType]], rows: list[dict[str, Any]]) -> Table:
    return make_table(
        "cost_by_stage",
        [*prefix, ("stage", "str"), ("unit", "str"), *_stat_columns(_ESTIMATE_COLUMNS)],
        rows,
    )


def _stacked(
    name: str,
    prefix: Sequence[tuple[str, ColumnType]],
    parts: Iterable[tuple[dict[str, Any], Table]],
) -> Table:
    """Stack tables of the same kind, each row preceded by its ``prefix`` values."""
    columns: dict[str, ColumnType] = dict(prefix)
    rows: list[dict[str, Any]] = []
    for keys, table in parts:
        for column in table.columns:
            columns.setdefault(column, table.types[column])
        rows.extend({**keys, **row} for row in table.rows)
    return make_table(name, list(columns.items()), rows)


def _run_parts(
    labels: Sequence[tuple[dict[str, Any], ExperimentResult]],
) -> dict[str, list[tuple[dict[str, Any], Table]]]:
    parts: dict[str, list[tuple[dict[str, Any], Table]]] = {name: [] for name in RUN_TABLES}
    for keys, result in labels:
        for index, run in enumerate(result.runs):
            for name, table in run_table_set(run).items():
                parts[name].append(({**keys, "replication": index}, table))
    return parts


def experiment_table_set(result: ExperimentResult, *, runs: bool = False) -> dict[str, Table]:
    """Return the tables of replications of one scenario.

    Parameters
    ----------
    result
        The replications.
    runs
        Also stack every run's tables (``runs_by_product``, ``runs_daily``, ...),
        each row preceded by its ``replication``.

    Returns
    -------
    dict of str to Table
        ``summary`` (``kpi``, ``unit``, ``n``, ``mean``, ``sd``, ``half_width``,
        ``low``, ``high``, ``confidence``, ``missing``: one row per KPI) and
        ``replications`` (``replication``, the value drawn for each uncertain
        parameter, named by its path, when the scenario has priors, then one column
        per KPI: one row per replication) and ``cost_by_stage`` (``stage``,
        ``unit``: CNY/kg, and the estimate of the stage's cost per kg sold: one row per stage of
        :data:`~fieldtotable.results.money_stages.COST_STAGES`), then with ``runs``
        the stacked run tables ``runs_<name>`` for every name of :data:`RUN_TABLES`.
    """
    tables = {
        "summary": make_table(
            "summary",
            [("kpi", "str"), ("unit", "str"), *_stat_columns(_ESTIMATE_COLUMNS)],
            _summary_rows(result),
        ),
        "replications": make_table(
            "replications",
            [
                ("replication", "int"),
                *float_columns(_parameter_paths(result)),
                *float_columns(result.values),
            ],
            _replication_rows(result),
        ),
        "cost_by_stage": _stage_table([], _stage_rows(result)),
    }
    if runs:
        for name, parts in _run_parts([({}, result)]).items():
            tables[f"runs_{name}"] = _stacked(f"runs_{name}", [("replication", "int")], parts)
    return tables


def comparison_table_set(comparison: ComparisonResult, *, runs: bool = False) -> dict[str, Table]:
    """Return the tables of a comparison.

    Parameters
    ----------
    comparison
        The comparison.
    runs
        Also stack every run's tables (``runs_<name>``), each row preceded by its
        ``configuration`` and ``replication``.

    Returns
    -------
    dict of str to Table
        ``summary`` (``configuration``, ``kpi``, ``unit`` and the estimate:
        one row per configuration and KPI), ``differences`` (``configuration``,
        ``baseline``, ``kpi``, ``unit``, ``n``, ``mean``, ``sd``, ``half_width``,
        ``low``, ``high``, ``confidence``, ``baseline_mean``, ``relative``,
        ``p_value``, ``significant``, ``missing``: the paired difference
        ``configuration - baseline``), ``replications`` (``configuration``,
        ``replication``, one column per KPI) and ``cost_by_stage``
        (``configuration``, then as for :func:`experiment_table_set`).
    """
    summary = [
        {"configuration": name, **row}
        for name, result in comparison.results.items()
        for row in _summary_rows(result)
    ]
    differences = [
        {
            "configuration": name,
            "baseline": comparison.baseline,
            "kpi": key,
            "unit": _unit(key),
            **_estimate_row(diff, _DIFFERENCE_COLUMNS),
        }
        for name, diffs in comparison.differences.items()
        for key, diff in diffs.items()
    ]
    replications = [
        {"configuration": name, **row}
        for name, result in comparison.results.items()
        for row in _replication_rows(result)
    ]
    keys = next(iter(comparison.results.values())).values if comparison.results else {}
    label: list[tuple[str, ColumnType]] = [("configuration", "str")]
    tables = {
        "summary": make_table(
            "summary",
            [*label, ("kpi", "str"), ("unit", "str"), *_stat_columns(_ESTIMATE_COLUMNS)],
            summary,
        ),
        "differences": make_table(
            "differences",
            [
                *label,
                ("baseline", "str"),
                ("kpi", "str"),
                ("unit", "str"),
                *_stat_columns(_DIFFERENCE_COLUMNS),
            ],
            differences,
        ),
        "replications": make_table(
            "replications", [*label, ("replication", "int"), *float_columns(keys)], replications
        ),
        "cost_by_stage": _stage_table(
            label,
            [
                {"configuration": name, **row}
                for name, result in comparison.results.items()
                for row in _stage_rows(result)
            ],
        ),
    }
    if runs:
        labelled = [
            ({"configuration": name}, result) for name, result in comparison.results.items()
        ]
        for name, parts in _run_parts(labelled).items():
            tables[f"runs_{name}"] = _stacked(
                f"runs_{name}", [*label, ("replication", "int")], parts
            )
    return tables


def _parameter_value(value: Any) -> Any:
    """Return a sweep parameter's value as a cell: numbers and text as they are, others as JSON."""
    if isinstance(value, bool | int | float | str) or value is None:
        return value
    return json.dumps(value, ensure_ascii=False, default=str)


def _parameter_type(values: Sequence[Any]) -> ColumnType:
    if values and all(isinstance(v, bool) for v in values):
        return "bool"
    if values and all(isinstance(v, int) and not isinstance(v, bool) for v in values):
        return "int"
    if values and all(isinstance(v, int | float) and not isinstance(v, bool) for v in values):
        return "float"
    return "str"


def sweep_table_set(sweep: SweepResult, *, runs: bool = False) -> dict[str, Table]:
    """Return the tables of a sweep.

    Parameters
    ----------
    sweep
        The sweep.
    runs
        Also stack every run's tables (``runs_<name>``), each row preceded by its
        ``point`` and ``replication``.

    Returns
    -------
    dict of str to Table
        ``points`` (``point``, ``label``, one column per parameter), ``summary``
        (``point``, each parameter, ``kpi``, ``unit`` and the estimate: one row per
        point and KPI), ``replications`` (``point``, each parameter,
        ``replication``, one column per KPI) and ``cost_by_stage`` (``point``, each
        parameter, then as for :func:`experiment_table_set`). Parameter values that are lists or
        mappings are written as JSON text.
    """
    params = {
        name: [_parameter_value(point.overrides.get(name)) for point in sweep.points]
        for name in sweep.parameters
    }
    param_columns = [(name, _parameter_type(values)) for name, values in params.items()]

    def keys(index: int) -> dict[str, Any]:
        return {"point": sweep.points[index].index, **{n: v[index] for n, v in params.items()}}

    points = [{**keys(i), "label": point.label} for i, point in enumerate(sweep.points)]
    summary = [
        {**keys(i), **row}
        for i, point in enumerate(sweep.points)
        for row in _summary_rows(point.result)
    ]
    replications = [
        {**keys(i), **row}
        for i, point in enumerate(sweep.points)
        for row in _replication_rows(point.result)
    ]
    prefix: list[tuple[str, ColumnType]] = [("point", "int"), *param_columns]
    tables = {
        "points": make_table("points", [*prefix, ("label", "str")], points),
        "summary": make_table(
            "summary",
            [*prefix, ("kpi", "str"), ("unit", "str"), *_stat_columns(_ESTIMATE_COLUMNS)],
            summary,
        ),
        "replications": make_table(
            "replications",
            [*prefix, ("replication", "int"), *float_columns(sweep.kpis)],
            replications,
        ),
        "cost_by_stage": _stage_table(
            prefix,
            [
                {**keys(i), **row}
                for i, point in enumerate(sweep.points)
                for row in _stage_rows(point.result)
            ],
        ),
    }
    if runs:
        labelled = [(keys(i), point.result) for i, point in enumerate(sweep.points)]
        for name, parts in _run_parts(labelled).items():
            tables[f"runs_{name}"] = _stacked(
                f"runs_{name}", [*prefix, ("replication", "int")], parts
            )
    return tables
