"""Full-text search over stored articles: titles and normalised bodies (schema migrations 9 and 11).

New articles are indexed a batch at a time (`index_new_articles`): the crawl indexes every
SEARCH_BATCH articles it stores, in the transaction of the last, and the rest as it ends; a
crawl killed before that leaves them to the next crawl, which indexes them as it starts.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

SEARCH_BATCH = 100
"""New articles a crawl indexes together: the index costs the crawl less than half as much
as one article at a time, and a search lags a running crawl by at most this many."""

# A query of three characters or more is read from the trigram index; a trigram index
# matches nothing for a shorter one, so a one- or two-character query (张强) is looked
# for in the stored text itself, one pass over the articles. Either way the query is
# one literal substring: FTS5's query syntax (AND, NEAR, *) is not exposed to users.
SEARCH_SQL = """
SELECT a.id, a.published, a.title, a.source, a.url, a.duplicate_of
FROM articles a
WHERE a.id IN (
    SELECT rowid FROM articles_fts
     WHERE length(trim(:q)) >= 3 AND articles_fts MATCH '"' || replace(trim(:q), '"', '""') || '"'
    UNION ALL
    SELECT id FROM articles
     WHERE length(trim(:q)) BETWEEN 1 AND 2 AND (instr(title, trim(:q)) OR instr(normalised, trim(:q)))
)
ORDER BY a.published DESC, a.id
"""


@dataclass
class ArticleHit:
    """An article whose title or normalised body contains the query."""

    id: int
    published: str | None
    title: str | None
    source: str
    url: str
    duplicate_of: int | None


def search_articles(db: sqlite_utils.Database, query: str) -> list[ArticleHit]:
    """The articles whose title or normalised body contains `query`, newest first."""
    return [ArticleHit(*row) for row in db.execute(SEARCH_SQL, {"q": query})]


def index_new_articles(db: sqlite_utils.Database) -> int:
    """Index the articles stored since the last call, in the caller's transaction; returns how many."""
    indexed = int(db.execute("SELECT value FROM store_settings WHERE key = 'search_indexed_to'").fetchone()[0])
    last = db.execute("SELECT coalesce(max(id), 0) FROM articles").fetchone()[0]
    if last <= indexed:
        return 0
    added = db.execute("INSERT INTO articles_fts (rowid, title, normalised) SELECT id, title, normalised "
                       "FROM articles WHERE id > ? ORDER BY id", [indexed]).rowcount
    db.execute("UPDATE store_settings SET value = ? WHERE key = 'search_indexed_to'", [last])
    return added
