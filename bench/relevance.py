"""The relevance filter on a broad portal: database size and crawl time with and without it.

A generated health-industry portal (bench.portalgen: N articles, a few about doctor
groups, all in the same chrome) is served on 127.0.0.1 and crawled by `dgwatch crawl`
into a fresh database, once with the source's `keep_all = true` (every article analysed
and kept, as before the filter) and once with the default keywords (the others recorded
as seen, without text, fingerprint or facts). Rounds alternate the two, each in fresh
databases; the table shows the best time of the rounds and the database size (the same
every round). Then the filtered crawl runs again over the unchanged portal.

    python -m bench.relevance [--pages 200] [--relevant 5] [--rounds 3] [--workers N]
"""
from __future__ import annotations

import argparse
import socketserver
import sqlite3
import sys
import tempfile
from pathlib import Path

from bench.crawl_throughput import ChildRun, _dgwatch_crawl, write_config
from bench.output import positive_int, report
from bench.portalgen import PortalInfo, generate_portal

_MODES = ("keep_all", "filtered")


def _db_bytes(db: Path) -> int:
    """The database file with its WAL and shared-memory files, if a crash left them."""
    return sum(path.stat().st_size for path in db.parent.glob(db.name + "*") if path.is_file())


def _stored(db: Path) -> dict:
    with sqlite3.connect(db) as conn:
        articles, text = conn.execute(
            "SELECT count(*), coalesce(sum(length(CAST(text AS BLOB)) + length(CAST(normalised AS BLOB))), 0) "
            "FROM articles").fetchone()
        seen = conn.execute("SELECT count(*) FROM seen").fetchone()[0]
        facts = conn.execute("SELECT count(*) FROM facts").fetchone()[0]
    return {"articles": articles, "seen": seen, "facts": facts, "text_kb": round(text / 1024, 1),
            "db_kb": round(_db_bytes(db) / 1024, 1)}


def _crawl(portal: PortalInfo, base_url: str, mode: str, workdir: Path, workers: int | None) -> tuple[ChildRun, Path]:
    db = workdir / mode / "dgwatch.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    config = write_config(db.parent / "portal.toml", base_url, portal.site, concurrency=2, workers=workers)
    if mode == "keep_all":
        config.write_text(config.read_text("utf-8") + "keep_all = true\n", "utf-8")
    return _dgwatch_crawl(config, db, workdir), db


def measure(pages: int, relevant: int, rounds: int, workers: int | None, workdir: Path) -> dict:
    """Generate and serve the portal; crawl it both ways `rounds` times; return every figure."""
    from monitor.sites import serve

    # As in bench.crawl_throughput: the sample server's two writes a response would
    # otherwise wait for the client's delayed ACK, and the server would be measured.
    socketserver.StreamRequestHandler.disable_nagle_algorithm = True
    portal = generate_portal(workdir / "web", pages, relevant)
    seconds: dict[str, list[float]] = {mode: [] for mode in _MODES}
    stored: dict[str, dict] = {}
    with serve(portal.site.root) as web:
        for number in range(rounds):
            for mode in _MODES:
                run, db = _crawl(portal, web.base_url, mode, workdir / f"round{number}", workers)
                seconds[mode].append(run.seconds)
                stored[mode] = _stored(db)
        web.clear_log()
        again, _ = _crawl(portal, web.base_url, "filtered", workdir / f"round{rounds - 1}", workers)
        downloads = [path for path in web.downloads() if portal.site.article_number(path)]
    figures = {mode: {"seconds": round(min(seconds[mode]), 2), "all_seconds": [round(s, 2) for s in seconds[mode]],
                      **stored[mode]} for mode in _MODES}
    return {
        "pages": pages, "relevant": list(portal.relevant), "rounds": rounds, **figures,
        "db_ratio": round(figures["filtered"]["db_kb"] / figures["keep_all"]["db_kb"], 3),
        "time_ratio": round(figures["filtered"]["seconds"] / figures["keep_all"]["seconds"], 3),
        "recrawl": {"seconds": round(again.seconds, 2), "article_downloads": len(downloads)},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=positive_int, default=200, help="articles on the portal (default 200)")
    parser.add_argument("--relevant", type=int, default=5, help="of which about doctor groups (default 5)")
    parser.add_argument("--rounds", type=positive_int, default=3, help="crawls of each kind, alternating (default 3)")
    parser.add_argument("--workers", type=int, help="[crawl] workers (default: dgwatch's default)")
    args = parser.parse_args(argv)
    if not 0 <= args.relevant <= args.pages:
        sys.exit("--relevant must be between 0 and --pages")
    with tempfile.TemporaryDirectory(prefix="dgwatch-bench-") as scratch:
        figures = measure(args.pages, args.relevant, args.rounds, args.workers, Path(scratch))
    rows = [[label, figures[mode]["seconds"], figures[mode]["db_kb"], figures[mode]["text_kb"],
             figures[mode]["articles"], figures[mode]["seen"], figures[mode]["facts"]]
            for label, mode in (("keep_all = true (no filter)", "keep_all"), ("default keywords (filter)", "filtered"))]
    rows.append(["filtered / unfiltered", figures["time_ratio"], figures["db_ratio"], None, None, None, None])
    rows.append([f"filtered again, portal unchanged: {figures['recrawl']['article_downloads']} article downloads",
                 figures["recrawl"]["seconds"], None, None, None, None, None])
    report(f"relevance filter: portal of {args.pages} articles, {args.relevant} about doctor groups, "
           f"best of {args.rounds} rounds", ["crawl", "wall s", "database kB", "text kB", "articles", "seen", "facts"],
           rows, figures)


if __name__ == "__main__":
    main()
