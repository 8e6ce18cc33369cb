"""Re-read stored articles when a crawl teaches dgwatch a new name for a group.

An article about 哈特瑞姆心脏医疗集团 says nothing recognisable until the article saying
哈特瑞姆医生集团 was renamed to it has been read; within a crawl (pages are analysed in
any order) or across crawls, the article naming the new form may come first. Once the
name is known, articles that contain it are extracted again and the facts they had
missed are added, undiffed, for the diff to weigh like any other.
"""
from __future__ import annotations

from typing import Callable

import sqlite_utils

from storage.articles import originals_mentioning
from storage.facts import aliases_besides_keys, encode, facts_of_article, known_aliases, record_extraction, resolve
from storage.records import GROUP_SUFFIXES, Extraction

# extract_facts' signature: (normalised text, published=, url=, known=) -> Extraction.
Extract = Callable[..., Extraction]


def refresh_for_new_names(db: sqlite_utils.Database, names: set[str], run_id: int | None,
                          extract: Extract | None = None) -> int:
    """Re-extract the original articles that mention any of `names`; returns how many facts were added.

    `extract` defaults to crawler.facts.extract_facts in this process; a crawl passes one
    that runs in its analysing worker, where the extractor is loaded already.
    """
    if not names:
        return 0
    known = known_aliases(db)
    if extract is None:
        # Loaded only when there is something to re-read, here; the names indexed once for
        # all the articles (a worker's extract indexes them on its side).
        from crawler.facts import extract_facts as extract
        from crawler.facts.entities import KnownNames

        known = KnownNames(known)
    added = 0
    with db.conn:
        for article in originals_mentioning(db, names):
            extraction = extract(article.normalised, published=article.published, url=article.url, known=known)
            have = facts_of_article(db, article.id)
            missing = [f for f in extraction.facts
                       if (resolve(db, f.entity), f.attribute, encode(f.value)) not in have]
            if missing:
                added += len(record_extraction(db, article.id, Extraction(extraction.entities, missing), run_id,
                                               article.published))
    return added


def names_added(db: sqlite_utils.Database, before: set[str]) -> set[str]:
    """Aliases stored now that were not in `before`.

    Only names the extractor cannot find on its own: a short name or a 医疗集团 name is
    recognised only once it is known, while entity keys and any other name with a
    section-1 ending (医生集团, 医师集团 …) were found and extracted the first time.
    """
    return {alias for alias in aliases_besides_keys(db) if not alias.endswith(GROUP_SUFFIXES)} - before
