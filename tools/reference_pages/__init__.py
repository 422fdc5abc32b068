"""Reference pages of the documentation, generated from the code (not shipped).

Each page is written by a function of this package from the definitions next to
the code it describes, so that it cannot drift from what the code does; tests
check that the committed pages are up to date. From the repository root::

    python -m tools.reference_pages          # write the pages
    python -m tools.reference_pages --check  # exit 1 if a page is out of date

The pages: ``docs/reference/results.md`` (:mod:`~tools.reference_pages.results_page`),
``docs/reference/cli.md`` (:mod:`~tools.reference_pages.cli_page`) and
``docs/scenario-format.md`` (:mod:`~tools.reference_pages.scenario_page`).
"""

from __future__ import annotations

from collections.abc import Callable

from tools.reference_pages import cli_page, results_page, scenario_page

__all__ = ["REGENERATE_COMMAND", "pages"]

REGENERATE_COMMAND = "python -m tools.reference_pages"
"""The command that rewrites every generated page (run from the repository root)."""


def pages() -> dict[str, Callable[[], str]]:
    """Return every generated page: path (relative to the repository root) to its writer.

    Returns
    -------
    dict of str to callable
        Each path with the function that returns the page's text.
    """
    return {
        results_page.PAGE_PATH: results_page.results_markdown,
        cli_page.PAGE_PATH: cli_page.cli_markdown,
        scenario_page.DOC_PATH: scenario_page.scenario_format_markdown,
    }
