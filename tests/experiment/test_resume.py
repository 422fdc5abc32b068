"""Resuming after the experiment process was killed with SIGKILL."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from fieldtotable import RunResult, Scenario
from fieldtotable.experiment import runs as runs_module
from fieldtotable.experiment import sweep
from nan_aware import same

DATA = Path(__file__).resolve().parents[1] / "data"
GRID = {"scale": [1, 2]}
N = 12
SEED = 4
TOTAL = 2 * N

SCRIPT = textwrap.dedent(
    """
    import sys
    import time

    from fieldtotable.experiment import runs

    # Slow every run down (a sleep, no CPU): the workers import this module too.
    _real = runs.simulate


    def _slow(scenario, seed, *, replication=None):
        time.sleep(0.1)
        return _real(scenario, seed, replication=replication)


    runs.simulate = _slow

    if __name__ == "__main__":
        from fieldtotable import load_scenario
        from fieldtotable.experiment import sweep

        scenario = load_scenario(sys.argv[1]).with_horizon(10)
        sweep(scenario, {grid}, n={n}, seed={seed}, executor="process", workers=2,
              store=sys.argv[2], progress=False)
    """
).format(grid=GRID, n=N, seed=SEED)


def _descendants(pid: int) -> set[int]:
    """Processes below ``pid`` (Linux /proc)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        parent = int(stat.rsplit(")", 1)[1].split()[1])
        children.setdefault(parent, []).append(int(entry.name))
    found: set[int] = set()
    todo = [pid]
    while todo:
        for child in children.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find the workers")
def test_resume_after_sigkill_reruns_only_the_missing_runs(
    small_scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = tmp_path / "experiment.py"
    script.write_text(SCRIPT, encoding="utf-8")
    out = tmp_path / "out"
    log = (tmp_path / "log").open("w", encoding="utf-8")
    process = subprocess.Popen(
        [sys.executable, str(script), str(DATA / "small.yaml"), str(out)],
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    workers: set[int] = set()
    try:
        deadline = time.monotonic() + 60
        while len(list(out.glob("runs/*/*.json"))) < 4:
            assert process.poll() is None, (tmp_path / "log").read_text()
            assert time.monotonic() < deadline, "no runs written"
            workers |= _descendants(process.pid)
            time.sleep(0.01)
        workers |= _descendants(process.pid)
        process.send_signal(signal.SIGKILL)
        # The pool's processes notice their parent is gone (even before it is reaped)
        # and exit.
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)]
    finally:
        process.kill()
        process.wait()
        log.close()
    assert process.returncode == -signal.SIGKILL
    written = {path: path.stat() for path in out.glob("runs/*/*.json")}
    assert 4 <= len(written) < TOTAL

    calls: list[tuple[float, int]] = []
    real = runs_module.simulate

    def counting(scenario: Scenario, seed: int, *, replication: int) -> RunResult:
        calls.append((scenario.scale, replication))
        return real(scenario, seed, replication=replication)

    monkeypatch.setattr(runs_module, "simulate", counting)
    resumed = sweep(small_scenario, GRID, n=N, seed=SEED, executor="serial", store=out)
    assert len(calls) == TOTAL - len(written)
    for path, before in written.items():
        after = path.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(list(out.glob("runs/*/*.json"))) == TOTAL
    assert not list(out.glob("runs/*/.*.tmp"))

    uninterrupted = sweep(small_scenario, GRID, n=N, seed=SEED, executor="serial")
    assert resumed == uninterrupted
    assert same(resumed.rows(), uninterrupted.rows())
    assert os.listdir(out)  # the directory stays for later reruns
