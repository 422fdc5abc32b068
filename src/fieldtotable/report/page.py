"""The page of a report: style sheet, skeleton, sections and embedded figures.

Everything a report needs is inside the one HTML file: the style sheet is inline, the
figures are inline SVG (or base64 PNG), fonts are the reader's own, and there is no
script and no link to anything outside the file.
"""

from __future__ import annotations

import base64
import importlib
import re
import warnings
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from fieldtotable.export.html import esc

__all__ = [
    "CSS",
    "FigureFormat",
    "FigureSpec",
    "Figures",
    "Section",
    "card",
    "embed_figure",
    "figure_available",
    "page",
    "plotting_module",
]

FigureFormat = Literal["svg", "png"]

CSS = """
:root { --ink: #1d2733; --muted: #5b6776; --line: #d8dee6; --band: #f4f6f9;
  --accent: #1f6f8b; --good: #1e7a46; --bad: #b3362c; }
* { box-sizing: border-box; }
html { font-size: 15px; }
body { margin: 0; color: var(--ink); background: #fff; line-height: 1.5;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Noto Sans CJK SC",
    "PingFang SC", "Microsoft YaHei", "Helvetica Neue", Arial, sans-serif; }
main { max-width: 1200px; margin: 0 auto; padding: 2rem 2.5rem 4rem; }
header.top { border-bottom: 3px solid var(--accent); padding-bottom: 1rem; margin-bottom: 1.5rem; }
.kicker { text-transform: uppercase; letter-spacing: .08em; font-size: .78rem; color: var(--accent);
  margin: 0 0 .3rem; font-weight: 600; }
h1 { font-size: 1.9rem; margin: 0 0 .6rem; line-height: 1.2; }
h2 { font-size: 1.35rem; margin: 2.4rem 0 .8rem; padding-bottom: .3rem;
  border-bottom: 1px solid var(--line); }
h3 { font-size: 1.08rem; margin: 1.6rem 0 .5rem; }
p { margin: .5rem 0; }
.question { font-size: 1.12rem; background: var(--band); border-left: 4px solid var(--accent);
  padding: .7rem 1rem; margin: .8rem 0; }
.meta { color: var(--muted); font-size: .92rem; }
.warning { background: #fdecea; border-left: 4px solid var(--bad); padding: .7rem 1rem;
  margin: .8rem 0; font-size: 1.05rem; }
.note { color: var(--muted); font-size: .9rem; }
nav.toc { font-size: .92rem; margin: 1rem 0 0; display: flex; flex-wrap: wrap; gap: .2rem 1.1rem; }
nav.toc a { color: var(--accent); text-decoration: none; white-space: nowrap; }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, "Liberation Mono",
  monospace; font-size: .86em; }
code.key { color: var(--muted); font-size: .78em; }
pre { background: var(--band); border: 1px solid var(--line); padding: .8rem 1rem;
  overflow-x: auto; white-space: pre; line-height: 1.4; }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(200px, 1fr));
  gap: .8rem; margin: 1rem 0; }
.card { border: 1px solid var(--line); border-radius: 6px; padding: .7rem .9rem;
  background: #fff; }
.card .label { color: var(--muted); font-size: .85rem; }
.card .value { font-size: 1.5rem; font-weight: 650; font-variant-numeric: tabular-nums; }
.card .unit { color: var(--muted); font-size: .9rem; margin-left: .25rem; }
.card .sub { color: var(--muted); font-size: .8rem; }
.scroll { overflow-x: auto; margin: .6rem 0 1rem; }
table.ftt { border-collapse: collapse; font-size: .9rem; min-width: 40%; }
table.ftt caption { text-align: left; font-weight: 600; padding: .3rem 0; }
table.ftt th, table.ftt td { padding: .32rem .65rem; border-bottom: 1px solid var(--line);
  vertical-align: top; text-align: left; }
table.ftt th { background: var(--band); font-weight: 600; border-bottom: 2px solid #b9c3cf;
  vertical-align: bottom; }
table.ftt th .unit { font-weight: 400; color: var(--muted); font-size: .82em; }
table.ftt td.num, table.ftt th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.ftt td.num { white-space: nowrap; }
table.ftt tbody tr:nth-child(even) { background: #fafbfc; }
table.ftt td.meaning { color: var(--muted); font-size: .85rem; }
.sig { color: var(--accent); }
.up { color: var(--good); } .down { color: var(--bad); }
figure.chart { margin: 1.2rem 0 1.8rem; padding: .8rem; border: 1px solid var(--line);
  border-radius: 6px; break-inside: avoid; }
figure.chart svg, figure.chart img { display: block; width: 100%; max-width: 960px;
  height: auto; margin: 0 auto; }
figure.chart figcaption { color: var(--muted); font-size: .9rem; margin-top: .5rem; }
figure.chart figcaption strong { color: var(--ink); }
figure.missing { background: #fff8e6; border-color: #e7c56b; }
ul.findings li { margin: .3rem 0; }
.grid { display: grid; grid-template-columns: repeat(auto-fit, minmax(440px, 1fr)); gap: 0 1rem; }
.grid figure.chart { margin: .6rem 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1.2rem;
  margin: .6rem 0; }
dl.facts dt { color: var(--muted); }
dl.facts dd { margin: 0; }
details { margin: .6rem 0; }
details summary { cursor: pointer; color: var(--accent); }
footer { margin-top: 3rem; padding-top: .8rem; border-top: 1px solid var(--line);
  color: var(--muted); font-size: .85rem; }
@media print { main { max-width: none; padding: 0; } nav.toc { display: none; }
  h2 { break-after: avoid; } details { display: block; } }
"""


