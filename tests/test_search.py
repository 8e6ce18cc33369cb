"""Full-text search over stored articles: the trigram index, short queries, the migrations that fill it,
indexing a batch of new articles at a time."""
from __future__ import annotations

import pytest
import sqlite_utils

from storage.articles import ArticleRow, insert_article
from storage.db import open_db
from storage.schema import MIGRATIONS, migrate
from storage.search import index_new_articles, search_articles
from stored import store_article

BODIES = {
    1: "创始人张强医生介绍,张强医生集团已在非洲设立静脉病中心。",
    2: "哈特瑞姆心脏医疗集团宣布,合作医院增至40家。",
    3: "冬雷脑科医生集团与多家医院签约。",
}


@pytest.fixture
def db(tmp_path):
    database = open_db(tmp_path / "dgwatch.db")
    for n, body in BODIES.items():
        store_article(database, n, published=f"2024-0{n}-01", text=body)
    yield database
    database.conn.close()


def ids(hits):
    return sorted(hit.id for hit in hits)


@pytest.mark.parametrize("query, expected", [
    ("张强医生集团", [1]),          # a group name: read from the index
    ("张强", [1]),                  # a two-character name: trigrams alone would miss it
    ("医院", [2, 3]),
    ("医生集团", [1, 3]),
    ("心脏医疗", [2]),
    ("  张强  ", [1]),              # surrounding blanks do not count
    ("张强 非洲", []),              # one literal substring, not FTS5 syntax
    ('"张强" OR 冬雷', []),
    ("", []),
    ("星海医生集团", []),
])
def test_search_finds_substrings_of_titles_and_bodies(db, query, expected):
    assert ids(search_articles(db, query)) == expected


def test_titles_are_searched_and_hits_come_newest_first(db):
    hits = search_articles(db, "article")
    assert [hit.id for hit in hits] == [3, 2, 1]
    assert hits[0].title == "article 3" and hits[0].url == "http://example.test/3.html"


def _row(n: int, text: str) -> ArticleRow:
    return ArticleRow(url=f"http://example.test/{n}.html", canonical_url=f"http://example.test/{n}.html", source="t",
                      title=f"article {n}", published=None, author=None, text=text, normalised=text, fingerprint=b"",
                      duplicate_of=None, encoding="utf-8", etag=None, last_modified=None, fetched_at="2026-01-01",
                      run_id=None)


def _database_before(path, migration: str) -> sqlite_utils.Database:
    """A database as dgwatch left it before the migration named `migration`."""
    database = sqlite_utils.Database(path)
    added = next(n for n, step in enumerate(MIGRATIONS, start=1) if step.__name__ == migration)
    for number, step in enumerate(MIGRATIONS[:added - 1], start=1):
        step(database)
        database.execute(f"PRAGMA user_version = {number}")
    return database


def test_the_migrations_index_articles_stored_before_them(tmp_path):
    database = _database_before(tmp_path / "old.db", "_article_search")
    with database.conn:
        insert_article(database, _row(1, "张强医生集团成立。"))
        insert_article(database, _row(2, "张强医生集团签约。"))
    migrate(database)
    assert ids(search_articles(database, "张强医生集团")) == [1, 2]
    store_article(database, 3, text="张强医生集团融资。")
    assert ids(search_articles(database, "张强医生集团")) == [1, 2, 3]


def test_new_articles_are_indexed_a_batch_at_a_time(db):
    with db.conn:
        for n in (4, 5):
            insert_article(db, _row(n, f"星海医生集团第{n}篇。"))
    assert search_articles(db, "星海医生集团") == []  # stored, not indexed yet
    with db.conn:
        assert index_new_articles(db) == 2
    assert ids(search_articles(db, "星海医生集团")) == [4, 5]
    with db.conn:
        assert index_new_articles(db) == 0


def test_the_index_follows_a_changed_text_but_not_other_changes_to_the_row(db):
    statements = []
    db.conn.set_trace_callback(statements.append)
    with db.conn:
        db.execute("UPDATE articles SET fingerprint = x'00', duplicate_of = NULL WHERE id = 1")
    # Re-indexing shows in the trace as statements on the index's own tables.
    assert not [s for s in statements if "articles_fts" in s]
    with db.conn:
        db.execute("UPDATE articles SET normalised = '星海医生集团成立。' WHERE id = 1")
    assert [s for s in statements if "articles_fts" in s]
    assert ids(search_articles(db, "星海医生集团")) == [1] and ids(search_articles(db, "张强医生集团")) == []


def test_the_index_merges_its_segments_fewer_at_a_time_in_new_and_migrated_databases(db, tmp_path):
    from storage.schema import SEARCH_AUTOMERGE

    def automerge(database) -> int | None:
        row = database.execute("SELECT v FROM articles_fts_config WHERE k = 'automerge'").fetchone()
        return row and row[0]

    assert SEARCH_AUTOMERGE > 4 and automerge(db) == SEARCH_AUTOMERGE
    older = _database_before(tmp_path / "older.db", "_search_merges_less")
    assert automerge(older) is None  # FTS5's own default, 4
    migrate(older)
    assert automerge(older) == SEARCH_AUTOMERGE
    store_article(older, 1, text="张强医生集团融资。")
    with older.conn:
        index_new_articles(older)
    assert ids(search_articles(older, "张强医生集团")) == [1]
