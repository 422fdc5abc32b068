"""The hand-written introduction of the scenario-format reference, and where it lives.

:mod:`tools.reference_pages.scenario_page` assembles ``docs/scenario-format.md`` from the
models; the text that cannot come from them is written by hand. This module holds the
page's path, the command that regenerates it and its introduction (the file's
conventions, units, distributions, variants, ``--set`` and ``$schema``). The rest of
the hand-written text lives in sibling modules, all re-exported here:
:mod:`~tools.reference_pages.scenario_units` (unit and name tables),
:mod:`~tools.reference_pages.scenario_examples` (the example files) and
:mod:`~tools.reference_pages.scenario_sections` (the page's sections).
"""

from __future__ import annotations

from tools.reference_pages.scenario_examples import (
    EXAMPLE_HEADING,
    EXAMPLE_SCENARIO,
    EXTENDS_EXAMPLE,
    SET_EXAMPLES,
)
from tools.reference_pages.scenario_sections import SECTIONS, Section
from tools.reference_pages.scenario_units import (
    _DISTRIBUTION_UNITS,
    _KEY_NAMES,
    _KIND_MEANINGS,
    NAME_UNITS,
    NO_UNIT,
    SUFFIX_UNITS,
)

# The private tables are listed for tools.reference_pages.scenario_page, which reads them.
__all__ = [
    "DOC_PATH",
    "EXAMPLE_HEADING",
    "EXAMPLE_SCENARIO",
    "EXTENDS_EXAMPLE",
    "NAME_UNITS",
    "NO_UNIT",
    "REGENERATE_COMMAND",
    "SECTIONS",
    "SET_EXAMPLES",
    "SUFFIX_UNITS",
    "_DISTRIBUTION_UNITS",
    "_KEY_NAMES",
    "_KIND_MEANINGS",
    "Section",
]

DOC_PATH = "docs/scenario-format.md"
"""Where the reference lives, relative to the repository root."""

REGENERATE_COMMAND = "python -m tools.reference_pages"
"""The shell command, run at the repository root, that rewrites :data:`DOC_PATH` (and
the other generated pages)."""

