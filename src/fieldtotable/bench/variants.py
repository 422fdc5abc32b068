"""The channel study's configurations: scales, ways to move the goods, overload and issuing.

:data:`VARIANTS` are scenario files of ``scenarios/`` (the 2023 baseline and its
variants), each with the overload policies it runs under (:data:`OVERLOADS`: the
realistic ones -- full stores refuse upstream and serve the most perishable lots
first -- or the file's own, which wait outside); :func:`channel_configurations`
crosses them with :data:`SCALES` and :data:`ISSUING` into the :class:`Configuration`
objects that :func:`fieldtotable.bench.run_channel_study` runs.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from fieldtotable.errors import FieldToTableError
from fieldtotable.scenario import Scenario, apply_overrides, load_scenario
from fieldtotable.scenario.builtin import library_root

__all__ = [
    "ISSUING",
    "LOCAL_PRICES_CNY_PER_KG",
    "OVERLOADS",
    "SCALES",
    "VARIANTS",
    "Configuration",
    "Variant",
    "channel_configurations",
    "find_scenarios_dir",
    "overload_overrides",
]

SCALES: tuple[float, ...] = tuple(float(scale) for scale in range(1, 11))
"""Supply and demand relative to 2023, 1x to 10x (capacities kept at their 2023 size)."""

ISSUING: tuple[str, ...] = ("FEFO",)
"""Issuing policies in every Shanghai market (and so at the Shanghai DC): the 2023
baseline's FEFO. ``("FIFO", "FEFO")`` compares the two (FEFO was 0.06-0.19 points of
spoilage lower in every mode up to 5x, and no different at 10x: docs/benchmarks.md)."""

OVERLOADS: dict[str, str] = {
    "refuse": "every collection point and hub takes only what fits (refuse_upstream, "
    "with back pressure: legs load only what their destination can take, and producers "
    "keep what a collection point's gate refuses) and serves the lots with the least "
    "shelf life left first (pre-cooling and loading)",
    "as_file": "the scenario file's own policies: in every 2023 file, goods that find a "
    "store full wait outside until space frees, first come first served (wait_ambient)",
}
"""The overload settings a :class:`Variant` may run under, with what they mean."""

LOCAL_PRICES_CNY_PER_KG: dict[str, float] = {"matsutake": 200.0}
"""Local prices of refused kg under ``refuse`` (``products.<id>.local_price_cny_per_kg``,
set where the file gives none): matsutake sell at Shangri-La's market at the lower
end of the C-grade farm-gate range (150-250 CNY/kg, cost-facts.md), as in
``scale_10x_invest.yaml``; the other products have no sourced local price, so refused
kg of them are lost to the producers (they count in ``refused_kg`` either way; only
``producer_income_cny`` depends on this)."""

_BASELINE_FILE = "baseline_2023.yaml"


@dataclass(frozen=True)
class Variant:
    """A way to move the goods: one scenario file of ``scenarios/``.

    Attributes
    ----------
    key
        Short name used in configuration names (``rail``).
    label
        Name in tables and figures.
    file
        The scenario file (extending ``baseline_2023.yaml``, or that file itself).
    description
        What it changes, in a sentence.
    overload
        A key of :data:`OVERLOADS`: ``refuse`` (realistic) or ``as_file``.
    """

    key: str
    label: str
    file: str
    description: str
    overload: str = "refuse"

    def __post_init__(self) -> None:
        if self.overload not in OVERLOADS:
            known = ", ".join(OVERLOADS)
            raise FieldToTableError(
                f"variant {self.key!r}: unknown overload setting {self.overload!r} (known: {known})"
            )


VARIANTS: tuple[Variant, ...] = (
    Variant(
        "road",
        "road (2023 dispatch)",
        _BASELINE_FILE,
        "the 2023 baseline: reefer trucks Shangri-La -> Kunming leave with 12 t or 48 h "
        "after the first cargo, Kunming -> Shanghai within 6 h of arrival (cross-dock); "
        "matsutake fly from the Shangri-La hub in season",
    ),
    Variant(
        "road_ftl",
        "road, full truckload",
        "dispatch_full_truckload.yaml",
        "both long road legs wait for 15 t loads (at most 96 h and 24 h)",
    ),
    Variant(
        "rail",
        "rail, Kunming -> Shanghai",
        "rail_kunming_shanghai.yaml",
        "the long leg in 26 t rail reefer containers (3-4 days; full or after 48 h)",
    ),
    Variant(
        "air",
        "air, matsutake direct",
        "air_matsutake_direct.yaml",
        "Shangri-La matsutake flown straight from the buying station the same evening",
    ),
    Variant(
        "road_wait",
        "road, goods wait outside (2023 policy)",
        _BASELINE_FILE,
        "the 2023 baseline as its file has it: goods that find a store full wait outside "
        "until space frees (the reference the realistic policies are measured against)",
        overload="as_file",
    ),
)
"""The ways to move the goods: four under the realistic overload policies, and the 2023
road configuration as its file has it (goods wait outside full stores) for reference."""


@dataclass(frozen=True)
class Configuration:
    """One configuration of the study.

    Attributes
    ----------
    name
        ``"5x rail FIFO"``: scale, variant key, issuing policy.
    scale, variant, issuing
        Its three factors (``variant`` is a :attr:`Variant.key`).
    scenario
        The scenario that runs.
    """

    name: str
    scale: float
    variant: str
    issuing: str
    scenario: Scenario = field(repr=False)


def find_scenarios_dir(scenarios_dir: str | os.PathLike[str] | None = None) -> Path:
    """Return the folder holding ``baseline_2023.yaml`` and its variant files.

    Parameters
    ----------
    scenarios_dir
        The folder; when ``None``, ``./scenarios``, then the built-in scenario library
        (:func:`fieldtotable.scenario.builtin.library_root`: the one installed with a
        wheel, or the ``scenarios`` folder of the source checkout).

    Returns
    -------
    Path
        The folder found.

    Raises
    ------
    FieldToTableError
        If no such folder is found.
    """
    if scenarios_dir is not None:
        candidates = [Path(scenarios_dir)]
    else:
        candidates = [Path.cwd() / "scenarios", Path(str(library_root()))]
    for folder in candidates:
        if (folder / _BASELINE_FILE).is_file():
            return folder
    looked = ", ".join(str(folder) for folder in candidates)
    raise FieldToTableError(
        f"the channel study needs the scenario files ({_BASELINE_FILE} and its variants); "
        f"not found in {looked}: give the folder (--scenarios DIR)"
    )


def _issuing_overrides(scenario: Scenario, issuing: str) -> dict[str, str]:
    return {f"markets.{market_id}.issuing": issuing for market_id in scenario.markets}


def overload_overrides(scenario: Scenario, overload: str) -> dict[str, object]:
    """Return the overrides that put ``scenario`` under an overload setting.

    Parameters
    ----------
    scenario
        The variant's scenario.
    overload
        A key of :data:`OVERLOADS`.

    Returns
    -------
    dict of str to object
        Dotted paths for :func:`~fieldtotable.scenario.apply_overrides`: none for
        ``as_file``; for ``refuse``, ``overload`` and ``priority`` of every collection
        point and hub, and the local prices of :data:`LOCAL_PRICES_CNY_PER_KG` for the
        products the scenario has and gives no local price.
    """
    if overload == "as_file":
        return {}
    overrides: dict[str, object] = {}
    nodes = [
        *(f"collection_points.{node_id}" for node_id in scenario.collection_points),
        *(f"hubs.{node_id}" for node_id in scenario.hubs),
    ]
    for node in nodes:
        overrides[f"{node}.overload"] = {"policy": "refuse_upstream"}
        overrides[f"{node}.priority"] = {"order": "least_shelf_life"}
    for product_id, price in LOCAL_PRICES_CNY_PER_KG.items():
        product = scenario.products.get(product_id)
        if product is not None and product.local_price_cny_per_kg is None:
            overrides[f"products.{product_id}.local_price_cny_per_kg"] = price
    return overrides


def channel_configurations(
    scenarios_dir: str | os.PathLike[str] | None = None,
    *,
    scales: Sequence[float] = SCALES,
    variants: Sequence[Variant] = VARIANTS,
    issuing: Sequence[str] = ISSUING,
    days: int | None = None,
) -> list[Configuration]:
    """Build the study's configurations from the scenario files.

    Parameters
    ----------
    scenarios_dir
        Where the variant files are (see :func:`find_scenarios_dir`).
    scales, variants, issuing
        The three factors; every combination is a configuration, scale first.
    days
        Shorten every horizon to this many days (a quick check).

    Returns
    -------
    list of Configuration
        Named ``"{scale}x {variant} {issuing}"``.

    Raises
    ------
    ScenarioError
        If a variant file has problems.
    FieldToTableError
        If the scenario folder is not found.
    """
    folder = find_scenarios_dir(scenarios_dir)
    loaded = {variant.key: load_scenario(folder / variant.file) for variant in variants}
    configurations = []
    for scale in scales:
        for variant in variants:
            for policy in issuing:
                base = loaded[variant.key]
                overrides: dict[str, object] = {
                    "scale": scale,
                    **_issuing_overrides(base, policy),
                    **overload_overrides(base, variant.overload),
                }
                scenario = apply_overrides(base, overrides)
                if days is not None:
                    scenario = scenario.with_horizon(days)
                name = f"{scale:g}x {variant.key} {policy}"
                scenario = scenario.model_copy(update={"name": f"{scenario.name} [{name}]"})
                configurations.append(Configuration(name, scale, variant.key, policy, scenario))
    return configurations
