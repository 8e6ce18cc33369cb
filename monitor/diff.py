"""Spec section 4: compare a crawl's new facts with what was known and record the changes.

`diff_facts` is the pure core: pending facts and the current facts of the slots they
touch in, current facts and changes out; `changes_of` turns its outcome into change
records. `diff_pending` runs them between storage's reads and writes (storage.current):
rename merges first, then the core, then changes, current facts and the diffed marks,
all in one write transaction — so a crawl killed before its diff is diffed by the next.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import sqlite_utils

from storage.current import (EntityInfo, SlotKey, StoredFact, apply_renames, current_name, current_of, entity_info,
                             pending_facts, record_diff, set_current, unannounced_entities)
from storage.db import write_transaction
from storage.records import Change
from storage.runs import utcnow


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


def diff_pending(db: sqlite_utils.Database, run_id: int | None, detected_at: str | None = None) -> list[Change]:
    """Diff every undiffed fact against the current facts and record the changes of run `run_id`.

    Reads and writes in one write transaction, so two processes can never both diff
    the same pending facts; a crawl killed before its diff leaves them for the next.
    """
    detected_at = detected_at or utcnow()
    with write_transaction(db):
        pending = pending_facts(db)
        renames = sorted((f for f in pending if f.attribute == "renamed_to"), key=lambda f: (f.rank, f.fact_id))
        if renames:
            apply_renames(db, renames)
            pending = pending_facts(db)  # merges may have moved facts to another entity
        result = diff_facts(pending, current_of(db, pending), unannounced_entities(db))
        set_current(db, result.current.values())
        info = entity_info(db, set(result.new_entities) | {new.entity_id for _, new, _ in result.changes})
        changes = changes_of(result, info, run_id, detected_at)
        record_diff(db, changes, result.new_entities, pending,
                    {f.entity_id for f in pending if f.attribute == "renamed_to"}, run_id)
    for change, _, _ in changes:
        change.current_name = current_name(db, change.entity)
    return [change for change, _, _ in changes]


def changes_of(result: DiffResult, info: dict[int, EntityInfo], run_id: int | None,
               detected_at: str) -> list[tuple[Change, int, int | None]]:
    """The change records of a diff (pure): each with its entity's id and the id of the fact that raised it."""
    changes: list[tuple[Change, int, int | None]] = []
    for entity_id, facts in sorted(result.new_entities.items()):
        entity = info[entity_id]
        changes.append((Change(
            kind="new_entity", entity=entity.name, attribute=None, old=None, new=entity.name,
            published=entity.first_published, url=entity.first_url, evidence=None, detected_at=detected_at,
            run_id=run_id,
            facts=[{"attribute": f.attribute, "value": f.value, "approx": f.approx,
                    "published": f.published, "url": f.url, "evidence": f.evidence}
                   for f in sorted(facts, key=lambda f: (f.attribute, f.value_json))],
        ), entity_id, None))
    for kind, new, old in result.changes:
        entity = info[new.entity_id]
        # A first rename has no old renamed_to value: the name before it is the entity's current name.
        old_value = old.value if old is not None else (entity.current_name if kind == "renamed" else None)
        changes.append((Change(kind=kind, entity=entity.name, attribute=new.attribute, old=old_value,
                               new=new.value, published=new.published, url=new.url, evidence=new.evidence,
                               detected_at=detected_at, run_id=run_id), new.entity_id, new.fact_id))
    return changes
