"""Plain-text tables of a :class:`~fieldtotable.results.RunResult`.

Presentation only: these functions read a finished result (and, optionally, its
scenario for display names and leg routes) and return text. They compute nothing
about the channel beyond simple ratios of numbers already in the result::

    from fieldtotable import load_scenario, simulate
    from fieldtotable.tables import format_run

    scenario = load_scenario("tests/data/small.yaml")
    print(format_run(simulate(scenario, seed=0), scenario))
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from fieldtotable.results.fields import KPIS
from fieldtotable.results.run import RunResult
from fieldtotable.tables.breakdowns import format_by_market, format_by_node
from fieldtotable.tables.format import (
    display_unit,
    format_number,
    format_table,
    share,
    text_width,
    widest,
)
from fieldtotable.tables.pnl import format_pnl

if TYPE_CHECKING:
    from fieldtotable.scenario.schema import Scenario

__all__ = [
    "format_by_leg",
    "format_by_product",
    "format_run",
    "format_spoilage_by_stage",
    "format_totals",
]


def _section(title: str, body: str) -> str:
    return f"{title}\n{'=' * len(title)}\n{body}"


def format_totals(result: RunResult, *, width: int | None = None) -> str:
    """Tabulate every KPI of the registry (:data:`~fieldtotable.results.fields.KPIS`).

    Parameters
    ----------
    result
        A finished run.
    width
        Columns to fit (``None``: no limit); the meanings wrap onto more lines.

    Returns
    -------
    str
        Columns ``KPI``, ``value``, ``unit`` and ``meaning``, one row per KPI in the
        order of the definitions; KPIs the result has beyond the definitions follow.
    """
    rows: list[list[str]] = []
    keys = [*KPIS, *(key for key in result.kpis if key not in KPIS)]
    for key in keys:
        found = KPIS.get(key)
        unit, meaning = ("", "") if found is None else (found.unit, found.definition)
        shown = display_unit(key, unit)
        rows.append([key, format_number(result.kpis.get(key), shown), shown, meaning])
    headers = ["KPI", "value", "unit", "meaning"]
    return format_table(headers, rows, align="lrll", width=width, wrap=[3])


def format_spoilage_by_stage(result: RunResult) -> str:
    """Tabulate spoiled kg per stage of the channel.

    Parameters
    ----------
    result
        A finished run.

    Returns
    -------
    str
        One row per stage (collection, transit, hub, market) and a total row, with
        spoiled kg, their percentage of the harvested kg and their share of all
        spoiled kg.
    """
    harvested = result.kpis.get("harvested_kg")
    total = sum(result.spoiled_kg_by_stage.values())
    rows = [
        [
            stage,
            format_number(kg, "kg"),
            format_number(share(kg, harvested), "%"),
            format_number(share(kg, total), "%"),
        ]
        for stage, kg in result.spoiled_kg_by_stage.items()
    ]
    if rows:
        rows.append(
            [
                "total",
                format_number(total, "kg"),
                format_number(share(total, harvested), "%"),
                format_number(share(total, total), "%"),
            ]
        )
    return format_table(["stage", "spoiled\nkg", "of harvested\n%", "of spoiled\n%"], rows)


#: Rows of the losses table before the rest is summed into one row.
LOSS_ROWS = 12


def format_losses(result: RunResult, *, rows: int = LOSS_ROWS) -> str:
    """Tabulate where the unsold kg left the channel: fate, stage, node and reason.

    Parameters
    ----------
    result
        A finished run.
    rows
        How many of the largest (fate, stage, node, reason) entries to show; the rest
        are summed into one row.

    Returns
    -------
    str
        One row per entry of :attr:`RunResult.losses` summed over the products, the
        largest first, with kg and their share of the harvested kg; ``(none)`` when
        nothing was lost.
    """
    harvested = result.kpis.get("harvested_kg")
    totals: dict[tuple[str, str, str, str], float] = {}
    for loss in result.losses:
        key = (loss.fate, loss.stage, loss.node, loss.reason)
        totals[key] = totals.get(key, 0.0) + loss.kg
    ranked = sorted(totals.items(), key=lambda item: (-item[1], item[0]))
    shown, rest = ranked[:rows], ranked[rows:]
    table = [
        [
            fate,
            stage,
            node,
            reason,
            format_number(kg, "kg"),
            format_number(share(kg, harvested), "%"),
        ]
        for (fate, stage, node, reason), kg in shown
    ]
    if rest:
        kg = sum(value for _key, value in rest)
        table.append(
            [
                f"{len(rest)} more",
                "",
                "",
                "",
                format_number(kg, "kg"),
                format_number(share(kg, harvested), "%"),
            ]
        )
    if not table:
        return "(none)"
    return format_table(
        ["fate", "stage", "node", "reason", "kg", "of harvested\n%"], table, align="llllrr"
    )


def _product_label(product_id: str, scenario: Scenario | None) -> str:
    if scenario is None:
        return product_id
    product = scenario.products.get(product_id)
    if product is None or not product.display_name:
        return product_id
    return product.display_name


def format_by_product(
    result: RunResult, scenario: Scenario | None = None, *, width: int | None = None
) -> str:
    """Tabulate the main KPIs of each product.

    Parameters
    ----------
    result
        A finished run.
    scenario
        The run's scenario, for product display names; ids are shown without it.
    width
        Columns to fit (``None``: no limit); long product names wrap.

    Returns
    -------
    str
        One row per product: harvested, sold and spoiled kg, spoilage rate, fill
        rate, sold value and mean remaining shelf life at sale.
    """
    columns = [
        ("harvested\nkg", "harvested_kg", "kg"),
        ("sold\nkg", "sold_kg", "kg"),
        ("spoiled\nkg", "spoiled_kg", "kg"),
        ("spoilage\n%", "spoilage_rate", "%"),
        ("fill rate\n%", "fill_rate", "%"),
        ("sold value\nCNY", "sold_value_cny", "CNY"),
        ("shelf life left\nat sale, d", "mean_remaining_shelf_life_at_sale_d", "d"),
    ]
    rows = [
        [
            _product_label(product_id, scenario),
            *(format_number(values.get(key), unit) for _, key, unit in columns),
        ]
        for product_id, values in result.by_product.items()
    ]
    return format_table(
        ["product", *(header for header, _, _ in columns)], rows, width=width, wrap=[0]
    )


def format_by_leg(
    result: RunResult, scenario: Scenario | None = None, *, width: int | None = None
) -> str:
    """Tabulate the work and cost of each transport leg.

    Parameters
    ----------
    result
        A finished run.
    scenario
        The run's scenario; with it, each leg's route (``from -> to``) and mode are
        shown too.
    width
        Columns to fit (``None``: no limit); headers break, and the route column is
        left out when the table would not fit otherwise (the leg ids name it).

    Returns
    -------
    str
        One row per leg: trips, kg carried, load factor (mean load over vehicle
        capacity), utilisation (share of the fleet's hours on trips), hours closed
        (a column shown only when some leg was closed) and cost.
    """
    columns = [
        ("trips\ncount", "trips", "count"),
        ("carried\nkg", "kg_carried", "kg"),
        ("load factor\n%", "load_factor", "%"),
        ("utilisation\n%", "utilisation", "%"),
        ("cost\nCNY", "cost_cny", "CNY"),
    ]
    if any(values.get("closed_h", 0.0) > 0 for values in result.by_leg.values()):
        # Only where a road closed: the table of a channel without closures stays narrow.
        columns.insert(4, ("closed\nh", "closed_h", "h"))
    table = _leg_table(result, scenario, columns, route=True, width=width)
    if width is not None and scenario is not None and widest(table) > width:
        table = _leg_table(result, scenario, columns, route=False, width=width)
    return table


def _leg_table(
    result: RunResult,
    scenario: Scenario | None,
    columns: list[tuple[str, str, str]],
    *,
    route: bool,
    width: int | None,
) -> str:
    labels: list[str] = ["leg"]
    if scenario is not None:
        labels += ["route", "mode"] if route else ["mode"]
    rows: list[list[str]] = []
    for leg_id, values in result.by_leg.items():
        row = [leg_id]
        if scenario is not None:
            leg = scenario.legs.get(leg_id)
            where = [f"{leg.from_} -> {leg.to}"] if route and leg is not None else [""] * route
            row += [*where, leg.mode if leg is not None else ""]
        row += [format_number(values.get(key), unit) for _, key, unit in columns]
        rows.append(row)
    return format_table(
        [*labels, *(header for header, _, _ in columns)],
        rows,
        align="l" * len(labels) + "r" * len(columns),
        width=width,
    )


def format_run(
    result: RunResult, scenario: Scenario | None = None, *, width: int | None = None
) -> str:
    """Present a whole run as readable plain-text tables.

    Parameters
    ----------
    result
        A finished run (from :func:`fieldtotable.simulate`).
    scenario
        The scenario that was run, if at hand: it adds product display names, leg
        routes and modes, and node kinds. Without it, ids are shown.
    width
        Columns every table should fit (``None``: no limit, every column at full
        width; the command line passes
        :data:`~fieldtotable.tables.format.TERMINAL_WIDTH` unless ``--wide``). Headers
        break at spaces, KPI meanings and product names wrap, and the leg table leaves
        out its route column; every KPI and every row stay.

    Returns
    -------
    str
        A heading line (and a line of the values drawn for uncertain parameters,
        when the scenario has priors), then the sections *Totals* (every KPI with value, unit and
        meaning), *Spoilage by stage*, *Where the unsold kg went* (the largest losses by
        fate, stage, node and reason), *By product*, *By leg*, *By node*, *By market*
        and *Profit and loss*, separated by blank lines, without a trailing newline.
        Every KPI is measured after the warm-up, as in the result.
    """
    measured = result.horizon_days - result.warmup_days
    heading = (
        f"{result.scenario_name} | seed {result.seed} | {result.horizon_days} days, "
        f"warm-up {result.warmup_days}, measured {measured}"
    )
    if width is not None and text_width(heading) > width:
        heading = heading.replace(" | ", "\n", 1)
    if result.parameters:  # drawn from the scenario's priors (uncertain:)
        heading += (
            "\n"
            + "drawn: "
            + ", ".join(f"{path} = {value:.4g}" for path, value in result.parameters.items())
        )
    sections = [
        heading,
        _section("Totals", format_totals(result, width=width)),
        _section("Spoilage by stage", format_spoilage_by_stage(result)),
        _section("Where the unsold kg went", format_losses(result)),
        _section("By product", format_by_product(result, scenario, width=width)),
        _section("By leg", format_by_leg(result, scenario, width=width)),
        _section("By node", format_by_node(result, scenario, width=width)),
        _section("By market", format_by_market(result, width=width)),
        _section("Profit and loss", format_pnl(result, width=width)),
    ]
    return "\n\n".join(sections)
