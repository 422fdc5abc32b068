"""Writing tables as CSV, JSON and Parquet files, and reading them back exactly.

CSV: UTF-8, a header row of column names, one row per line. Numbers are written in
their shortest exact form (``repr``), so reading a file back gives the same floats
to the last bit; an undefined number (NaN) is an empty cell, infinities are ``inf``
and ``-inf``, booleans ``true`` / ``false``. A text cell (never a number; header
cells included) that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return is written with a single quote in front (``'=cmd``), so that a spreadsheet
shows it as text instead of running it as a formula (CSV injection, OWASP);
:func:`read_csv_table` removes the quote again.

JSON: one object per table, ``{"name": ..., "columns": {name: type}, "rows": [{...}]}``,
with NaN as ``null``.

Parquet (needs ``pyarrow``): one file per table with typed columns.

Every directory written also holds ``metadata.json``: what was exported (kind,
scenario, seed, package version, scenario hash), every table's columns and types,
and the unit and meaning of every KPI.
"""

from __future__ import annotations

import csv
import importlib
import importlib.util
import io
import json
import math
import os
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from fieldtotable.export.tables import ColumnType, Table
from fieldtotable.fileio import StagedFolder, open_regular_file, read_regular_file
from fieldtotable.fileio.csv_cells import FORMULA_STARTS, neutralise_csv_text, restore_csv_text
from fieldtotable.results.fields import KPIS

__all__ = [
    "FORMATS",
    "FORMULA_STARTS",
    "METADATA_FILE",
    "check_formats",
    "default_formats",
    "neutralise_csv_text",
    "parquet_available",
    "read_csv_table",
    "read_json_table",
    "restore_csv_text",
    "write_tables",
]

FORMATS = ("csv", "json", "parquet")
"""File formats the exports can write."""
METADATA_FILE = "metadata.json"
EXPORT_FORMAT = "fieldtotable-export/1"

_PARQUET_MISSING = "Parquet export needs pyarrow: pip install pyarrow"


def parquet_available() -> bool:
    """Tell whether ``pyarrow`` is installed (Parquet files can be written).

    Returns
    -------
    bool
        ``True`` when ``pyarrow`` can be imported.
    """
    return importlib.util.find_spec("pyarrow") is not None


def default_formats() -> tuple[str, ...]:
    """Return CSV and JSON, and Parquet too when pyarrow is installed.

    Returns
    -------
    tuple of str
        The formats written when none are named.
    """
    return ("csv", "json", "parquet") if parquet_available() else ("csv", "json")


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """Check format names before anything is written.

    Parameters
    ----------
    formats
        Names among :data:`FORMATS`.

    Returns
    -------
    tuple of str
        The formats, duplicates removed, in order.

    Raises
    ------
    ValueError
        For an unknown format or none at all.
    ImportError
        For ``parquet`` when pyarrow is not installed.
    """
    if isinstance(formats, str):
        formats = (formats,)
    chosen = tuple(dict.fromkeys(formats))
    if not chosen:
        raise ValueError(f"no export format given (choose from {', '.join(FORMATS)})")
    unknown = [name for name in chosen if name not in FORMATS]
    if unknown:
        names = ", ".join(map(repr, unknown))
        raise ValueError(f"unknown export format {names} (choose from {', '.join(FORMATS)})")
    if "parquet" in chosen and not parquet_available():
        raise ImportError(_PARQUET_MISSING)
    return chosen


# --- cells -------------------------------------------------------------------------------


def _csv_cell(value: Any, kind: ColumnType) -> str:
    if kind == "str":
        return neutralise_csv_text(str(value))
    if kind == "bool":
        return "true" if value else "false"
    if kind == "int":
        return str(int(value))
    number = float(value)
    if math.isnan(number):
        return ""
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def _from_csv(text: str, kind: ColumnType) -> Any:
    if kind == "str":
        return restore_csv_text(text)
    if kind == "bool":
        return text.strip().lower() in {"true", "1", "yes"}
    if kind == "int":
        return int(text)
    return math.nan if text.strip() == "" else float(text)


def _json_cell(value: Any, kind: ColumnType) -> Any:
    if kind == "float" and not math.isfinite(value):
        return None if math.isnan(value) else ("inf" if value > 0 else "-inf")
    return value


def _from_json(value: Any, kind: ColumnType) -> Any:
    if kind == "float":
        return math.nan if value is None else float(value)
    if kind == "int":
        return int(value)
    if kind == "bool":
        return bool(value)
    return str(value)


# --- writing -------------------------------------------------------------------------------


