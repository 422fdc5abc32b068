"""Tables and the figure of the channel study: markdown, CSV, PNG.

:func:`write_study` writes, into one folder, ``channels.md`` (the results table,
the lowest-spoilage configuration at each scale with paired differences, and what
binds as the channel scales), ``channels.csv`` (one row per configuration: every
metric's mean, half-width and interval, in model units), ``capacity.csv`` (every
capacity indicator of every configuration) and ``channels.png`` (the metrics
against scale). The figure uses matplotlib's object API (no pyplot, no display).
"""

from __future__ import annotations

import csv
import math
import os
import platform
import sys
from collections.abc import Sequence
from pathlib import Path

from fieldtotable.bench.channels import (
    METRICS,
    OVERLOADS,
    VARIANTS,
    ChannelStudyResult,
    Configuration,
    Metric,
    Variant,
)
from fieldtotable.experiment.statistics import Estimate
from fieldtotable.fileio.csv_cells import neutralise_csv_text
from fieldtotable.versions import __version__

__all__ = ["binding", "format_study", "machine_line", "plot_study", "write_study"]

#: Thresholds at which a capacity indicator counts as binding.
STORE_FULL = 0.99
"""Peak shelf stock at or above this share of the shelf."""
STORE_SHORT = 0.90
"""Store fill rate below this (with a full shelf): the shelf limits sales."""
NODE_FULL = 0.99
"""Peak stock at or above this share of the node's capacity."""
NODE_OVERFLOW = 0.01
"""Kg that found the node full, or that it refused: at least this share of the kg
harvested."""
LEG_BUSY = 0.90
"""Share of the fleet's hours spent on trips."""


