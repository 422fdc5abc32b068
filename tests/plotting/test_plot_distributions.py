"""The distribution chart: one empirical CDF per configuration, steps at every value."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from fieldtotable import load_scenario
from fieldtotable.experiment import replicate
from fieldtotable.plotting import distribution_chart

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"


def test_each_configuration_is_a_step_line_reaching_one() -> None:
    scenario = load_scenario(MINIMAL).with_horizon(35)
    one = replicate(scenario, n=5, executor="serial", progress=False)
    two = replicate(
        scenario.model_copy(update={"scale": 2.0}), n=5, executor="serial", progress=False
    )
    figure = distribution_chart({"one": one, "two": two}, "spoilage_rate")
    lines = {line.get_gid(): line for line in figure.axes[0].get_lines()}
    assert {"ecdf:one", "ecdf:two", "mean:one", "mean:two"} <= set(lines)
    xs, shares = lines["ecdf:one"].get_data()
    assert list(np.asarray(xs)[1:]) == sorted(one.replication_values("spoilage_rate"))
    assert np.asarray(shares)[-1] == pytest.approx(1.0)
    assert np.asarray(lines["mean:one"].get_xdata())[0] == pytest.approx(
        np.mean(one.replication_values("spoilage_rate"))
    )
    weekly = distribution_chart({"one": one}, "fill_rate", period="week")
    xs, _ = weekly.axes[0].get_lines()[0].get_data()
    assert len(xs) == 1 + sum(len(run) for run in one.period_values("fill_rate", "week"))
    with pytest.raises(ValueError, match="no configuration"):
        distribution_chart({"one": one}, "mean_remaining_shelf_life_at_door_d")
