"""`kind = "feed"`: RSS 2.0 and Atom feeds (feedparser), each entry's link and date."""
from __future__ import annotations

import time
from urllib.parse import urljoin

from crawler.kinds.base import DocumentError, Link, SourceKind

# The <link rel="alternate"> types that announce a feed (feed autodiscovery).
FEED_TYPES = ("application/rss+xml", "application/atom+xml")


def _day(entry) -> str | None:
    parsed = entry.get("published_parsed") or entry.get("updated_parsed")
    return time.strftime("%Y-%m-%d", parsed) if parsed else None


class FeedKind(SourceKind):
    """`start_urls` are feed URLs; `article_pattern`, if set, keeps only the entries it matches."""

    name = "feed"
    # since: entries dated before this day are not fetched.
    optional = frozenset({"article_pattern", "since"})

    def links(self, response) -> list[Link]:
        import feedparser

        # feedparser reads the XML's own encoding declaration; the URL resolves relative links.
        parsed = feedparser.parse(response.body, response_headers={"content-location": response.url})
        if not parsed.entries and parsed.bozo:
            raise DocumentError(f"not a readable RSS or Atom feed: {parsed.bozo_exception}")
        links = []
        for entry in parsed.entries:
            url = urljoin(response.url, entry.get("link") or "")
            if url != response.url and self.wanted(url):
                links.append(Link(url, _day(entry)))
        return links
