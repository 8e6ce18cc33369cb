"""Everything done to one fetched page that needs no database: pure, so it can run in a worker."""
from __future__ import annotations

from dataclasses import dataclass

from crawler.dedup import fingerprint
from crawler.facts import extract_facts
from crawler.items import FetchedPage
from crawler.process import process_page
from crawler.records import Extraction, Page


@dataclass
class Analysed:
    """A page after decoding, extraction, normalisation, fingerprinting and fact extraction."""

    page: Page
    fingerprint: bytes
    extraction: Extraction


def analyse(fetched: FetchedPage, known: dict[str, str] | None = None) -> Analysed:
    """Run the pure chain on one fetched page; raises DgwatchError subclasses for bad pages."""
    page = process_page(fetched.body, fetched.final_url, fetched.content_type, fetched.encoding)
    page.url = fetched.url
    extraction = extract_facts(page.normalised, published=page.published, url=fetched.url, known=known)
    return Analysed(page=page, fingerprint=fingerprint(page.normalised), extraction=extraction)


def warm_up() -> None:
    """Load the extractor's dictionaries and tables once per worker, before the first page."""
    analyse(FetchedPage(url="warm-up", final_url="warm-up", source="", body="星海医生集团成立于2015年,拥有医生50名。".encode(),
                        content_type="text/plain", encoding="utf-8", etag=None, last_modified=None))


# The names known when the crawl started, set once in each worker process.
_START_NAMES: dict[str, str] = {}


def start_worker(known: dict[str, str]) -> None:
    """Initialise an analysing worker process: the crawl's starting names, then warm up."""
    _START_NAMES.update(known)
    warm_up()


def analyse_in_worker(fetched: FetchedPage) -> Analysed:
    """analyse() with the names the worker was started with: a task carries only its page."""
    return analyse(fetched, _START_NAMES)
