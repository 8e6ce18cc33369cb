"""Rows for report and mail tests, written straight into a real dgwatch database."""
from __future__ import annotations

import json

import sqlite_utils

from storage.records import Change
from storage.changes import insert_changes
from storage.runs import start_run

SCRIPT = "<script>alert('x')</script>"


def add_change(
    db: sqlite_utils.Database,
    kind: str,
    entity: str,
    attribute: str | None = None,
    old=None,
    new=None,
    *,
    current_name: str | None = None,
    title: str = "医生集团新闻",
    url: str = "http://news.example.cn/1.html",
    published: str = "2022-03-01",
    evidence: str = "",
    facts: list[dict] | None = None,
    detected_at: str = "2026-01-10T08:00:00+00:00",
    approx: str = "",
    old_approx: str | None = None,
) -> int:
    """Insert one change with its entity, article and fact; returns the change id.

    With `old_approx`, an earlier fact stating `old` with that qualifier is stored too.
    """
    with db.conn:
        run_id = start_run(db, ["test"], started_at=detected_at)
        entity_row = db["entities"].rows_where("name = ?", [entity])
        found = next(iter(entity_row), None)
        if found:
            entity_id = found["id"]
            if current_name:
                db["entities"].update(entity_id, {"current_name": current_name})
        else:
            entity_id = db["entities"].insert(
                {"name": entity, "current_name": current_name or entity, "kind": "doctor_group", "first_seen": detected_at}
            ).last_pk
        article_id = db["articles"].insert(
            {"url": url + f"#{run_id}", "title": title, "published": published, "fetched_at": detected_at, "run_id": run_id}
        ).last_pk
        if old_approx is not None:
            db["facts"].insert({"entity_id": entity_id, "attribute": attribute, "value": json.dumps(old),
                                "approx": old_approx, "published": "2000-01-01", "run_id": run_id, "diffed": 1})
        fact_id = db["facts"].insert(
            {
                "entity_id": entity_id,
                "attribute": attribute or "doctors",
                "value": json.dumps(new, ensure_ascii=False),
                "approx": approx,
                "evidence": evidence,
                "published": published,
                "url": url,
                "article_id": article_id,
                "run_id": run_id,
                "diffed": 1,
            }
        ).last_pk
        change = Change(
            kind=kind, entity=entity, attribute=attribute, old=old, new=new, published=published,
            url=url, evidence=evidence, detected_at=detected_at, run_id=run_id, facts=facts or [],
        )
        (change_id,) = insert_changes(db, [change], {entity: entity_id}, {id(change): fact_id})
    return change_id


def sample_changes(db: sqlite_utils.Database) -> list[int]:
    """Five changes over three groups, detected in an order unlike report order."""
    return [
        add_change(db, "new_fact", "张强医生集团", "founder", None, "张强", title="张强医生集团专访",
                   url="http://news.example.cn/zq/1.html", evidence="张强医生集团由张强医生创办。"),
        add_change(db, "changed", "哈特瑞姆医生集团", "partner_hospitals", 33, 40, title="合作医院增至40家",
                   url="http://news.example.cn/ht/2.html", published="2022-03-01",
                   evidence="哈特瑞姆目前已有40家合作医院。", current_name="哈特瑞姆心脏医疗集团"),
        add_change(db, "renamed", "哈特瑞姆医生集团", "renamed_to", "哈特瑞姆医生集团", "哈特瑞姆心脏医疗集团",
                   title="哈特瑞姆更名", url="http://news.example.cn/ht/3.html", published="2022-05-01",
                   evidence="哈特瑞姆医生集团正式更名为哈特瑞姆心脏医疗集团。"),
        add_change(db, "new_entity", "星海医生集团", None, None, "星海医生集团", title="星海医生集团成立",
                   url="http://news.example.cn/xh/4.html", published="2015-06-01",
                   evidence="星海医生集团成立于2015年，拥有120名医生。",
                   facts=[{"attribute": "founded", "value": "2015", "approx": "", "evidence": "成立于2015年"},
                          {"attribute": "doctors", "value": 120, "approx": "more_than", "evidence": "拥有120多名医生"}]),
        add_change(db, "changed", "张强医生集团", "doctors", 100, 150, title=f"张强医生集团 {SCRIPT}",
                   url="http://news.example.cn/zq/5.html", evidence=f"医生人数达到150名{SCRIPT}"),
    ]


def add_history(db: sqlite_utils.Database, entity: str, attribute: str, points: list[tuple[str, int]]) -> None:
    """Earlier facts about `entity` (which must exist): `attribute` was `value` on each `published` date."""
    with db.conn:
        entity_id = db.execute("SELECT id FROM entities WHERE name = ?", [entity]).fetchone()[0]
        for published, value in points:
            db["facts"].insert({"entity_id": entity_id, "attribute": attribute, "value": json.dumps(value),
                                "published": published, "diffed": 1})
