"""Article rows: what has been fetched, with its provenance and fingerprint."""
from __future__ import annotations

from dataclasses import asdict, dataclass

import sqlite_utils


@dataclass
class ArticleRow:
    """One stored article; `text` as the page has it, `normalised` as recognisers read it."""

    url: str
    canonical_url: str
    source: str
    title: str | None
    published: str | None
    author: str | None
    text: str
    normalised: str
    fingerprint: bytes
    duplicate_of: int | None
    encoding: str | None
    etag: str | None
    last_modified: str | None
    fetched_at: str
    run_id: int | None


def known_urls(db: sqlite_utils.Database) -> set[str]:
    """Every URL of a stored article (as linked and canonical) or a rejected page: never fetched again."""
    # One column a query, each read from its own index alone: reading both at once scans
    # the article rows, and with them every page of stored text (the whole database).
    urls = {row[0] for row in db.execute("SELECT url FROM articles")}
    urls.update(row[0] for row in db.execute("SELECT canonical_url FROM articles WHERE canonical_url IS NOT NULL"))
    urls.update(row[0] for row in db.execute("SELECT url FROM rejected"))
    return urls


def reject(db: sqlite_utils.Database, url: str, reason: str, run_id: int | None, at: str) -> None:
    """Remember that `url` is not an article page (a transient HTTP failure is not a rejection)."""
    with db.conn:
        db.execute("INSERT OR REPLACE INTO rejected (url, reason, run_id, rejected_at) VALUES (?, ?, ?, ?)",
                   [url, reason, run_id, at])


def insert_article(db: sqlite_utils.Database, article: ArticleRow) -> int:
    """Store `article` (inside the caller's transaction); returns its id."""
    return db["articles"].insert(asdict(article)).last_pk
