"""The same optimisation gives the identical result on every executor."""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import load_scenario
from fieldtotable.optimise import Integer
from fieldtotable.optimise.search import optimise
from fieldtotable.optimise.search_result import OptimisationResult

pytest.importorskip("optuna")

MINIMAL = Path(__file__).resolve().parents[2] / "scenarios" / "minimal.yaml"


def optimise_on(executor: str) -> OptimisationResult:
    # Ten days of the minimal channel, fleet 1..3 of its truck leg, with a constraint
    # so every phase (search with adaptive replications, feasibility, selection,
    # final) runs.
    return optimise(
        load_scenario(MINIMAL).with_horizon(10),
        {"legs.shangrila_shanghai.fleet": Integer(1, 3)},
        "sold_value_cny",
        constraints=["spoilage_rate <= 0.9 ± 0.045"],
        budget=100,
        seed=4,
        batch=2,  # two proposals' runs go to the executor together
        executor=executor,
        workers=None if executor == "serial" else 2,
        progress=False,
    )


@pytest.mark.slow
def test_serial_process_and_dask_agree() -> None:
    pytest.importorskip("dask.distributed")
    serial = optimise_on("serial")
    assert serial.best is not None
    assert all(serial.runs[phase] > 0 for phase in ("search", "selection", "final"))
    for executor in ("process", "dask"):
        assert optimise_on(executor).to_json() == serial.to_json(), executor
