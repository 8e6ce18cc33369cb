"""What the full-text search index (schema migration `_article_search`) costs a crawl.

The crawl process stores each article in a transaction of its own, and the index's
trigger tokenises its title and normalised body into trigrams there. This stores the
same generated articles (bench.sitegen, analysed as a crawl would) into fresh databases,
alternating, one transaction an article: (a) as dgwatch does, the trigger on; (b) the
trigger dropped, the index left empty; (c) the trigger dropped and the whole index
filled in one statement after the last article.

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
    """Seconds to store `rows` one transaction each (and, for "after", to index them at the end)."""
    db = open_db(path)
    if mode != "trigger":
        for trigger in db["articles"].triggers:
            db.execute(f"DROP TRIGGER {trigger.name}")
    started = time.perf_counter()
    for row in rows:
        with db.conn:
            insert_article(db, row)
    if mode == "after":
        with db.conn:
            db.execute("INSERT INTO articles_fts (rowid, title, normalised) SELECT id, title, normalised FROM articles")
    seconds = time.perf_counter() - started
    db.close()
    return seconds


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=positive_int, default=500, help="generated articles (default 500)")
    parser.add_argument("--repeat", type=positive_int, default=3, help="interleaved rounds; the best is kept (default 3)")
    args = parser.parse_args(argv)
    modes = {"trigger": "(a) trigger on, as dgwatch stores", "none": "(b) no index",
             "after": "(c) no trigger, index filled once at the end"}
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
