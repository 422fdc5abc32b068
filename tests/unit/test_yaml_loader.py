"""Safe YAML parsing with a line map: lines, duplicates, tags, bombs, limits."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldtotable.errors import ScenarioError
from fieldtotable.scenario import yaml_loader
from fieldtotable.scenario.yaml_core import CoreSafeDumper
from fieldtotable.scenario.yaml_loader import format_path, line_for, parse_yaml
from yaml_budget import NodeBudget


def problems_of(text: str) -> list[tuple[int | None, str, str]]:
    with pytest.raises(ScenarioError) as caught:
        parse_yaml(text, "f.yaml")
    assert all(p.file == "f.yaml" for p in caught.value.problems)
    return [(p.line, p.path, p.message) for p in caught.value.problems]


def test_plain_data_and_lines() -> None:
    text = (
        "# a comment\n"  # 1
        "name: x\n"  # 2
        "start: 2023-01-01\n"  # 3
        "legs:\n"  # 4
        "  a:\n"  # 5
        "    fleet: 2\n"  # 6
        "    times: [1, 2.5]\n"  # 7
        "    list:\n"  # 8
        "      - {p: true, q: null}\n"  # 9
        "      -\n"  # 10
        "        r: s\n"  # 11
    )
    data, lines = parse_yaml(text, "f.yaml")
    assert data == {
        "name": "x",
        "start": dt.date(2023, 1, 1),
        "legs": {
            "a": {"fleet": 2, "times": [1, 2.5], "list": [{"p": True, "q": None}, {"r": "s"}]}
        },
    }
    assert lines[()] == 2
    assert lines[("name",)] == 2
    assert lines[("legs",)] == 4
    assert lines[("legs", "a")] == 5
    assert lines[("legs", "a", "fleet")] == 6
    assert lines[("legs", "a", "times", 1)] == 7
    assert lines[("legs", "a", "list", 0)] == 9
    assert lines[("legs", "a", "list", 0, "q")] == 9
    assert lines[("legs", "a", "list", 1)] == 11
    assert lines[("legs", "a", "list", 1, "r")] == 11


def test_empty_document_is_none() -> None:
    assert parse_yaml("", "f.yaml") == (None, {})
    assert parse_yaml("# only a comment\n", "f.yaml") == (None, {})


def test_duplicate_key_names_second_line_and_path() -> None:
    text = "legs:\n  a:\n    fleet: 2\n    mode: air\n    fleet: 3\n"
    assert problems_of(text) == [(5, "legs.a.fleet", "duplicate key 'fleet' (first on line 3)")]


def test_every_duplicate_is_reported() -> None:
    text = "a: 1\nb: {x: 1, x: 2}\na: 3\n"
    assert problems_of(text) == [
        (2, "b.x", "duplicate key 'x' (first on line 2)"),
        (3, "a", "duplicate key 'a' (first on line 1)"),
    ]


def test_duplicate_top_level_section() -> None:
    text = "legs: {}\nhubs: {}\nlegs: {}\n"
    assert problems_of(text) == [(3, "legs", "duplicate key 'legs' (first on line 1)")]


def test_merge_key_override_is_not_a_duplicate() -> None:
    text = "base: &b {x: 1, y: 2}\nd:\n  <<: *b\n  y: 3\n"
    data, lines = parse_yaml(text, "f.yaml")
    assert data["d"] == {"x": 1, "y": 3}
    assert lines[("d", "y")] == 4
    assert lines[("d", "x")] == 1  # where the merged value is written


def test_merge_key_needs_a_mapping() -> None:
    assert problems_of("d:\n  <<: 3\n") == [
        (2, "d", "a merge key (<<) needs a mapping or list of mappings")
    ]


def test_syntax_error_has_line() -> None:
    text = "a: 1\nb:\n  c: [1, 2\n  d: 3\ne: 4\n"
    [(line, path, message)] = problems_of(text)
    assert line == 4
    assert path == ""
    assert message.startswith("YAML syntax error: while parsing a flow sequence")


def test_bad_indentation_is_a_syntax_error() -> None:
    [(line, _, message)] = problems_of("a: 1\n  b: 2\n")
    assert line == 2
    assert message == "YAML syntax error: mapping values are not allowed here"


def test_undefined_alias_and_two_documents() -> None:
    assert problems_of("a: *nope\n") == [(1, "", "YAML syntax error: found undefined alias 'nope'")]
    [(line, _, message)] = problems_of("a: 1\n---\nb: 2\n")
    assert line == 2
    assert "expected a single document" in message


def test_alias_bomb_refused_quickly(yaml_nodes: NodeBudget) -> None:
    levels = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        name, prev = chr(ord("a") + i), chr(ord("a") + i - 1)
        levels.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    text = "\n".join(levels) + "\n"
    # 9**10 nodes in full; refused after a bounded number of nodes built, whatever
    # the machine's speed (the count fails the test inside the loader past its budget).
    budget = yaml_nodes.allow_alias_budget(text)
    [(line, _, message)] = problems_of(text)
    assert 0 < yaml_nodes.built <= budget
    assert line is not None
    assert "refused" in message
    assert "alias" in message


def test_many_alias_uses_refused() -> None:
    text = "q: &q [1, 2]\nc: [" + ", ".join(["*q"] * 5000) + "]\n"
    [(_, path, message)] = problems_of(text)
    assert path.startswith("c[")
    assert f"more than {yaml_loader.MAX_ALIAS_USES} alias" in message


def test_node_count_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(yaml_loader, "MAX_NODES", 10)
    [(line, _, message)] = problems_of("a: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]\n")
    assert line == 1
    assert "more than 10 nodes" in message


def test_moderate_alias_use_is_fine() -> None:
    text = "d: &d {policy: scheduled, departures_h: [18]}\nlegs:\n  a: {dispatch: *d}\n"
    data, lines = parse_yaml(text, "f.yaml")
    assert data["legs"]["a"]["dispatch"] == {"policy": "scheduled", "departures_h": [18]}
    assert lines[("legs", "a", "dispatch")] == 3
    assert lines[("legs", "a", "dispatch", "policy")] == 1


def test_recursive_alias_refused() -> None:
    assert problems_of("a: &a [1, *a]\n") == [
        (1, "a[1]", "refused: an alias refers to a node that contains it")
    ]


@pytest.mark.parametrize(
    ("text", "tag"),
    [
        ("a: !!python/object/apply:os.system [echo hi]\n", "!!python/object/apply:os.system"),
        ("a: !!python/name:os.system ''\n", "!!python/name:os.system"),
        ("a: !!python/object:builtins.dict {x: 1}\n", "!!python/object:builtins.dict"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x, y}\n", "!!set"),
        ("a: !custom 1\n", "!custom"),
    ],
)
def test_tags_refused(text: str, tag: str) -> None:
    assert problems_of(text) == [(1, "a", f"tag {tag} is not allowed: scenarios are plain data")]


def test_plain_explicit_tags_accepted() -> None:
    data, _ = parse_yaml("a: !!str 12\nb: !!float 3\n", "f.yaml")
    assert data == {"a": "12", "b": 3.0}


def test_non_string_keys_refused() -> None:
    assert problems_of("1: a\ntrue: b\n~: c\n") == [
        (1, "", "key '1' is read as int, not a name; put it in quotes"),
        (2, "", "key 'true' is read as bool, not a name; put it in quotes"),
        (3, "", "key '~' is read as NoneType, not a name; put it in quotes"),
    ]
    assert problems_of("a:\n  ? [x, y]\n  : 1\n") == [
        (2, "a", "mapping keys must be plain names, not lists or mappings")
    ]


def test_invalid_date_reported() -> None:
    [(line, path, message)] = problems_of("a: 1\nstart_date: 2023-13-01\n")
    assert (line, path) == (2, "start_date")
    assert message.startswith("cannot read '2023-13-01'")


def test_control_character_refused_with_line() -> None:
    assert problems_of("a: 1\nb: x\x07y\n") == [(2, "", "character #x0007 is not allowed in YAML")]


def test_too_large_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_parsing(*args: object, **kwargs: object) -> None:
        pytest.fail("a text over MAX_BYTES reached the YAML parser")

    monkeypatch.setattr(yaml_loader, "SafeScenarioLoader", no_parsing)
    text = "a: " + "x" * (yaml_loader.MAX_BYTES + 1) + "\n"
    [(line, path, message)] = problems_of(text)
    assert (line, path) == (None, "")
    assert message.startswith("file too large")


def test_deep_nesting_refused() -> None:
    [(line, _, message)] = problems_of("a: " + "[" * 150 + "]" * 150 + "\n")
    assert line == 1
    assert "nested deeper than" in message
    [(_, _, message)] = problems_of("[" * 20000 + "]" * 20000)
    assert "nested" in message


def test_format_path_and_line_for() -> None:
    assert format_path(("legs", "a", "dispatch", "departures_h", 0)) == (
        "legs.a.dispatch.departures_h[0]"
    )
    assert format_path(()) == ""
    assert format_path((0, "x")) == "[0].x"
    assert format_path(("products", "a.b")) == "products['a.b']"
    lines = {(): 1, ("legs",): 4, ("legs", "a"): 5}
    assert line_for(lines, ("legs", "a", "fleet")) == 5
    assert line_for(lines, ("hubs", "x")) == 1
    assert line_for({}, ("x",)) is None


_keys = st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789", min_size=1, max_size=8)
_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**6), 10**6),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    # Control and line-separator characters are left out: PyYAML itself does not
    # round-trip some of them (e.g. NEL, U+0085) through safe_dump.
    st.text(st.characters(exclude_categories=("Cc", "Cs", "Zl", "Zp")), max_size=10),
)
_documents = st.dictionaries(
    _keys,
    st.recursive(
        _scalars,
        lambda children: st.one_of(
            st.lists(children, max_size=4), st.dictionaries(_keys, children, max_size=4)
        ),
        max_leaves=20,
    ),
    min_size=1,
    max_size=5,
)


def _paths(data: Any, prefix: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    found = [prefix]
    if isinstance(data, dict):
        for key, value in data.items():
            found += _paths(value, (*prefix, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            found += _paths(value, (*prefix, index))
    return found


@settings(max_examples=60, deadline=None)
@given(_documents, st.booleans())
def test_round_trip_and_every_node_has_a_line(data: dict[str, Any], flow: bool) -> None:
    # The package's dumper: PyYAML's own writes strings such as "08" or "1e6" bare,
    # which YAML 1.2 (and so parse_yaml) reads as numbers.
    text = yaml.dump(data, Dumper=CoreSafeDumper, default_flow_style=flow, allow_unicode=True)
    parsed, lines = parse_yaml(text, "f.yaml")
    assert parsed == data
    last = text.count("\n") + 1
    for path in _paths(data):
        assert 1 <= lines[path] <= last
