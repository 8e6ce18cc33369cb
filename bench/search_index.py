"""What the full-text search index costs a crawl, indexed one article or a batch at a time.

The crawl process stores each article in a transaction of its own; the search index
tokenises titles and normalised bodies into trigrams. This stores the same generated
articles (bench.sitegen, analysed as a crawl would) into fresh databases, alternating,
one transaction an article: (a) each indexed in its own transaction, as dgwatch did before
schema migration 11; (b) not indexed; (c) indexed SEARCH_BATCH at a time in the
transaction of the last of them, as dgwatch does (storage.search.index_new_articles);
(d) all indexed in one statement after the last article.

    python -m bench.search_index [--pages 500] [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from bench.extract_speed import load_pages
from bench.output import positive_int, report
from crawler.process import process_page
from storage.articles import ArticleRow, insert_article
from storage.db import open_db
from storage.search import SEARCH_BATCH, index_new_articles


def _rows(pages: int, workdir: Path) -> list[ArticleRow]:
    rows = []
    for item in load_pages(pages, 0, workdir):
        page = process_page(item.body, item.final_url, item.content_type)
        rows.append(ArticleRow(url=item.url, canonical_url=item.url, source="bench", title=page.title,
                               published=page.published, author=page.author, text=page.text,
                               normalised=page.normalised, fingerprint=b"", duplicate_of=None, encoding=page.encoding,
                               etag=None, last_modified=None, fetched_at="2026-11-30T00:00:00+00:00", run_id=None))
    return rows


def _store(rows: list[ArticleRow], path: Path, mode: str) -> float:
    """Seconds to store `rows` one transaction each, indexing them as `mode` says."""
    db = open_db(path)
    every = {"each": 1, "batch": SEARCH_BATCH}.get(mode)
    started = time.perf_counter()
    for number, row in enumerate(rows, start=1):
        with db.conn:
            insert_article(db, row)
            if every and number % every == 0:
                index_new_articles(db)
    if mode != "none":
        with db.conn:
            index_new_articles(db)
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=positive_int, default=500, help="generated articles (default 500)")
    parser.add_argument("--repeat", type=positive_int, default=3, help="interleaved rounds; the best is kept (default 3)")
    args = parser.parse_args(argv)
    modes = {"each": "(a) each article indexed in its own transaction", "none": "(b) no index",
             "batch": f"(c) {SEARCH_BATCH} at a time, as dgwatch indexes", "after": "(d) all at once at the end"}
    best = {mode: float("inf") for mode in modes}
    with tempfile.TemporaryDirectory(prefix="dgwatch-bench-") as scratch:
        rows = _rows(args.pages, Path(scratch) / "web")
        for round_number in range(args.repeat):
            for mode in modes:
                best[mode] = min(best[mode], _store(rows, Path(scratch) / f"{mode}-{round_number}.db", mode))
    chars = sum(len(row.normalised) + len(row.title or "") for row in rows) / len(rows)
    figures = {"pages": args.pages, "chars_per_article": round(chars),
               "ms_per_article": {mode: round(1000 * seconds / len(rows), 3) for mode, seconds in best.items()}}
    report(f"storing {args.pages} articles (title + body {chars:,.0f} characters), best of {args.repeat}",
           ["store", "ms an article"], [[label, figures["ms_per_article"][mode]] for mode, label in modes.items()],
           figures)


if __name__ == "__main__":
    main()
