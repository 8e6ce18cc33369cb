"""Score body extraction on the real news pages of ../shared/corpus/pages, dgwatch beside single extractors.

For each page of the gold file and each extractor, the extracted text (HTML entities
decoded, runs of whitespace collapsed to one space, as the gold strings were written)
is checked for (see check() for how line breaks count)
- body: both gold `body_first` and `body_last` in it (the whole article kept);
- clean: none of the gold `chrome` strings in it (no navigation, editor lines, related links);
- title: the extracted title equals the gold headline;
- date: the extracted date equals the gold `published` (None where the page shows none);
and each extractor's mean time per page is measured. Extractors: dgwatch
(crawler.process.process_page), and alone with their defaults trafilatura
(bare_extraction, with metadata), GeneralNewsExtractor (gne) and readability-lxml.
Prints one table, then the totals as one JSON object on the last line.

    python -m bench.pages_eval [--shared PATH] [--verbose]
"""
from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from bench.output import absent, gold_arguments, report

CHECKS = ("body", "clean", "title", "date")


@dataclass
class Result:
    """What one extractor returned for one page."""

    text: str
    title: str | None
    published: str | None


@dataclass
class Tally:
    """Pages passing each check, and the pages that failed which check (for --verbose)."""

    pages: int = 0
    passed: dict[str, int] = field(default_factory=lambda: dict.fromkeys(CHECKS, 0))
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    def share(self, check: str) -> float:
        return self.passed[check] / self.pages if self.pages else 0.0


def _collapse(text: str | None) -> str:
    return re.sub(r"\s+", " ", text or "").strip()


def dgwatch(page: bytes, url: str) -> Result:
    """dgwatch's whole chain: decode, extract, date, title."""
    from crawler.process import NotAnArticle, process_page

    try:
        processed = process_page(page, url, "text/html")
    except NotAnArticle:
        return Result("", None, None)
    return Result(processed.text, processed.title, processed.published)


def trafilatura_alone(page: bytes, url: str) -> Result:
    """trafilatura.bare_extraction with its default settings and its own metadata."""
    import trafilatura

    document = trafilatura.bare_extraction(page.decode("utf-8"), url=url, with_metadata=True)
    if document is None:
        return Result("", None, None)
    return Result(document.text or "", document.title, document.date)


def gne_alone(page: bytes, url: str) -> Result:
    """GeneralNewsExtractor with its defaults; its publish_time cut to the date."""
    from gne import GeneralNewsExtractor

    try:
        found = GeneralNewsExtractor().extract(page.decode("utf-8"))
    except Exception:  # gne raises bare exceptions on pages it cannot read; the page scores zero
        return Result("", None, None)
    match = re.search(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", found.get("publish_time") or "")
    date = f"{int(match[1]):04d}-{int(match[2]):02d}-{int(match[3]):02d}" if match else None
    return Result(found.get("content") or "", found.get("title"), date)


def readability_alone(page: bytes, url: str) -> Result:
    """readability-lxml's summary as text and its short title; it finds no dates."""
    from lxml import html as lxml_html
    from readability import Document

    document = Document(page.decode("utf-8"), url=url)
    summary = lxml_html.fromstring(document.summary(html_partial=True))
    return Result("\n".join(summary.itertext()), document.short_title(), None)


EXTRACTORS: dict[str, Callable[[bytes, str], Result]] = {
    "dgwatch": dgwatch, "trafilatura": trafilatura_alone, "gne": gne_alone, "readability": readability_alone,
}


def load_gold(pages: Path) -> list[dict]:
    """The gold records of ../shared/corpus/pages/gold.jsonl."""
    lines = (pages / "gold.jsonl").read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


def check(gold: dict, result: Result) -> dict[str, bool]:
    """Which of CHECKS one extractor's result passes on one page.

    A gold string may span two block elements that the page prints without whitespace
    between them (<p>…母港</p><p>开始…</p>): the text is searched both with its lines
    joined by a space and joined directly, for every extractor alike.
    """
    lines = [_collapse(line) for line in (result.text or "").splitlines()]
    forms = (" ".join(lines), "".join(lines))

    def found(string: str) -> bool:
        return any(string in form for form in forms)

    return {
        "body": found(gold["body_first"]) and found(gold["body_last"]),
        "clean": not any(found(chrome) for chrome in gold["chrome"]),
        "title": _collapse(result.title) == gold["title"],
        "date": result.published == gold["published"],
    }


def score(pages: Path, names: tuple[str, ...] = tuple(EXTRACTORS)) -> dict[str, Tally]:
    """Run each named extractor over every gold page and count the checks it passes."""
    tallies = {name: Tally() for name in names}
    for gold in load_gold(pages):
        page = (pages / gold["file"]).read_bytes()
        url = f"http://{gold['origin']}"
        for name in names:
            started = time.perf_counter()
            result = EXTRACTORS[name](page, url)
            tally = tallies[name]
            tally.seconds += time.perf_counter() - started
            tally.pages += 1
            for check_name, passed in check(gold, result).items():
                tally.passed[check_name] += passed
                if not passed:
                    tally.failures.append(f"{name}: {gold['file']}: {check_name}")
    return tallies


def main(argv: list[str] | None = None) -> int:
    args = gold_arguments(__doc__, "list each failed check", argv)
    pages = args.shared / "corpus" / "pages"
    if absent(pages / "gold.jsonl"):
        return 0
    # One page first, untimed, so that one-off imports and tables are not charged to the first extractor.
    first = load_gold(pages)[0]
    for extractor in EXTRACTORS.values():
        extractor((pages / first["file"]).read_bytes(), "http://warm-up/")
    tallies = score(pages)
    if args.verbose:
        for tally in tallies.values():
            print("\n".join(tally.failures))
    rows = [[name, *(f"{t.passed[c]}/{t.pages} ({t.share(c):.0%})" for c in CHECKS),
             round(t.seconds / t.pages * 1000, 1)] for name, t in tallies.items()]
    figures = {name: {**{c: round(t.share(c), 4) for c in CHECKS}, "ms_per_page": round(t.seconds / t.pages * 1000, 1),
                      "pages": t.pages} for name, t in tallies.items()}
    report("Body extraction on ../shared/corpus/pages (whole body, no chrome, title, date)",
           ["extractor", "whole body", "no chrome", "title", "date", "ms/page"], rows, figures)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
