"""Reading the CSV temperature logs a scenario names, before its fields are validated.

A leg's ``temperature_log: PATH.csv`` and a node's ``temperature_log: {file: PATH.csv,
repeat: daily|yearly}`` name a CSV file relative to the scenario file that wrote the
path (for a path inherited through ``extends``, the parent's file; for a path given
with ``--set`` or from Python, the current folder). :func:`read_temperature_logs`
reads each one and puts its records next to the path (``{file, elapsed_h, temp_c}``),
so the schema (:mod:`.schema_logs`) validates the data and the scenario's hash covers
it. A problem with a CSV is reported on one line naming the CSV, its line, the column
and the scenario field: ``logs/trip.csv:7: legs.a.temperature_log: temp_c: not a
number ('n/a')``.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable
from typing import Any

from fieldtotable.errors import Problem
from fieldtotable.fileio.reading import read_regular_file
from fieldtotable.scenario.limits import MAX_TEMP_C, MIN_TEMP_C
from fieldtotable.scenario.schema_logs import LOG_MAX_RECORDS
from fieldtotable.scenario.yaml_loader import Path, format_path

__all__ = ["LOG_COLUMNS", "LOG_MAX_BYTES", "LogFileError", "parse_log_csv", "read_temperature_logs"]

LOG_COLUMNS = ("elapsed_h", "temp_c")
"""The header a log's CSV must have."""

LOG_MAX_BYTES = 64 * 1024 * 1024
"""Largest CSV log read, bytes."""

#: Sections whose entries may carry a ``temperature_log``, and whether it repeats there.
LOG_SECTIONS = {"legs": False, "collection_points": True, "hubs": True}

Locator = Callable[[Path], tuple[str | None, int | None]]


class LogFileError(ValueError):
    """A CSV log that cannot be used: where (its line, or ``None``) and what."""

    def __init__(self, line: int | None, message: str) -> None:
        super().__init__(message)
        self.line = line
        self.message = message


def parse_log_csv(text: str) -> tuple[list[float], list[float]]:
    """Return the records of a CSV log: elapsed hours and temperatures.

    Parameters
    ----------
    text
        The CSV: a header ``elapsed_h,temp_c``, then one record per line (blank
        lines and lines starting with ``#`` are skipped).

    Returns
    -------
    tuple of list of float
        ``elapsed_h`` and ``temp_c``, as read.

    Raises
    ------
    LogFileError
        With the 1-based line and the column of the first problem: a wrong header,
        a line without two cells, a cell that is not a finite number, a temperature
        out of [-60, 60] °C, a first record not at 0, or a time not after the one
        before.
    """
    elapsed_h: list[float] = []
    temp_c: list[float] = []
    header_seen = False
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#"):
            continue
        cells = [cell.strip() for cell in line.split(",")]
        if not header_seen:
            if tuple(cells) != LOG_COLUMNS:
                raise LogFileError(number, f"the header must be 'elapsed_h,temp_c', got {line!r}")
            header_seen = True
            continue
        if len(cells) != len(LOG_COLUMNS):
            raise LogFileError(number, f"expected 2 cells (elapsed_h,temp_c), got {len(cells)}")
        hours = _number(cells[0], number, "elapsed_h")
        temp = _number(cells[1], number, "temp_c")
        if not MIN_TEMP_C <= temp <= MAX_TEMP_C:
            raise LogFileError(
                number, f"temp_c: {temp:g} °C is outside [{MIN_TEMP_C:g}, {MAX_TEMP_C:g}]"
            )
        if not elapsed_h and hours != 0.0:
            raise LogFileError(number, f"elapsed_h: the first record must be at 0, got {hours:g}")
        if elapsed_h and hours <= elapsed_h[-1]:
            raise LogFileError(
                number,
                f"elapsed_h: must increase strictly ({hours:g} after {elapsed_h[-1]:g})",
            )
        if len(elapsed_h) >= LOG_MAX_RECORDS:
            raise LogFileError(number, f"more than {LOG_MAX_RECORDS} records")
        elapsed_h.append(hours)
        temp_c.append(temp)
    if not header_seen:
        raise LogFileError(None, "empty: expected a header 'elapsed_h,temp_c' and records")
    if not elapsed_h:
        raise LogFileError(None, "no records after the header")
    return elapsed_h, temp_c


def _number(cell: str, line: int, column: str) -> float:
    try:
        value = float(cell)
    except ValueError:
        raise LogFileError(line, f"{column}: not a number ({cell!r})") from None
    if not math.isfinite(value):
        raise LogFileError(line, f"{column}: must be finite, got {cell!r}")
    return value


def _resolve(path_text: str, written_in: str | None) -> str:
    """Return ``path_text`` relative to the folder of the file that wrote it, if a file."""
    if os.path.isabs(path_text) or written_in is None or not os.path.isfile(written_in):
        return path_text
    return os.path.join(os.path.dirname(written_in), path_text)


def _read_one(path_text: str, written_in: str | None) -> tuple[list[float], list[float]]:
    """Read and parse one CSV log; :class:`LogFileError` (line ``None``) if unreadable."""
    try:
        raw = read_regular_file(_resolve(path_text, written_in), LOG_MAX_BYTES)
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise LogFileError(None, "not UTF-8 text") from None
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise LogFileError(None, f"cannot read the temperature log: {reason}") from None
    return parse_log_csv(text)


def read_temperature_logs(data: Any, locate: Locator) -> tuple[Any, list[Problem]]:
    """Return ``data`` with each ``temperature_log`` path replaced by the records it names.

    Parameters
    ----------
    data
        Scenario data (mappings and lists, as parsed from YAML); not changed (the
        mappings on the way to a log read are copied). In the copy, a leg's
        ``temperature_log: PATH`` becomes ``{file: PATH, elapsed_h: [...], temp_c:
        [...]}``, a node's ``{file: PATH, repeat: ..}`` gains the records.
        Entries already holding records are left as they are.
    locate
        Where each field of ``data`` was written (file, line).

    Returns
    -------
    tuple
        The data with the records in, and a list of :class:`~fieldtotable.errors.Problem`:
        one per CSV that cannot be used, located in the CSV (its line when known)
        with the scenario field's path; that entry is left as it was.
    """
    problems: list[Problem] = []
    if not isinstance(data, dict):
        return data, problems
    data = dict(data)
    for section, repeats in LOG_SECTIONS.items():
        entries = data.get(section)
        if not isinstance(entries, dict):
            continue
        entries = data[section] = dict(entries)
        for entry_id, entry in list(entries.items()):
            if not isinstance(entry, dict) or "temperature_log" not in entry:
                continue
            log = entry["temperature_log"]
            field: Path = (section, entry_id, "temperature_log")
            if repeats and isinstance(log, dict) and isinstance(log.get("file"), str):
                if "elapsed_h" in log or "temp_c" in log:
                    continue
                path_field: Path = (*field, "file")
                path_text = log["file"]
            elif not repeats and isinstance(log, str):
                path_field = field
                path_text = log
            else:
                continue  # inline records, or a shape the schema will refuse
            written_in, _line = locate(path_field)
            try:
                elapsed_h, temp_c = _read_one(path_text, written_in)
            except LogFileError as exc:
                shown = _resolve(path_text, written_in)
                problems.append(Problem(shown, exc.line, format_path(field), exc.message))
                continue
            records = {"file": path_text, "elapsed_h": elapsed_h, "temp_c": temp_c}
            read = {**log, **records} if isinstance(log, dict) else records
            entries[entry_id] = {**entry, "temperature_log": read}
    return data, problems
