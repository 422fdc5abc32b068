"""Tables as pandas data frames, with typed columns (pandas is optional).

Column dtypes follow the table's types: ``string`` for text, ``int64``, ``float64``
(NaN for undefined values) and ``bool``; the index is a plain range (tidy data).
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from typing import Any

from fieldtotable.export.tables import Table

__all__ = ["frame", "frames", "pick", "require_pandas"]

_DTYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool"}


def require_pandas() -> Any:
    """Return the pandas module, or raise ``ImportError`` saying how to install it."""
    try:
        return importlib.import_module("pandas")
    except ImportError:
        raise ImportError("to_pandas() needs pandas: pip install pandas") from None


def frame(table: Table) -> Any:
    """Return one table as a ``pandas.DataFrame`` with typed columns."""
    pd = require_pandas()
    data = {
        column: pd.Series(table.column(column), dtype=_DTYPES[table.types[column]], name=column)
        for column in table.columns
    }
    return pd.DataFrame(data, columns=list(table.columns))


def frames(tables: Mapping[str, Table]) -> dict[str, Any]:
    """Return every table as a data frame, keyed by name."""
    require_pandas()
    return {name: frame(table) for name, table in tables.items()}


def pick(tables: Mapping[str, Table], table: str | None) -> Any:
    """Return the frame of one table, or of all (``table="all"`` or ``None``) as a dict.

    Raises
    ------
    ImportError
        If pandas is not installed.
    ValueError
        If ``table`` names no table (the message lists them).
    """
    require_pandas()
    if table is None or table == "all":
        return frames(tables)
    if table not in tables:
        raise ValueError(f"no table {table!r}; choose from: {', '.join(tables)} or 'all'")
    return frame(tables[table])
