"""Per-channel delivery state: which change each chat or webhook channel has been given.

Mail keeps its own `reports` rows (storage/reports.py); every other channel has a row
per change in `deliveries`, so each channel gets each change exactly once and retries
on its own. Delivery is claim → send → mark, as for mail: the claim marks the channel's
pending changes `claimed` in one immediate transaction (a second sender running at the
same moment finds nothing to claim), a failure marks them `failed` with the error (the
next attempt claims them again), success marks them `sent`. A sender that died between
claim and mark leaves `claimed` rows; the next claim takes them back once they are older
than STALE_CLAIM.
"""
from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.reports import STALE_CLAIM
from storage.runs import utcnow


def claim_deliveries(db: sqlite_utils.Database, channel: str, change_ids: list[int] | None = None,
                     now: datetime | None = None) -> list[int]:
    """Claim for `channel` the changes it has not been given (of `change_ids`, when given); returns their ids."""
    now = now or datetime.fromisoformat(utcnow())
    stamp = now.isoformat(timespec="seconds")
    cutoff = (now - STALE_CLAIM).isoformat(timespec="seconds")
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        rows = db.execute(
            "SELECT c.id FROM changes c LEFT JOIN deliveries d ON d.channel = ? AND d.change_id = c.id "
            "WHERE d.change_id IS NULL OR d.state = 'failed' OR (d.state = 'claimed' AND d.claimed_at < ?) "
            "ORDER BY c.id",
            [channel, cutoff],
        ).fetchall()
        wanted = None if change_ids is None else set(change_ids)
        claimed = [row[0] for row in rows if wanted is None or row[0] in wanted]
        db.conn.executemany(
            "INSERT INTO deliveries (channel, change_id, state, claimed_at, attempts) VALUES (?, ?, 'claimed', ?, 1) "
            "ON CONFLICT(channel, change_id) DO UPDATE SET state = 'claimed', claimed_at = excluded.claimed_at, "
            "attempts = attempts + 1",
            [(channel, change_id, stamp) for change_id in claimed],
        )
    return claimed


def mark_delivered(db: sqlite_utils.Database, channel: str, change_ids: list[int]) -> None:
    """`channel` accepted `change_ids`: they are never sent to it again."""
    with db.conn:
        db.conn.executemany(
            "UPDATE deliveries SET state = 'sent', sent_at = ?, error = NULL WHERE channel = ? AND change_id = ?",
            [(utcnow(), channel, change_id) for change_id in change_ids],
        )


def record_delivery_failure(db: sqlite_utils.Database, channel: str, change_ids: list[int], error: str) -> None:
    """`channel` did not take `change_ids`: keep the error; the next attempt claims them again."""
    with db.conn:
        db.conn.executemany(
            "UPDATE deliveries SET state = 'failed', error = ? WHERE channel = ? AND change_id = ?",
            [(error, channel, change_id) for change_id in change_ids],
        )


def undelivered_count(db: sqlite_utils.Database, channel: str) -> int:
    """How many changes `channel` has not been given yet (claimed by a running sender included)."""
    return db.execute(
        "SELECT COUNT(*) FROM changes c LEFT JOIN deliveries d ON d.channel = ? AND d.change_id = c.id "
        "WHERE d.change_id IS NULL OR d.state <> 'sent'",
        [channel],
    ).fetchone()[0]


def last_delivery(db: sqlite_utils.Database, channel: str) -> str | None:
    """When `channel` last accepted a delivery, or None."""
    return db.execute("SELECT MAX(sent_at) FROM deliveries WHERE channel = ?", [channel]).fetchone()[0]


def delivery_states(db: sqlite_utils.Database, channel: str) -> dict[int, tuple[str, int, str | None]]:
    """change id → (state, attempts, error) for `channel`."""
    rows = db.execute("SELECT change_id, state, attempts, error FROM deliveries WHERE channel = ?", [channel])
    return {row[0]: (row[1], row[2], row[3]) for row in rows}
