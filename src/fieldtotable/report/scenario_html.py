"""The scenario in a report: what was simulated, in tables a planner can read.

Products, sources, collection points and hubs, legs with their modes, and markets,
with the numbers that shape the answer (shelf lives, capacities, fleets, dispatch,
setpoints, prices); and, for comparisons, the values in which two scenarios differ.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from fieldtotable.export.html import esc, html_table
from fieldtotable.report.page import scroll
from fieldtotable.scenario.distributions import Distribution
from fieldtotable.scenario.kinds import NodeSchema
from fieldtotable.scenario.nodes import places
from fieldtotable.scenario.schema import CollectionPoint, Hub, Scenario

__all__ = ["distribution_text", "product_name", "scenario_differences", "scenario_summary"]


def _n(value: float | None) -> str:
    """Format a plain number without trailing zeros (``9.5``, ``15,000``)."""
    if value is None:
        return "-"
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.4g}" if abs(value) < 1000 else f"{value:,.1f}"


def distribution_text(dist: Distribution) -> str:
    """Return a distribution in a few words.

    The mode and range of a triangular distribution (``9.5 (8-14)``, with an en dash),
    the range of a uniform one (``2-8``), ``mean 120, CV 0.5`` for lognormal and
    gamma, ``mean 400, sd 60`` for normal.
    """
    kind = dist.dist
    if kind == "constant":
        return _n(dist.value)
    if kind == "uniform":
        return f"{_n(dist.low)}\N{EN DASH}{_n(dist.high)}"
    if kind == "triangular":
        return f"{_n(dist.mode)} ({_n(dist.low)}\N{EN DASH}{_n(dist.high)})"
    if kind == "normal":
        return f"mean {_n(dist.mean)}, sd {_n(dist.sd)}"
    if kind in {"lognormal", "gamma"}:
        return f"mean {_n(dist.mean)}, CV {_n(dist.cv)}"
    if kind == "poisson":
        return f"Poisson mean {_n(dist.mean)}"
    values = ", ".join(_n(v) for v in dist.values or ())
    return f"empirical [{values}]"


def product_name(scenario: Scenario, product_id: str) -> str:
    """Return a product's display name, or its id when it has none."""
    product = scenario.products.get(product_id)
    name = getattr(product, "display_name", None) if product is not None else None
    return str(name) if name else product_id


def _hours(hours: float) -> str:
    whole = int(hours)
    minutes = round((hours - whole) * 60)
    return f"{whole:02d}:{minutes:02d}"


def _dispatch(leg: Any) -> str:
    dispatch = leg.dispatch
    if dispatch.policy == "scheduled":
        return "scheduled " + ", ".join(_hours(h) for h in dispatch.departures_h)
    return (
        f"when {_n(dispatch.min_load_kg)} kg are ready, at the latest after "
        f"{_n(dispatch.max_wait_h)} h"
    )


def _setpoint(node: Any) -> str:
    text = f"{_n(node.setpoint_c)} °C"
    classes = getattr(node, "class_setpoints_c", {}) or {}
    if classes:
        text += " (" + ", ".join(f"{k} {_n(v)} °C" for k, v in classes.items()) + ")"
    return text


def _facts(scenario: Scenario) -> str:
    start = scenario.start_date
    end = start + dt.timedelta(days=scenario.horizon_days - 1)
    measured = scenario.horizon_days - scenario.warmup_days
    items = [
        ("Period", f"{start.isoformat()} to {end.isoformat()} ({scenario.horizon_days} days)"),
        ("Warm-up", f"{scenario.warmup_days} days left out of the KPIs; {measured} days measured"),
        ("Scale", f"{_n(scenario.scale)} \N{MULTIPLICATION SIGN} the scenario's supply and demand"),
        (
            "Network",
            f"{len(scenario.products)} products, {len(scenario.sources)} sources, "
            f"{len(scenario.collection_points)} collection points, {len(scenario.hubs)} hubs, "
            + (f"{len(scenario.nodes)} other nodes, " if scenario.nodes else "")
            + f"{len(scenario.legs)} legs, {len(scenario.markets)} markets",
        ),
    ]
    preferred = getattr(scenario.routing, "prefer_modes", {}) or {}
    if preferred:
        text = "; ".join(
            f"{product_name(scenario, p)}: {', '.join(m)}" for p, m in preferred.items()
        )
        items.append(("Preferred modes", text))
    rows = "".join(f"<dt>{esc(k)}</dt><dd>{esc(v)}</dd>" for k, v in items)
    return f'<dl class="facts">{rows}</dl>'


