"""The near-duplicate index, kept in SQLite beside the articles it points to.

A fingerprint is a MinHash signature of NUM_PERM unsigned 64-bit slots (made by
crawler.dedup). Each original article's fingerprint is filed under its LSH band keys
(`band_keys`), and kept beside them (lsh_signatures), in the same transaction as the article, so the index costs no memory,
needs no rebuilding when a crawl starts, and can never disagree with the articles table.

The index scheme lives here, not beside the fingerprinting, because stored rows must be
read back with the scheme that wrote them whatever the analysis code does next.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

import numpy as np

# Analysing workers read the scheme (NUM_PERM, band_keys) and never a database: they
# start without sqlite-utils and what it brings (~10 MB each).
if TYPE_CHECKING:
    import sqlite_utils

NUM_PERM = 128
THRESHOLD = 0.5
# datasketch's optimal banding for THRESHOLD and NUM_PERM (25 bands of 5 slots), frozen so
# that storage needs no datasketch (and its scipy) and a datasketch upgrade cannot
# silently re-band an index already on disk; a test checks it still agrees.
BAND_ROWS = 5
BAND_RANGES = tuple((start, start + BAND_ROWS) for start in range(0, 25 * BAND_ROWS, BAND_ROWS))


def similarities(blob: bytes, others: list[bytes]) -> np.ndarray:
    """Estimated Jaccard similarity of a fingerprint to each of `others`: the share of equal signature slots.

    All at once: a large archive of similar articles makes dozens of candidates a lookup.
    """
    stored = np.frombuffer(b"".join(others), dtype=np.uint64).reshape(len(others), -1)
    return (stored == np.frombuffer(blob, dtype=np.uint64)).mean(axis=1)


def band_keys(blob: bytes) -> list[tuple[int, int]]:
    """(band, key) pairs under which a fingerprint is indexed for locality-sensitive lookup.

    Two fingerprints share a key in some band with high probability when their
    similarity is at or above THRESHOLD; a key is the band's slots hashed to a signed
    64-bit integer, compact for an SQLite index. Sharing a key makes a candidate only:
    `similarities` decides.
    """
    values = np.frombuffer(blob, dtype=np.uint64)
    return [(band, int.from_bytes(hashlib.blake2b(values[start:end].tobytes(), digest_size=8).digest(),
                                  "little", signed=True))
            for band, (start, end) in enumerate(BAND_RANGES)]


@dataclass
class Match:
    """A stored article a fingerprint nearly duplicates, and how similar they are."""

    key: int
    similarity: float


def index_fingerprint(db: sqlite_utils.Database, article_id: int, blob: bytes,
                      keys: list[tuple[int, int]]) -> None:
    """File the original article `article_id`, fingerprint `blob`, under its band keys (inside the caller's transaction)."""
    db.execute("INSERT INTO lsh_signatures (article_id, fingerprint) VALUES (?, ?)", [article_id, blob])
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
    rows = db.execute(f"SELECT article_id, fingerprint FROM lsh_signatures WHERE article_id IN ({bands}) "
                      "ORDER BY article_id", [value for pair in keys for value in pair]).fetchall()
    if not rows:
        return None
    scores = similarities(blob, [row[1] for row in rows])
    best = int(np.argmax(scores))  # the first, so the lowest id, of the highest
    return Match(rows[best][0], float(scores[best])) if scores[best] >= threshold else None


# Articles re-fingerprinted per query: their normalised bodies are read a batch at a time,
# not the whole archive at once.
_REFINGERPRINT_BATCH = 500


def fingerprint_scheme(db: sqlite_utils.Database) -> str:
    """How the stored fingerprints were made (crawler.dedup.FINGERPRINT_SCHEME when a crawl last made them)."""
    return db.execute("SELECT value FROM store_settings WHERE key = 'fingerprint_scheme'").fetchone()[0]


def refingerprint(db: sqlite_utils.Database, scheme: str, fingerprint: Callable[[str], bytes]) -> int:
    """Make every stored fingerprint again with `fingerprint` (of the normalised body) and file
    the originals again, unless they were made by `scheme` already; one transaction.

    Returns how many articles were re-fingerprinted (0 when nothing had to change).
    """
    from storage.db import write_transaction  # see the imports above

    if fingerprint_scheme(db) == scheme:
        return 0
    count, last = 0, 0
    with write_transaction(db):
        db.execute("DELETE FROM lsh_bands")
        db.execute("DELETE FROM lsh_signatures")
        while True:
            rows = db.execute("SELECT id, normalised, duplicate_of FROM articles WHERE id > ? AND length(fingerprint) > 0 "
                              "ORDER BY id LIMIT ?", [last, _REFINGERPRINT_BATCH]).fetchall()
            if not rows:
                break
            blobs = [(article_id, fingerprint(normalised or ""), duplicate_of) for article_id, normalised, duplicate_of in rows]
            db.conn.executemany("UPDATE articles SET fingerprint = ? WHERE id = ?",
                                [(blob, article_id) for article_id, blob, _ in blobs])
            for article_id, blob, duplicate_of in blobs:
                if duplicate_of is None:
                    index_fingerprint(db, article_id, blob, band_keys(blob))
            count += len(rows)
            last = rows[-1][0]
        db.execute("UPDATE store_settings SET value = ? WHERE key = 'fingerprint_scheme'", [scheme])
    return count
