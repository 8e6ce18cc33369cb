"""The item a spider yields for each fetched article page."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    """A downloaded article page before any processing: bytes plus HTTP provenance."""

    url: str  # as linked from the listing
    final_url: str  # after redirects
    source: str
    body: bytes = field(repr=False)  # never in a log line: pages are untrusted and large
    content_type: str | None
    encoding: str | None  # the source's configured override
    etag: str | None
    last_modified: str | None
    # The source's relevance keywords (empty: the default, crawler.relevance) and whether
    # every page is kept regardless.
    keywords: tuple[str, ...] = ()
    keep_all: bool = False
