"""A resumable result store: one JSON file per finished run, written atomically.

Layout of a result directory (``out=DIR``)::

    DIR/manifest.json                      what the experiment is (kind, seed, n, grid,
                                           the scenario hash of every point)
    DIR/runs/<hash16>/<replication>.json   one finished run: its scenario hash, seed,
                                           replication and full result

Every file is written to a temporary file in the same directory and moved into place
with :func:`os.replace`, so a file is either complete or absent: killing the process,
even with SIGKILL, loses at most the runs in flight. Rerunning the same experiment
reads the runs already there and runs only the missing ones; the results are the
same to the last bit (floats are written in their shortest exact form).

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
import datetime as dt
import json
import math
import os
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from fieldtotable.experiment.errors import StoreMismatchError
from fieldtotable.results.run import RunResult
from fieldtotable.versions import software_versions

__all__ = [
    "FORMAT",
    "Manifest",
    "PointRecord",
    "RunStore",
    "run_from_data",
    "run_to_data",
]

FORMAT = "fieldtotable-experiment/1"
"""Format tag of manifests and run files."""

_FLOAT_MAPS = ("kpis", "spoiled_kg_by_stage")
_FLOAT_TABLES = ("by_product", "by_leg", "by_node", "by_market")


# --- run results as JSON -------------------------------------------------------------


def _encode(value: float) -> float | str | None:
    if math.isnan(value):
        return None
    if math.isinf(value):
        return "inf" if value > 0 else "-inf"
    return value


def _decode(value: float | str | None) -> float:
    if value is None:
        return math.nan
    return float(value)


def run_to_data(result: RunResult) -> dict[str, Any]:
    """Return a run as JSON-compatible data that :func:`run_from_data` restores exactly.

    NaN is written as ``null`` and infinities as ``"inf"`` / ``"-inf"``; the flow
    log is not kept.

    Parameters
    ----------
    result
        The run.

    Returns
    -------
    dict
        The run's fields as plain data.
    """
    return {
        "scenario_name": result.scenario_name,
        "seed": result.seed,
        "replication": result.replication,
        "horizon_days": result.horizon_days,
        "warmup_days": result.warmup_days,
        "start_date": None if result.start_date is None else result.start_date.isoformat(),
        **{name: {k: _encode(v) for k, v in getattr(result, name).items()} for name in _FLOAT_MAPS},
        **{
            name: {
                entity: {k: _encode(v) for k, v in values.items()}
                for entity, values in getattr(result, name).items()
            }
            for name in _FLOAT_TABLES
        },
        "daily": {key: [_encode(v) for v in series] for key, series in result.daily.items()},
        "remaining_at_sale": {
            key: [_encode(v) for v in counts] for key, counts in result.remaining_at_sale.items()
        },
        "events_processed": result.events_processed,
        "wall_time_s": result.wall_time_s,
    }


def run_from_data(data: Mapping[str, Any]) -> RunResult:
    """Rebuild a :class:`RunResult` from :func:`run_to_data`'s data.

    Parameters
    ----------
    data
        What :func:`run_to_data` returned (read back from JSON).

    Returns
    -------
    RunResult
        The run, equal to the one written.

    Raises
    ------
    KeyError, TypeError, ValueError
        If the data is not such a record.
    """
    return RunResult(
        scenario_name=str(data["scenario_name"]),
        seed=int(data["seed"]),
        replication=None if data["replication"] is None else int(data["replication"]),
        horizon_days=int(data["horizon_days"]),
        warmup_days=int(data["warmup_days"]),
        kpis={k: _decode(v) for k, v in data["kpis"].items()},
        spoiled_kg_by_stage={k: _decode(v) for k, v in data["spoiled_kg_by_stage"].items()},
        by_product=_table(data["by_product"]),
        by_leg=_table(data["by_leg"]),
        by_node=_table(data["by_node"]),
        by_market=_table(data["by_market"]),
        daily={key: [_decode(v) for v in series] for key, series in data["daily"].items()},
        remaining_at_sale={
            key: [_decode(v) for v in counts] for key, counts in data["remaining_at_sale"].items()
        },
        events_processed=int(data["events_processed"]),
        flows=None,
        # Stores written before the field existed have no start date.
        start_date=(
            None if data.get("start_date") is None else dt.date.fromisoformat(data["start_date"])
        ),
        wall_time_s=float(data["wall_time_s"]),
    )


def _table(data: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, float]]:
    return {entity: {k: _decode(v) for k, v in values.items()} for entity, values in data.items()}


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
        ``"replicate"``, ``"compare"`` or ``"sweep"``.
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
    if wanted.kind == "replicate" or found.get("scenario_hash") != wanted.scenario_hash:
        return (
            f"{where} a different scenario ({name!r}, sha256 {short}...; this one is "
            f"{wanted.scenario_name!r}, sha256 {wanted.scenario_hash[:12]}...); {hint}"
        )
    return f"{where} a sweep of the same scenario over a different grid; {hint}"


# --- atomic files --------------------------------------------------------------------


def _write_atomic(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` so that the file is complete or absent, never partial."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def _lock(directory: Path) -> IO[str] | None:
    try:
        import fcntl  # noqa: PLC0415  # POSIX only
    except ImportError:  # pragma: no cover - Windows
        return None
    stream = (directory / ".lock").open("a", encoding="utf-8")
    try:
        fcntl.flock(stream.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        stream.close()
        raise StoreMismatchError(
            f"{directory} is in use by another experiment (it holds the lock file "
            f"{directory / '.lock'}); wait for it to finish or use another directory"
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
    """

    def __init__(self, directory: str | os.PathLike[str], manifest: Manifest) -> None:
        self.directory = Path(directory)
        if self.directory.exists() and not self.directory.is_dir():
            raise StoreMismatchError(f"{self.directory} exists and is not a directory")
        self.directory.mkdir(parents=True, exist_ok=True)
        self._lock = _lock(self.directory)
        try:
            self._open(manifest)
        except BaseException:
            self.close()
            raise
        self.manifest = manifest

    def _open(self, manifest: Manifest) -> None:
        path = self.directory / "manifest.json"
        if path.exists():
            try:
                found = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise StoreMismatchError(f"{path}: not a readable manifest ({exc})") from None
            if not isinstance(found, dict):
                raise StoreMismatchError(f"{path}: not a manifest of fieldtotable")
            problem = _mismatch(self.directory, found, manifest)
            if problem is not None:
                raise StoreMismatchError(problem)
        _write_atomic(
            path, json.dumps(manifest.to_data(), indent=2, ensure_ascii=False, default=str) + "\n"
        )
        for stale in self.directory.glob("runs/*/.*.tmp"):
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
        """Return a stored run, or ``None`` if it is absent (or unreadable: it reruns).

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
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if (
                data["format"] != FORMAT
                or data["scenario_hash"] != scenario_hash
                or data["seed"] != seed
                or data["replication"] != replication
            ):
                return None
            return run_from_data(data["result"])
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def save(self, scenario_hash: str, seed: int, replication: int, result: RunResult) -> None:
        """Write one finished run atomically.

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
        """
        record = {
            "format": FORMAT,
            "scenario_hash": scenario_hash,
            "seed": seed,
            "replication": replication,
            "result": run_to_data(result),
        }
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
