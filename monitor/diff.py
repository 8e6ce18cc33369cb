"""Spec section 4: compare a crawl's new facts with what was known and record the changes.

`diff_facts` is the pure core: pending facts and the current facts of the slots they
touch in, current facts and changes out. `diff_pending` does the I/O around it: rename
merges first, then the core, then one transaction that writes changes and current facts
and marks the facts diffed — so a crawl killed before its diff is diffed by the next.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from storage.records import Change
from storage.changes import insert_changes
from storage.facts import add_alias, resolve, slot
from storage.runs import utcnow

SlotKey = tuple[int, str, str]  # entity id, attribute, slot


@dataclass(frozen=True)
class StoredFact:
    """A fact row as the diff sees it."""

    fact_id: int
    entity_id: int
    attribute: str
    value_json: str
    approx: str
    published: str | None
    url: str | None = None
    evidence: str | None = None

    @property
    def key(self) -> SlotKey:
        return (self.entity_id, self.attribute, slot(self.attribute, self.value_json))

    @property
    def rank(self) -> tuple[str, str]:
        """Recency order: later publication wins; undated is oldest; ties go to the larger value
        so that the outcome never depends on the order articles arrived in."""
        return (self.published or "", self.value_json)


@dataclass
class DiffResult:
    """What a diff decided: the slots whose current fact moved and the changes to record."""

    current: dict[SlotKey, StoredFact]
    changes: list[tuple[str, StoredFact, StoredFact | None]] = field(default_factory=list)  # kind, new, old
    new_entities: dict[int, list[StoredFact]] = field(default_factory=dict)


def diff_facts(pending: list[StoredFact], current: dict[SlotKey, StoredFact], new_entities: set[int]) -> DiffResult:
    """Fold `pending` into `current` and say what changed (pure).

    One change per slot per diff, from the value before to the value after; a value
    that was current and is restated only corroborates; an older article's different
    value becomes history. Entities in `new_entities` get no per-fact changes: their
    facts travel with their new_entity change.
    """
    after = dict(current)
    for fact in sorted(pending, key=lambda f: (f.rank, f.fact_id)):
        held = after.get(fact.key)
        if held is None or fact.rank >= held.rank:
            after[fact.key] = fact
    result = DiffResult(current={k: v for k, v in after.items() if current.get(k) is not v})
    touched = sorted({fact.key for fact in pending})
    for key in touched:
        entity_id, attribute, _ = key
        new, old = after[key], current.get(key)
        if entity_id in new_entities:
            result.new_entities.setdefault(entity_id, []).append(new)
            continue
        if old is not None and old.value_json == new.value_json:
            continue
        kind = "renamed" if attribute == "renamed_to" else ("new_fact" if old is None else "changed")
        result.changes.append((kind, new, old))
    for entity_id in new_entities:
        result.new_entities.setdefault(entity_id, [])
    return result


def _fact(row: tuple) -> StoredFact:
    return StoredFact(*row)


_FACT_COLUMNS = "f.id, f.entity_id, f.attribute, f.value, f.approx, f.published, f.url, f.evidence"
_CURRENT_OF = f"SELECT {_FACT_COLUMNS} FROM current_facts c JOIN facts f ON f.id = c.fact_id WHERE c.entity_id = ?"


def _merge(db: sqlite_utils.Database, keep: int, gone: int) -> None:
    """Fold entity `gone` into `keep`: aliases, facts, current facts and changes move over."""
    for table in ("aliases", "facts", "changes"):
        db.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?", [keep, gone])
    db.execute("UPDATE entities SET merged_into = ? WHERE merged_into = ?", [keep, gone])
    db.execute("UPDATE entities SET merged_into = ? WHERE id = ?", [keep, gone])
    moved = [_fact(row) for row in db.execute(_CURRENT_OF, [gone]).fetchall()]
    held = {fact.key: fact for fact in map(_fact, db.execute(_CURRENT_OF, [keep]).fetchall())}
    db.execute("DELETE FROM current_facts WHERE entity_id = ?", [gone])
    for fact in moved:  # facts rows already point at `keep`, so their keys are keep's slots
        if fact.key not in held or fact.rank > held[fact.key].rank:
            _set_current(db, fact)


def _set_current(db: sqlite_utils.Database, fact: StoredFact) -> None:
    entity_id, attribute, slot_value = fact.key
    db.execute(
        "INSERT OR REPLACE INTO current_facts (entity_id, attribute, slot, value, approx, fact_id, published)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [entity_id, attribute, slot_value, fact.value_json, fact.approx, fact.fact_id, fact.published],
    )


def _apply_renames(db: sqlite_utils.Database, pending: list[StoredFact]) -> None:
    """Make each new name an alias of the renamed entity, merging it if it was known apart."""
    for fact in sorted((f for f in pending if f.attribute == "renamed_to"), key=lambda f: (f.rank, f.fact_id)):
        subject = resolve(db, _entity_name(db, fact.entity_id)) or fact.entity_id
        new_name = json.loads(fact.value_json)
        other = resolve(db, new_name)
        if other is None:
            add_alias(db, new_name, subject)
        elif other != subject:
            keep, gone = sorted((subject, other))
            _merge(db, keep, gone)


def _entity_name(db: sqlite_utils.Database, entity_id: int) -> str:
    return db.execute("SELECT name FROM entities WHERE id = ?", [entity_id]).fetchone()[0]


def _load_pending(db: sqlite_utils.Database) -> list[StoredFact]:
    return [_fact(r) for r in db.execute(f"SELECT {_FACT_COLUMNS} FROM facts f WHERE f.diffed = 0 ORDER BY f.id")]


def _load_current(db: sqlite_utils.Database, pending: list[StoredFact]) -> dict[SlotKey, StoredFact]:
    current: dict[SlotKey, StoredFact] = {}
    for entity_id, attribute in sorted({(f.entity_id, f.attribute) for f in pending}):
        for row in db.execute(_CURRENT_OF + " AND c.attribute = ?", [entity_id, attribute]):
            fact = _fact(row)
            current[fact.key] = fact
    return current


def _value(fact: StoredFact | None) -> Any:
    return json.loads(fact.value_json) if fact is not None else None


def diff_pending(db: sqlite_utils.Database, run_id: int | None, detected_at: str | None = None) -> list[Change]:
    """Diff every undiffed fact against the current facts and record the changes of run `run_id`."""
    detected_at = detected_at or utcnow()
    with db.conn:
        pending = _load_pending(db)
        _apply_renames(db, pending)
        pending = _load_pending(db)  # merges may have moved facts to another entity
        new_entities = {r[0] for r in db.execute(
            "SELECT id FROM entities WHERE announced_run_id IS NULL AND merged_into IS NULL")}
        result = diff_facts(pending, _load_current(db, pending), new_entities)
        for fact in result.current.values():
            _set_current(db, fact)
        names = _names(db, set(result.new_entities) | {new.entity_id for _, new, _ in result.changes})
        changes: list[Change] = []
        fact_ids: dict[int, int] = {}
        for entity_id, facts in sorted(result.new_entities.items()):
            first = db.execute(
                "SELECT a.url, a.published, a.title FROM entities e LEFT JOIN articles a ON a.id = e.first_article_id"
                " WHERE e.id = ?", [entity_id]).fetchone()
            changes.append(Change(
                kind="new_entity", entity=names[entity_id][0], attribute=None, old=None, new=names[entity_id][0],
                published=first[1], url=first[0], evidence=None, detected_at=detected_at, run_id=run_id,
                facts=[{"attribute": f.attribute, "value": _value(f), "approx": f.approx,
                        "published": f.published, "url": f.url, "evidence": f.evidence}
                       for f in sorted(facts, key=lambda f: (f.attribute, f.value_json))],
            ))
        for kind, new, old in result.changes:
            entity = names[new.entity_id][0]
            old_value = _value(old) if kind != "renamed" or old is not None else names[new.entity_id][1]
            change = Change(kind=kind, entity=entity, attribute=new.attribute, old=old_value, new=_value(new),
                            published=new.published, url=new.url, evidence=new.evidence,
                            detected_at=detected_at, run_id=run_id)
            fact_ids[id(change)] = new.fact_id
            changes.append(change)
        _update_current_names(db, {f.entity_id for f in pending if f.attribute == "renamed_to"})
        entity_ids = {name: entity_id for entity_id, (name, _) in names.items()}
        insert_changes(db, changes, entity_ids, fact_ids)
        db.conn.executemany("UPDATE entities SET announced_run_id = ? WHERE id = ?",
                            [(run_id if run_id is not None else 0, e) for e in result.new_entities])
        db.conn.executemany("UPDATE facts SET diffed = 1 WHERE id = ?", [(f.fact_id,) for f in pending])
    for change in changes:
        change.current_name = _current_name(db, change.entity)
    return changes


def _names(db: sqlite_utils.Database, entity_ids: set[int]) -> dict[int, tuple[str, str]]:
    """Key and current name of `entity_ids` only: the diff's cost follows its changes, not the table."""
    names = {}
    for entity_id in entity_ids:
        name, current = db.execute("SELECT name, current_name FROM entities WHERE id = ?", [entity_id]).fetchone()
        names[entity_id] = (name, current)
    return names


def _update_current_names(db: sqlite_utils.Database, entity_ids: set[int]) -> None:
    """An entity's current name is its current renamed_to value, else its key."""
    for entity_id in entity_ids:
        row = db.execute("SELECT value FROM current_facts WHERE entity_id = ? AND attribute = 'renamed_to'",
                         [entity_id]).fetchone()
        if row is not None:
            db.execute("UPDATE entities SET current_name = ? WHERE id = ?", [json.loads(row[0]), entity_id])


def _current_name(db: sqlite_utils.Database, name: str) -> str:
    row = db.execute("SELECT current_name FROM entities WHERE name = ?", [name]).fetchone()
    return row[0] if row else name
