"""Large corpus inputs, written by code rather than committed (``generate:`` in a case).

Each function returns a scenario's text; the harness writes it into the case's
folder under the name the case gives.
"""

from __future__ import annotations

_LEG = (
    "{{from: {origin}, to: {destination}, mode: reefer_truck, distance_km: 100, "
    "transit_time_h: {{dist: constant, value: {hours}}}, vehicle_capacity_kg: 15000, "
    "dispatch: {{policy: scheduled, departures_h: [18]}}, setpoint_c: 2}}"
)


def many_departures() -> str:
    """A leg with 10,000 scheduled departures a day."""
    hours = ", ".join(f"{index * 0.0024:.4f}" for index in range(10_000))
    return (
        "# A leg with 10,000 scheduled departures a day (generated): 36.6 million wake-ups\n"
        "# over ten years (--set horizon_days=3660) is refused as too much work.\n"
        "extends: small.yaml\n"
        "legs:\n"
        "  cp_shanghai:\n"
        f"    dispatch: {{policy: scheduled, departures_h: [{hours}]}}\n"
    )


def many_legs() -> str:
    """600 parallel legs from the collection point to the DC."""
    legs = "".join(
        f"  p{index}: "
        + _LEG.format(origin="cp", destination="shanghai_dc", hours=50 + index)
        + "\n"
        for index in range(600)
    )
    return (
        "# 600 parallel legs from cp to shanghai_dc (generated): 3,000 daily leg series;\n"
        "# over ten years (--set horizon_days=3660) 11 million entries, refused.\n"
        "extends: small.yaml\n"
        "legs:\n" + legs
    )


def many_paths() -> str:
    """16 hubs in a row, each pair joined by two legs: 2^17 routes."""
    hubs = "".join(
        f"  h{index}: {{region: shanghai, storage_kg: 60000, setpoint_c: 2}}\n"
        for index in range(16)
    )
    legs = ""
    for index in range(16):
        origin = "cp" if index == 0 else f"h{index - 1}"
        for twin in (0, 1):
            leg = _LEG.format(origin=origin, destination=f"h{index}", hours=twin + 1)
            legs += f"  l{index}_{twin}: {leg}\n"
    return (
        "# 16 hubs in a row, each pair joined by two legs (generated): 2^17 routes to compare.\n"
        "extends: small.yaml\n"
        "hubs:\n" + hubs + "legs:\n"
        "  cp_shanghai: {from: h15, to: shanghai_dc}\n" + legs
    )


def many_sources() -> str:
    """1,000 sources of two pre-cooled products each."""
    supply = (
        "{matsutake: {kg_per_day: {dist: constant, value: 1}}, "
        "yak_meat_chilled: {kg_per_day: {dist: constant, value: 1}}}"
    )
    sources = "".join(
        f"  s{index}: {{region: shangri_la, collection_point: cp, supply: {supply}}}\n"
        for index in range(1000)
    )
    return (
        "# 1,000 sources of two pre-cooled products each (generated): 10 events a source-day,\n"
        "# 36.6 million over ten years (--set horizon_days=3660) is refused as too much work.\n"
        "extends: small.yaml\n"
        "\n"
        "sources:\n" + sources
    )