def _products(scenario: Scenario) -> str:
    rows = []
    for product_id, product in scenario.products.items():
        sensitivity = (
            f"Q10 {_n(product.q10)}"
            if getattr(product, "q10", None) is not None
            else f"Ea {_n(product.activation_energy_kj_mol)} kJ/mol"
        )
        markdown = product.markdown
        markdown_text = (
            f"{markdown.discount:.0%} off below {markdown.below_remaining_fraction:.0%} left"
            if markdown is not None
            else "-"
        )
        rows.append(
            [
                product_name(scenario, product_id),
                product.temperature_class,
                f"{_n(product.shelf_life_days)} at {_n(product.ref_temp_c)} °C",
                sensitivity,
                _n(product.shelf_life_cv),
                _n(product.price_cny_per_kg),
                markdown_text,
            ]
        )
    headers = [
        "product",
        "class",
        "shelf life\nd",
        "temperature sensitivity",
        "shelf-life CV",
        "price\nCNY/kg",
        "markdown",
    ]
    return scroll(html_table(headers, rows, align="llrlrrl"))


def _sources(scenario: Scenario) -> str:
    rows = [
        [
            source_id,
            source.region,
            source.collection_point,
            ", ".join(product_name(scenario, p) for p in source.supply),
            _n(source.harvest_hour),
            distribution_text(source.hours_to_collection),
        ]
        for source_id, source in scenario.sources.items()
    ]
    headers = [
        "source",
        "region",
        "collection point",
        "products",
        "harvest\nhour",
        "to collection point\nh",
    ]
    return scroll(html_table(headers, rows, align="llllrl"))


def _place_row(node_id: str, kind: NodeSchema, config: Any) -> list[str]:
    """One row of the places table: built-in kinds by their fields, others by theirs."""
    if isinstance(config, CollectionPoint):
        precooling = config.precooling
        cooling = (
            f"{precooling.units} \N{MULTIPLICATION SIGN} {_n(precooling.capacity_kg_per_h)} kg/h"
            if precooling.capacity_kg_per_h is not None
            else f"{precooling.units} unit(s)"
        )
        return [
            node_id,
            kind.label,
            config.region,
            _n(config.cold_room_kg),
            _setpoint(config),
            f"grading rejects {_fraction(config.grading_reject_fraction)}; pre-cooling {cooling}",
        ]
    if isinstance(config, Hub):
        return [
            node_id,
            kind.label,
            config.region,
            _n(config.storage_kg),
            _setpoint(config),
            f"handling {_n(config.handling_time_h)} h",
        ]
    # A kind added by code: its own fields, as written in the scenario.
    own = config.model_dump(mode="json", exclude={"kind", "region", "location"})
    notes = "; ".join(f"{key} {value}" for key, value in own.items())
    setpoint = _setpoint(config) if hasattr(config, "setpoint_c") else ""
    return [node_id, kind.label, config.region, "", setpoint, notes]


def _nodes(scenario: Scenario) -> str:
    rows = [
        _place_row(node_id, kind, config) for node_id, (kind, config) in places(scenario).items()
    ]
    headers = ["node", "kind", "region", "capacity\nkg", "setpoint", "notes"]
    return scroll(html_table(headers, rows, align="lllrll"))


def _fraction(value: Any) -> str:
    if isinstance(value, dict):
        groups: dict[str, list[str]] = {}
        for key, share in value.items():
            groups.setdefault(f"{share:.0%}", []).append(str(key))
        return "; ".join(f"{share} of {', '.join(keys)}" for share, keys in groups.items())
    if isinstance(value, int | float):
        return f"{value:.0%}"
    return str(value)


def _legs(scenario: Scenario) -> str:
    rows = []
    for leg_id, leg in scenario.legs.items():
        products = getattr(leg, "products", None)
        rows.append(
            [
                leg_id,
                f"{leg.from_} → {leg.to}",
                leg.mode.replace("_", " "),
                _n(leg.distance_km),
                distribution_text(leg.transit_time_h),
                f"{leg.fleet} \N{MULTIPLICATION SIGN} {_n(leg.vehicle_capacity_kg)}",
                _dispatch(leg),
                _setpoint(leg),
                "all" if not products else ", ".join(product_name(scenario, p) for p in products),
            ]
        )
    headers = [
        "leg",
        "route",
        "mode",
        "distance\nkm",
        "transit time\nh",
        "fleet \N{MULTIPLICATION SIGN} capacity\nkg",
        "dispatch",
        "setpoint",
        "products",
    ]
    return scroll(html_table(headers, rows, align="lllrrrlll"))


