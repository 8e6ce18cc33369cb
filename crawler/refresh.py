"""Re-read stored articles when a crawl teaches dgwatch a new name for a group.

An article about 哈特瑞姆心脏医疗集团 says nothing recognisable until the article saying
哈特瑞姆医生集团 was renamed to it has been read; within a crawl (pages are analysed in
any order) or across crawls, the article naming the new form may come first. Once the
name is known, articles that contain it are extracted again and the facts they had
missed are added, undiffed, for the diff to weigh like any other.
"""
from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

import sqlite_utils

from storage.articles import StoredText, originals_mentioning
from storage.facts import aliases_besides_keys, encode, facts_of_article, known_aliases, record_extraction, resolve
from storage.records import GROUP_SUFFIXES, Extraction

log = logging.getLogger(__name__)

# Extracts the facts of stored articles with the names given (alias → canonical), each
# article paired with its extraction, in their order: here by default, or in a crawl's
# analysing worker (crawler.workers.extract_all_in_pool).
ExtractAll = Callable[[Iterable[StoredText], dict[str, str]], Iterator[tuple[StoredText, Extraction]]]


@dataclass(frozen=True)
class Refreshed:
    """What a refresh did: articles it read again, facts it added."""

    reread: int = 0
    added: int = 0


def own_mentions(names: set[str], known: Iterable[str]) -> re.Pattern:
    """A pattern finding `names` and every known name that contains one of them, longest first.

    The extractor reads the longest known name first, so a new name read only inside a
    known longer one (信峰 in 信峰胸外科医生集团) teaches it nothing about the article:
    only a match that is one of `names` is a mention of its own.
    """
    forms = set(names) | {form for form in known if any(name in form for name in names)}
    return re.compile("|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True)))


def mentions_alone(text: str, pattern: re.Pattern, names: set[str]) -> bool:
    """Whether `text` names one of `names` other than inside a longer known name (own_mentions)."""
    return any(match.group() in names for match in pattern.finditer(text))


def extract_here(articles: Iterable[StoredText], known: dict[str, str]) -> Iterator[tuple[StoredText, Extraction]]:
    """ExtractAll in this process, the names indexed once for all the articles."""
    # Loaded only when there is something to re-read.
    from crawler.facts import extract_facts
    from crawler.facts.entities import KnownNames

    index = KnownNames(known)
    for article in articles:
        yield article, extract_facts(article.normalised, published=article.published, url=article.url, known=index)


def refresh_for_new_names(db: sqlite_utils.Database, names: set[str], run_id: int | None,
                          extract_all: ExtractAll = extract_here) -> Refreshed:
    """Re-extract the original articles that mention any of `names` on their own and add
    the facts they had missed.

    An article where each of `names` is read only inside a longer known name is not read
    again: its facts would be the same (over the 21,794 articles of a 50,000-article crawl
    holding one of its 67 new short names, the 17,502 skipped gave not one fact more or
    less). `extract_all` extracts here by default; a crawl passes one that runs in its
    analysing worker, where the extractor is loaded already, while this process stores.
    """
    if not names:
        return Refreshed()
    known = known_aliases(db)
    pattern = own_mentions(names, set(known) | set(known.values()))
    articles = (article for article in originals_mentioning(db, names)
                if mentions_alone(article.normalised, pattern, names))
    reread = added = 0
    with db.conn:
        for article, extraction in extract_all(articles, known):
            reread += 1
            have = facts_of_article(db, article.id)
            missing = [f for f in extraction.facts
                       if (resolve(db, f.entity), f.attribute, encode(f.value)) not in have]
            if missing:
                added += len(record_extraction(db, article.id, Extraction(extraction.entities, missing), run_id,
                                               article.published))
    log.info("%d new names (%s): %d articles read again, %d facts added",
             len(names), "、".join(sorted(names)[:5]) + (" …" if len(names) > 5 else ""), reread, added)
    return Refreshed(reread, added)


def names_added(db: sqlite_utils.Database, before: set[str]) -> set[str]:
    """Aliases stored now that were not in `before`.

    Only names the extractor cannot find on its own: a short name or a 医疗集团 name is
    recognised only once it is known, while entity keys and any other name with a
    section-1 ending (医生集团, 医师集团 …) were found and extracted the first time.
    """
    return {alias for alias in aliases_besides_keys(db) if not alias.endswith(GROUP_SUFFIXES)} - before
