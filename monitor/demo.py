"""`dgwatch demo`: the whole loop, offline, on the bundled sample sites.

Three sample news sites (UTF-8, GBK declared as gb2312, Big5 with pinyin glosses) are
served on 127.0.0.1 in their first state and crawled; then the sites move to their
second state (new articles that change figures, a new group, a rename, a reprint of
an old story, an older article surfacing late) and are crawled again. The demo ends
with the changes found and the report the daemon would mail.
"""
from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from rich.console import Console
from rich.rule import Rule

from monitor.charts import inline_charts
from monitor.report import build_report, render_html, render_text
from monitor.sites import serve
from monitor.summary import format_change
from storage.changes import list_changes
from storage.db import open_db
from storage.runs import last_run_id

WEB = Path(__file__).resolve().parent / "demo" / "web"

SOURCES = (
    ("yijie", "/yijie/news/index.html", r"/yijie/news/\d+\.html$", r"/yijie/news/index_\d+\.html$"),
    ("jiankang", "/gb/list.html", r"/gb/article/\d+\.html$", None),
    ("gangtai", "/tw/index.html", r"/tw/p/\d+\.html$", None),
)


def demo_config(base_url: str, db_path: Path) -> str:
    """The TOML configuration of the sample sites served at `base_url`."""
    parts = [f'db = "{db_path.as_posix()}"\n\n[crawl]\ndelay = 0\nconcurrency_per_domain = 4\ntimeout = 10\n']
    for name, start, article, follow in SOURCES:
        part = (f'\n[[sources]]\nname = "{name}"\nstart_urls = ["{base_url}{start}"]\n'
                f"article_pattern = '{article}'\n")
        if follow:
            part += f"follow_pattern = '{follow}'\n"
        parts.append(part)
    return "".join(parts)


def _crawl(config: Path, console: Console) -> None:
    """One crawl in its own process, as the daemon runs it (Scrapy's reactor runs once a process)."""
    console.print(f"$ dgwatch crawl --config {config.name}", style="bold")
    result = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--config", str(config)],
                            capture_output=True, text=True, encoding="utf-8")
    console.print(result.stdout.rstrip(), markup=False, highlight=False)
    if result.returncode != 0:
        console.print(result.stderr.rstrip(), markup=False, highlight=False)
        raise SystemExit(f"dgwatch: demo crawl failed (exit {result.returncode})")


def run_demo(workdir: Path, html_path: Path, console: Console | None = None) -> int:
    """Crawl the sample sites in both states in `workdir`; write the HTML report to `html_path`.

    Returns the number of changes the second crawl recorded.
    """
    console = console or Console()
    db_path = workdir / "dgwatch.db"
    config = workdir / "sources.toml"
    with serve(WEB) as web:
        config.write_text(demo_config(web.base_url, db_path), "utf-8")
        console.print(Rule("1. the sample sites, first state"))
        _crawl(config, console)
        db = open_db(db_path)
        first_run = last_run_id(db)
        db.close()
        web.set_state("state2")
        console.print(Rule("2. a week later: new articles, a rename, a reprint, an old story surfacing"))
        _crawl(config, console)
    db = open_db(db_path)
    later = [c for c in list_changes(db) if c.run_id and c.run_id > first_run]
    console.print(Rule(f"3. changes between the two states: {len(later)}"))
    for change in later:
        console.print(format_change(change), markup=False, highlight=False, soft_wrap=True)
    report = build_report(db, since=None)
    console.print(Rule("4. the report the daemon would mail (text part)"))
    console.print(render_text(report), markup=False, highlight=False, soft_wrap=True)
    html_path.write_text(render_html(report, charts=inline_charts(db, report)), "utf-8")
    console.print(f"HTML version written to {html_path}")
    db.close()
    return len(later)


def demo(keep: Path | None = None, html_path: Path | None = None) -> int:
    """Run the demo in a temporary directory (or `keep`, left in place afterwards)."""
    html_path = html_path or Path.cwd() / "dgwatch-demo-report.html"
    if keep is not None:
        keep.mkdir(parents=True, exist_ok=True)
        return run_demo(keep, html_path)
    with tempfile.TemporaryDirectory(prefix="dgwatch-demo-") as tmp:
        return run_demo(Path(tmp), html_path)
