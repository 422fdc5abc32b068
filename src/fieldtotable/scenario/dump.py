"""Writing a scenario back as YAML: what ``fieldtotable show`` prints.

:func:`dump_scenario` writes every field, defaults included (the scenario as the
model sees it, after ``extends``, ``--set`` and defaults), in the schema's key order,
with YAML keys (``from``, not ``from_``). Lists of plain values and small mappings
of plain values (distributions, dispatch policies) are written on one line. The
text loads back, through :func:`~fieldtotable.scenario.parse_scenario`, to a
scenario equal to the one dumped.
"""

from __future__ import annotations

import math
from typing import Any

import yaml

from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.yaml_core import CoreSafeDumper

__all__ = ["dump_scenario"]

_FLOW_MAPPING_ITEMS = 6
"""Mappings of at most this many plain values are written on one line."""
_FLOW_WIDTH = 100


class _Dumper(CoreSafeDumper):
    """A safe dumper that writes short plain lists and mappings in flow style.

    Strings that YAML 1.1 or 1.2 would read as something else are quoted.
    """

    def ignore_aliases(self, _data: Any) -> bool:
        """Write shared values out every time: no ``&anchor`` / ``*alias`` in the output."""
        return True


def _plain(value: Any) -> bool:
    return not isinstance(value, dict | list | tuple)


def _represent_list(dumper: yaml.SafeDumper, data: list[Any] | tuple[Any, ...]) -> yaml.Node:
    flow = all(_plain(item) for item in data)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=flow)


def _represent_dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.Node:
    flow = len(data) <= _FLOW_MAPPING_ITEMS and all(
        _plain(item) or (isinstance(item, list | tuple) and all(_plain(x) for x in item))
        for item in data.values()
    )
    flow = flow and bool(data) and len(repr(data)) <= _FLOW_WIDTH
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=flow)


def _represent_float(dumper: yaml.SafeDumper, data: float) -> yaml.Node:
    if math.isfinite(data) and data.is_integer() and abs(data) < 1e15:
        # 2.0 is written 2: it loads back as the int 2, which a float field reads as 2.0.
        return dumper.represent_int(int(data))
    return dumper.represent_float(data)


def _represent_str(dumper: yaml.SafeDumper, data: str) -> yaml.Node:
    style = "|" if "\n" in data else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(tuple, _represent_list)
_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_representer(float, _represent_float)
_Dumper.add_representer(str, _represent_str)


def dump_scenario(scenario: Scenario) -> str:
    """Write ``scenario`` as YAML text that loads back to an equal scenario.

    Parameters
    ----------
    scenario
        Any valid scenario.

    Returns
    -------
    str
        YAML: every field in the schema's order, defaults included, unset optional
        fields (``null``) left out, dates as ``2023-01-01``; ends with a newline.
    """
    data = scenario.model_dump(mode="python", by_alias=True, exclude_none=True)
    text = yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        width=_FLOW_WIDTH,
        default_flow_style=False,
    )
    return str(text)
