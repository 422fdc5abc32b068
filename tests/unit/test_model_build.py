"""How the model is installed: pure Python, or compiled with mypyc (hatch_build.py)."""

from __future__ import annotations

import importlib.machinery
import importlib.util
import shutil
from pathlib import Path
from types import ModuleType

import pytest

from fieldtotable import versions


def _versions_in(package: Path) -> ModuleType:
    """Load a copy of versions.py placed in ``package`` (a stand-in installation)."""
    package.mkdir(parents=True, exist_ok=True)
    (package / "model").mkdir(exist_ok=True)
    shutil.copy(Path(versions.__file__), package / "versions.py")
    spec = importlib.util.spec_from_file_location("stand_in_versions", package / "versions.py")
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_a_model_of_python_files_is_the_python_build(tmp_path: Path) -> None:
    package = tmp_path / "fieldtotable"
    module = _versions_in(package)
    (package / "model" / "lot.py").write_text("")
    assert module.model_build() == "python"


@pytest.mark.parametrize("suffix", importlib.machinery.EXTENSION_SUFFIXES)
def test_a_model_of_extension_modules_is_the_compiled_build(tmp_path: Path, suffix: str) -> None:
    package = tmp_path / "fieldtotable"
    module = _versions_in(package)
    (package / "model" / "lot.py").write_text("")
    (package / "model" / f"lot{suffix}").write_bytes(b"")
    assert module.model_build() == "compiled"
