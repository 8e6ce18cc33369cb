"""The schema as an ordered list of migrations.

Each migration runs once, in its own transaction, and bumps `PRAGMA user_version`;
a later version extends the schema by appending a function to MIGRATIONS.
"""
from __future__ import annotations

import hashlib
from typing import Callable

import numpy as np
import sqlite_utils

from storage.errors import DgwatchError


def _initial(db: sqlite_utils.Database) -> None:
    db["sources"].create(
        {"name": str, "config": str, "first_seen": str},
        pk="name",
    )
    db["runs"].create(
        {
            "id": int,
            "started_at": str,
            "ended_at": str,
            "sources": str,  # JSON list of source names
            "status": str,  # running | finished | failed | interrupted
            "pages": int,
            "articles_new": int,
            "duplicates": int,
            "not_modified": int,
            "errors": int,
            "message": str,
        },
        pk="id",
        defaults={"pages": 0, "articles_new": 0, "duplicates": 0, "not_modified": 0, "errors": 0},
    )
    db["articles"].create(
        {
            "id": int,
            "url": str,
            "canonical_url": str,
            "source": str,
            "title": str,
            "published": str,
            "author": str,
            "text": str,  # body as the page has it
            "normalised": str,  # body after spec section 3 normalisation
            "fingerprint": bytes,  # MinHash signature of the normalised body
            "duplicate_of": int,
            "encoding": str,
            "etag": str,
            "last_modified": str,
            "fetched_at": str,
            "run_id": int,
        },
        pk="id",
        not_null={"url", "fetched_at"},
        foreign_keys=[("duplicate_of", "articles", "id"), ("run_id", "runs", "id")],
    )
    db["articles"].create_index(["url"], unique=True)
    db["articles"].create_index(["canonical_url"])
    db["articles"].create_index(["duplicate_of"])
    db["entities"].create(
        {
            "id": int,
            "name": str,  # key: the name first seen, never changes
            "current_name": str,  # the name after the latest rename
            "kind": str,
            "first_seen": str,
            "first_run_id": int,
            "merged_into": int,  # set when a rename folded this entity into another
            "announced_run_id": int,  # the run whose new_entity change announced it
            "first_article_id": int,
        },
        pk="id",
        not_null={"name", "kind"},
    )
    db["entities"].create_index(["name"], unique=True)
    db["entities"].create_index(["announced_run_id"])
    db["aliases"].create(
        {"alias": str, "entity_id": int},
        pk="alias",
        foreign_keys=[("entity_id", "entities", "id")],
    )
    db["aliases"].create_index(["entity_id"])
    db["facts"].create(
        {
            "id": int,
            "entity_id": int,
            "attribute": str,
            "value": str,  # JSON: an integer or a string
            "approx": str,
            "evidence": str,
            "published": str,
            "url": str,
            "article_id": int,
            "run_id": int,
            "diffed": int,  # 0 until the monitor has compared it with what was known
        },
        pk="id",
        foreign_keys=[
            ("entity_id", "entities", "id"),
            ("article_id", "articles", "id"),
            ("run_id", "runs", "id"),
        ],
        defaults={"diffed": 0, "approx": ""},
    )
    db["facts"].create_index(["entity_id", "attribute", "value"])
    db["facts"].create_index(["article_id"])
    db["facts"].create_index(["diffed"])
    db["current_facts"].create(
        {
            "entity_id": int,
            "attribute": str,
            # '' for single-valued attributes; the value itself for set-valued ones
            # (facility, founder), where each value is its own current fact.
            "slot": str,
            "value": str,
            "approx": str,
            "fact_id": int,
            "published": str,
        },
        pk=("entity_id", "attribute", "slot"),
        foreign_keys=[("entity_id", "entities", "id"), ("fact_id", "facts", "id")],
    )
    db["changes"].create(
        {
            "id": int,
            "run_id": int,
            "kind": str,
            "entity_id": int,
            "attribute": str,
            "old": str,  # JSON
            "new": str,  # JSON
            "published": str,
            "url": str,
            "evidence": str,
            "fact_id": int,
            "detected_at": str,
            "report_id": int,  # the report that delivered it; NULL while pending
            "extra": str,  # JSON: for new_entity, the facts the entity arrived with
        },
        pk="id",
        foreign_keys=[
            ("run_id", "runs", "id"),
            ("entity_id", "entities", "id"),
            ("fact_id", "facts", "id"),
        ],
    )
    db["changes"].create_index(["detected_at"])
    db["changes"].create_index(["run_id"])
    db["changes"].create_index(["report_id"])
    db["reports"].create(
        {
            "id": int,
            "created_at": str,
            "sent_at": str,
            "subject": str,
            "recipients": str,
            "error": str,
        },
        pk="id",
    )


