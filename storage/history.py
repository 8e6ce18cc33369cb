"""Every dated value ever stated for an entity's attributes: the data behind the report's timelines."""
from __future__ import annotations

import json

import sqlite_utils

_HISTORY = """
WITH RECURSIVE family(id, root) AS (
    SELECT id, name FROM entities WHERE name IN ({names})
    UNION SELECT e.id, family.root FROM entities e JOIN family ON e.merged_into = family.id
)
SELECT family.root, f.attribute, f.published, f.value
FROM facts f JOIN family ON family.id = f.entity_id
LEFT JOIN articles a ON a.id = f.article_id
WHERE f.attribute IN ({attributes}) AND f.published IS NOT NULL AND a.duplicate_of IS NULL
ORDER BY family.root, f.attribute, f.published, f.id
"""


def dated_values(db: sqlite_utils.Database, entities: list[str], attributes: tuple[str, ...]
                 ) -> dict[str, dict[str, list[tuple[str, int]]]]:
    """entity key → attribute → [(published, value)] in date order, for integer values.

    Facts of entities merged into a key (a rename) count as the key's; near-duplicate
    articles are left out; where one date has several values, the last stored wins.
    """
    if not entities or not attributes:
        return {}
    sql = _HISTORY.format(names=", ".join("?" * len(entities)), attributes=", ".join("?" * len(attributes)))
    found: dict[str, dict[str, dict[str, int]]] = {}
    for root, attribute, published, value in db.execute(sql, [*entities, *attributes]):
        number = json.loads(value)
        if isinstance(number, int) and not isinstance(number, bool):
            found.setdefault(root, {}).setdefault(attribute, {})[published] = number
    return {root: {attribute: sorted(by_date.items()) for attribute, by_date in attrs.items()}
            for root, attrs in found.items()}
