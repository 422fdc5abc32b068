"""The optional compiled build: the simulation model compiled to C with mypyc.

``FIELDTOTABLE_COMPILE=1 python3 -m pip install .`` builds a wheel whose model modules
(``fieldtotable.model``, the per-event code) are C extensions made by mypyc from the
same source; everything else stays Python. Results are the same to the last bit (the
compiled code does the same float operations in the same order); a run takes about
0.6 of the time. It needs a C compiler and the Python headers. Without the variable the
build is pure Python and this hook does nothing.

mypyc is the compiler that mypy and black are built with; it compiles type-annotated
Python as it is, so there is one source and no second language to keep in step.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

SWITCH = "FIELDTOTABLE_COMPILE"
"""Environment variable that asks for the compiled build (``1``)."""

MODEL = Path("src", "fieldtotable", "model")

LEFT_AS_PYTHON = {
    "__init__.py",
    # Dataclasses whose field types are imported only for type checking.
    "kinds.py",
}
"""Model modules not compiled (not on the per-event path, or not compilable as they are)."""

MYPY_CONFIG = """\
[mypy]
ignore_missing_imports = True
follow_imports = silent
"""
"""Type checking as mypyc needs it: the build has no NumPy, SciPy or pydantic to read
types from, so their values are plain objects (correct, and not on the hot path)."""


def wanted() -> bool:
    """Return True when the environment asks for the compiled build."""
    return os.environ.get(SWITCH, "").strip().lower() in {"1", "true", "yes"}


def compiled_modules(root: Path) -> list[Path]:
    """Return the model modules to compile, relative to ``src``."""
    return sorted(
        path.relative_to(root / "src")
        for path in (root / MODEL).glob("*.py")
        if path.name not in LEFT_AS_PYTHON
    )


class CustomBuildHook(BuildHookInterface):
    """Compile the model with mypyc when ``FIELDTOTABLE_COMPILE=1``."""

    PLUGIN_NAME = "custom"

    def dependencies(self) -> list[str]:
        """Return the build requirements: mypy (mypyc) and setuptools, when asked."""
        return ["mypy>=2.4,<3", "setuptools>=70"] if wanted() else []

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        """Compile into a temporary folder and add the extensions to the wheel."""
        if not wanted() or self.target_name != "wheel":
            return
        if version == "editable":
            raise RuntimeError(
                f"{SWITCH}=1 needs a regular install (pip install .), not an editable one"
            )
        root = Path(self.root)
        work = Path(tempfile.mkdtemp(prefix="fieldtotable-mypyc-"))
        self._work = work
        shutil.copytree(root / "src" / "fieldtotable", work / "fieldtotable")
        (work / "mypy.ini").write_text(MYPY_CONFIG)
        modules = [str(path) for path in compiled_modules(root)]
        self.app.display_info(f"compiling {len(modules)} model modules with mypyc")
        subprocess.run(
            [sys.executable, "-m", "mypyc", "--config-file", "mypy.ini", *modules],
            cwd=work,
            check=True,
            env={**os.environ, "MYPYC_OPT_LEVEL": "3"},
        )
        suffix = sysconfig.get_config_var("EXT_SUFFIX")
        for extension in work.rglob(f"*{suffix}"):
            relative = extension.relative_to(work)
            if relative.parts[0] == "build":
                continue  # the copies in build/ were placed beside the sources
            build_data["force_include"][str(extension)] = str(relative)
        build_data["pure_python"] = False
        build_data["infer_tag"] = True

    def finalize(
        self,
        version: str,  # noqa: ARG002 -- the hook interface's signature
        build_data: dict[str, Any],  # noqa: ARG002
        artifact_path: str,  # noqa: ARG002
    ) -> None:
        """Remove the temporary folder."""
        work = getattr(self, "_work", None)
        if work is not None:
            shutil.rmtree(work, ignore_errors=True)
