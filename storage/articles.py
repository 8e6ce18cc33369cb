"""Article rows: what has been fetched, with its provenance and fingerprint."""
from __future__ import annotations

import re
import sqlite3
from dataclasses import asdict, dataclass
from typing import Iterator

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


@dataclass
class SeenRow:
    """An article found not relevant: where it was and what it was called, without its text."""

    url: str
    canonical_url: str
    source: str
    title: str | None
    published: str | None
    run_id: int | None
    seen_at: str


def has_articles(db: sqlite_utils.Database) -> bool:
    """Whether any article is stored."""
    return db.execute("SELECT EXISTS (SELECT 1 FROM articles)").fetchone()[0] == 1


def known_urls(db: sqlite_utils.Database) -> set[str]:
    """Every URL of a stored article or a seen one (as linked and canonical) or a rejected page:
    never fetched again."""
    # One column a query, each read from its own index alone: reading both at once scans
    # the article rows, and with them every page of stored text (the whole database).
    urls = {row[0] for row in db.execute("SELECT url FROM articles")}
    urls.update(row[0] for row in db.execute("SELECT canonical_url FROM articles WHERE canonical_url IS NOT NULL"))
    urls.update(row[0] for row in db.execute("SELECT url FROM rejected"))
    urls.update(row[0] for row in db.execute("SELECT url FROM seen"))
    urls.update(row[0] for row in db.execute("SELECT canonical_url FROM seen WHERE canonical_url IS NOT NULL"))
    return urls


def record_seen(db: sqlite_utils.Database, seen: SeenRow) -> None:
    """Remember an article that names no keyword of its source, so that it is not fetched again."""
    with db.conn:
        db["seen"].insert(asdict(seen), replace=True)


def reject(db: sqlite_utils.Database, url: str, reason: str, run_id: int | None, at: str) -> None:
    """Remember that `url` is not an article page (a transient HTTP failure is not a rejection)."""
    with db.conn:
        db.execute("INSERT OR REPLACE INTO rejected (url, reason, run_id, rejected_at) VALUES (?, ?, ?, ?)",
                   [url, reason, run_id, at])


_INSERT_ARTICLE = (f"INSERT INTO articles ({', '.join(ArticleRow.__dataclass_fields__)}) "
                   f"VALUES ({', '.join('?' * len(ArticleRow.__dataclass_fields__))})")


class AlreadyStored(Exception):
    """An article with this URL is stored already (by another crawl since this one listed it)."""


def insert_article(db: sqlite_utils.Database, article: ArticleRow) -> int:
    """Store `article` (inside the caller's transaction); returns its id.

    Raises AlreadyStored when an article with its URL is stored already.
    """
    row = asdict(article)
    try:
        # A plain INSERT: sqlite-utils' insert() checks the table and its columns first, a
        # tenth of a millisecond an article in the crawl process.
        return db.execute(_INSERT_ARTICLE, list(row.values())).lastrowid
    except sqlite3.IntegrityError as exc:
        if "articles.url" in str(exc):
            raise AlreadyStored(article.url) from None
        raise


# The original articles whose body holds a name of three characters or more, found
# through the trigram index and then checked in the body (the index also holds titles).
_MENTIONING = """
SELECT id FROM articles
 WHERE duplicate_of IS NULL AND instr(normalised, ?1) > 0 AND id IN (
    SELECT rowid FROM articles_fts WHERE articles_fts MATCH '"' || replace(?1, '"', '""') || '"')
"""


# The columns of a StoredText, in its order.
_STORED_TEXT = "id, normalised, published, url"


@dataclass
class StoredText:
    """What re-reading a stored original needs: its normalised body and provenance."""

    id: int
    normalised: str
    published: str | None
    url: str


def originals_mentioning(db: sqlite_utils.Database, names: set[str]) -> Iterator[StoredText]:
    """The original (not near-duplicate) articles whose normalised body contains any of `names`, by id.

    One body at a time: a common name may be in thousands of them. A name of three
    characters or more is looked up in the full-text index (storage/search.py), so the
    cost follows the articles that contain it, not the archive; the shorter ones, which a
    trigram index cannot find, are looked for together in one pass over the bodies.
    """
    ids: set[int] = set()
    for name in names:
        if len(name) >= 3:
            ids.update(row[0] for row in db.execute(_MENTIONING, [name]))
    short = sorted(name for name in names if len(name) < 3)
    if short:
        # One regular expression reads each body once for all the short names, where
        # SQLite's instr() would read it once a name: 14 s → 0.7 s over 50,000 bodies and 67 names.
        pattern = re.compile("|".join(map(re.escape, short)))
        for row in db.execute(f"SELECT {_STORED_TEXT} FROM articles WHERE duplicate_of IS NULL ORDER BY id"):
            if row[0] in ids or pattern.search(row[1]):
                yield StoredText(*row)
        return
    for article_id in sorted(ids):
        yield StoredText(*db.execute(f"SELECT {_STORED_TEXT} FROM articles WHERE id = ?", [article_id]).fetchone())
