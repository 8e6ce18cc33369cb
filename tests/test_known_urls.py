"""The URLs a crawl never asks for again, and what reading them costs the database."""
from __future__ import annotations

from storage.articles import known_urls, reject
from storage.db import open_db
from stored import store_article

def test_known_urls_are_every_linked_canonical_and_rejected_url(tmp_path):
    db = open_db(tmp_path / "d.db")
    store_article(db, 1)
    with db.conn:
        db.execute("UPDATE articles SET canonical_url = 'http://example.test/a1.html'")
    store_article(db, 2)
    reject(db, "http://example.test/list.pdf", "not HTML", None, "2026-01-01")
    assert known_urls(db) == {"http://example.test/1.html", "http://example.test/a1.html",
                              "http://example.test/2.html", "http://example.test/list.pdf"}

def test_known_urls_read_indexes_only_never_the_article_rows(tmp_path):
    """A scan of the article rows reads every page of their stored text: the whole database,
    at the start of every crawl."""
    db = open_db(tmp_path / "d.db")
    store_article(db, 1, text="正文" * 5000)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    known_urls(db)
    db.conn.set_trace_callback(None)
    reads = [sql for sql in statements if sql.lstrip().upper().startswith("SELECT") and "articles" in sql]
    assert reads
    for sql in reads:
        plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {sql}"))
        assert "COVERING INDEX" in plan, (sql, plan)


def test_known_urls_include_seen_articles_by_linked_and_canonical_url(tmp_path):
    from storage.articles import SeenRow, record_seen

    db = open_db(tmp_path / "d.db")
    record_seen(db, SeenRow(url="http://example.test/3.html", canonical_url="http://example.test/a3.html",
                            source="s", title="流感疫苗", published="2024-03-08", run_id=None, seen_at="2026-01-01"))
    assert known_urls(db) == {"http://example.test/3.html", "http://example.test/a3.html"}
