"""The channel study's configurations: scales, ways to move the goods, issuing policies.

:data:`VARIANTS` are scenario files of ``scenarios/`` (the 2023 baseline and its
variants); :func:`channel_configurations` crosses them with :data:`SCALES` and
:data:`ISSUING` into the :class:`Configuration` objects that
:func:`fieldtotable.bench.run_channel_study` runs.
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
    "SCALES",
    "VARIANTS",
    "Configuration",
    "Variant",
    "channel_configurations",
    "find_scenarios_dir",
]

SCALES: tuple[float, ...] = (1.0, 2.0, 5.0, 10.0)
"""Supply and demand relative to 2023 (capacities kept at their 2023 size)."""

ISSUING: tuple[str, ...] = ("FIFO", "FEFO")
"""Issuing policies compared in every Shanghai market (and so at the Shanghai DC)."""

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
    """

    key: str
    label: str
    file: str
    description: str


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
)


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
                overrides: dict[str, object] = {"scale": scale, **_issuing_overrides(base, policy)}
                scenario = apply_overrides(base, overrides)
                if days is not None:
                    scenario = scenario.with_horizon(days)
                name = f"{scale:g}x {variant.key} {policy}"
                scenario = scenario.model_copy(update={"name": f"{scenario.name} [{name}]"})
                configurations.append(Configuration(name, scale, variant.key, policy, scenario))
    return configurations
