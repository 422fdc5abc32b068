"""Guard for optimisations: the model's results must stay identical to the last bit.

Usage::

    python benchmarks/perf/fingerprint.py --save  [--file F]   # before changing model code
    python benchmarks/perf/fingerprint.py --check [--file F]   # after each change
    python benchmarks/perf/fingerprint.py --check --rel 1e-12  # additions reordered only
    python benchmarks/perf/fingerprint.py --save --seeds 1     # seed 0 only (CI)

``--save`` records, for every scenario file (``scenarios/*.yaml``, the built-in
baseline and ``tests/data/small.yaml``) and seeds 0-2 (``--seeds``), the scenario itself (as
validated data, so that later edits to the YAML files do not move the reference) and
``simulate(scenario, seed).to_dict()`` without its wall time and event count. ``--check`` reruns the
recorded scenarios and fails on the first difference, naming the field. Both say
which build of the model ran (``python`` or ``compiled``): CI saves with the pure-Python
model and checks the compiled one (hatch_build.py) against it.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from fieldtotable import Scenario, builtin_scenario, load_scenario, simulate
from fieldtotable.versions import model_build

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_FILE = Path("/tmp/fieldtotable-fingerprint.json")


def _scenario_files() -> dict[str, Callable[[], Scenario]]:
    """Every scenario file of the repository, the built-in baseline and the test network."""
    makers: dict[str, Callable[[], Scenario]] = {"baseline": lambda: builtin_scenario("baseline")}
    paths = [*sorted((ROOT / "scenarios").glob("*.yaml")), ROOT / "tests" / "data" / "small.yaml"]
    for path in paths:
        makers[path.stem] = lambda path=path: load_scenario(path)
    return makers


SCENARIOS = _scenario_files()
SEEDS = (0, 1, 2)


def outcome(scenario: Scenario, seed: int, replication: int | None) -> dict[str, Any]:
    """The run's data, wall time and event count left out (an event scheme may change)."""
    data = simulate(scenario, seed, replication=replication).to_dict()
    del data["wall_time_s"]
    del data["events_processed"]
    return data


def first_difference(left: Any, right: Any, path: str = "", rel: float = 0.0) -> str | None:
    """Path of the first value that differs (NaN equals NaN), or ``None``.

    ``rel`` > 0 lets floats differ by that much relative to their size (to check that
    a change only reordered additions: the sums then differ in their last bits).
    """
    if isinstance(left, dict) and isinstance(right, dict):
        if left.keys() != right.keys():
            return f"{path}: keys {sorted(left.keys() ^ right.keys())}"
        for key in left:
            found = first_difference(left[key], right[key], f"{path}.{key}", rel)
            if found:
                return found
        return None
    if isinstance(left, list) and isinstance(right, list):
        if len(left) != len(right):
            return f"{path}: length {len(left)} != {len(right)}"
        for index, (a, b) in enumerate(zip(left, right, strict=True)):
            found = first_difference(a, b, f"{path}[{index}]", rel)
            if found:
                return found
        return None
    if isinstance(left, float) and isinstance(right, float) and math.isnan(left):
        return None if math.isnan(right) else f"{path}: {left!r} != {right!r}"
    if rel and isinstance(left, float) and isinstance(right, float):
        close = math.isclose(left, right, rel_tol=rel, abs_tol=rel)
        return None if close else f"{path}: {left!r} != {right!r}"
    return None if left == right and type(left) is type(right) else f"{path}: {left!r} != {right!r}"


def main() -> int:
    """Save or check the reference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("--save", action="store_true")
    mode.add_argument("--check", action="store_true")
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument(
        "--rel", type=float, default=0.0, help="relative tolerance for floats (default: exact)"
    )
    parser.add_argument(
        "--seeds", type=int, default=len(SEEDS), help="seeds 0 .. N-1 to save (default: 3)"
    )
    args = parser.parse_args()
    print(f"model: {model_build()}")
    if args.save:
        reference: dict[str, Any] = {}
        for name, make in SCENARIOS.items():
            scenario = make()
            reference[name] = {
                "scenario": scenario.model_dump(mode="json", by_alias=True),
                "runs": {
                    f"{seed}/{replication}": outcome(scenario, seed, replication)
                    for seed in range(args.seeds)
                    for replication in (None, 1)
                },
            }
            print(f"saved {name}")
        args.file.write_text(json.dumps(reference))
        return 0
    reference = json.loads(args.file.read_text())
    failed = 0
    for name, entry in reference.items():
        scenario = Scenario.model_validate(entry["scenario"])
        for key, expected in entry["runs"].items():
            seed_text, replication_text = key.split("/")
            replication = None if replication_text == "None" else int(replication_text)
            # Through JSON, as saved: tuples become lists, NaN stays None.
            got = json.loads(json.dumps(outcome(scenario, int(seed_text), replication)))
            difference = first_difference(got, expected, rel=args.rel)
            if difference:
                failed += 1
                print(f"DIFFERENT {name} seed {key}: {difference}")
    print("identical" if not failed else f"{failed} runs differ")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
