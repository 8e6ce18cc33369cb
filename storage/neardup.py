"""The near-duplicate index, kept in SQLite beside the articles it points to.

Each original article's fingerprint is filed under its LSH band keys
(crawler.dedup.band_keys, computed with the fingerprint) in the same transaction as the article, so the index
costs no memory, needs no rebuilding when a crawl starts, and can never disagree
with the articles table.
"""
from __future__ import annotations

from dataclasses import dataclass

import sqlite_utils

from crawler.dedup import THRESHOLD, band_keys, similarity


@dataclass
class Match:
    """A stored article a fingerprint nearly duplicates, and how similar they are."""

    key: int
    similarity: float


def index_fingerprint(db: sqlite_utils.Database, article_id: int, keys: list[tuple[int, int]]) -> None:
    """File the original article `article_id` under its fingerprint's band keys (inside the caller's transaction)."""
    db.conn.executemany("INSERT INTO lsh_bands (band, key, article_id) VALUES (?, ?, ?)",
                        [(band, key, article_id) for band, key in keys])


def find_near_duplicate(db: sqlite_utils.Database, blob: bytes, keys: list[tuple[int, int]] | None = None,
                        threshold: float = THRESHOLD) -> Match | None:
    """The most similar indexed article at or above `threshold` (lowest id on ties), if any.

    `keys` are the fingerprint's band keys when the caller has them already.
    """
    keys = keys if keys is not None else band_keys(blob)
    # One indexed lookup per band; SQLite scans the table for a row-value IN list.
    bands = " UNION ".join("SELECT article_id FROM lsh_bands WHERE band = ? AND key = ?" for _ in keys)
    rows = db.execute(f"SELECT id, fingerprint FROM articles WHERE id IN ({bands})",
                      [value for pair in keys for value in pair]).fetchall()
    best: Match | None = None
    for article_id, stored in rows:
        score = similarity(stored, blob)
        if score >= threshold and (best is None or (score, -article_id) > (best.similarity, -best.key)):
            best = Match(article_id, score)
    return best