def _rejected_pages(db: sqlite_utils.Database) -> None:
    """Pages that are not articles (not HTML, no body): remembered so they are not fetched again."""
    db["rejected"].create({"url": str, "reason": str, "run_id": int, "rejected_at": str}, pk="url")


def _band_keys_v3(blob: bytes) -> list[tuple[int, int]]:
    """Band keys as migration 3 filed them: 25 bands of 5 slots, blake2b to signed 64 bits.

    Frozen here rather than imported, so that the migration files old databases the
    same way whatever storage.neardup's scheme becomes (a new scheme is a new migration).
    """
    values = np.frombuffer(blob, dtype=np.uint64)
    return [(band, int.from_bytes(hashlib.blake2b(values[start:start + 5].tobytes(), digest_size=8).digest(),
                                  "little", signed=True))
            for band, start in enumerate(range(0, 125, 5))]


def _lsh_bands(db: sqlite_utils.Database) -> None:
    """The near-duplicate index (storage/neardup.py), filled from the stored originals."""
    db.execute("CREATE TABLE lsh_bands (band INTEGER NOT NULL, key INTEGER NOT NULL, "
               "article_id INTEGER NOT NULL REFERENCES articles(id))")
    db.execute("CREATE INDEX lsh_bands_key ON lsh_bands (band, key)")
    rows = db.execute(
        "SELECT id, fingerprint FROM articles WHERE duplicate_of IS NULL AND length(fingerprint) > 0").fetchall()
    db.conn.executemany("INSERT INTO lsh_bands (band, key, article_id) VALUES (?, ?, ?)",
                        ((band, key, article_id) for article_id, blob in rows for band, key in _band_keys_v3(blob)))


def _listing_walks(db: sqlite_utils.Database) -> None:
    """When each source's last listing walk ran to its end (storage/sources.py); none yet."""
    db["sources"].add_column("walked_at", str)


def _listing_links(db: sqlite_utils.Database) -> None:
    """Each listing page's links as last extracted (storage/listings.py); filled by crawls."""
    db["listing_links"].create({"url": str, "digest": str, "links": str}, pk="url", not_null={"digest", "links"})


def _seen_pages(db: sqlite_utils.Database) -> None:
    """Articles found not relevant (storage/articles.py `record_seen`): provenance, no text."""
    db["seen"].create({"url": str, "canonical_url": str, "source": str, "title": str, "published": str,
                       "run_id": int, "seen_at": str}, pk="url", not_null={"seen_at"})
    db["seen"].create_index(["canonical_url"])


def _deliveries(db: sqlite_utils.Database) -> None:
    """Which change (kind 'change') or source notice (kind 'event') each chat or webhook channel
    has been given (storage/deliveries.py)."""
    db.execute("CREATE TABLE deliveries (channel TEXT NOT NULL, kind TEXT NOT NULL, item_id INTEGER NOT NULL, "
               "state TEXT NOT NULL, claimed_at TEXT, sent_at TEXT, error TEXT, attempts INTEGER NOT NULL DEFAULT 0, "
               "PRIMARY KEY (channel, kind, item_id))")


def _source_health(db: sqlite_utils.Database) -> None:
    """What each crawl saw of each source, and the notices of a source going wrong and recovering
    (storage/health.py); `report_id` as for changes: the mailed report that delivered the notice."""
    db["source_crawls"].create(
        {"id": int, "source": str, "crawled_at": str, "listings": int, "article_links": int, "failures": int,
         "status": str},
        pk="id", not_null={"source", "crawled_at", "status"},
    )
    db["source_crawls"].create_index(["source", "id"])
    db["source_events"].create(
        {"id": int, "source": str, "problem": str, "state": str, "at": str, "detail": str, "report_id": int},
        pk="id", not_null={"source", "problem", "state", "at"},
    )
    db["source_events"].create_index(["report_id"])


def _article_search(db: sqlite_utils.Database) -> None:
    """Full-text search over article titles and normalised bodies (storage/search.py), filled now.

    The trigram tokenizer, because FTS5's default one reads a run of Chinese characters
    as one word: 张强医生集团与 would be a single token that neither 张强 nor 张强医生集团
    matches. Trigrams find any substring of three characters or more; storage/search.py
    reads shorter queries (a two-character name) from the articles themselves. The
    triggers keep the index in step with every article stored, in the same transaction.
    """
    db["articles"].enable_fts(["title", "normalised"], fts_version="FTS5", tokenize="trigram",
                              create_triggers=True, replace=True)


