"""The optimisation report: the sections, the warning when the claim fails, one file."""

from __future__ import annotations

import pytest
from report_checks import is_local, references
from tests.optimise.synthetic_systems import run_bowl

from fieldtotable.cli.optimise import GUARANTEE_WARNING, format_optimisation
from fieldtotable.optimise.search_result import OptimisationResult
from fieldtotable.report import optimisation_report

SECTIONS = ("question", "answer", "runs", "search", "finalists", "sensitivity", "trials")


def bowl(**options: object) -> OptimisationResult:
    result, _ = run_bowl(**options)  # type: ignore[arg-type]
    assert isinstance(result, OptimisationResult)
    return result


@pytest.fixture(scope="module")
def constrained() -> OptimisationResult:
    return bowl(constraints=["spoilage_rate <= 0.09"], sensitivity=True)


def test_the_report_holds_every_section(constrained: OptimisationResult) -> None:
    html = optimisation_report(constrained)
    for anchor in SECTIONS:
        assert f'<section id="{anchor}">' in html
    assert "int:1..9" in html  # the variables' ranges
    assert "spoilage_rate &lt;= 0.09" in html
    assert "≥ 0.95" in html  # the probability of correct selection
    assert constrained.claim.split(";")[0][:60] in html.replace("&#x27;", "'")
    assert html.count('<figure class="chart" id="figure-') == 2  # history and tornado
    assert 'gid="best-so-far"' in html or "best-so-far" in html
    assert "outside the budget" in html
    assert 'class="warning"' not in html
    for record in constrained.sensitivity:
        assert f"{record.best_value} → {record.value}" in html


def test_the_report_stands_alone(constrained: OptimisationResult) -> None:
    html = optimisation_report(constrained)
    found = references(html)
    assert "script" not in found.tags
    assert all(is_local(url) for _, _, url in found.urls), found.urls
    assert "http://" not in html.replace("http://www.w3.org", "")
    assert "https://" not in html


def test_a_withdrawn_guarantee_is_a_warning_in_the_report_and_the_text() -> None:
    # δ far below the noise and a tiny budget: Kim & Nelson is capped.
    result = bowl(budget=40, delta=0.001, noise=1.0, n0=3, final_replications=5)
    assert result.best is not None
    assert not result.best.pcs.guarantee_holds
    html = optimisation_report(result)
    assert 'class="warning"' in html
    assert "The probability guarantee does not hold" in html
    assert "probability of correct selection</div>" not in html  # no card claiming it
    lines = format_optimisation(result).splitlines()
    assert lines.index(GUARANTEE_WARNING) < lines.index("best:")  # before the answer
    assert lines[-1] == GUARANTEE_WARNING  # and last


def test_no_best_is_a_warning_and_no_sensitivity() -> None:
    result = bowl(
        budget=30,
        constraints=["spoilage_rate <= 0.01"],
        n0=3,
        final_replications=5,
        sensitivity=True,
    )
    assert result.best is None
    assert result.sensitivity == ()
    html = optimisation_report(result)
    assert 'class="warning"' in html
    assert "No configuration was selected" in html
    assert "No sensitivity: there is no best to look around" in html


def test_without_sensitivity_the_section_says_how_to_get_it() -> None:
    html = optimisation_report(bowl())
    assert "No sensitivity: it was not computed" in html
    assert html.count('<figure class="chart" id="figure-') == 1