@dataclass(frozen=True)
class Section:
    """A titled section of a report.

    Attributes
    ----------
    anchor
        Its id, for the table of contents.
    title
        Its heading.
    body
        Its HTML.
    """

    anchor: str
    title: str
    body: str


@dataclass(frozen=True)
class FigureSpec:
    """A figure the report asks :mod:`fieldtotable.plotting` to draw.

    Attributes
    ----------
    function
        The name of the plotting function (``"daily_series"``).
    args, kwargs
        Its arguments.
    title
        Bold first words of the caption.
    caption
        What the figure shows and how to read it.
    """

    function: str
    args: tuple[Any, ...]
    kwargs: dict[str, Any]
    title: str
    caption: str


def plotting_module() -> Any | None:
    """Return :mod:`fieldtotable.plotting`, or ``None`` when it cannot be imported."""
    try:
        return importlib.import_module("fieldtotable.plotting")
    except ImportError:
        return None


_PROLOGUE = re.compile(r"<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|<metadata>.*?</metadata>", re.DOTALL)
_ID = re.compile(r'\bid="([^"]+)"')
_LOCAL_REF = re.compile(r'(href=")#([^"]+)"|url\(#([^)]+)\)')


def inline_svg(text: str, prefix: str) -> str:
    """Return SVG text ready to sit inside HTML.

    The XML prologue, doctype and metadata are dropped, and every id (and every
    ``#id`` reference) gets ``prefix``, so that figures do not clash.
    """
    body = _PROLOGUE.sub("", text).strip()
    body = _ID.sub(lambda m: f'id="{prefix}{m.group(1)}"', body)

    def ref(match: re.Match[str]) -> str:
        if match.group(1):
            return f'{match.group(1)}#{prefix}{match.group(2)}"'
        return f"url(#{prefix}{match.group(3)})"

    return _LOCAL_REF.sub(ref, body)


def _function(module: Any, name: str) -> Callable[..., Any] | None:
    """Return ``module.name``, or ``None`` when it is missing or its module cannot load."""
    try:
        found = getattr(module, name)
    except (AttributeError, ImportError):
        return None
    return found if callable(found) else None


def figure_available(function: str, fmt: FigureFormat = "svg") -> bool:
    """Tell whether :mod:`fieldtotable.plotting` provides ``function`` and ``save_<fmt>``."""
    plotting = plotting_module()
    return (
        plotting is not None
        and _function(plotting, function) is not None
        and _function(plotting, f"save_{fmt}") is not None
    )


def _missing(spec: FigureSpec, why: str) -> str:
    return (
        '<figure class="chart missing">'
        f'<p class="note">Figure not included: {esc(why)}</p>'
        f"<figcaption><strong>{esc(spec.title)}.</strong> {esc(spec.caption)}</figcaption>"
        "</figure>"
    )


def embed_figure(spec: FigureSpec, number: int, fmt: FigureFormat = "svg") -> str:
    """Draw one figure and return it as a ``<figure>`` with its caption.

    Parameters
    ----------
    spec
        What to draw.
    number
        The figure's number in the report (caption and id prefix).
    fmt
        ``"svg"`` (inline, sharp at any size) or ``"png"`` (base64 image).

    Returns
    -------
    str
        The figure's HTML. When :mod:`fieldtotable.plotting` or the function is not
        available, or drawing fails, a visible note in its place; a failure also
        issues a ``RuntimeWarning``, so that the rest of the report is not lost.
    """
    return _render(spec, number, fmt)[0]


