"""The identity of a scenario: a hash of its canonical JSON.

Run stores key runs by it, exports and reports record it, so that a number can be
traced to the exact configuration that produced it.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from fieldtotable.scenario.schema import Scenario

__all__ = ["canonical_json", "scenario_hash"]


def canonical_json(data: Any) -> str:
    """Return ``data`` as canonical JSON: sorted keys, no spaces, UTF-8 text kept.

    Parameters
    ----------
    data
        JSON-compatible data.

    Returns
    -------
    str
        The JSON text.
    """
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def scenario_hash(scenario: Scenario) -> str:
    """Return the sha256 (hex) of the canonical JSON of the scenario's full data.

    Parameters
    ----------
    scenario
        The scenario.

    Returns
    -------
    str
        64 hexadecimal digits; equal scenarios have equal hashes.
    """
    text = canonical_json(scenario.model_dump(mode="json", by_alias=True))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
