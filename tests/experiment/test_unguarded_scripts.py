"""Scripts without an entry-point guard, on the process executor.

The process executor's workers never import the main module: a plain script that
calls ``replicate()`` with its defaults runs its body once and works, and so does
code fed through standard input. Node kinds and KPIs that such a script defines and
registers reach the workers with each task.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"

PLAIN = """
from fieldtotable import load_scenario
from fieldtotable.experiment import replicate

print("body", flush=True)
result = replicate(load_scenario({small!r}), n=4, workers=2, progress=False)
print("sold", result.kpis["sold_kg"].mean)
"""

# A node kind and a KPI defined in the script itself, used by runs in worker processes.
EXTENDED = """
from typing import Literal

import yaml

import fieldtotable as ft
from fieldtotable.experiment import replicate
from fieldtotable.model.kinds import Metric
from fieldtotable.model.lot import HUB
from fieldtotable.model.nodes import register_node_kind
from fieldtotable.model.storage import Storage
from fieldtotable.results import ResultField, register_kpi
from fieldtotable.scenario.schema import NodeConfig, NonNegativeFloat


class Relay(NodeConfig):
    kind: Literal["relay"]
    delay_h: NonNegativeFloat = 1.0


class RelayProcess:
    holds_stock = True

    def __init__(self, node_id, config, setup):
        self.context = setup.context
        self.ambient = setup.context.ambient[config.region]
        self.delay_h = config.delay_h
        self.storage = Storage(
            setup.context, node_id, self.ambient, 2.0, float("inf"), "wait", HUB,
            len(setup.product_index),
        )
        self.received = 0

    @classmethod
    def build(cls, node_id, config, setup):
        return cls(node_id, config, setup)

    def receive(self, lots):
        self.received += len(lots)
        done = self.context.env.timeout(self.delay_h)
        done.callbacks.append(lambda _event: [self.storage.receive(lot) for lot in lots])

    def stats(self):
        return {{"lots_relayed": float(self.received)}}

    def end_of_day(self):
        self.storage.inspect()
        return self.storage.held_kg


register_node_kind(
    "relay", schema=Relay, process=RelayProcess, label="relay station",
    metrics={{"lots_relayed": Metric("count", "lots that passed the relay", "Relayed")}},
)
register_kpi(
    ResultField("sold_per_trip_kg", "kg", "kg sold per trip"),
    lambda run: run.kpi("sold_kg") / run.kpi("trips"),
)

data = yaml.safe_load(open({small!r}, encoding="utf-8"))
leg = data["legs"].pop("cp_shanghai")
data["nodes"] = {{"halfway": {{"kind": "relay", "region": "shangri_la", "delay_h": 3.0}}}}
data["legs"]["cp_halfway"] = {{**leg, "to": "halfway", "distance_km": 1000}}
data["legs"]["halfway_shanghai"] = {{**leg, "from": "halfway", "distance_km": 2000}}
scenario = ft.Scenario.model_validate(data)
apart = replicate(scenario, n=3, executor="process", workers=2, progress=False)
here = replicate(scenario, n=3, executor="serial", progress=False)
assert apart == here, "the process executor differs from the serial one"
print("per trip", apart.kpis["sold_per_trip_kg"].mean)
"""


def _run(code: str, tmp_path: Path, *, stdin: bool = False) -> subprocess.CompletedProcess[str]:
    script = tmp_path / "plain.py"
    script.write_text(code, encoding="utf-8")
    command = [sys.executable, "-"] if stdin else [sys.executable, str(script)]
    return subprocess.run(
        command,
        input=code if stdin else None,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=tmp_path,
        check=False,
    )


def test_a_script_without_a_guard_runs_its_body_once(tmp_path: Path) -> None:
    done = _run(PLAIN.format(small=str(DATA / "small.yaml")), tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("body") == 1
    assert "sold" in done.stdout
    assert done.stderr == ""


def test_code_fed_through_standard_input_runs_on_processes(tmp_path: Path) -> None:
    done = _run(PLAIN.format(small=str(DATA / "small.yaml")), tmp_path, stdin=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("body") == 1


def test_kinds_and_kpis_defined_in_the_script_reach_the_workers(tmp_path: Path) -> None:
    code = textwrap.dedent(EXTENDED).format(small=str(DATA / "small.yaml"))
    done = _run(code, tmp_path)
    assert done.returncode == 0, done.stderr
    assert "per trip" in done.stdout