def _render(spec: FigureSpec, number: int, fmt: FigureFormat) -> tuple[str, bool]:
    """Return a figure's HTML and whether it was drawn."""
    plotting = plotting_module()
    if plotting is None:
        why = "the plotting module (fieldtotable.plotting) is not available."
        return _missing(spec, why), False
    draw = _function(plotting, spec.function)
    saver = _function(plotting, f"save_{fmt}")
    if draw is None or saver is None:
        missing = spec.function if draw is None else f"save_{fmt}"
        return _missing(spec, f"fieldtotable.plotting has no {missing}() in this version."), False
    try:
        fig = draw(*spec.args, **spec.kwargs)
        try:
            data = saver(fig)
        finally:
            _close(fig)
    except Exception as exc:  # one broken figure must not lose the whole report
        problem = f"{type(exc).__name__}: {exc}"
        warnings.warn(
            f"report figure {spec.function}() could not be drawn: {problem}",
            RuntimeWarning,
            stacklevel=3,
        )
        return _missing(spec, f"{spec.function}() failed ({problem})."), False
    label = esc(f"Figure {number}: {spec.title}")
    if fmt == "svg":
        svg = inline_svg(str(data), f"f{number}-")
        picture = svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)
    else:
        encoded = base64.b64encode(bytes(data)).decode("ascii")
        picture = f'<img alt="{label}" src="data:image/png;base64,{encoded}">'
    html = (
        f'<figure class="chart" id="figure-{number}">{picture}'
        f"<figcaption><strong>Figure {number}. {esc(spec.title)}.</strong> "
        f"{esc(spec.caption)}</figcaption></figure>"
    )
    return html, True


def _close(fig: Any) -> None:
    """Release a figure that pyplot manages (figures made without pyplot need nothing)."""
    if getattr(getattr(fig, "canvas", None), "manager", None) is not None:
        importlib.import_module("matplotlib.pyplot").close(fig)


class Figures:
    """Draws figures in the order they appear and numbers those actually drawn."""

    def __init__(self, fmt: FigureFormat = "svg") -> None:
        self.fmt: FigureFormat = fmt
        self.count = 0

    def __call__(self, spec: FigureSpec) -> str:
        """Return the next figure's HTML (a note, without a number, if not drawn)."""
        html, drawn = _render(spec, self.count + 1, self.fmt)
        self.count += drawn
        return html


def card(label: str, value: str, unit: str, sub: str = "") -> str:
    """Return one headline figure: a label, a big value with its unit, a small note."""
    unit_html = f'<span class="unit">{esc(unit)}</span>' if unit and unit != "%" else ""
    sub_html = f'<div class="sub">{esc(sub)}</div>' if sub else ""
    return (
        f'<div class="card"><div class="label">{esc(label)}</div>'
        f'<div class="value">{esc(value)}{unit_html}</div>{sub_html}</div>'
    )


def scroll(table_html: str) -> str:
    """Wrap a wide table so that it scrolls sideways instead of overflowing the page."""
    return f'<div class="scroll">{table_html}</div>'


def page(
    *,
    title: str,
    kicker: str,
    question: str,
    meta: str,
    sections: Sequence[Section],
    footer: str,
) -> str:
    """Return the whole report as one HTML document.

    Parameters
    ----------
    title
        The heading and the document's title.
    kicker
        The small line above the heading (what kind of report).
    question
        The question the report answers.
    meta
        One line under the question (seed, horizon, replications).
    sections
        The sections, in order; each gets an entry in the table of contents.
    footer
        A line at the bottom (version and scenario hash).
    """
    toc = " ".join(f'<a href="#{esc(s.anchor)}">{esc(s.title)}</a>' for s in sections)
    body = "".join(
        f'<section id="{esc(s.anchor)}"><h2>{esc(s.title)}</h2>{s.body}</section>' for s in sections
    )
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n"
        '<meta name="generator" content="fieldtotable">\n'
        '<link rel="icon" href="data:,">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n"
        f'<header class="top"><p class="kicker">{esc(kicker)}</p><h1>{esc(title)}</h1>'
        f'<p class="question"><strong>Question.</strong> {esc(question)}</p>'
        f'<p class="meta">{meta}</p><nav class="toc">{toc}</nav></header>\n'
        f"{body}\n"
        f"<footer>{footer}</footer>\n</main>\n</body>\n</html>\n"
    )
