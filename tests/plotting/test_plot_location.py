"""Node coordinates in the scenario format (optional, for the network map)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from fieldtotable import Scenario
from fieldtotable.scenario.schema import Hub, Location


def test_every_baseline_node_has_coordinates(baseline: Scenario) -> None:
    nodes = {**baseline.collection_points, **baseline.hubs, **baseline.markets}
    for node_id, node in nodes.items():
        assert node.location is not None, node_id
    shanghai = [baseline.markets[m].location for m in baseline.markets]
    shanghai.append(baseline.hubs["shanghai_dc"].location)
    assert len({(where.lon, where.lat) for where in shanghai}) == len(shanghai)
    kunming = baseline.hubs["kunming_dc"].location
    assert (kunming.lon, kunming.lat) == pytest.approx((102.83, 24.88))


@pytest.mark.parametrize(
    "data",
    [{"lon": 181, "lat": 0}, {"lon": 0, "lat": -90.5}, {"lon": "99", "lat": 27}, {"lon": 1}],
)
def test_bad_locations(data: dict) -> None:
    with pytest.raises(ValidationError):
        Location.model_validate(data)


def test_whole_degrees_and_no_location() -> None:
    assert Location.model_validate({"lon": 121, "lat": 31}).lon == 121
    hub = Hub.model_validate({"region": "r", "storage_kg": 1.0, "setpoint_c": 0.0})
    assert hub.location is None
