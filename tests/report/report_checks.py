"""Shared by the report tests: the KPIs of DESIGN.md section 5, what an HTML page refers to."""

from __future__ import annotations

import html.parser
import re

#: The KPIs of DESIGN.md section 5, which every export must carry.
DESIGN_KPIS = (
    "harvested_kg",
    "rejected_kg",
    "spoiled_kg",
    "sold_kg",
    "sold_value_cny",
    "demand_kg",
    "lost_sales_kg",
    "fill_rate",
    "spoilage_rate",
    "throughput_kg_per_day",
    "in_system_kg_end",
    "mean_field_to_market_h",
    "mean_remaining_shelf_life_at_sale_d",
    "transport_cost_cny",
    "cost_per_kg_sold_cny",
    "co2_kg",
)


class References(html.parser.HTMLParser):
    """Collects tags and every URL-like reference of an HTML page."""

    URL_ATTRIBUTES = frozenset(
        {
            "src",
            "href",
            "xlink:href",
            "srcset",
            "action",
            "formaction",
            "poster",
            "data",
            "background",
            "cite",
            "longdesc",
            "manifest",
            "ping",
        }
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[str] = []
        self.urls: list[tuple[str, str, str]] = []
        self._in_style = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append(tag)
        self._in_style = tag == "style"
        for name, value in attrs:
            if name in self.URL_ATTRIBUTES and value is not None:
                self.urls.append((tag, name, value))
            if name == "style" and value:
                self.urls += [(tag, "style url()", u) for u in css_urls(value)]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag == "style":
            self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.urls += [("style", "url()", u) for u in css_urls(data)]
            self.urls += [
                ("style", "@import", u) for u in re.findall(r"@import\s+['\"]?([^'\";\s]+)", data)
            ]


def css_urls(text: str) -> list[str]:
    return [m.strip("'\" ") for m in re.findall(r"url\(([^)]*)\)", text)]


def references(page: str) -> References:
    parser = References()
    parser.feed(page)
    parser.close()
    return parser


def is_local(url: str) -> bool:
    """A reference that loads nothing from outside the page: a fragment or a data URI."""
    return url.startswith(("#", "data:"))
