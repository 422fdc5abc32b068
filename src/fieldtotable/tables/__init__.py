"""Plain-text tables of results: the command line's output.

Presentation only: these functions read finished results (and, optionally, the
scenario for display names and leg routes) and return text; they compute nothing
about the channel beyond simple ratios of numbers already in the results::

    from fieldtotable import load_scenario, simulate
    from fieldtotable.tables import format_run

    scenario = load_scenario("tests/data/small.yaml")
    print(format_run(simulate(scenario, seed=0), scenario))

:mod:`~fieldtotable.tables.format` formats numbers and units and aligns columns,
:mod:`~fieldtotable.tables.run` tabulates one run (its places and markets:
:mod:`~fieldtotable.tables.breakdowns`) and
:mod:`~fieldtotable.tables.experiments` replications, comparisons and sweeps,
:mod:`~fieldtotable.tables.listing` the scenario library and a scenario's summary.
Each takes ``width``, the columns to fit (the command line passes
:data:`~fieldtotable.tables.format.TERMINAL_WIDTH` unless ``--wide``).
"""

from fieldtotable.tables.breakdowns import (
    format_by_market,
    format_by_node,
    market_rows,
    node_rows,
)
from fieldtotable.tables.experiments import (
    SIGNIFICANT,
    format_comparison,
    format_estimate,
    format_experiment,
    format_interval,
    format_sweep,
)
from fieldtotable.tables.format import (
    MISSING,
    display_unit,
    format_number,
    format_table,
    text_width,
)
from fieldtotable.tables.listing import format_library, format_summary
from fieldtotable.tables.run import (
    format_by_leg,
    format_by_product,
    format_run,
    format_spoilage_by_stage,
    format_totals,
)

__all__ = [
    "MISSING",
    "SIGNIFICANT",
    "display_unit",
    "format_by_leg",
    "format_by_market",
    "format_by_node",
    "format_by_product",
    "format_comparison",
    "format_estimate",
    "format_experiment",
    "format_interval",
    "format_library",
    "format_number",
    "format_run",
    "format_spoilage_by_stage",
    "format_summary",
    "format_sweep",
    "format_table",
    "format_totals",
    "market_rows",
    "node_rows",
    "text_width",
]
