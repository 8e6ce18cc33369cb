"""Entities, aliases and facts: what articles said, resolved to stable entity keys."""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import sqlite_utils

from storage.records import SET_VALUED, Entity, Extraction


def encode(value: Any) -> str:
    """The JSON form a value is stored and compared in."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def slot(attribute: str, value_json: str) -> str:
    """The current_facts slot of a value: '' for single-valued attributes, the value for sets."""
    return value_json if attribute in SET_VALUED else ""


def resolve(db: sqlite_utils.Database, name: str) -> int | None:
    """The id of the surviving entity that `name` (a key or any alias) belongs to."""
    row = db.execute("SELECT entity_id FROM aliases WHERE alias = ?", [name]).fetchone()
    if row is None:
        return None
    entity_id = row[0]
    while True:
        merged = db.execute("SELECT merged_into FROM entities WHERE id = ?", [entity_id]).fetchone()
        if merged is None or merged[0] is None:
            return entity_id
        entity_id = merged[0]


def known_aliases(db: sqlite_utils.Database) -> dict[str, str]:
    """Every name seen → the key of the surviving entity it belongs to (for the extractor)."""
    keys = {}
    rows = db.execute("SELECT id, name, merged_into FROM entities").fetchall()
    parent = {row[0]: row[2] for row in rows}
    name = {row[0]: row[1] for row in rows}

    def root(entity_id: int) -> int:
        while parent.get(entity_id):
            entity_id = parent[entity_id]
        return entity_id

    for alias, entity_id in db.execute("SELECT alias, entity_id FROM aliases"):
        keys[alias] = name[root(entity_id)]
    return keys


def add_alias(db: sqlite_utils.Database, alias: str, entity_id: int) -> None:
    """Point `alias` at `entity_id` unless the name already belongs to an entity."""
    db.execute("INSERT OR IGNORE INTO aliases (alias, entity_id) VALUES (?, ?)", [alias, entity_id])


def ensure_entity(db: sqlite_utils.Database, entity: Entity, *, run_id: int | None, article_id: int | None,
                  seen_at: str | None) -> int:
    """The id of `entity` (found by its name or any alias), created if it is new."""
    entity_id = None
    for name in (entity.name, *entity.aliases):
        entity_id = resolve(db, name)
        if entity_id is not None:
            break
    if entity_id is None:
        entity_id = db.execute(
            "INSERT INTO entities (name, current_name, kind, first_seen, first_run_id, first_article_id) "
            "VALUES (?, ?, ?, ?, ?, ?)", [entity.name, entity.name, entity.kind, seen_at, run_id, article_id]).lastrowid
    for alias in (entity.name, *entity.aliases):
        add_alias(db, alias, entity_id)
    return entity_id


def facts_of_article(db: sqlite_utils.Database, article_id: int) -> set[tuple[int, str, str]]:
    """(entity id, attribute, JSON value) of every fact stored from article `article_id`."""
    return set(db.execute("SELECT entity_id, attribute, value FROM facts WHERE article_id = ?", [article_id]))


def aliases_besides_keys(db: sqlite_utils.Database) -> set[str]:
    """Every alias that is not itself an entity key: names learnt beside the one first seen."""
    return {row[0] for row in db.execute("SELECT alias FROM aliases WHERE alias NOT IN (SELECT name FROM entities)")}


def record_extraction(db: sqlite_utils.Database, article_id: int, extraction: Extraction, run_id: int | None,
                      seen_at: str | None = None) -> list[int]:
    """Store the entities, aliases and facts of one article (inside the caller's transaction).

    Facts are stored undiffed; the monitor compares them with what was known at the end
    of the crawl. Returns the new fact ids.
    """
    ids: dict[str, int] = {}
    for entity in extraction.entities:
        ids[entity.name] = ensure_entity(db, entity, run_id=run_id, article_id=article_id, seen_at=seen_at)
    fact_ids = []
    for fact in extraction.facts:
        entity_id = ids.get(fact.entity) or ensure_entity(
            db, Entity(fact.entity), run_id=run_id, article_id=article_id, seen_at=seen_at)
        # A plain INSERT, not sqlite-utils' insert(), which checks the table before every row.
        fact_ids.append(db.execute(
            "INSERT INTO facts (entity_id, attribute, value, approx, evidence, published, url, article_id, run_id, "
            "diffed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            [entity_id, fact.attribute, encode(fact.value), fact.approx or "", fact.evidence, fact.published,
             fact.url, article_id, run_id]).lastrowid)
    return fact_ids


@dataclass
class CurrentFact:
    """A current fact as `dgwatch facts` prints it, with how many articles state it."""

    entity: str
    current_name: str
    attribute: str
    value: Any
    approx: str
    published: str | None
    url: str | None
    evidence: str | None
    sources: int

    def to_json(self) -> dict[str, Any]:
        """Spec section 2 fields, then the extras: current name and corroborating sources."""
        return {
            "entity": self.entity, "attribute": self.attribute, "value": self.value, "approx": self.approx,
            "published": self.published, "url": self.url, "evidence": self.evidence,
            "current_name": self.current_name, "sources": self.sources,
        }


def current_facts(db: sqlite_utils.Database, entity: str | None = None) -> list[CurrentFact]:
    """The current value of every (entity, attribute), optionally of one entity (any of its names)."""
    sql = """
        SELECT e.name, e.current_name, c.attribute, c.value, c.approx, c.published, f.url, f.evidence,
               (SELECT count(DISTINCT s.article_id) FROM facts s
                 WHERE s.entity_id = c.entity_id AND s.attribute = c.attribute AND s.value = c.value)
        FROM current_facts c JOIN entities e ON e.id = c.entity_id JOIN facts f ON f.id = c.fact_id
    """
    params: list[Any] = []
    if entity is not None:
        entity_id = resolve(db, entity)
        if entity_id is None:
            return []
        sql += " WHERE c.entity_id = ?"
        params.append(entity_id)
    sql += " ORDER BY e.id, c.attribute, c.slot"
    return [
        CurrentFact(name, current, attribute, json.loads(value), approx or "", published, url, evidence, sources)
        for name, current, attribute, value, approx, published, url, evidence, sources in db.execute(sql, params)
    ]


def list_entities(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every surviving entity with its kind, current name and aliases."""
    aliases: dict[int, list[str]] = {}
    for alias, entity_id in db.execute("SELECT alias, entity_id FROM aliases ORDER BY rowid"):
        aliases.setdefault(entity_id, []).append(alias)
    rows = db.execute("SELECT id, name, current_name, kind, first_seen, merged_into FROM entities ORDER BY id").fetchall()
    merged: dict[int, list[int]] = {}
    for entity_id, *_, merged_into in rows:
        if merged_into:
            merged.setdefault(merged_into, []).append(entity_id)

    def names(entity_id: int) -> list[str]:
        found = list(aliases.get(entity_id, []))
        for child in merged.get(entity_id, []):
            found += names(child)
        return found

    return [
        {"entity": name, "current_name": current, "kind": kind, "first_seen": first_seen,
         "aliases": [a for a in dict.fromkeys(names(entity_id)) if a != name]}
        for entity_id, name, current, kind, first_seen, merged_into in rows if not merged_into
    ]
