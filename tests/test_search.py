"""Full-text search over stored articles: the trigram index, short queries, the migration that fills it."""
from __future__ import annotations

import pytest

from storage.db import open_db
from storage.schema import MIGRATIONS
from storage.search import search_articles
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


def test_the_migration_indexes_articles_stored_before_it(tmp_path):
    database = open_db(tmp_path / "old.db")
    store_article(database, 1, text="张强医生集团成立。")
    # As a database made before the migration: no index, no triggers.
    database["articles"].disable_fts()
    store_article(database, 2, text="张强医生集团签约。")
    add_search = next(step for step in MIGRATIONS if step.__name__ == "_article_search")
    with database.conn:
        add_search(database)
    assert ids(search_articles(database, "张强医生集团")) == [1, 2]
    store_article(database, 3, text="张强医生集团融资。")
    assert ids(search_articles(database, "张强医生集团")) == [1, 2, 3]
