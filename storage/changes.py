"""Change rows: written by the diff, read by `dgwatch changes` and the report."""
from __future__ import annotations

import json
from typing import Iterable

import sqlite_utils

from storage.records import Change

# The qualifier of a change's old value (c, its fact f): the latest earlier statement of that value.
OLD_APPROX = """COALESCE((SELECT p.approx FROM facts p
                 WHERE p.entity_id = f.entity_id AND p.attribute = c.attribute AND p.value = c.old
                   AND p.id <> f.id AND (p.published IS NULL OR p.published <= COALESCE(f.published, p.published))
                 ORDER BY p.published DESC, p.id DESC LIMIT 1), '')"""

_SELECT = """
SELECT c.id, c.run_id, c.kind, c.attribute, c.old, c.new, c.published, c.url, c.evidence,
       c.detected_at, c.extra, e.name AS entity, e.current_name, a.title,
       COALESCE(f.approx, '') AS approx, """ + OLD_APPROX + """ AS old_approx
FROM changes c
JOIN entities e ON e.id = c.entity_id
LEFT JOIN facts f ON f.id = c.fact_id
LEFT JOIN articles a ON a.id = f.article_id
"""


def insert_changes(db: sqlite_utils.Database, changes: Iterable[Change], entity_ids: dict[str, int], fact_ids: dict[int, int] | None = None) -> list[int]:
    """Store `changes` (inside the caller's transaction); returns their ids.

    `entity_ids` maps an entity key to its row id; `fact_ids` maps id(change) to the
    fact that raised it, so the report can reach the article's title.
    """
    ids = []
    for change in changes:
        row = {
            "run_id": change.run_id,
            "kind": change.kind,
            "entity_id": entity_ids[change.entity],
            "attribute": change.attribute,
            "old": json.dumps(change.old, ensure_ascii=False),
            "new": json.dumps(change.new, ensure_ascii=False),
            "published": change.published,
            "url": change.url,
            "evidence": change.evidence,
            "fact_id": (fact_ids or {}).get(id(change)),
            "detected_at": change.detected_at,
            "extra": json.dumps({"facts": change.facts}, ensure_ascii=False) if change.facts else None,
        }
        ids.append(db["changes"].insert(row).last_pk)
    return ids


def _change(row: dict) -> Change:
    extra = json.loads(row["extra"]) if row["extra"] else {}
    return Change(
        kind=row["kind"],
        entity=row["entity"],
        attribute=row["attribute"],
        old=json.loads(row["old"]) if row["old"] is not None else None,
        new=json.loads(row["new"]) if row["new"] is not None else None,
        published=row["published"],
        url=row["url"],
        evidence=row["evidence"],
        detected_at=row["detected_at"],
        run_id=row["run_id"],
        current_name=row["current_name"],
        id=row["id"],
        title=row["title"],
        facts=extra.get("facts", []),
        approx=row["approx"],
        old_approx=row["old_approx"],
    )


def list_changes(
    db: sqlite_utils.Database,
    since: str | None = None,
    run_id: int | None = None,
    pending: bool = False,
    report_id: int | None = None,
) -> list[Change]:
    """Recorded changes in detection order.

    `since` keeps changes detected at or after an ISO date or time; `run_id` those of
    one crawl; `pending` those no sent report has delivered; `report_id` those of one report.
    """
    where, params = [], []
    if since:
        where.append("c.detected_at >= ?")
        params.append(since)
    if run_id is not None:
        where.append("c.run_id = ?")
        params.append(run_id)
    if pending:
        where.append("c.report_id IS NULL")
    if report_id is not None:
        where.append("c.report_id = ?")
        params.append(report_id)
    sql = _SELECT + (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY c.id"
    cursor = db.execute(sql, params)
    columns = [d[0] for d in cursor.description]
    return [_change(dict(zip(columns, row))) for row in cursor.fetchall()]


def mark_reported(db: sqlite_utils.Database, change_ids: list[int], report_id: int) -> None:
    """Attach `change_ids` to the report that delivered them (inside the caller's transaction)."""
    db.conn.executemany("UPDATE changes SET report_id = ? WHERE id = ?", [(report_id, cid) for cid in change_ids])


def count_changes_after(db: sqlite_utils.Database, run_id: int) -> int:
    """How many changes runs newer than `run_id` recorded."""
    return db.execute("SELECT COUNT(*) FROM changes WHERE run_id > ?", [run_id]).fetchone()[0]
