"""Blocks every report shares: headline cards, assumptions, how to reproduce, the footer."""

from __future__ import annotations

import datetime as dt
import shlex
from collections.abc import Iterable, Sequence

from fieldtotable.export.html import esc, kpi_label
from fieldtotable.report.page import card
from fieldtotable.scenario.dump import dump_scenario
from fieldtotable.scenario.schema import Scenario
from fieldtotable.tables import display_unit, format_number
from fieldtotable.versions import __version__, software_versions

__all__ = [
    "assumptions",
    "facts",
    "footer",
    "headline_cards",
    "period",
    "reproduce",
    "scenario_yaml",
    "version",
]


def version() -> str:
    """Return the installed fieldtotable version."""
    return __version__


_DISPLAY_NAMES = {"python": "Python", "simpy": "SimPy", "numpy": "NumPy", "scipy": "SciPy"}


def period(scenario: Scenario) -> str:
    """Return ``2023-01-01 to 2023-12-31 (365 days, warm-up 0)``."""
    end = scenario.start_date + dt.timedelta(days=scenario.horizon_days - 1)
    return (
        f"{scenario.start_date.isoformat()} to {end.isoformat()} "
        f"({scenario.horizon_days} days, warm-up {scenario.warmup_days})"
    )


def headline_cards(values: dict[str, tuple[str, str]]) -> str:
    """Return headline cards: per KPI key, its formatted value and a small note."""
    cards = [
        card(kpi_label(key), text, display_unit(key), note) for key, (text, note) in values.items()
    ]
    return f'<div class="cards">{"".join(cards)}</div>'


def value_text(key: str, value: float | None) -> str:
    """Return a KPI value formatted as the tables show it (rates as percentages)."""
    return format_number(value, display_unit(key))


def facts(items: Iterable[tuple[str, str]]) -> str:
    """Return a definition list of (term, text) pairs; the texts are escaped."""
    rows = "".join(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>" for term, text in items)
    return f'<dl class="facts">{rows}</dl>'


def assumptions(
    scenarios: Sequence[tuple[str, Scenario, str]],
    *,
    seeds: str,
    replications: str,
    statistics: Sequence[tuple[str, str]] = (),
) -> str:
    """Return the assumptions that the numbers rest on, and what makes them reproducible.

    Parameters
    ----------
    scenarios
        (label, scenario, sha256 hash) of every configuration in the report.
    seeds
        The seeds in words.
    replications
        The replications in words.
    statistics
        Extra facts on the statistics, each (title, text) with a title of its own
        (``Intervals``, ``Random numbers``): no two rows of the list share a title.
    """
    first = scenarios[0][1]
    model = [
        "Discrete-event simulation (SimPy) of lots of goods, one product from one source "
        "harvested together; lots split when a vehicle or a shelf takes part of them.",
        "Each lot carries the fraction of its shelf life used up. At temperature T it is "
        "used at the rate 1 / (24 · SL(T)) per hour, with "
        "SL(T) = SL_ref / Q10^((T \N{MINUS SIGN} T_ref) / 10) (or the Arrhenius "
        "equivalent); a lot spoils when the fraction reaches 1 (times its "
        "drawn lot-to-lot variability factor).",
        "KPIs are measured over the days after the warm-up; the mass balance harvested = "
        "rejected + refused + damaged + spoiled + sold + still in the channel is checked "
        "over the whole horizon after every run.",
        "Units: kg, hours (h), days (d), °C, CNY, km; rates are shares of kg.",
    ]
    items = [
        ("Period", period(first)),
        ("Seed", seeds),
        ("Replications", replications),
        *statistics,
        *(
            (f"Scenario {label}" if len(scenarios) > 1 else "Scenario", f"{s.name} · sha256 {h}")
            for label, s, h in scenarios
        ),
        ("fieldtotable", version()),
        (
            "Software",
            ", ".join(
                f"{_DISPLAY_NAMES.get(name, name)} {number}"
                for name, number in software_versions().items()
                if name != "fieldtotable"
            ),
        ),
    ]
    bullets = "".join(f"<li>{esc(line)}</li>" for line in model)
    return f"{facts(items)}<h3>The model</h3><ul>{bullets}</ul>"


def scenario_yaml(scenario: Scenario) -> str:
    """Return the fully resolved scenario as YAML (it loads back to an equal scenario)."""
    return dump_scenario(scenario)


def _pre(text: str) -> str:
    return f"<pre>{esc(text)}</pre>"


def reproduce(
    *,
    command: str | None,
    replay: Sequence[str] | None,
    python: str,
    files: Sequence[tuple[str, Scenario, str]],
) -> str:
    """Return how to reproduce the report.

    Parameters
    ----------
    command
        The command that produced the report, if known.
    replay
        Command words that reproduce it from the scenario files below (``None``
        when no command can: then only the Python is given).
    python
        The same in Python.
    files
        (file name, scenario, hash) of every scenario file to save.
    """
    parts = []
    if command:
        parts.append(f"<p>This report was made with</p>{_pre(command)}")
    names = ", ".join(f"<code>{esc(name)}</code>" for name, _, _ in files)
    if replay:
        how = f"and run</p>{_pre(shlex.join(replay))}<p>or, in Python,</p>"
    else:
        how = "and run, in Python,</p>"
    parts.append(
        f"<p>To reproduce it without the original files, save the fully resolved "
        f"scenario{'s' if len(files) > 1 else ''} below as {names} {how}{_pre(python)}"
        '<p class="note">The same seed, scenario and fieldtotable version give the same '
        "numbers, to the last digit, on any machine and with any number of worker "
        "processes.</p>"
    )
    for name, scenario, digest in files:
        parts.append(
            f"<details><summary>{esc(name)} &middot; {esc(scenario.name)} &middot; "
            f"sha256 {esc(digest[:16])}…</summary>{_pre(scenario_yaml(scenario))}</details>"
        )
    return "".join(parts)


def footer(digests: Sequence[str]) -> str:
    """Return the page footer: version, scenario hashes (if any), and that the file stands alone."""
    hashes = ", ".join(esc(d[:16]) + "…" for d in digests)
    scenarios = f"scenario sha256 {hashes} &middot; " if hashes else ""
    return (
        f"Made by fieldtotable {esc(version())} &middot; {scenarios}"
        "a self-contained file: no scripts, fonts or images from outside it."
    )