def _write_csv(table: Table, path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow([neutralise_csv_text(column) for column in table.columns])
        kinds = [table.types[column] for column in table.columns]
        for row in table.rows:
            writer.writerow(
                [_csv_cell(row[c], kind) for c, kind in zip(table.columns, kinds, strict=True)]
            )


def _write_json(table: Table, path: Path) -> None:
    data = {
        "name": table.name,
        "columns": {column: table.types[column] for column in table.columns},
        "rows": [
            {column: _json_cell(row[column], table.types[column]) for column in table.columns}
            for row in table.rows
        ],
    }
    path.write_text(json.dumps(data, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def _write_parquet(table: Table, path: Path, metadata: Mapping[str, Any]) -> None:
    pa = importlib.import_module("pyarrow")
    pq = importlib.import_module("pyarrow.parquet")
    arrow_types = {"str": pa.string(), "int": pa.int64(), "float": pa.float64(), "bool": pa.bool_()}
    schema = pa.schema(
        [pa.field(column, arrow_types[table.types[column]]) for column in table.columns],
        metadata={"fieldtotable": json.dumps(metadata, ensure_ascii=False, default=str)},
    )
    arrays = [
        pa.array(table.column(column), type=arrow_types[table.types[column]])
        for column in table.columns
    ]
    pq.write_table(pa.Table.from_arrays(arrays, schema=schema), str(path))


def _kpi_definitions() -> dict[str, dict[str, str]]:
    return {key: {"unit": found.unit, "meaning": found.definition} for key, found in KPIS.items()}


def write_tables(
    tables: Mapping[str, Table],
    directory: str | os.PathLike[str],
    *,
    formats: Sequence[str] = ("csv", "json"),
    metadata: Mapping[str, Any] | None = None,
    extra_files: Mapping[str, str] | None = None,
) -> list[Path]:
    """Write tables to ``directory`` (created if needed), one file per table and format.

    Parameters
    ----------
    tables
        Name -> table; ``by_product`` becomes ``by_product.csv``, ``.json``,
        ``.parquet``.
    directory
        Where to write; existing files of the same names are replaced. The files
        are written all-or-nothing (:class:`~fieldtotable.fileio.StagedFolder`):
        into a staging folder first, moved into place when every one is written; if
        one cannot be written (a full disk), nothing is left behind and the
        folder's earlier content is untouched.
    formats
        Among :data:`FORMATS`.
    metadata
        What the tables are (kind, scenario, seed, ...), written to
        ``metadata.json`` with the tables' columns and the KPI definitions.
    extra_files
        File name -> text to write beside the tables (the resolved scenario YAML).

    Returns
    -------
    list of Path
        The files written, ``metadata.json`` last.

    Raises
    ------
    ValueError, ImportError
        As for :func:`check_formats`, before anything is written.
    OSError
        If the directory or a file cannot be written; no file of the export is
        left (the folder, if this call made it, is removed too).
    """
    chosen = check_formats(formats)
    folder = Path(directory)
    info: dict[str, Any] = {"format": EXPORT_FORMAT, **dict(metadata or {})}
    info["tables"] = {
        name: {"rows": len(table.rows), "columns": {c: table.types[c] for c in table.columns}}
        for name, table in tables.items()
    }
    info["formats"] = list(chosen)
    info["kpi_definitions"] = _kpi_definitions()
    names: list[str] = []
    with StagedFolder(folder) as staging:
        for name, table in tables.items():
            for kind in chosen:
                path = staging / f"{name}.{kind}"
                if kind == "csv":
                    _write_csv(table, path)
                elif kind == "json":
                    _write_json(table, path)
                else:
                    _write_parquet(table, path, {k: v for k, v in info.items() if k != "tables"})
                names.append(path.name)
        for file_name, text in (extra_files or {}).items():
            (staging / file_name).write_text(text, encoding="utf-8")
            names.append(file_name)
        meta = staging / METADATA_FILE
        meta.write_text(json.dumps(info, indent=2, ensure_ascii=False, default=str) + "\n", "utf-8")
        names.append(METADATA_FILE)
    return [folder / name for name in names]


# --- reading -------------------------------------------------------------------------------


def _infer(values: Sequence[str]) -> ColumnType:
    filled = [v for v in values if v != ""]
    for kind, parse in (("int", int), ("float", float)):
        try:
            for value in filled:
                parse(value)
        except ValueError:
            continue
        return "int" if kind == "int" and len(filled) == len(values) else "float"
    if filled and all(v.lower() in {"true", "false"} for v in filled):
        return "bool"
    return "str"


def _metadata_types(path: Path) -> dict[str, ColumnType] | None:
    meta = path.parent / METADATA_FILE
    if not meta.is_file():
        return None
    tables = json.loads(read_regular_file(meta).decode("utf-8")).get("tables", {})
    found = tables.get(path.stem)
    return None if found is None else dict(found["columns"])


def read_csv_table(
    path: str | os.PathLike[str], types: Mapping[str, ColumnType] | None = None
) -> Table:
    """Read a CSV file written by :func:`write_tables` back into a :class:`Table`.

    Parameters
    ----------
    path
        The CSV file.
    types
        Column name -> type; by default those recorded in ``metadata.json`` beside
        the file, else guessed from the cells.

    Returns
    -------
    Table
        The table, with the same values to the last bit (NaN for empty number cells).
    """
    file = Path(path)
    with io.TextIOWrapper(open_regular_file(file), encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        header = [restore_csv_text(column) for column in next(reader, [])]
        cells = list(reader)
    known = dict(types) if types is not None else _metadata_types(file)
    if known is None:
        known = {c: _infer([row[i] for row in cells]) for i, c in enumerate(header)}
    rows = [
        {column: _from_csv(row[i], known[column]) for i, column in enumerate(header)}
        for row in cells
    ]
    return Table(file.stem, tuple(header), {c: known[c] for c in header}, rows)


def read_json_table(path: str | os.PathLike[str]) -> Table:
    """Read a JSON file written by :func:`write_tables` back into a :class:`Table`.

    Parameters
    ----------
    path
        The ``NAME.json`` file.

    Returns
    -------
    Table
        The table, with its column types and typed cells (``null`` as NaN).
    """
    data = json.loads(read_regular_file(path).decode("utf-8"))
    types: dict[str, ColumnType] = dict(data["columns"])
    rows = [{c: _from_json(row[c], types[c]) for c in types} for row in data["rows"]]
    return Table(str(data["name"]), tuple(types), types, rows)
