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
        raise ImportError(
            "to_pandas() needs pandas, which the 'export' extra installs: "
            "pip install 'fieldtotable[export]' (or: pip install pandas)"
        ) from None


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


def pick(tables: Mapping[str, Table], table: str | None, default: str) -> Any:
    """Return the frame of one table, or of all (``table="all"``) as a dict.

    Parameters
    ----------
    tables
        The result's tables by name.
    table
        The table's name; ``None`` for ``default``; ``"all"`` for every table.
    default
        The table ``None`` stands for (the result type's main table).

    Returns
    -------
    pandas.DataFrame or dict of str to pandas.DataFrame
        The frame, or every frame by name.

    Raises
    ------
    ImportError
        If pandas is not installed.
    ValueError
        If ``table`` names no table (the message lists them).
    """
    require_pandas()
    if table is None:
        table = default
    if table == "all":
        return frames(tables)
    if table not in tables:
        raise ValueError(f"no table {table!r}; choose from: {', '.join(tables)} or 'all'")
    return frame(tables[table])
