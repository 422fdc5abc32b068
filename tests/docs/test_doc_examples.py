"""Every example of the documentation runs and prints what the page says."""

from __future__ import annotations

import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from doc_examples import (
    REPO,
    Block,
    DocExampleError,
    Page,
    documentation_pages,
    output_matches,
    parse_blocks,
)

from fieldtotable.model.nodes import node_kinds, unregister_node_kind
from fieldtotable.results import KPIS, unregister_kpi

PAGES = documentation_pages()


def _page_state(directory: Path) -> Page:
    shutil.copytree(REPO / "scenarios", directory / "scenarios")
    return Page(directory=directory, namespace={"__name__": "__docs__"})


@pytest.fixture
def isolated_extensions(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a page import modules it writes, and forget what they register afterwards.

    A script run from the page's directory imports modules there; the node kinds and
    KPIs those modules register, and the modules themselves, must not outlive the page
    (a results reference generated later in the same process would list them).
    """
    monkeypatch.syspath_prepend(str(tmp_path))
    kinds, kpis, modules = set(node_kinds()), set(KPIS), set(sys.modules)
    yield
    for name in set(node_kinds()) - kinds:
        unregister_node_kind(name)
    for key in set(KPIS) - kpis:
        unregister_kpi(key)
    for name in set(sys.modules) - modules:
        origin = getattr(sys.modules[name], "__file__", None) or ""
        if origin.startswith(str(tmp_path)):
            del sys.modules[name]


@pytest.mark.parametrize("page", PAGES, ids=[str(page.relative_to(REPO)) for page in PAGES])
@pytest.mark.usefixtures("isolated_extensions")
def test_page_examples_run(page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Figures drawn by the examples must not need a display.
    monkeypatch.setenv("MPLBACKEND", "Agg")
    state = _page_state(tmp_path)
    blocks = parse_blocks(page)
    state.declare_files(blocks)
    for block in blocks:
        state.run(block)


def test_every_skip_gives_a_reason_and_skips_are_rare() -> None:
    skipped = [block for page in PAGES for block in parse_blocks(page) if block.skip_reason]
    runnable = [
        block
        for page in PAGES
        for block in parse_blocks(page)
        if block.language in {"python", "console", "sh", "bash"}
    ]
    assert runnable, "no runnable examples found: is the parser broken?"
    assert all(len(block.skip_reason or "") >= 10 for block in skipped)
    assert len(skipped) <= 0.2 * len(runnable), [block.where for block in skipped]


# The harness itself must be able to fail.


def _block(language: str, text: str, tmp_path: Path) -> Block:
    return Block(
        page=tmp_path / "page.md",
        line=1,
        language=language,
        text=text,
        skip_reason=None,
        file_name=None,
    )


def test_parser_reads_fences_directives_and_indentation(tmp_path: Path) -> None:
    text = (
        "Intro\n"
        "<!-- file: a.yaml -->\n"
        "```yaml\n"
        "x: 1\n"
        "```\n"
        "1. A list item:\n"
        "\n"
        "    <!-- docs-test: skip needs a scheduler address -->\n"
        "    ```console\n"
        "    $ fieldtotable run\n"
        "    ```\n"
        "````text\n"
        "```\n"
        "````\n"
    )
    blocks = parse_blocks(tmp_path / "p.md", text)
    assert [(block.language, block.line) for block in blocks] == [
        ("yaml", 4),
        ("console", 10),
        ("text", 13),
    ]
    assert blocks[0].file_name == "a.yaml"
    assert blocks[0].text == "x: 1\n"
    assert blocks[1].skip_reason == "needs a scheduler address"
    assert blocks[1].text == "$ fieldtotable run\n"
    assert blocks[2].text == "```\n"


@pytest.mark.parametrize(
    ("expected", "actual", "matches"),
    [
        (["a", "b"], "a\nb\n", True),
        (["a", "b"], "a\nc\n", False),
        (["a", "...", "z"], "a\nb\nc\nz\n", True),
        (["a", "...", "z"], "a\nz\n", True),
        (["a", "...", "z"], "a\nb\n", False),
        (["sold 6...M CNY"], "sold 64.42 M CNY\n", True),
        (["sold 6...M CNY"], "sold 54.42 M CNY\n", False),
        (["a"], "a   \n\n", True),
    ],
)
def test_output_matching(expected: list[str], actual: str, matches: bool) -> None:
    assert output_matches(expected, actual) is matches


def test_console_checks_output_and_status(tmp_path: Path) -> None:
    page = _page_state(tmp_path)
    page.run(
        _block(
            "console",
            "$ fieldtotable validate scenarios/minimal.yaml\nOK: ...\n    (1 products, ...)\n",
            tmp_path,
        )
    )
    with pytest.raises(DocExampleError, match="the page shows"):
        page.run(
            _block("console", "$ fieldtotable validate scenarios/minimal.yaml\nBAD\n", tmp_path)
        )
    with pytest.raises(DocExampleError, match="exited 2, the page expects 0"):
        page.run(_block("console", "$ fieldtotable validate missing.yaml\n", tmp_path))
    page.run(_block("console", "$ fieldtotable validate missing.yaml\n...\n[exit 2]\n", tmp_path))
    with pytest.raises(DocExampleError, match="cannot run `rm`"):
        page.run(_block("console", "$ rm -rf scenarios\n", tmp_path))
    page.run(_block("console", "$ python3 -m pip install . && python -c 'print(1)'\n1\n", tmp_path))


def test_python_blocks_share_a_namespace_and_report_page_lines(tmp_path: Path) -> None:
    page = _page_state(tmp_path)
    page.run(_block("python", "value = 41\n", tmp_path))
    page.run(_block("python", "assert value + 1 == 42\n", tmp_path))
    failing = Block(tmp_path / "page.md", 7, "python", "x = 1\nassert x == 2\n", None, None)
    with pytest.raises(AssertionError) as raised:
        page.run(failing)
    assert raised.traceback[-1].lineno + 1 == 8  # page line of the assert (0-based in pytest)


def test_yaml_blocks_must_parse_and_can_become_files(tmp_path: Path) -> None:
    page = _page_state(tmp_path)
    with pytest.raises(DocExampleError, match="YAML does not parse"):
        page.run(_block("yaml", "a: [1\n", tmp_path))
    named = Block(tmp_path / "page.md", 1, "yaml", "a: 1\n", None, "sub/x.yaml")
    page.declare_files([named])
    assert (tmp_path / "sub" / "x.yaml").read_text() == "a: 1\n"
