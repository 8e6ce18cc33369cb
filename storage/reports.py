"""Report rows: which changes a mailed report delivered, and whether the server took it.

A change is pending until a report that holds it has `sent_at` set. Sending is
claim → send → mark: the claim attaches the pending changes to a new unsent report
(so a second sender running at the same time finds nothing to claim), a failure
records the error and releases the changes, success stamps `sent_at`. A sender that
died between claim and mark leaves an unsent report without an error; its changes
are released by the next claim once the claim is older than STALE_CLAIM.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlite_utils

from storage.runs import utcnow

# Longer than any SMTP exchange can take (every socket operation has a timeout).
STALE_CLAIM = timedelta(minutes=15)


@dataclass
class ReportRow:
    """One row of `reports`."""

    id: int
    created_at: str
    sent_at: str | None
    subject: str | None
    recipients: list[str]
    error: str | None


def _row(row: dict) -> ReportRow:
    return ReportRow(
        id=row["id"],
        created_at=row["created_at"],
        sent_at=row["sent_at"],
        subject=row["subject"],
        recipients=json.loads(row["recipients"]) if row["recipients"] else [],
        error=row["error"],
    )


def get_report(db: sqlite_utils.Database, report_id: int) -> ReportRow:
    """The report row `report_id`."""
    return _row(db["reports"].get(report_id))


def last_sent_report(db: sqlite_utils.Database) -> ReportRow | None:
    """The most recently sent report, or None when nothing was ever sent."""
    rows = list(db.query("SELECT * FROM reports WHERE sent_at IS NOT NULL ORDER BY sent_at DESC, id DESC LIMIT 1"))
    return _row(rows[0]) if rows else None


def _unsent_ids(db: sqlite_utils.Database, table: str) -> list[int]:
    rows = db.execute(
        f"SELECT t.id FROM {table} t LEFT JOIN reports r ON r.id = t.report_id "
        "WHERE t.report_id IS NULL OR r.sent_at IS NULL ORDER BY t.id"
    ).fetchall()
    return [row[0] for row in rows]


def unsent_change_ids(db: sqlite_utils.Database) -> list[int]:
    """Changes no sent report has delivered: unclaimed, or claimed by a report still unsent."""
    return _unsent_ids(db, "changes")


def unsent_event_ids(db: sqlite_utils.Database) -> list[int]:
    """Source notices no sent report has delivered, as unsent_change_ids."""
    return _unsent_ids(db, "source_events")


def _release_stale_claims(db: sqlite_utils.Database, now: datetime) -> None:
    cutoff = (now - STALE_CLAIM).isoformat(timespec="seconds")
    for table in ("changes", "source_events"):
        db.execute(
            f"UPDATE {table} SET report_id = NULL WHERE report_id IN "
            "(SELECT id FROM reports WHERE sent_at IS NULL AND created_at < ?)",
            [cutoff],
        )
    db.execute(
        "UPDATE reports SET error = 'abandoned: the sender stopped before the server answered' "
        "WHERE sent_at IS NULL AND error IS NULL AND created_at < ?",
        [cutoff],
    )


def claim_changes(
    db: sqlite_utils.Database,
    change_ids: list[int],
    recipients: list[str],
    now: datetime | None = None,
    event_ids: list[int] | None = None,
) -> tuple[int, list[int]]:
    """Create an unsent report and attach those of `change_ids` (and of the source notices
    `event_ids`) that are still unclaimed.

    Runs in one immediate transaction so two senders never claim the same change.
    Returns the report id and the change ids actually claimed (possibly none); the
    notices claimed are those `list_events` finds with that report id.
    """
    now = now or datetime.fromisoformat(utcnow())
    with db.conn:
        db.execute("BEGIN IMMEDIATE")
        _release_stale_claims(db, now)
        report_id = db["reports"].insert(
            {
                "created_at": now.isoformat(timespec="seconds"),
                "recipients": json.dumps(recipients, ensure_ascii=False),
            }
        ).last_pk
        claimed = []
        for change_id in change_ids:
            cur = db.execute("UPDATE changes SET report_id = ? WHERE id = ? AND report_id IS NULL", [report_id, change_id])
            if cur.rowcount:
                claimed.append(change_id)
        db.conn.executemany("UPDATE source_events SET report_id = ? WHERE id = ? AND report_id IS NULL",
                            [(report_id, event_id) for event_id in event_ids or []])
    return report_id, claimed


def report_event_ids(db: sqlite_utils.Database, report_id: int) -> list[int]:
    """The source notices report `report_id` holds."""
    return [row[0] for row in db.execute("SELECT id FROM source_events WHERE report_id = ? ORDER BY id", [report_id])]


def mark_sent(db: sqlite_utils.Database, report_id: int, subject: str, error: str | None = None) -> None:
    """The server accepted report `report_id`; `error` notes recipients it refused, if any."""
    with db.conn:
        db["reports"].update(report_id, {"sent_at": utcnow(), "subject": subject, "error": error})


def record_failure(db: sqlite_utils.Database, report_id: int, error: str, subject: str | None = None) -> None:
    """Report `report_id` was not accepted: keep the error and release its changes for the next attempt."""
    with db.conn:
        db["reports"].update(report_id, {"error": error, "subject": subject})
        db.execute("UPDATE changes SET report_id = NULL WHERE report_id = ?", [report_id])
        db.execute("UPDATE source_events SET report_id = NULL WHERE report_id = ?", [report_id])
