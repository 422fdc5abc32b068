"""Starting fieldtotable (a CLI command, each worker of a process pool) imports no SciPy.

SciPy's ``optimize`` and ``special`` took ~0.5 s of a ~0.9 s import; the few
functions that need them import them when called.
"""

from __future__ import annotations

import subprocess
import sys


def test_importing_fieldtotable_and_running_imports_no_scipy() -> None:
    code = (
        "import sys, fieldtotable as ft; from fieldtotable.experiment import runs; "
        "ft.simulate(ft.builtin_scenario('baseline').with_horizon(3), seed=0); "
        "loaded = sorted(m for m in sys.modules if m.startswith('scipy')); "
        "assert not loaded, loaded"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
