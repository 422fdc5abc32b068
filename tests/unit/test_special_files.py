"""Only regular files are read: devices, pipes, sockets and folders are refused at once.

A scenario path (or an ``extends:`` target) naming ``/dev/zero`` used to read without
end and a named pipe used to block for ever, because the size guard trusted
``st_size`` (0 for them). Every test that could hang runs under a deadline.
"""

from __future__ import annotations

import os
import signal
import socket
import stat
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldtotable.cli import main
from fieldtotable.errors import ScenarioError
from fieldtotable.fileio import FileTooLargeError, NotRegularFileError, read_regular_file
from fieldtotable.fileio import reading as reading_module
from fieldtotable.scenario import load_scenario
from fieldtotable.scenario.yaml_loader import MAX_BYTES

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
POSIX = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs named pipes")


class _DeadlineError(Exception):
    pass


@pytest.fixture(autouse=True)
def deadline() -> Iterator[None]:
    """Fail a test that blocks (on a pipe) or reads for ever (a device) after 5 s."""
    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows
        yield
        return

    def expire(_signum: int, _frame: object) -> None:
        raise _DeadlineError("blocked: the file was not refused before reading")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, 5.0)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@pytest.fixture
def memory_cap() -> Iterator[None]:
    """Cap the address space 1 GiB above its size now, so that a read without end fails."""
    try:
        import resource  # noqa: PLC0415  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    statm = Path("/proc/self/statm")
    if not statm.is_file():  # pragma: no cover - not Linux
        yield
        return
    size = int(statm.read_text().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    cap = size + 2**30
    if hard != resource.RLIM_INFINITY:  # pragma: no cover - already capped
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))
    try:
        yield
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def only_problem(path: Path | str) -> str:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(path)
    [problem] = caught.value.problems
    return str(problem)


@pytest.mark.usefixtures("memory_cap")
@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_a_device_is_refused_as_scenario_and_as_parent(device: str, tmp_path: Path) -> None:
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    assert only_problem(device) == f"{device}: not a regular file: it is a character device"
    link = tmp_path / "link.yaml"
    link.symlink_to(device)
    assert only_problem(link).endswith("not a regular file: it is a character device")
    child = tmp_path / "child.yaml"
    child.write_text(f"extends: {device}\nname: x\n", encoding="utf-8")
    assert only_problem(child) == (
        f"{child}:1: extends: cannot extend '{device}': not a regular file: it is a "
        "character device"
    )


@POSIX
def test_a_named_pipe_is_refused_without_blocking(tmp_path: Path) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    assert only_problem(pipe) == f"{pipe}: not a regular file: it is a named pipe (FIFO)"
    child = tmp_path / "child.yaml"
    child.write_text("extends: pipe.yaml\n", encoding="utf-8")
    assert "cannot extend 'pipe.yaml': not a regular file: it is a named pipe" in only_problem(
        child
    )


@POSIX
def test_a_pipe_swapped_in_after_the_look_is_caught_on_the_open_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The look before opening is fooled; O_NONBLOCK and fstat still refuse the pipe."""
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    regular = os.stat(SMALL)
    real_stat = os.stat

    def fooled(path: object, *args: object, **kwargs: object) -> os.stat_result:
        return regular if os.fspath(path) == str(pipe) else real_stat(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(reading_module.os, "stat", fooled)
    with pytest.raises(NotRegularFileError) as caught:
        read_regular_file(pipe)
    assert caught.value.strerror == "not a regular file: it is a named pipe (FIFO)"
    assert caught.value.filename == str(pipe)


@pytest.mark.skipif(not hasattr(socket, "AF_UNIX"), reason="needs Unix sockets")
def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as server:
        server.bind(str(path))
        assert stat.S_ISSOCK(os.stat(path).st_mode)
        assert only_problem(path) == f"{path}: not a regular file: it is a socket"


def test_a_folder_is_refused(tmp_path: Path) -> None:
    assert only_problem(tmp_path) == f"{tmp_path}: not a regular file: it is a directory"


def test_a_broken_link_is_a_missing_file(tmp_path: Path) -> None:
    link = tmp_path / "gone.yaml"
    link.symlink_to(tmp_path / "nowhere.yaml")
    assert only_problem(link) == f"{link}: file not found (a broken symbolic link)"


def test_a_link_to_a_regular_file_is_read(tmp_path: Path) -> None:
    link = tmp_path / "small.yaml"
    link.symlink_to(SMALL)
    assert load_scenario(link) == load_scenario(SMALL)


@pytest.mark.skipif(sys.platform != "linux", reason="/proc files claim a size of 0")
def test_no_more_than_the_limit_is_read_whatever_the_size_says() -> None:
    maps = Path("/proc/self/maps")
    assert maps.stat().st_size == 0
    assert len(read_regular_file(maps)) > 100
    with pytest.raises(FileTooLargeError) as caught:
        read_regular_file(maps, 100)
    assert (caught.value.size, caught.value.limit) == (None, 100)


def test_a_file_over_the_limit_is_refused_by_its_size(tmp_path: Path) -> None:
    large = tmp_path / "large.yaml"
    large.write_bytes(b"#" * (6 * 1024 * 1024))
    assert only_problem(large) == (
        f"{large}: file too large: {6 * 1024 * 1024} bytes, over "
        f"{MAX_BYTES // (1024 * 1024)} MB; scenario files are small"
    )


def test_utf16_and_binary_files_are_refused(tmp_path: Path) -> None:
    utf16 = tmp_path / "utf16.yaml"
    utf16.write_bytes(SMALL.read_text(encoding="utf-8").encode("utf-16"))
    assert only_problem(utf16) == f"{utf16}: UTF-16 text, not UTF-8: save the file as UTF-8"
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)) * 4)
    assert "not UTF-8 text (bad byte at offset 128)" in only_problem(binary)


def test_line_endings_read_as_before(tmp_path: Path) -> None:
    text = SMALL.read_text(encoding="utf-8")
    crlf = tmp_path / "crlf.yaml"
    crlf.write_bytes(("\ufeff" + text).replace("\n", "\r\n").encode("utf-8"))
    assert load_scenario(crlf) == load_scenario(SMALL)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root reads any file")
def test_an_unreadable_file_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked.yaml"
    locked.write_text("name: x\n", encoding="utf-8")
    locked.chmod(0)
    assert only_problem(locked) == f"{locked}: cannot read: Permission denied"


@POSIX
def test_the_command_line_says_it_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pipe = tmp_path / "pipe.yaml"
    os.mkfifo(pipe)
    for command in (["validate"], ["run"], ["show"], ["replicate", "-n", "2"]):
        assert main([*command, str(pipe)]) == 2
        captured = capsys.readouterr()
        assert captured.err == f"{pipe}: not a regular file: it is a named pipe (FIFO)\n"
