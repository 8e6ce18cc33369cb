"""Per-channel delivery state: which change and source notice each chat or webhook channel has been given.

Mail keeps its own `reports` rows (storage/reports.py); every other channel has a row
per item in `deliveries` — kind 'change' (a changes row) or 'event' (a source_events
row) — so each channel gets each item exactly once and retries on its own. Delivery is
claim → send → mark, as for mail: the claim marks the channel's pending items `claimed`
in one immediate transaction (a second sender running at the same moment finds nothing
to claim), a failure marks them `failed` with the error (the next attempt claims them
again), success marks them `sent`. A sender that died between claim and mark leaves
`claimed` rows; the next claim takes them back once they are older than STALE_CLAIM.
"""
from __future__ import annotations

from datetime import datetime

import sqlite_utils

from storage.reports import STALE_CLAIM
from storage.runs import utcnow

# kind → the table its item ids are rows of
KINDS = {"change": "changes", "event": "source_events"}


def claim_deliveries(db: sqlite_utils.Database, channel: str, wanted: dict[str, list[int]] | None = None,
                     now: datetime | None = None) -> dict[str, list[int]]:
    """Claim for `channel` every item it has not been given (of `wanted`, kind → ids, when given).

    Returns kind → the ids claimed, in id order.
    """
    now = now or datetime.fromisoformat(utcnow())
    stamp = now.isoformat(timespec="seconds")
    cutoff = (now - STALE_CLAIM).isoformat(timespec="seconds")
    claimed: dict[str, list[int]] = {}
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        for kind, table in KINDS.items():
            rows = db.execute(
                f"SELECT t.id FROM {table} t LEFT JOIN deliveries d "
                "ON d.channel = ? AND d.kind = ? AND d.item_id = t.id "
                "WHERE d.item_id IS NULL OR d.state = 'failed' OR (d.state = 'claimed' AND d.claimed_at < ?) "
                "ORDER BY t.id",
                [channel, kind, cutoff],
            ).fetchall()
            allowed = None if wanted is None else set(wanted.get(kind, []))
            claimed[kind] = [row[0] for row in rows if allowed is None or row[0] in allowed]
            db.conn.executemany(
                "INSERT INTO deliveries (channel, kind, item_id, state, claimed_at, attempts) "
                "VALUES (?, ?, ?, 'claimed', ?, 1) ON CONFLICT(channel, kind, item_id) DO UPDATE SET "
                "state = 'claimed', claimed_at = excluded.claimed_at, attempts = attempts + 1",
                [(channel, kind, item_id, stamp) for item_id in claimed[kind]],
            )
    return claimed


def _set_state(db: sqlite_utils.Database, channel: str, items: dict[str, list[int]], sets: str,
               values: list) -> None:
    with db.conn:
        db.conn.executemany(
            f"UPDATE deliveries SET {sets} WHERE channel = ? AND kind = ? AND item_id = ?",
            [(*values, channel, kind, item_id) for kind, ids in items.items() for item_id in ids],
        )


def mark_delivered(db: sqlite_utils.Database, channel: str, items: dict[str, list[int]]) -> None:
    """`channel` accepted `items` (kind → ids): they are never sent to it again."""
    _set_state(db, channel, items, "state = 'sent', sent_at = ?, error = NULL", [utcnow()])


def record_delivery_failure(db: sqlite_utils.Database, channel: str, items: dict[str, list[int]], error: str) -> None:
    """`channel` did not take `items`: keep the error; the next attempt claims them again."""
    _set_state(db, channel, items, "state = 'failed', error = ?", [error])


def undelivered_count(db: sqlite_utils.Database, channel: str) -> int:
    """How many changes and notices `channel` has not been given yet (claimed by a running sender included)."""
    return sum(db.execute(
        f"SELECT COUNT(*) FROM {table} t LEFT JOIN deliveries d ON d.channel = ? AND d.kind = ? AND d.item_id = t.id "
        "WHERE d.item_id IS NULL OR d.state <> 'sent'",
        [channel, kind],
    ).fetchone()[0] for kind, table in KINDS.items())


def last_delivery(db: sqlite_utils.Database, channel: str) -> str | None:
    """When `channel` last accepted a delivery, or None."""
    return db.execute("SELECT MAX(sent_at) FROM deliveries WHERE channel = ?", [channel]).fetchone()[0]


def delivery_states(db: sqlite_utils.Database, channel: str, kind: str = "change") -> dict[int, tuple[str, int, str | None]]:
    """item id → (state, attempts, error) of the `kind` items of `channel`."""
    rows = db.execute("SELECT item_id, state, attempts, error FROM deliveries WHERE channel = ? AND kind = ?",
                      [channel, kind])
    return {row[0]: (row[1], row[2], row[3]) for row in rows}
