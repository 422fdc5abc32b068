"""The hook through which presentation code serves result objects, keeping layers apart.

Result objects (:class:`~fieldtotable.RunResult` and the experiment results) offer
``to_pandas()`` and Jupyter's ``_repr_html_`` for convenience, but the tables and the
HTML live in the presentation layer (:mod:`fieldtotable.export`), above the results
and the experiments. So that no result module imports presentation code, the
presentation layer registers its functions here, per result type, when it is imported;
``import fieldtotable`` imports it, so they are registered whenever a result exists::

    register(RunResult, to_pandas=run_frames, to_html=run_html)

Code that builds its own result types can register them the same way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

__all__ = ["Presenter", "register", "to_html", "to_pandas"]


@dataclass(frozen=True)
class Presenter:
    """How one result type is shown.

    Attributes
    ----------
    to_pandas
        ``(result, table) -> DataFrame or dict of DataFrames``: the result's
        ``to_pandas(table)``.
    to_html
        ``(result) -> str``: the result's ``_repr_html_()``.
    """

    to_pandas: Callable[[Any, str | None], Any] | None
    to_html: Callable[[Any], str] | None


_PRESENTERS: dict[type, Presenter] = {}


def register(
    result_type: type,
    *,
    to_pandas: Callable[[Any, str | None], Any] | None = None,
    to_html: Callable[[Any], str] | None = None,
) -> None:
    """Register how results of ``result_type`` (and its subclasses) are shown.

    Parameters
    ----------
    result_type
        The result class.
    to_pandas
        Called by ``result.to_pandas(table)`` with the result and ``table``
        (``None`` for the type's main table, as the caller passed it).
    to_html
        Called by ``result._repr_html_()`` with the result.
    """
    _PRESENTERS[result_type] = Presenter(to_pandas=to_pandas, to_html=to_html)


def _presenter(result: object, what: str) -> Any:
    for cls in type(result).__mro__:
        found = getattr(_PRESENTERS.get(cls), what, None)
        if found is not None:
            return found
    raise LookupError(
        f"no {what} presenter is registered for {type(result).__name__}: import fieldtotable.export"
    )


def to_pandas(result: object, table: str | None) -> Any:
    """Return ``result``'s table ``table`` as data frames, through its registered presenter."""
    return _presenter(result, "to_pandas")(result, table)


def to_html(result: object) -> str:
    """Return ``result`` as an HTML table, through its registered presenter."""
    html: str = _presenter(result, "to_html")(result)
    return html
