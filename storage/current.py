"""Current facts and the diff's reads and writes (spec section 4).

The monitor decides what changed (monitor.diff.diff_facts, pure); this module loads
what it decides on — the undiffed facts, the current facts of the slots they touch,
the entities not yet announced — and writes its outcome: merges for renames, current
facts, change rows, and the diffed marks, all inside the caller's write transaction.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable

import sqlite_utils

from storage.changes import insert_changes
from storage.facts import add_alias, resolve, slot
from storage.records import Change

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

    @property
    def value(self) -> Any:
        return json.loads(self.value_json)


@dataclass(frozen=True)
class EntityInfo:
    """What a change row shows of an entity: its key, its current name, and the article that introduced it."""

    name: str
    current_name: str
    first_url: str | None = None
    first_published: str | None = None


_FACT_COLUMNS = "f.id, f.entity_id, f.attribute, f.value, f.approx, f.published, f.url, f.evidence"
_CURRENT_OF = f"SELECT {_FACT_COLUMNS} FROM current_facts c JOIN facts f ON f.id = c.fact_id WHERE c.entity_id = ?"


def pending_facts(db: sqlite_utils.Database) -> list[StoredFact]:
    """Every fact not yet diffed, in the order it was stored."""
    return [StoredFact(*row) for row in db.execute(f"SELECT {_FACT_COLUMNS} FROM facts f WHERE f.diffed = 0 ORDER BY f.id")]


def current_of(db: sqlite_utils.Database, facts: Iterable[StoredFact]) -> dict[SlotKey, StoredFact]:
    """The current facts of the (entity, attribute) pairs `facts` touch: the diff's cost follows its input."""
    current: dict[SlotKey, StoredFact] = {}
    for entity_id, attribute in sorted({(f.entity_id, f.attribute) for f in facts}):
        for row in db.execute(_CURRENT_OF + " AND c.attribute = ?", [entity_id, attribute]):
            fact = StoredFact(*row)
            current[fact.key] = fact
    return current


def unannounced_entities(db: sqlite_utils.Database) -> set[int]:
    """Entities no change has announced yet (and not merged into another)."""
    return {row[0] for row in db.execute(
        "SELECT id FROM entities WHERE announced_run_id IS NULL AND merged_into IS NULL")}


def apply_renames(db: sqlite_utils.Database, renames: Iterable[StoredFact]) -> None:
    """Make each new name an alias of the renamed entity, merging the two if it was known apart."""
    for fact in renames:
        name = db.execute("SELECT name FROM entities WHERE id = ?", [fact.entity_id]).fetchone()[0]
        subject = resolve(db, name) or fact.entity_id
        other = resolve(db, fact.value)
        if other is None:
            add_alias(db, fact.value, subject)
        elif other != subject:
            keep, gone = sorted((subject, other))
            _merge(db, keep, gone)


def _merge(db: sqlite_utils.Database, keep: int, gone: int) -> None:
    """Fold entity `gone` into `keep`: aliases, facts, current facts and changes move over."""
    for table in ("aliases", "facts", "changes"):
        db.execute(f"UPDATE {table} SET entity_id = ? WHERE entity_id = ?", [keep, gone])
    db.execute("UPDATE entities SET merged_into = ? WHERE merged_into = ?", [keep, gone])
    db.execute("UPDATE entities SET merged_into = ? WHERE id = ?", [keep, gone])
    moved = [StoredFact(*row) for row in db.execute(_CURRENT_OF, [gone]).fetchall()]
    held = {fact.key: fact for fact in (StoredFact(*row) for row in db.execute(_CURRENT_OF, [keep]).fetchall())}
    db.execute("DELETE FROM current_facts WHERE entity_id = ?", [gone])
    for fact in moved:  # facts rows already point at `keep`, so their keys are keep's slots
        if fact.key not in held or fact.rank > held[fact.key].rank:
            set_current(db, [fact])


def set_current(db: sqlite_utils.Database, facts: Iterable[StoredFact]) -> None:
    """Make each of `facts` the current fact of its slot."""
    db.conn.executemany(
        "INSERT OR REPLACE INTO current_facts (entity_id, attribute, slot, value, approx, fact_id, published)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [(*fact.key, fact.value_json, fact.approx, fact.fact_id, fact.published) for fact in facts])


def entity_info(db: sqlite_utils.Database, entity_ids: Iterable[int]) -> dict[int, EntityInfo]:
    """Key, current name and first article of `entity_ids` only: the diff's cost follows its changes."""
    info = {}
    for entity_id in entity_ids:
        info[entity_id] = EntityInfo(*db.execute(
            "SELECT e.name, e.current_name, a.url, a.published FROM entities e"
            " LEFT JOIN articles a ON a.id = e.first_article_id WHERE e.id = ?", [entity_id]).fetchone())
    return info


def record_diff(db: sqlite_utils.Database, changes: list[tuple[Change, int, int | None]], announced: Iterable[int],
                diffed: Iterable[StoredFact], renamed: Iterable[int], run_id: int | None) -> None:
    """Write a diff's outcome (inside the caller's write transaction).

    `changes` are (change, entity id, id of the fact that raised it); `announced` the
    entities a new_entity change now announces; `diffed` the facts this diff weighed;
    `renamed` the entities whose current name follows their current renamed_to value.
    """
    insert_changes(db, [change for change, _, _ in changes], {c.entity: e for c, e, _ in changes},
                   {id(c): fact_id for c, _, fact_id in changes if fact_id is not None})
    db.conn.executemany("UPDATE entities SET announced_run_id = ? WHERE id = ?",
                        [(run_id if run_id is not None else 0, e) for e in announced])
    db.conn.executemany("UPDATE facts SET diffed = 1 WHERE id = ?", [(f.fact_id,) for f in diffed])
    for entity_id in renamed:
        row = db.execute("SELECT value FROM current_facts WHERE entity_id = ? AND attribute = 'renamed_to'",
                         [entity_id]).fetchone()
        if row is not None:
            db.execute("UPDATE entities SET current_name = ? WHERE id = ?", [json.loads(row[0]), entity_id])


def current_name(db: sqlite_utils.Database, name: str) -> str:
    """The current name of the entity keyed `name` (the key itself when it was never renamed)."""
    row = db.execute("SELECT current_name FROM entities WHERE name = ?", [name]).fetchone()
    return row[0] if row else name
