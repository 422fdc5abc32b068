"""A misspelt id in a variant: one line naming the closest id of the parent.

A variant (a file with ``extends``) that names an entry its parent lacks adds a new
item; when that item is incomplete it was most likely meant as a change to an
existing one, and its "required key missing" lines become one.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from fieldtotable import load_scenario
from fieldtotable.errors import ScenarioError

SMALL_TEXT = (Path(__file__).resolve().parents[1] / "data" / "small.yaml").read_text("utf-8")


def problems(tmp_path: Path, child: str) -> list[str]:
    (tmp_path / "base.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    (tmp_path / "variant.yaml").write_text(f"extends: base.yaml\n{child}", encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "variant.yaml")
    prefix = f"{tmp_path}/"
    return [str(problem).removeprefix(prefix) for problem in caught.value.problems]


@pytest.mark.parametrize(
    ("child", "line"),
    [
        (
            "legs:\n  cp_shanghia: {fleet: 4}\n",
            "variant.yaml:3: legs.cp_shanghia: no such leg in the parent "
            "(did you mean cp_shanghai?)",
        ),
        (
            "hubs:\n  shanghai_cd: {storage_kg: 1000}\n",
            "variant.yaml:3: hubs.shanghai_cd: no such hub in the parent "
            "(did you mean shanghai_dc?)",
        ),
        (
            "collection_points:\n  cpp: {setpoint_c: 1}\n",
            "variant.yaml:3: collection_points.cpp: no such collection point in the parent "
            "(did you mean cp?)",
        ),
        (
            "products:\n  matsutak: {price_cny_per_kg: 300}\n",
            "variant.yaml:3: products.matsutak: no such product in the parent "
            "(did you mean matsutake?)",
        ),
        (
            "sources:\n  picker: {harvest_hour: 10}\n",
            "variant.yaml:3: sources.picker: no such source in the parent (did you mean pickers?)",
        ),
        (
            # A market without its kind: the union's tag is missing, one line all the same.
            "markets:\n  stor: {shelf_capacity_kg: 10}\n",
            "variant.yaml:3: markets.stor: no such market in the parent (did you mean store?)",
        ),
    ],
    ids=["leg", "hub-node", "collection-point-node", "product", "source", "market"],
)
def test_a_misspelt_id_is_one_line(tmp_path: Path, child: str, line: str) -> None:
    assert problems(tmp_path, child) == [line]


def test_an_incomplete_new_item_far_from_every_id(tmp_path: Path) -> None:
    [line] = problems(tmp_path, "hubs:\n  zzzz_new: {setpoint_c: 2}\n")
    assert line == (
        "variant.yaml:3: hubs.zzzz_new: no such hub in the parent, and incomplete as a new "
        "hub (missing: region, storage_kg)"
    )


def test_other_problems_stay(tmp_path: Path) -> None:
    found = problems(tmp_path, "horizon_days: 0\nlegs:\n  cp_shanghia: {fleet: 4}\n")
    assert len(found) == 2
    assert found[0].startswith("variant.yaml:2: horizon_days:")
    assert "did you mean cp_shanghai?" in found[1]


def test_a_complete_new_item_stays_valid(tmp_path: Path) -> None:
    (tmp_path / "base.yaml").write_text(SMALL_TEXT, encoding="utf-8")
    (tmp_path / "variant.yaml").write_text(
        "extends: base.yaml\nhubs:\n"
        "  shanghai_cd: {region: shanghai, storage_kg: 1000, setpoint_c: 2}\n",
        encoding="utf-8",
    )
    assert "shanghai_cd" in load_scenario(tmp_path / "variant.yaml").hubs


def test_a_standalone_file_keeps_its_missing_key_lines(tmp_path: Path) -> None:
    text = SMALL_TEXT.replace("hubs:\n", "hubs:\n  shanghai_cd: {setpoint_c: 2}\n", 1)
    (tmp_path / "alone.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(ScenarioError) as caught:
        load_scenario(tmp_path / "alone.yaml")
    assert all("required key missing" in problem.message for problem in caught.value.problems)
    assert len(caught.value.problems) == 2
