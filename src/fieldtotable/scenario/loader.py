"""Loading and validating scenarios, reporting every problem with its line.

The pipeline is: safe YAML parsing with a line map (:mod:`.yaml_loader`), the
``extends`` chain merged in (:mod:`.extends`), field validation by the pydantic
models (:mod:`.schema`, errors worded by :mod:`.problems`), then cross-reference
and flow checks (:mod:`.network`). Each stage reports *all* its problems at once in
a single :class:`~fieldtotable.errors.ScenarioError`, each problem located by file,
line and field path (``scenario.yaml:42: legs.a.vehicle_capacity_kg: must be >= 10
(got -5)``); a value inherited through ``extends`` is located in the file that
wrote it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import ValidationError

from fieldtotable.errors import Problem, ScenarioError
from fieldtotable.scenario.builtin import (
    SUFFIX,
    builtin_file,
    describe_text,
    did_you_mean,
    library_names,
    library_root,
    unknown_scenario_message,
)
from fieldtotable.scenario.extends import (
    BuiltinSource,
    FileSource,
    ScenarioSource,
    TextSource,
    UnreadableError,
    resolve_extends,
)
from fieldtotable.scenario.network import check_network
from fieldtotable.scenario.problems import Locator, sort_problems, validation_problems
from fieldtotable.scenario.schema import Scenario
from fieldtotable.scenario.temperature_logs import read_temperature_logs
from fieldtotable.scenario.uncertain import uncertain_problems
from fieldtotable.scenario.yaml_loader import LineMap, Path, format_path, line_for

__all__ = [
    "builtin_scenario",
    "builtin_scenario_descriptions",
    "builtin_scenario_names",
    "load_scenario",
    "open_scenario",
    "parse_scenario",
    "validate_scenario_data",
]


def load_scenario(path: str | os.PathLike[str]) -> Scenario:
    """Read, parse and validate a scenario file.

    Parameters
    ----------
    path
        The YAML file (UTF-8, at most 5 MB). A top-level ``extends: other.yaml``
        names a parent scenario, relative to this file, that this one modifies
        (see :mod:`fieldtotable.scenario.extends`).

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        If the file (or a parent) cannot be read, or with every problem found in
        it and its parents.
    """
    source = FileSource(os.fspath(path))
    try:
        text = source.read()
    except UnreadableError as exc:
        raise ScenarioError.single(str(exc), file=source.name) from None
    return _load(text, source)


def parse_scenario(text: str, filename: str = "<string>") -> Scenario:
    """Parse and validate scenario text.

    Parameters
    ----------
    text
        The scenario as YAML.
    filename
        Shown in error messages. A top-level ``extends`` resolves relative to its
        folder (to the current folder for names like ``<string>``).

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        With every problem found, each with its file, line and field path.
    """
    return _load(text, TextSource(filename, text))


def validate_scenario_data(
    data: Any,
    lines: LineMap | None = None,
    filename: str | None = None,
    *,
    origins: Mapping[Path, tuple[str, int]] | None = None,
) -> Scenario:
    """Validate plain scenario data (e.g. parsed YAML with overrides applied).

    Parameters
    ----------
    data
        A mapping shaped like a scenario file (no ``extends``: resolve it first).
    lines
        The line map from :func:`~fieldtotable.scenario.yaml_loader.parse_yaml`, if
        the data came from a file; problems are then reported with lines.
    filename
        Shown in error messages (the file listed first when ``origins`` is given).
    origins
        For data merged from several files: path -> (file, line) of each node;
        used instead of ``lines``.

    Returns
    -------
    Scenario
        The validated, frozen scenario.

    Raises
    ------
    ScenarioError
        With every field problem, or else every network problem.
    """
    if origins is not None:
        found = origins

        def locate(path: Path) -> tuple[str | None, int | None]:
            for end in range(len(path), -1, -1):
                where = found.get(path[:end])
                if where is not None:
                    return where
            return filename, None

    else:
        line_map = lines or {}

        def locate(path: Path) -> tuple[str | None, int | None]:
            return filename, line_for(line_map, path)

    return _validate(data, locate, filename, [])


def builtin_scenario_names() -> list[str]:
    """Return the names of the scenarios shipped with the package.

    Returns
    -------
    list of str
        Sorted names, usable with :func:`builtin_scenario` (the file names of the
        repository's ``scenarios/`` folder without ``.yaml``).
    """
    return library_names()


def builtin_scenario_descriptions() -> dict[str, str]:
    """Return each built-in scenario's one-line description.

    Returns
    -------
    dict
        Name -> the first sentence of the file's leading comment (else of its
        ``description``), sorted by name.
    """
    root = library_root()
    return {
        name: describe_text(root.joinpath(f"{name}{SUFFIX}").read_text(encoding="utf-8-sig"))
        for name in library_names(root)
    }


def builtin_scenario(name: str = "baseline") -> Scenario:
    """Load a scenario shipped with the package.

    Parameters
    ----------
    name
        One of :func:`builtin_scenario_names`.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If no built-in scenario has that name (the message suggests the closest
        names, or lists those available).
    """
    root = library_root()
    names = library_names(root)
    if name not in names:
        hint = did_you_mean(name, names)
        available = hint or f" (available: {', '.join(names) if names else 'none'})"
        raise ScenarioError.single(f"no built-in scenario {name!r}{available}")
    source = BuiltinSource(root, f"{name}{SUFFIX}")
    return _load(source.read(), source)


def open_scenario(ref: str | os.PathLike[str]) -> Scenario:
    """Load a scenario file, or a built-in scenario by name.

    An existing path wins; otherwise ``ref`` names a built-in scenario
    (``scale_5x``, or ``scale_5x.yaml``); otherwise the error suggests the closest
    built-in names. The command line reads every ``SCENARIO`` argument this way.

    Parameters
    ----------
    ref
        A path, or one of :func:`builtin_scenario_names`.

    Returns
    -------
    Scenario
        The validated scenario.

    Raises
    ------
    ScenarioError
        If ``ref`` is neither (``scale_5: no such file, and no built-in scenario
        of that name (did you mean scale_5x?)``), or with every problem of the
        scenario.
    """
    text = os.fspath(ref)
    if os.path.lexists(text):
        return load_scenario(text)
    found = builtin_file(text)
    if found is None:
        raise ScenarioError.single(unknown_scenario_message(text), file=text)
    return builtin_scenario(found.removesuffix(SUFFIX))


def _load(text: str, source: ScenarioSource) -> Scenario:
    resolved = resolve_extends(text, source)

    def locate(path: Path) -> tuple[str | None, int | None]:
        file, line = resolved.locate(path)
        return file or source.name, line

    return _validate(resolved.data, locate, source.name, resolved.problems, resolved.added)


#: The sections of a scenario that map ids to items, and what one item is called.
_ITEMS = {
    "climate": "region",
    "products": "product",
    "sources": "source",
    "collection_points": "collection point",
    "hubs": "hub",
    "nodes": "node",
    "legs": "leg",
    "markets": "market",
}
_MISSING = "required key missing"
_NO_TAG = re.compile(r"^needs an? '(?P<key>\w+)' key")


def _missing_key(problem: Problem, prefix: str) -> str | None:
    """Return the key whose absence ``problem`` reports, relative to ``prefix``."""
    if problem.message == _MISSING:
        return problem.path.removeprefix(f"{prefix}.")
    tag = _NO_TAG.match(problem.message)
    return tag["key"] if tag else None


def _new_entries(
    problems: list[Problem], added: Sequence[tuple[Path, tuple[str, ...]]], locate: Locator
) -> list[Problem]:
    """Say "no such leg in the parent" for an incomplete entry a variant added.

    A variant's entry whose id its parent lacks is a new item; when it is incomplete
    as one (a required key missing), it is most likely a misspelt id: its problems
    become one line, with the closest id of the parent.
    """
    for path, ids in added:
        noun = _ITEMS.get(str(path[0]))
        if noun is None:
            continue
        prefix = format_path(path)
        inside = [
            p
            for p in problems
            if p.path == prefix or p.path.startswith((f"{prefix}.", f"{prefix}["))
        ]
        missing = [key for p in inside if (key := _missing_key(p, prefix))]
        if not missing:
            continue
        hint = did_you_mean(str(path[1]), ids)
        if not hint:
            hint = f", and incomplete as a new {noun} (missing: {', '.join(missing)})"
        problems = [p for p in problems if p not in inside]
        problems.append(Problem(*locate(path), prefix, f"no such {noun} in the parent{hint}"))
    return problems


def _validate(
    data: Any,
    locate: Locator,
    first_file: str | None,
    earlier: list[Problem],
    added: Sequence[tuple[Path, tuple[str, ...]]] = (),
) -> Scenario:
    """Validate fields, then the network; raise with ``earlier`` and every problem found."""
    if not isinstance(data, dict):
        found = "an empty document" if data is None else f"a {type(data).__name__}"
        file, line = locate(())
        raise ScenarioError(
            [
                *earlier,
                Problem(
                    file,
                    line,
                    "",
                    "a scenario must be a mapping of sections (name, products, ...), "
                    f"found {found}",
                ),
            ]
        )
    data, log_problems = read_temperature_logs(data, locate)
    try:
        scenario = Scenario.model_validate(data)
    except ValidationError as exc:
        problems = _new_entries(validation_problems(exc, data, locate, first_file), added, locate)
        # A log that could not be read stays a path, which the schema refuses too.
        unread = tuple(problem.path for problem in log_problems)
        problems = [p for p in problems if not p.path.startswith(unread)] if unread else problems
        raise ScenarioError(
            sort_problems([*earlier, *log_problems, *problems], first_file)
        ) from None
    earlier = [*earlier, *log_problems]
    network = [
        Problem(*locate(path), format_path(path), message)
        for path, message in check_network(scenario)
    ]
    if not earlier and not network and scenario.uncertain:
        network = [
            Problem(*locate(path), format_path(path), message)
            for path, message in uncertain_problems(scenario)
        ]
    if earlier or network:
        raise ScenarioError(sort_problems([*earlier, *network], first_file))
    return scenario
