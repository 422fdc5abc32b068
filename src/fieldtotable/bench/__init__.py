"""Benchmarks of channel configurations (the canonical channel study).

::

    from fieldtotable.bench import run_channel_study, write_study

    study = run_channel_study(n=20)            # 50 configurations, common random numbers
    write_study(study, "bench-channels")       # channels.md, channels.csv, channels.png
    study.best(10.0)                           # lowest-spoilage configuration at 10x

The command line: ``fieldtotable bench channels [--n N] [--out DIR] [--quick]``;
the script: ``python benchmarks/channels.py``. The study reads the scenario files of
``scenarios/`` (the 2023 baseline and its variants); see
:mod:`fieldtotable.bench.channels` for the design and
:mod:`fieldtotable.bench.report` for the outputs.
"""

from fieldtotable.bench.channels import (
    DEFAULT_N,
    ISSUING,
    LOCAL_PRICES_CNY_PER_KG,
    METRICS,
    OVERLOADS,
    SCALES,
    VARIANTS,
    ChannelStudyResult,
    Configuration,
    Metric,
    Variant,
    capacity_indicators,
    channel_configurations,
    find_scenarios_dir,
    overload_overrides,
    run_channel_study,
)
from fieldtotable.bench.report import binding, format_study, plot_study, write_study

__all__ = [
    "DEFAULT_N",
    "ISSUING",
    "LOCAL_PRICES_CNY_PER_KG",
    "METRICS",
    "OVERLOADS",
    "SCALES",
    "VARIANTS",
    "ChannelStudyResult",
    "Configuration",
    "Metric",
    "Variant",
    "binding",
    "capacity_indicators",
    "channel_configurations",
    "find_scenarios_dir",
    "format_study",
    "overload_overrides",
    "plot_study",
    "run_channel_study",
    "write_study",
]