def _fingerprint_scheme(db: sqlite_utils.Database) -> None:
    """Settings of the store itself; first, how the stored fingerprints were made (storage/neardup.py).

    Until now they were MinHash over SHA-1-hashed character trigrams; the next crawl makes
    them again the current way (crawler.dedup), since the analysis code, not storage, knows it.
    """
    db.execute("CREATE TABLE store_settings (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
    db.execute("INSERT INTO store_settings (key, value) VALUES ('fingerprint_scheme', 'sha1-trigrams/affine32')")


def _search_in_batches(db: sqlite_utils.Database) -> None:
    """The search index is filled a batch of new articles at a time (storage/search.py
    `index_new_articles`), and re-writes an indexed article only when its text changes.

    Indexing each article in its own transaction, by sqlite-utils' insert trigger, cost the
    crawl process ~0.85 ms an article, a batch of them in one statement ~0.4
    (bench.search_index). sqlite-utils' update trigger also re-indexed an article on any
    UPDATE of its row: making the stored fingerprints again (migration 10) would have
    re-indexed the whole archive. The articles stored so far are all indexed.
    """
    db.execute("DROP TRIGGER articles_ai")
    db.execute("DROP TRIGGER articles_au")
    db.execute("DROP TRIGGER articles_ad")
    indexed = "old.id <= (SELECT CAST(value AS INTEGER) FROM store_settings WHERE key = 'search_indexed_to')"
    # Written as sqlite-utils writes them, so that its FTS tools (disable_fts) still recognise them.
    db.execute(f"""CREATE TRIGGER "articles_au" AFTER UPDATE OF "title", "normalised" ON "articles" WHEN {indexed} BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "normalised") VALUES('delete', old.rowid, old."title", old."normalised");
  INSERT INTO "articles_fts" (rowid, "title", "normalised") VALUES (new.rowid, new."title", new."normalised");
END""")
    db.execute(f"""CREATE TRIGGER "articles_ad" AFTER DELETE ON "articles" WHEN {indexed} BEGIN
  INSERT INTO "articles_fts" ("articles_fts", rowid, "title", "normalised") VALUES('delete', old.rowid, old."title", old."normalised");
END""")
    db.execute("INSERT INTO store_settings (key, value) SELECT 'search_indexed_to', coalesce(max(id), 0) FROM articles")


def _near_duplicate_signatures(db: sqlite_utils.Database) -> None:
    """The near-duplicate index keeps its originals' fingerprints beside their band keys, and
    finds an article's candidates from its index alone (storage/neardup.py).

    A fingerprint read from the articles table lies after the article's two bodies, in
    their overflow pages: with 50,000 articles a lookup compared 65 candidates on average
    and cost 0.87 ms, 0.24 with the fingerprints apart (1 kB each) and the band index
    covering the article ids. Filled from the originals filed so far.
    """
    db.execute("CREATE TABLE lsh_signatures (article_id INTEGER PRIMARY KEY REFERENCES articles(id), "
               "fingerprint BLOB NOT NULL)")
    db.execute("INSERT INTO lsh_signatures (article_id, fingerprint) SELECT id, fingerprint FROM articles "
               "WHERE id IN (SELECT article_id FROM lsh_bands)")
    db.execute("DROP INDEX lsh_bands_key")
    db.execute("CREATE INDEX lsh_bands_key ON lsh_bands (band, key, article_id)")


SEARCH_AUTOMERGE = 8


def _search_merges_less(db: sqlite_utils.Database) -> None:
    """The search index merges its segments eight at a time instead of FTS5's four.

    Each batch of articles indexed (storage/search.py) writes a segment, and FTS5 merges
    segments as they pile up, rewriting the index's older parts again and again: indexing
    50,000 articles cost the crawl 0.56 ms an article, merging eight at a time 0.45, while a
    search reads a few more segments (21 searches of the 50,000 took 57 → 59 ms). Set in
    the index itself, so every writer indexes alike.
    """
    db.execute(f"INSERT INTO articles_fts (articles_fts, rank) VALUES ('automerge', {SEARCH_AUTOMERGE})")


MIGRATIONS: list[Callable[[sqlite_utils.Database], None]] = [
    _initial, _rejected_pages, _lsh_bands, _listing_walks, _listing_links, _seen_pages, _deliveries, _source_health,
    _article_search, _fingerprint_scheme, _search_in_batches, _near_duplicate_signatures, _search_merges_less,
]


def check_version(db: sqlite_utils.Database, where: object) -> int:
    """The schema version of `db`; DgwatchError when a newer dgwatch made it (this code cannot know its schema)."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > len(MIGRATIONS):
        raise DgwatchError(f"{where}: made by a newer dgwatch (schema version {version}; this one knows up to "
                           f"{len(MIGRATIONS)}); not opened, so as not to damage it: upgrade dgwatch")
    return version


def migrate(db: sqlite_utils.Database) -> int:
    """Apply the migrations `db` has not had yet; returns the schema version reached."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    for number, step in enumerate(MIGRATIONS[version:], start=version + 1):
        with db.conn:
            step(db)
            db.execute(f"PRAGMA user_version = {number}")
    return len(MIGRATIONS)
