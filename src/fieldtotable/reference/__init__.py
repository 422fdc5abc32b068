"""Reference pages of the documentation, generated from the code.

Each page is written by a function of this package from the definitions next to
the code it describes, so that it cannot drift from what the code does; tests
check that the committed pages are up to date. Regenerate them all with::

    python -m fieldtotable.reference          # write the pages
    python -m fieldtotable.reference --check  # exit 1 if a page is out of date

The pages: ``docs/reference/results.md`` (:mod:`~fieldtotable.reference.results_page`),
``docs/reference/cli.md`` (:mod:`~fieldtotable.reference.cli_page`) and
``docs/scenario-format.md`` (:mod:`fieldtotable.scenario.reference`).
"""

from __future__ import annotations

from collections.abc import Callable

__all__ = ["REGENERATE_COMMAND", "pages"]

REGENERATE_COMMAND = "python -m fieldtotable.reference"
"""The command that rewrites every generated page (run from the repository root)."""


def pages() -> dict[str, Callable[[], str]]:
    """Return every generated page: path (relative to the repository root) to its writer.

    Returns
    -------
    dict of str to callable
        Each path with the function that returns the page's text.
    """
    from fieldtotable.reference import cli_page, results_page  # noqa: PLC0415
    from fieldtotable.scenario import reference  # noqa: PLC0415

    return {
        results_page.PAGE_PATH: results_page.results_markdown,
        cli_page.PAGE_PATH: cli_page.cli_markdown,
        reference.DOC_PATH: reference.scenario_format_markdown,
    }
