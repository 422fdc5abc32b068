"""Faults of the machine in the run store: one line naming the path and cause, nothing partial.

A full disk is made real with ``RLIMIT_FSIZE`` (see ``tests/disk_full.py``): the
store's own writes fail with EFBIG, as they would with ENOSPC.
"""

from __future__ import annotations

import errno
import json
import os
import shutil
from pathlib import Path

import pytest

from disk_full import file_size_limit
from fieldtotable import Scenario
from fieldtotable.cli import main
from fieldtotable.experiment import StoreError, StoreMismatchError, replicate, scenario_hash
from fieldtotable.experiment.store import Manifest, PointRecord, RunStore

DATA = Path(__file__).resolve().parents[1] / "data"


def _manifest(scenario: Scenario) -> Manifest:
    digest = scenario_hash(scenario)
    return Manifest("replicate", "s", digest, 0, 2, (PointRecord("s", digest),))


def _left_behind(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.name.endswith(".tmp"))


def test_a_full_disk_while_saving_a_run_is_one_error_and_leaves_no_partial_record(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    scenario = small_scenario.with_horizon(3)
    with file_size_limit(2000), pytest.raises(StoreError) as caught:
        replicate(scenario, n=2, executor="serial", store=tmp_path)
    [record] = tmp_path.glob("runs/*")  # the folder of the runs, empty
    path = record / "000000.json"
    assert str(caught.value) == f"cannot write {path}: File too large"
    assert not path.exists()
    assert _left_behind(tmp_path) == []
    assert json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["n"] == 2
    # Room again: the experiment resumes and completes.
    assert replicate(scenario, n=2, executor="serial", store=tmp_path) == replicate(
        scenario, n=2, executor="serial"
    )


def test_a_full_disk_before_the_manifest_is_one_error(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    with file_size_limit(100), pytest.raises(StoreError, match=r"manifest\.json: File too large"):
        RunStore(tmp_path / "store", _manifest(small_scenario))
    assert sorted(p.name for p in (tmp_path / "store").iterdir()) == [".lock"]


def test_no_space_left_on_device_from_fsync(
    small_scenario: Scenario, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Some file systems report a full disk only when the data is flushed."""
    from fieldtotable.fileio import atomic  # noqa: PLC0415

    def full(_descriptor: int) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(StoreError, match=r"manifest\.json: No space left on device"):
        RunStore(tmp_path, _manifest(small_scenario))
    assert _left_behind(tmp_path) == []


def test_a_lock_path_that_is_a_folder(small_scenario: Scenario, tmp_path: Path) -> None:
    (tmp_path / ".lock").mkdir()
    with pytest.raises(StoreError) as caught:
        RunStore(tmp_path, _manifest(small_scenario))
    assert str(caught.value) == (
        f"cannot use the lock file {tmp_path / '.lock'}: not a regular file: it is a directory"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_lock_path_that_is_a_pipe_does_not_block(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / ".lock")
    with pytest.raises(StoreError, match="not a regular file: it is a named pipe"):
        RunStore(tmp_path, _manifest(small_scenario))


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root opens any file")
def test_an_unwritable_lock_file(small_scenario: Scenario, tmp_path: Path) -> None:
    lock = tmp_path / ".lock"
    lock.touch()
    lock.chmod(0)
    with pytest.raises(StoreError, match=r"lock file .*: Permission denied"):
        RunStore(tmp_path, _manifest(small_scenario))


def test_a_store_folder_that_cannot_be_made(small_scenario: Scenario, tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x", encoding="utf-8")
    with pytest.raises(StoreError) as caught:
        RunStore(tmp_path / "file" / "store", _manifest(small_scenario))
    assert str(caught.value) == (
        f"cannot create the result directory {tmp_path / 'file' / 'store'}: Not a directory"
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")
def test_a_manifest_that_is_a_pipe_is_refused_without_blocking(
    small_scenario: Scenario, tmp_path: Path
) -> None:
    os.mkfifo(tmp_path / "manifest.json")
    with pytest.raises(StoreMismatchError, match="not a readable manifest \\(not a regular file"):
        RunStore(tmp_path, _manifest(small_scenario))


def _cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    monkeypatch.chdir(tmp_path)
    shutil.copyfile(DATA / "small.yaml", "small.yaml")
    return ["replicate", "small.yaml", "-n", "2", "--days", "3", "--executor", "serial", "-q"]


def test_the_command_line_says_a_full_disk_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _cli(tmp_path, monkeypatch)
    with file_size_limit(2000):
        assert main([*argv, "--store", "store"]) == 2
    [path] = Path("store").glob("runs/*")
    assert capsys.readouterr().err == (
        f"fieldtotable replicate: error: cannot write {path / '000000.json'}: File too large\n"
    )


def test_the_command_line_says_a_bad_lock_in_one_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = _cli(tmp_path, monkeypatch)
    Path("store/.lock").mkdir(parents=True)
    assert main([*argv, "--store", "store"]) == 2
    assert capsys.readouterr().err == (
        "fieldtotable replicate: error: cannot use the lock file store/.lock: not a regular "
        "file: it is a directory\n"
    )