def _product_list(scenario: Scenario, products: list[str]) -> str:
    if len(products) > 3 and set(products) == set(scenario.products):
        return f"all {len(products)} products"
    return ", ".join(product_name(scenario, p) for p in products)


def _range(values: list[float], unit: str) -> str:
    low, high = min(values), max(values)
    return f"{_n(low)} {unit}" if low == high else f"{_n(low)}\N{EN DASH}{_n(high)} {unit}"


def _markets(scenario: Scenario) -> str:
    rows = []
    streams = []
    for market_id, market in scenario.markets.items():
        products: list[str]
        if market.kind == "store":
            products = list(market.demand)
            opening = f"{_hours(market.open_hours[0])}\N{EN DASH}{_hours(market.open_hours[1])}"
            detail = (
                f"shelf {_n(market.shelf_capacity_kg)} kg at {_setpoint(market)}; open {opening}; "
                f"replenishment {market.replenishment.policy.replace('_', '-')}"
            )
        else:
            products = list(market.orders)
            every = [o.every_days for o in market.orders.values()]
            detail = f"an order per product every {_range(every, 'd')}"
            streams += [
                [
                    market_id,
                    product_name(scenario, product),
                    _n(order.every_days),
                    distribution_text(order.kg),
                ]
                for product, order in market.orders.items()
            ]
        rows.append(
            [
                market_id,
                "store" if market.kind == "store" else "orders",
                market.supplied_by,
                market.issuing,
                _product_list(scenario, products),
                detail,
            ]
        )
    headers = ["market", "kind", "supplied by", "issuing", "products", "details"]
    html = scroll(html_table(headers, rows, align="llllll"))
    if streams:
        table = html_table(
            ["market", "product", "every\nd", "kg per order\nkg"], streams, align="llrl"
        )
        html += (
            f"<details><summary>Order streams ({len(streams)})</summary>{scroll(table)}</details>"
        )
    return html


def scenario_summary(scenario: Scenario, *, level: int = 3) -> str:
    """Return the scenario as HTML: key facts, then products, sources, nodes, legs, markets.

    Parameters
    ----------
    scenario
        The scenario.
    level
        Heading level of the sub-sections.
    """
    h = f"h{level}"
    parts = []
    if scenario.description.strip():
        parts.append(f"<p>{esc(scenario.description.strip())}</p>")
    parts.append(_facts(scenario))
    for title, body in (
        ("Products", _products(scenario)),
        ("Sources", _sources(scenario)),
        ("Collection points and hubs", _nodes(scenario)),
        ("Transport legs", _legs(scenario)),
        ("Markets", _markets(scenario)),
    ):
        parts.append(f"<{h}>{esc(title)}</{h}>{body}")
    return "".join(parts)


def _flatten(data: Any, prefix: str = "") -> dict[str, Any]:
    if isinstance(data, dict) and data:
        flat: dict[str, Any] = {}
        for key, value in data.items():
            flat.update(_flatten(value, f"{prefix}.{key}" if prefix else str(key)))
        return flat
    return {prefix: data}


def _compact(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_compact(item) for item in value]
    if isinstance(value, dict):
        return {key: _compact(item) for key, item in value.items()}
    return value


def _shown(value: Any) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        return value
    return json.dumps(_compact(value), ensure_ascii=False)


def scenario_differences(base: Scenario, other: Scenario, *, limit: int = 40) -> list[list[str]]:
    """Return the values in which ``other`` differs from ``base``: ``[path, base, other]`` rows.

    The name and description are left out. Paths are dotted as in ``--set``; lists
    are compared whole. At most ``limit`` rows, then one row saying how many more.
    """
    left = _flatten(base.model_dump(mode="json", by_alias=True))
    right = _flatten(other.model_dump(mode="json", by_alias=True))
    rows = []
    for path in [*left, *(p for p in right if p not in left)]:
        if path in {"name", "description"}:
            continue
        if left.get(path) != right.get(path):
            rows.append([path, _shown(left.get(path)), _shown(right.get(path))])
    if len(rows) > limit:
        more = len(rows) - limit
        rows = [*rows[:limit], [f"... and {more} more", "", ""]]
    return rows
