"""Re-read stored articles when a crawl teaches dgwatch a new name for a group.

An article about 哈特瑞姆心脏医疗集团 says nothing recognisable until the article saying
哈特瑞姆医生集团 was renamed to it has been read; within a crawl (pages are analysed in
any order) or across crawls, the article naming the new form may come first. Once the
name is known, articles that contain it are extracted again and the facts they had
missed are added, undiffed, for the diff to weigh like any other.
"""
from __future__ import annotations

import sqlite_utils

from storage.records import GROUP_SUFFIXES, Extraction
from storage.facts import encode, known_aliases, record_extraction, resolve


def refresh_for_new_names(db: sqlite_utils.Database, names: set[str], run_id: int | None) -> int:
    """Re-extract the original articles that mention any of `names`; returns how many facts were added."""
    if not names:
        return 0
    from crawler.facts import extract_facts  # loaded only when there is something to re-read

    known = known_aliases(db)
    article_ids: set[int] = set()
    for name in names:
        article_ids.update(row[0] for row in db.execute(
            "SELECT id FROM articles WHERE duplicate_of IS NULL AND instr(normalised, ?) > 0", [name]))
    added = 0
    with db.conn:
        for article_id in sorted(article_ids):
            normalised, published, url = db.execute(
                "SELECT normalised, published, url FROM articles WHERE id = ?", [article_id]).fetchone()
            extraction = extract_facts(normalised, published=published, url=url, known=known)
            have = {(entity_id, attribute, value) for entity_id, attribute, value in db.execute(
                "SELECT entity_id, attribute, value FROM facts WHERE article_id = ?", [article_id])}
            missing = [f for f in extraction.facts
                       if (resolve(db, f.entity), f.attribute, encode(f.value)) not in have]
            if missing:
                added += len(record_extraction(db, article_id, Extraction(extraction.entities, missing), run_id,
                                               published))
    return added


def names_added(db: sqlite_utils.Database, before: set[str]) -> set[str]:
    """Aliases stored now that were not in `before`.

    Only names the extractor cannot find on its own: a short name or a 医疗集团 name is
    recognised only once it is known, while entity keys and any other name with a
    section-1 ending (医生集团, 医师集团 …) were found and extracted the first time.
    """
    return {row[0] for row in db.execute(
        "SELECT alias FROM aliases WHERE alias NOT IN (SELECT name FROM entities)")
        if not row[0].endswith(GROUP_SUFFIXES)} - before


