"""Full-text search over stored articles: titles and normalised bodies (schema migration 6)."""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

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
