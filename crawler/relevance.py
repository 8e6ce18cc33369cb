"""Whether a page is about doctor groups: the relevance filter of a source's `keywords`.

Pure. The check reads the page's normalised body and title, after chrome removal: a
portal's sidebar naming a doctor group does not make every page relevant, and a
traditional-character page matches simplified keywords (醫生集團 → 医生集团).
"""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Callable

from crawler.normalise import normalise
from storage.records import GROUP_SUFFIXES, Page


# A doctor group renamed to a 医疗集团 is news under its new name only, and that name may be
# learnt in the very crawl that fetches the article (pages are judged with the names known
# as the crawl starts): every 医疗集团 is kept, for the fact extractor to decide.
_ENDINGS = GROUP_SUFFIXES + ("医疗集团",)


def default_keywords(known: dict[str, str]) -> tuple[str, ...]:
    """The doctor-group name endings and 医疗集团, and every known name that ends in none of
    them (a short name introduced by 以下简称): the others contain an ending already."""
    return _ENDINGS + tuple(sorted(name for name in known if not name.endswith(_ENDINGS)))


@lru_cache(maxsize=16)
def _matcher(keywords: tuple[str, ...]) -> Callable[[str], re.Match | None]:
    # Longest first, so an alternation tries the most specific keyword first.
    words = sorted({normalise(word) for word in keywords if word.strip()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, words))).search


def is_relevant(page: Page, keywords: tuple[str, ...]) -> bool:
    """True if the page's normalised body or title contains any of `keywords` (normalised too)."""
    search = _matcher(keywords)
    return bool(search(page.normalised) or (page.title and search(normalise(page.title))))
