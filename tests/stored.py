"""Article rows written straight into a real dgwatch database, for storage-level tests."""
from __future__ import annotations

import sqlite_utils

from storage.articles import ArticleRow, insert_article
from storage.neardup import band_keys, index_fingerprint
from storage.search import index_new_articles


def store_article(db: sqlite_utils.Database, n: int, published: str | None = None, text: str = "…",
                  fingerprint: bytes = b"", run_id: int | None = None) -> int:
    """Insert article number `n` (its URL http://example.test/n.html); returns its id.

    A non-empty fingerprint is also filed in the near-duplicate index, as the crawl files
    originals, and the article is indexed for search at once, as a crawl's last batch is.
    """
    with db.conn:
        article_id = insert_article(db, ArticleRow(
            url=f"http://example.test/{n}.html", canonical_url=f"http://example.test/{n}.html", source="t",
            title=f"article {n}", published=published, author=None, text=text, normalised=text,
            fingerprint=fingerprint, duplicate_of=None, encoding="utf-8", etag=None, last_modified=None,
            fetched_at="2026-01-01", run_id=run_id))
        if fingerprint:
            index_fingerprint(db, article_id, fingerprint, band_keys(fingerprint))
        index_new_articles(db)
    return article_id
