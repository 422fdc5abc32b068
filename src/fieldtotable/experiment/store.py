"""A resumable result store: one JSON file per finished run, written atomically.

Layout of a run store (``store=DIR``)::

    DIR/manifest.json                      what the experiment is (kind, seed, n, grid,
                                           the scenario hash of every point)
    DIR/runs/<hash16>/<replication>.json   one finished run: its scenario hash, seed,
                                           replication, full result, and the hashes
                                           that vouch for it (:mod:`.records`)

Every file is written to a temporary file in the same directory, flushed to disk
(``fsync``) and moved into place with :func:`os.replace`, so a file is either
complete or absent: killing the process, even with SIGKILL, loses at most the runs
in flight, and a full disk leaves no half-written run behind. Rerunning the same
experiment reads the runs already there and runs only the missing ones; the results
are the same to the last bit (floats are written in their shortest exact form). A
run file that is there but cannot be trusted (its content does not match its
sha256, it has no hash because an older version wrote it, it is not JSON) is run
again, with a :class:`~fieldtotable.experiment.errors.StoreWarning` naming it.

Only regular files are read (a run file or manifest replaced by a pipe or a device
is refused, never read). Errors of the machine (disk full, permission, a lock file
that is a folder) raise :class:`~fieldtotable.experiment.errors.StoreError` naming
the path and the cause.

A run file is keyed by the scenario hash of its configuration (sha256 of the
canonical JSON of ``scenario.model_dump(mode="json", by_alias=True)``), so two
points with the same scenario share their runs. A directory holding a different
experiment (another kind, seed, scenario or grid) is refused with
:class:`~fieldtotable.experiment.errors.StoreMismatchError`; only ``n`` may change
(asking for more replications extends an experiment). One process at a time may use
a directory (a lock file is held where the platform has ``fcntl``).
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import warnings
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fieldtotable.experiment.errors import StoreError, StoreMismatchError, StoreWarning
from fieldtotable.experiment.records import (
    FORMAT,
    RecordError,
    check_record,
    make_record,
    run_from_data,
    run_to_data,
)
from fieldtotable.fileio import NotRegularFileError, check_writable_target, read_regular_file
from fieldtotable.fileio import write_atomic as _write_file
from fieldtotable.results.run import RunResult
from fieldtotable.versions import software_versions

__all__ = [
    "FORMAT",
    "MAX_FILE_BYTES",
    "Manifest",
    "PointRecord",
    "RunStore",
    "run_from_data",
    "run_to_data",
]

# --- the manifest --------------------------------------------------------------------


@dataclass(frozen=True)
class PointRecord:
    """One configuration of an experiment, as the manifest records it.

    Attributes
    ----------
    label
        The configuration in words (scenario name, compared name, sweep overrides).
    scenario_hash
        :func:`scenario_hash` of its scenario.
    overrides
        The sweep overrides of the point (empty otherwise).
    """

    label: str
    scenario_hash: str
    overrides: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Manifest:
    """What a result directory holds.

    Attributes
    ----------
    kind
        ``"replicate"``, ``"compare"``, ``"sweep"``, ``"optimise"``, ``"sensitivity"`` or
        ``"variance_split"``.
    scenario_name
        Name of the (base or baseline) scenario.
    scenario_hash
        Hash of the (base or baseline) scenario.
    seed
        The experiment's seed.
    n
        Replications asked for (an int, or ``"auto"``); may change between runs.
    points
        The configurations, in order.
    grid
        The sweep's grid or list of variants, as given (``None`` otherwise).
    """

    kind: str
    scenario_name: str
    scenario_hash: str
    seed: int
    n: int | str
    points: tuple[PointRecord, ...]
    grid: Any = None

    def to_data(self) -> dict[str, Any]:
        """Return JSON-compatible data.

        Returns
        -------
        dict
            Every field by name.
        """
        versions = software_versions()
        return {
            "format": FORMAT,
            "fieldtotable_version": versions["fieldtotable"],
            "versions": versions,
            "kind": self.kind,
            "scenario_name": self.scenario_name,
            "scenario_hash": self.scenario_hash,
            "seed": self.seed,
            "n": self.n,
            "grid": self.grid,
            "points": [
                {"label": p.label, "scenario_hash": p.scenario_hash, "overrides": p.overrides}
                for p in self.points
            ],
        }


def _mismatch(directory: Path, found: Mapping[str, Any], wanted: Manifest) -> str | None:
    """Say how the experiment in ``found`` differs from ``wanted`` (``None``: the same)."""
    where = f"{directory} holds the runs of"
    hint = "use another output directory, or delete this one to start afresh"
    if found.get("format") != FORMAT:
        return f"{where} an unknown format ({found.get('format')!r}, not {FORMAT!r}); {hint}"
    if found.get("kind") != wanted.kind:
        return f"{where} a {found.get('kind')}, not a {wanted.kind}; {hint}"
    if found.get("seed") != wanted.seed:
        return f"{where} seed {found.get('seed')}, not seed {wanted.seed}; {hint}"
    hashes = [str(p.get("scenario_hash")) for p in found.get("points", [])]
    wanted_hashes = [p.scenario_hash for p in wanted.points]
    if wanted.kind == "compare":  # the order of the compared scenarios does not matter
        hashes, wanted_hashes = sorted(hashes), sorted(wanted_hashes)
    if hashes == wanted_hashes:
        return None
    name = found.get("scenario_name")
    short = str(found.get("scenario_hash", ""))[:12]
    if wanted.kind == "compare":
        names = ", ".join(str(p.get("label")) for p in found.get("points", []))
        return f"{where} a different set of scenarios ({names}); {hint}"
    if wanted.kind == "variance_split":
        return f"{where} a variance split with other priors or draws; {hint}"
    if wanted.kind == "replicate" or found.get("scenario_hash") != wanted.scenario_hash:
        return (
            f"{where} a different scenario ({name!r}, sha256 {short}...; this one is "
            f"{wanted.scenario_name!r}, sha256 {wanted.scenario_hash[:12]}...); {hint}"
        )
    return f"{where} a sweep of the same scenario over a different grid; {hint}"


# --- files --------------------------------------------------------------------------

MAX_FILE_BYTES = 256 * 1024 * 1024
"""Largest manifest or run file read back (a year's run takes well under 1 MB)."""


def _fault(action: str, path: Path, exc: OSError) -> StoreError:
    """Word an error of the machine (disk full, permission) as one line naming the path."""
    return StoreError(f"cannot {action} {path}: {exc.strerror or exc}")


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is complete or absent, never partial.

    Raises
    ------
    StoreError
        If it cannot be written (disk full, permission); nothing is left behind.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        _write_file(path, text, own=True)
    except OSError as exc:
        raise _fault("write", path, exc) from None


def _lock(directory: Path) -> IO[str] | None:
    try:
        import fcntl  # noqa: PLC0415  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        return None
    path = directory / ".lock"
    flags = os.O_WRONLY | os.O_CREAT | os.O_APPEND | os.O_NONBLOCK | os.O_CLOEXEC
    try:
        check_writable_target(path)  # a folder, a pipe: never opened
        descriptor = os.open(path, flags, 0o666)
        opened = os.fstat(descriptor)
        if not stat.S_ISREG(opened.st_mode):  # pragma: no cover - swapped after the look
            os.close(descriptor)
            raise NotRegularFileError(path, opened.st_mode)
    except OSError as exc:
        raise _fault("use the lock file", path, exc) from None
    stream = os.fdopen(descriptor, "a", encoding="utf-8")
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        stream.close()
        raise StoreMismatchError(
            f"{directory} is in use by another experiment (it holds the lock file "
            f"{path}); wait for it to finish or use another directory"
        ) from None
    return stream


class RunStore:
    """The runs of one experiment in a directory; see the module docstring.

    Parameters
    ----------
    directory
        The result directory; created if missing.
    manifest
        The experiment about to run. A directory without a manifest gets this one; a
        directory with the same experiment (``n`` aside) is resumed; any other is
        refused.

    Raises
    ------
    StoreMismatchError
        If the directory holds a different experiment, is in use by another process,
        or its manifest cannot be read.
    StoreError
        If the directory, its lock file or its manifest cannot be made or written
        (disk full, permission, a lock file that is a folder).
    """

    def __init__(self, directory: str | os.PathLike[str], manifest: Manifest) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise StoreMismatchError(f"{self.directory} exists and is not a directory")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise _fault("create the result directory", self.directory, exc) from None
        self._lock = _lock(self.directory)
        try:
            self._open(manifest)
        except BaseException:
            self.close()
            raise
        self.manifest = manifest

    def _open(self, manifest: Manifest) -> None:
        path = self.directory / "manifest.json"
        if os.path.lexists(path):
            try:
                found = json.loads(read_regular_file(path, MAX_FILE_BYTES).decode("utf-8"))
            except OSError as exc:
                reason = exc.strerror or str(exc)
                raise StoreMismatchError(f"{path}: not a readable manifest ({reason})") from None
            except ValueError as exc:
                raise StoreMismatchError(f"{path}: not a readable manifest ({exc})") from None
            if not isinstance(found, dict):
                raise StoreMismatchError(f"{path}: not a manifest of fieldtotable")
            problem = _mismatch(self.directory, found, manifest)
            if problem is not None:
                raise StoreMismatchError(problem)
        _write_atomic(
            path, json.dumps(manifest.to_data(), indent=2, ensure_ascii=False, default=str) + "\n"
        )
        for pattern in (".*.tmp", "runs/*/.*.tmp"):
            for stale in self.directory.glob(pattern):
                with contextlib.suppress(OSError):
                    stale.unlink()

    def path(self, scenario_hash: str, replication: int) -> Path:
        """Return the file of one run.

        Parameters
        ----------
        scenario_hash
            The configuration's :func:`scenario_hash`.
        replication
            The replication index.

        Returns
        -------
        Path
            Where the run is (or will be) stored.
        """
        return self.directory / "runs" / scenario_hash[:16] / f"{replication:06d}.json"

    def load(self, scenario_hash: str, seed: int, replication: int) -> RunResult | None:
        """Return a stored run, or ``None`` if it is absent or cannot be trusted.

        A run file that is there but cannot be used is never reused silently: a
        :class:`~fieldtotable.experiment.errors.StoreWarning` naming the file and
        the reason is issued, and ``None`` is returned so that the run is done again.
        That is the case of a file that cannot be read or is not JSON, of a record
        whose content does not match its content hash (edited or damaged), of a
        record of other inputs, and of a record without a hash (written by a version
        before hashes): see :mod:`fieldtotable.experiment.records`.

        Parameters
        ----------
        scenario_hash
            The configuration's :func:`scenario_hash`.
        seed
            The experiment's seed (a stored run of another seed is not returned).
        replication
            The replication index.

        Returns
        -------
        RunResult or None
            The run, or ``None``.
        """
        path = self.path(scenario_hash, replication)
        if not os.path.lexists(path):
            return None
        try:
            data = json.loads(read_regular_file(path, MAX_FILE_BYTES).decode("utf-8"))
            return check_record(data, scenario_hash, seed, replication)
        except OSError as exc:
            why = f"cannot be read ({exc.strerror or exc})"
        except RecordError as exc:
            why = str(exc)
        except ValueError as exc:  # not UTF-8, not JSON
            why = f"not a run record ({type(exc).__name__})"
        warnings.warn(
            f"{path}: stored run not reused: {why}; rerunning replication {replication}",
            StoreWarning,
            stacklevel=2,
        )
        return None

    def save(self, scenario_hash: str, seed: int, replication: int, result: RunResult) -> None:
        """Write one finished run atomically, with its inputs and content hashes.

        Parameters
        ----------
        scenario_hash
            The configuration's :func:`scenario_hash`.
        seed
            The experiment's seed.
        replication
            The replication index.
        result
            The run.

        Raises
        ------
        StoreError
            If it cannot be written (disk full, permission); no part of it is left.
        """
        record = make_record(scenario_hash, seed, replication, result)
        _write_atomic(self.path(scenario_hash, replication), json.dumps(record) + "\n")

    def close(self) -> None:
        """Release the directory's lock."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def __enter__(self) -> RunStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()