_INTRO = """\
# Scenario file format

<!-- Generated from the scenario models by
     tools.reference_pages.scenario_page.scenario_format_markdown(); do not edit.
     Regenerate with:
     @REGENERATE@ -->

A scenario describes one configuration of the field-to-table channel: the products,
where they are harvested, the collection points, hubs and transport legs they pass, the
markets that buy them, the climate on the way and how lots are routed. It is a YAML
file: `fieldtotable validate FILE` checks it, `fieldtotable run FILE` simulates it, and
`fieldtotable show FILE` prints it as the model sees it, every default written out. In
Python: `fieldtotable.load_scenario(path)` or `fieldtotable.parse_scenario(text)`.

This page is generated from the scenario models (`src/fieldtotable/scenario/schema*.py`
and `distributions.py`): the meaning of each field is its docstring, which is also its
`description` in the JSON Schema that editors use.

## The file

- A YAML mapping whose keys are the sections below. A section that holds several
  things (regions, products, sources, nodes, legs, markets) maps an id you choose to
  each entry; ids are mapping keys, so a duplicate is an error, never a silent
  overwrite. Collection points and hubs share one namespace of node ids.
- Unknown keys are errors (with a "did you mean" when a key is close to a known one).
  Numbers are numbers: `"5"` or `true` where a number belongs is an error, and integer
  fields (`horizon_days`, `warmup_days`, `fleet`, `units`, months) take whole numbers.
  Numbers follow YAML 1.2: `1e6`, `2.5E-3` and `.5` are numbers; `1:30`, `1_000`,
  `yes`, `no`, `on` and `off` are strings (only `true` and `false` are booleans).
- Every number has bounds (the tables below), far beyond any real channel and tight
  enough that no result is ever NaN or infinite: temperatures within ±60 °C (±80 °C
  with the daily range), `q10` 1 to 50, `activation_energy_kj_mol` up to 250,
  distribution parameters within ±1e9 and `cv` up to 10. A few limits combine fields:
  the run must end by 9999-12-31, and a store may expect at most a million customers a
  day for one product at the peak (mean times the largest factors times `scale`).
- Names refer to each other: a `region` to a key of `climate`, `collection_point` to a
  collection point, a leg's `from` to a collection point or hub and its `to` to a hub,
  `supplied_by` to a hub, product keys to `products`. Loading checks them all, and the
  flows: every product a source supplies must reach a market selling it, every market
  demand must be reachable from a source, and legs must not form a cycle.
- Every problem is reported, one line each, with file, line and field path:
  `scenario.yaml:42: legs.a.vehicle_capacity_kg: must be >= 10 (got -5)`. Checks run in
  two passes: every field problem at once; then, once the fields are right, every
  problem of the network (unknown names, unreachable markets, cycles). YAML is read
  safely: plain data only, no tags, no code.

## Units and conventions

- The simulation clock runs in hours (a float) from 00:00 of `start_date`. An hour of
  the day is a number in [0, 24): 13.5 is half past one in the afternoon.
- Mass in kg, temperature in °C, money in CNY, distance in km, CO2 in kg. Field names
  carry their unit (table below); the *unit* column of each section gives the unit of
  every field, including those whose name carries none.
- Months are numbered 1 (January) to 12; a list of monthly values has 12 entries,
  January first. A list of weekday values has 7 entries, Monday first. Fractions and
  probabilities are numbers from 0 to 1, not percentages.
- Randomness comes from the run's seed only: each random component (a source's
  harvest, a leg's transit times, a store's customers) draws from its own stream keyed
  by its id, so adding a leg does not change the harvest draws (common random numbers
  across configurations).

| field name ends in | unit |
|---|---|
@SUFFIXES@

## Distributions

A random quantity is a distribution: a mapping with a `dist` key and the parameters of
that kind, such as `{dist: triangular, low: 2, mode: 5, high: 12}`. A bare number is a
constant: `transit_time_h: 48` means `{dist: constant, value: 48}`. A distribution is
in the unit of its field. Every quantity sampled in the model is non-negative: a draw
below 0 is clipped to 0. The kinds are listed under
[Distributions](#section-distributions).

## Variants: `extends` and `scale`

A file can start from another one and hold only what differs:

```yaml
@EXTENDS@
```

The parent (relative to this file; it may itself extend another) is read first, then
this file is merged into it: a mapping merges key by key, anything else (a list, a
number, a string) replaces the parent's value, and a mapping with another `dist`,
`policy` or `kind` than the parent's replaces it whole. `extends` is allowed only at the
top level. A problem in an inherited value is reported at the parent's line.

`extends` may also name a built-in scenario (`fieldtotable scenarios` lists them):
`extends: baseline` or `extends: scale_5x` starts from the scenario shipped with the
package when no file of that name sits next to this one (a file wins). A misspelt id
in a variant is not taken for a new item: an entry its parent lacks that is
incomplete as a new leg, hub, market, ... gets one line,
`variant.yaml:3: legs.shangrila_kunmng: no such leg in the parent (did you mean
shangrila_kunming?)`.

`scale` multiplies supply and demand together (the 2x, 5x, 10x question); capacities,
fleets and costs stay as written, so a scaled scenario shows where the channel runs out
of room.

## Changing values without editing the file: `--set`

`fieldtotable run`, `validate` and `show` take `--set PATH=VALUE`, repeatable, where
VALUE is YAML. With the example scenario below:

```sh
@SET@
```

A path is dotted: section names and fields are keys, ids are mapping keys, list items
are indices (`departures_h.0` or `departures_h[0]`), and a key with odd characters is
written `['odd key']`. The last segment may add an entry to a mapping
(`routing.prefer_modes.honey=[rail_reefer]`) or set a whole mapping at once
(`legs.a.dispatch={policy: full_or_timeout, min_load_kg: 12000, max_wait_h: 24}`). In
Python: `fieldtotable.apply_overrides(scenario, {"scale": 2})`; experiment sweeps use
the same paths.

## Editor completion: `$schema`

The JSON Schema of scenario files ships as `schema/scenario.schema.json` (and inside
the package); `fieldtotable schema` prints it. Start a scenario file with a comment
naming it, relative to the file, and editors with the YAML language server complete
keys, check values and show each field's meaning as you type:

```yaml
# yaml-language-server: $schema=../schema/scenario.schema.json
```

A file with `extends` is checked against a lenient copy of the schema in which nothing
is required.

@EXAMPLE_HEADING@

Every section in a few lines; it loads as it is, and the `--set` examples above refer
to it (saved as `example.yaml`).

<!-- file: example.yaml -->
```yaml
@EXAMPLE@
```

## Contents

@CONTENTS@
"""
