"""Feed autodiscovery: the feeds a page declares, as a feed source to paste into the config.

A page announces its feeds with `<link rel="alternate" type="application/rss+xml" href="…">`
(or `application/atom+xml`) in its head. Pure: the caller fetches the page.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from crawler.kinds.base import is_web_url
from crawler.kinds.feed import FEED_TYPES


@dataclass
class DiscoveredFeed:
    """A feed a page links to: its absolute URL and the title the page gives it."""

    url: str
    title: str | None = None


def discover_feeds(html: str, base_url: str) -> list[DiscoveredFeed]:
    """The RSS and Atom feeds `html` (the page at `base_url`) declares, in page order, each once."""
    import lxml.html

    if not html.strip():
        return []
    document = lxml.html.document_fromstring(html)
    base = urljoin(base_url, (document.xpath("//base/@href") or [""])[0])
    feeds: dict[str, DiscoveredFeed] = {}
    for link in document.xpath("//link[@href]"):
        rels = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").split(";")[0].strip().lower()
        url = urljoin(base, link.get("href").strip())
        if "alternate" in rels and kind in FEED_TYPES and is_web_url(url):
            # One line, whitespace collapsed: the title goes into a TOML comment.
            feeds.setdefault(url, DiscoveredFeed(url, " ".join((link.get("title") or "").split()) or None))
    return list(feeds.values())


def _toml_string(text: str) -> str:
    # A JSON string (no ASCII escapes) is a valid TOML basic string.
    return json.dumps(text, ensure_ascii=False)


def feed_source_toml(page_url: str, feeds: list[DiscoveredFeed]) -> str:
    """A `[[sources]]` table of kind "feed" for `feeds`, named after the page's host."""
    titles = [f"#   {feed.url}: {feed.title}" for feed in feeds if feed.title]
    urls = ", ".join(_toml_string(feed.url) for feed in feeds)
    return "\n".join([
        f"# feeds declared by {page_url}", *titles,
        "[[sources]]",
        f"name = {_toml_string(urlsplit(page_url).hostname or page_url)}",
        'kind = "feed"',
        f"start_urls = [{urls}]",
        "",
    ])
