"""Everything done to one fetched page that needs no database: pure, so it can run in a worker."""
from __future__ import annotations

from dataclasses import replace
from datetime import date

from crawler.dedup import with_fingerprint
from crawler.facts import extract_facts
from crawler.facts.entities import KnownNames
from crawler.items import FetchedPage
from crawler.process import process_page
from crawler.relevance import default_keywords, is_relevant
from storage.records import Analysed, Extraction


def analyse(fetched: FetchedPage, known: dict[str, str] | None = None, crawled_at: date | None = None, *,
            fingerprinted: bool = True, keywords: tuple[str, ...] | None = None) -> Analysed:
    """Run the pure chain on one fetched page; raises DgwatchError subclasses for bad pages.

    `crawled_at` (default: today, read here at the worker's edge) bounds the publication date.
    A page that names none of its source's keywords is not fingerprinted or read for
    facts: it comes back not `relevant`, to be recorded as seen without its text.
    Without `fingerprinted`, a relevant page comes back without its fingerprint, for the
    caller to add (crawler.dedup.with_fingerprint). `keywords` are the default ones for
    `known` (crawler.relevance.default_keywords), when the caller has them already.
    """
    page = process_page(fetched.body, fetched.final_url, fetched.content_type, fetched.encoding,
                        crawled_at or date.today())
    page.url = fetched.url
    if not fetched.keep_all and not is_relevant(page, fetched.keywords or keywords or default_keywords(known or {})):
        # Its text is not kept, so it need not travel back from the worker either.
        return Analysed(page=replace(page, text="", normalised=""), fingerprint=b"", bands=[],
                        extraction=Extraction(), relevant=False)
    extraction = extract_facts(page.normalised, published=page.published, url=fetched.url, known=known)
    analysed = Analysed(page=page, fingerprint=b"", bands=[], extraction=extraction)
    return with_fingerprint(analysed) if fingerprinted else analysed


def reading_names(known: dict[str, str] | None) -> tuple[KnownNames, tuple[str, ...]]:
    """`known` made ready for reading many pages with it, once: indexed (KnownNames), and the
    default relevance keywords it makes (sorted; an archive knows thousands of names)."""
    names = KnownNames.of(known)
    return names, default_keywords(names)


def warm_up() -> None:
    """Load the extractor's dictionaries and tables once per worker, before the first page."""
    analyse(FetchedPage(url="warm-up", final_url="warm-up", source="", body="星海医生集团成立于2015年,拥有医生50名。".encode(),
                        content_type="text/plain", encoding="utf-8", etag=None, last_modified=None),
            fingerprinted=False)