def machine_line() -> str:
    """Describe the machine and software the study runs on, in one line."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as info:
            for line in info:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:
        cores = os.cpu_count() or 1
    return (
        f"{cpu}, {cores} usable cores; {platform.system()} {platform.release()}; "
        f"Python {sys.version.split()[0]}; fieldtotable {__version__}"
    )


def _show(found: Estimate, metric: Metric) -> str:
    if math.isnan(found.mean):
        return "n/a"
    mean = found.mean * metric.factor
    if math.isnan(found.half_width):
        return f"{mean:.{metric.digits}f}"
    return f"{mean:.{metric.digits}f} ± {found.half_width * metric.factor:.{metric.digits}f}"


def _labels(variants: Sequence[Variant]) -> dict[str, str]:
    return {variant.key: variant.label for variant in variants}


def _results_table(result: ChannelStudyResult, variants: Sequence[Variant]) -> list[str]:
    labels = _labels(variants)
    head = ["scale", "mode", "issuing", *(f"{m.label} ({m.unit})" for m in METRICS)]
    lines = [
        "| " + " | ".join(head) + " |",
        "|" + "|".join(["---:", "---", "---", *("---:" for _ in METRICS)]) + "|",
    ]
    for config in result.configurations:
        found = result.estimates[config.name]
        cells = [
            f"{config.scale:g}x",
            labels.get(config.variant, config.variant),
            config.issuing,
            *(_show(found[m.key], m) for m in METRICS),
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _best_table(result: ChannelStudyResult, variants: Sequence[Variant]) -> list[str]:
    labels = _labels(variants)
    spoilage = next(m for m in METRICS if m.key == "spoilage_rate")
    lines = [
        "| scale | lowest spoilage | spoilage (%) | runner-up | runner-up - lowest (points) | "
        "significant |",
        "|---:|---|---:|---|---:|---|",
    ]
    for scale in result.scales:
        best = result.best(scale)
        differences = result.spoilage_vs_best[scale]
        others = sorted(
            (name for name in differences if name != best),
            key=lambda name: differences[name].mean,
        )
        config = _config(result, best)
        cells = [
            f"{scale:g}x",
            f"{labels.get(config.variant, config.variant)}, {config.issuing}",
            _show(result.estimates[best]["spoilage_rate"], spoilage),
        ]
        if others:
            runner = _config(result, others[0])
            diff = differences[others[0]]
            cells += [
                f"{labels.get(runner.variant, runner.variant)}, {runner.issuing}",
                f"{diff.mean * 100:.2f} ± {diff.half_width * 100:.2f}",
                "yes" if diff.significant else "no",
            ]
        else:
            cells += ["", "", ""]
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _config(result: ChannelStudyResult, name: str) -> Configuration:
    return next(c for c in result.configurations if c.name == name)


def binding(indicators: dict[str, float]) -> list[str]:
    """Return the resources of one configuration that bind (see the module's thresholds).

    Parameters
    ----------
    indicators
        The configuration's :func:`~fieldtotable.bench.capacity_indicators`.

    Returns
    -------
    list of str
        ``store:<id>``, ``node:<id>`` and ``leg:<id>`` names, stores first.
    """
    found: list[str] = []
    for key, value in indicators.items():
        kind, resource, measure = key.split(":")
        name = f"{kind}:{resource}"
        if name in found or math.isnan(value):
            continue
        if kind == "store" and measure == "fill_rate":
            full = indicators.get(f"store:{resource}:peak_shelf", math.nan)
            if value < STORE_SHORT and full >= STORE_FULL:
                found.append(name)
        elif (
            kind == "node"
            and (
                (measure == "peak" and value >= NODE_FULL)
                or (measure in ("overflow", "refused") and value >= NODE_OVERFLOW)
            )
        ) or (kind == "leg" and measure == "utilisation" and value >= LEG_BUSY):
            found.append(name)
    return found


def _cell(indicators: dict[str, float], kind: str, resource: str) -> str:
    def pct(key: str) -> str:
        value = indicators.get(key, math.nan)
        return "n/a" if math.isnan(value) else f"{value * 100:.0f} %"

    prefix = f"{kind}:{resource}"
    if kind == "store":
        text = f"shelf {pct(prefix + ':peak_shelf')}, fill {pct(prefix + ':fill_rate')}"
    elif kind == "node":
        text = f"peak {pct(prefix + ':peak')}, overflow {pct(prefix + ':overflow')}"
        if f"{prefix}:refused" in indicators:
            text += f", refused {pct(prefix + ':refused')}"
    else:
        text = f"busy {pct(prefix + ':utilisation')}, load {pct(prefix + ':load_factor')}"
    return f"**{text}**" if prefix in binding(indicators) else text


def _capacity_table(result: ChannelStudyResult, variant: str, issuing: str) -> list[str]:
    configs = [c for c in result.configurations if c.variant == variant and c.issuing == issuing]
    if not configs:
        return []
    resources = list(
        dict.fromkeys(tuple(key.split(":")[:2]) for c in configs for key in result.capacity[c.name])
    )
    lines = [
        "| resource | " + " | ".join(f"{c.scale:g}x" for c in configs) + " |",
        "|---|" + "|".join("---" for _ in configs) + "|",
    ]
    for kind, resource in resources:
        cells = [_cell(result.capacity[c.name], kind, resource) for c in configs]
        lines.append(f"| {kind} {resource} | " + " | ".join(cells) + " |")
    return lines


def _first_binding(result: ChannelStudyResult, variant: str, issuing: str) -> str:
    configs = [c for c in result.configurations if c.variant == variant and c.issuing == issuing]
    first: dict[str, float] = {}
    for config in configs:
        for name in binding(result.capacity[config.name]):
            first.setdefault(name, config.scale)
    if not first:
        return "nothing binds at the scales studied"
    ordered = sorted(first.items(), key=lambda item: item[1])
    return "; ".join(f"{name.split(':', 1)[1]} from {scale:g}x" for name, scale in ordered)


def format_study(
    result: ChannelStudyResult,
    *,
    command: str | None = None,
    variants: Sequence[Variant] = VARIANTS,
) -> str:
    """Return the study as markdown: settings, results, lowest spoilage per scale, what binds.

    Parameters
    ----------
    result
        The finished study.
    command
        The command line that ran it, shown in the settings (left out when ``None``).
    variants
        The variants studied, for their labels and descriptions.

    Returns
    -------
    str
        The markdown text.
    """
    runs = result.n * len(result.configurations)
    lines = [
        "# Channel study: scale x mode x overload and issuing policy",
        "",
        f"- {len(result.configurations)} configurations x {result.n} replications = {runs} "
        f"runs of {result.configurations[0].scenario.horizon_days} days; common random "
        f"numbers (seed {result.seed}); intervals: {result.confidence:.0%} Student t "
        "(mean ± half-width).",
        f"- Wall time {result.wall_time_s / 60:.1f} min; machine: {machine_line()}.",
    ]
    if command:
        lines.append(f"- Command: `{command}`")
    lines += [f"- Scenario files: `{result.scenarios_dir}`", "", "Modes:", ""]
    for variant in variants:
        lines.append(
            f"- **{variant.label}** (`{variant.file}`, overload `{variant.overload}`): "
            f"{variant.description}."
        )
    lines += ["", "Overload settings:", ""]
    for key in dict.fromkeys(variant.overload for variant in variants):
        lines.append(f"- `{key}`: {OVERLOADS[key]}.")
    issuing_text = ", ".join(dict.fromkeys(c.issuing for c in result.configurations))
    lines += [
        "",
        "Scale k: every source's supply and every market's demand x k "
        "(`scale: k`, as `scale_kx.yaml`); fleets, cold rooms, hubs and the store's "
        f"shelf stay at their 2023 size. Issuing ({issuing_text}): in the shop and both "
        "order streams (and so at the Shanghai DC), as `fifo_store.yaml` for FIFO. "
        "Spoilage by stage, damaged and refused kg: shares of the kg harvested (the "
        "four stages add up to the spoilage rate).",
        "",
        "## Results",
        "",
        *_results_table(result, variants),
        "",
        "## Lowest spoilage at each scale",
        "",
        "Paired differences (common random numbers) of the spoilage rate to the "
        "lowest-spoilage configuration of the same scale; *significant*: the "
        "interval excludes 0.",
        "",
        *_best_table(result, variants),
        "",
        "## What binds as the channel scales",
        "",
        f"Per resource: stores -- peak shelf stock / shelf, fill rate; nodes -- peak "
        f"stock / capacity, kg that found it full and kg it refused (shares of the kg "
        f"harvested); legs -- "
        f"share of the fleet's hours on trips, mean load / vehicle. **Bold**: binding "
        f"(shelf full and store fill < {STORE_SHORT:.0%}; node peak >= "
        f"{NODE_FULL:.0%}, overflow or refused >= {NODE_OVERFLOW:.0%}; leg busy >= "
        f"{LEG_BUSY:.0%}). Means over the replications.",
        "",
    ]
    issuing = "FEFO" if any(c.issuing == "FEFO" for c in result.configurations) else None
    issuing = issuing or result.configurations[0].issuing
    for variant in variants:
        table = _capacity_table(result, variant.key, issuing)
        if not table:
            continue
        lines += [
            f"### {variant.label}, {issuing}",
            "",
            f"Binds: {_first_binding(result, variant.key, issuing)}.",
            "",
            *table,
            "",
        ]
    return "\n".join(lines)


def _write_csv(result: ChannelStudyResult, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        header = ["configuration", "scale", "mode", "issuing", "n"]
        for metric in METRICS:
            header += [f"{metric.key}_{part}" for part in ("mean", "half_width", "low", "high")]
        writer.writerow(header)
        for config in result.configurations:
            found = result.estimates[config.name]
            row: list[object] = [
                neutralise_csv_text(config.name),
                config.scale,
                neutralise_csv_text(config.variant),
                neutralise_csv_text(config.issuing),
                found["spoilage_rate"].n,
            ]
            for metric in METRICS:
                e = found[metric.key]
                row += [_number(e.mean), _number(e.half_width), _number(e.low), _number(e.high)]
            writer.writerow(row)


def _number(value: float) -> object:
    return "" if math.isnan(value) else repr(value)


def _write_capacity_csv(result: ChannelStudyResult, path: Path) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["configuration", "kind", "resource", "indicator", "mean"])
        for config in result.configurations:
            for key, value in result.capacity[config.name].items():
                texts = [config.name, *key.split(":")]
                writer.writerow([*map(neutralise_csv_text, texts), _number(value)])


PLOTTED: tuple[str, ...] = (
    "throughput_kg_per_day",
    "sold_value_cny",
    "profit_cny",
    "fill_rate",
    "spoilage_rate",
    "spoilage_collection",
    "spoilage_transit",
    "spoilage_hub",
    "spoilage_market",
    "refused_share",
    "cost_per_kg_sold_cny",
)
"""The metrics drawn against scale, in panel order (the others are in the tables)."""


def plot_study(
    result: ChannelStudyResult, path: str | os.PathLike[str], variants: Sequence[Variant] = VARIANTS
) -> None:
    """Draw the main metrics against scale: one line and interval band per mode and issuing policy.

    Parameters
    ----------
    result
        The finished study.
    path
        The image file to write (PNG).
    variants
        The variants studied, for their labels.
    """
    from matplotlib.figure import Figure  # noqa: PLC0415 -- imported only to draw

    by_key = {metric.key: metric for metric in METRICS}
    shown = [by_key[key] for key in PLOTTED if key in by_key]
    columns = 4
    figure = Figure(figsize=(15, 10), layout="constrained")
    panels = figure.subplots(math.ceil((len(shown) + 1) / columns), columns, squeeze=False).ravel()
    labels = _labels(variants)
    overloads = {variant.key: variant.overload for variant in variants}
    studied = list(dict.fromkeys(c.variant for c in result.configurations))
    colours = {variant: f"C{index % 10}" for index, variant in enumerate(studied)}
    scales = list(result.scales)
    policies = list(dict.fromkeys(c.issuing for c in result.configurations))
    for panel, metric in zip(panels, shown, strict=False):
        for variant in studied:
            for issuing in policies:
                configs = [
                    c
                    for c in result.configurations
                    if c.variant == variant and c.issuing == issuing
                ]
                found = [result.estimates[c.name][metric.key] for c in configs]
                means = [e.mean * metric.factor for e in found]
                half = [
                    0.0 if math.isnan(e.half_width) else e.half_width * metric.factor for e in found
                ]
                x = [c.scale for c in configs]
                # The reference (the file's own policy) dashed; FIFO with square markers.
                style = "--" if overloads.get(variant) == "as_file" else "-"
                panel.plot(
                    x,
                    means,
                    color=colours[variant],
                    linestyle=style,
                    marker="s" if issuing == "FIFO" else "o",
                    markersize=3,
                    label=f"{labels.get(variant, variant)}"
                    + (f", {issuing}" if len(policies) > 1 else ""),
                )
                panel.fill_between(
                    x,
                    [m - h for m, h in zip(means, half, strict=True)],
                    [m + h for m, h in zip(means, half, strict=True)],
                    color=colours[variant],
                    alpha=0.2,
                    linewidth=0,
                )
        panel.set_xticks(scales, [f"{s:g}x" for s in scales])
        panel.set_title(f"{metric.label} ({metric.unit})", fontsize=10)
        panel.grid(visible=True, alpha=0.3)
    handles, names = panels[0].get_legend_handles_labels()
    spare = panels[len(shown) :]
    for panel in spare:
        panel.axis("off")
    spare[0].legend(handles, names, loc="center", fontsize=8, frameon=False)
    figure.suptitle(
        f"Channel study: mean and {result.confidence:.0%} interval (band) over {result.n} "
        "replications (common random numbers), against the volume relative to 2023",
        fontsize=11,
    )
    figure.savefig(path, dpi=100)


def write_study(
    result: ChannelStudyResult,
    out: str | os.PathLike[str],
    *,
    command: str | None = None,
    variants: Sequence[Variant] = VARIANTS,
) -> dict[str, Path]:
    """Write the markdown, the CSV tables and the figure into folder ``out``.

    Parameters
    ----------
    result
        The finished study.
    out
        The folder; created if missing.
    command
        The command line that ran the study, shown in the markdown.
    variants
        The variants studied, for their labels and descriptions.

    Returns
    -------
    dict of str to Path
        ``markdown``, ``csv``, ``capacity_csv``, ``figure`` -> the paths written.
    """
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {
        "markdown": folder / "channels.md",
        "csv": folder / "channels.csv",
        "capacity_csv": folder / "capacity.csv",
        "figure": folder / "channels.png",
    }
    paths["markdown"].write_text(
        format_study(result, command=command, variants=variants) + "\n", encoding="utf-8"
    )
    _write_csv(result, paths["csv"])
    _write_capacity_csv(result, paths["capacity_csv"])
    plot_study(result, paths["figure"], variants)
    return paths
