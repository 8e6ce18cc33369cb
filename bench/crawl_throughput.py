"""Crawl throughput: dgwatch's full crawl against bare Scrapy and a hand-written spider, in one run.

A generated site (bench.sitegen) is served on 127.0.0.1 and crawled, in each of
`--rounds` rounds (the order rotated from round to round, so a busy spell of the
shared machine does not fall on one contender), by each contender in a subprocess of
its own (Scrapy's reactor cannot restart, and so all are measured the same way,
interpreter start-up included):

  (a) a bare Scrapy spider that only follows listing → article links and drops the
      bodies, with dgwatch's Scrapy settings (delay 0, same concurrency, robots.txt
      obeyed, no HTTP cache, no pipeline): Scrapy's ceiling for fetching alone;
  (b) the spider a user would write by hand (bench.handwritten): Scrapy,
      `trafilatura.extract`, (url, title, text) stored with sqlite-utils; and (b') the
      same with the extraction in a 1-worker process pool;
  (c) `dgwatch crawl` (fetch, extract, normalise, near-duplicate check, facts, store, diff);
  (d) right after (c), `dgwatch crawl` again over the unchanged site, into the same database;
  (e) with it, the bare spider of (a) fetching robots.txt and the start page only: what
      starting a Scrapy crawl with these settings costs before it reads anything, the
      floor under any recrawl (d) that runs Scrapy.

Each round prints every contender's wall time, pages per second, time per article,
the peak memory of its whole process tree (PSS) and dgwatch's pages-per-second ratio to
it. It samples the CPU time of crawl (c)'s own process and of its analysing workers,
which tells which of them bounds the crawl. On the last round it also counts the doctor
groups crawl (c) found that are named as the generator wrote them, the founding, founder,
CEO and facility facts that agree with the generator's cast, and the figures (doctors,
partner hospitals, patients, funding) each article states about its group as the
generator drew them, and how many of those stated gave a fact at all: speed bought with
wrong or missed names or facts would show there.

    python -m bench.crawl_throughput [--pages 2000] [--rounds 3] [--concurrency 2] [--workers N]
                                     [--dgwatch-only] [--profile FILE]
"""
from __future__ import annotations

import argparse
import json
import os
import pstats
import re
import shutil
import socketserver
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from bench.output import positive_int, report
from bench.sitegen import Group, SiteInfo, generate_site
from crawler.config import load_config

REPO = Path(__file__).resolve().parents[1]
_SUMMARY_SECONDS = re.compile(r"crawl: run \d+, \w+, ([\d.]+) s")


@dataclass
class ChildRun:
    """One crawl subprocess: wall time, exit code, memory and what it printed."""

    seconds: float
    returncode: int
    peak_rss_mb: float  # the largest single process (wait4's ru_maxrss)
    peak_tree_pss_mb: float  # the process and its descendants together (PSS), sampled every 0.1 s
    cpu_seconds: float  # user + system CPU of the process itself, as last sampled
    descendants_cpu_seconds: float  # and of its descendants (the analysing workers), summed
    stdout: str
    stderr: str


def write_config(path: Path, base_url: str, site: SiteInfo, concurrency: int, workers: int | None = None,
                 stop_at_known: bool = False) -> Path:
    """A dgwatch config for the generated site with no politeness delay (and dgwatch's default workers)."""
    path.write_text(
        f"[crawl]\ndelay = 0\nconcurrency_per_domain = {concurrency}\ntimeout = 30\nretries = 0\n"
        + (f"workers = {workers}\n" if workers is not None else "") + "\n"
        f'[[sources]]\nname = "bench"\nstart_urls = ["{base_url}{site.start_path}"]\n'
        f"article_pattern = '{site.article_pattern}'\nfollow_pattern = '{site.follow_pattern}'\n"
        + ("stop_at_known = true\n" if stop_at_known else ""),
        "utf-8",
    )
    return path


def _process_stats() -> dict[int, list[str]]:
    """Every process's /proc/PID/stat fields after its name (state, parent, …, utime, stime …)."""
    stats: dict[int, list[str]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                stats[int(entry)] = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
    return stats


def _descendants(pid: int, stats: dict[int, list[str]]) -> set[int]:
    """`pid` and every process below it."""
    parents = {child: int(fields[1]) for child, fields in stats.items()}
    tree, grew = {pid}, True
    while grew:
        more = {child for child, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree


def _tree_pss(members: set[int]) -> int:
    """Proportional set size of a process and its descendants (`members`): memory shared
    between a process and its forked workers counts once, which a sum of RSS would not."""
    total = 0
    for member in members:
        try:
            for line in Path(f"/proc/{member}/smaps_rollup").read_text().splitlines():
                if line.startswith("Pss:"):
                    total += int(line.split()[1]) * 1024
                    break
        except (OSError, IndexError, ValueError):
            continue
    return total


def _cpu_seconds(fields: list[str]) -> float:
    """User + system CPU time a process has used so far, from its stat fields."""
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def run_child(args: list[str], workdir: Path) -> ChildRun:
    """Run `args` to completion, timing it and measuring its peak memory."""
    out_path, err_path = workdir / "child.out", workdir / "child.err"
    path = os.pathsep.join(filter(None, (str(REPO), os.environ.get("PYTHONPATH"))))
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONPATH=path)
    peak = 0
    cpu: dict[int, float] = {}
    with out_path.open("wb") as out, err_path.open("wb") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(args, stdout=out, stderr=err, cwd=REPO, env=env)
        done = threading.Event()

        def sample() -> None:
            nonlocal peak
            while not done.wait(0.1):
                stats = _process_stats()
                members = _descendants(proc.pid, stats)
                peak = max(peak, _tree_pss(members))
                for member in members & stats.keys():
                    cpu[member] = max(cpu.get(member, 0.0), _cpu_seconds(stats[member]))

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        # wait4 rather than wait: it returns the child's own resource usage.
        _, status, usage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - started
        done.set()
        sampler.join()
    proc.returncode = os.waitstatus_to_exitcode(status)
    return ChildRun(seconds, proc.returncode, usage.ru_maxrss / 1024, peak / 2**20, cpu.get(proc.pid, 0.0),
                    sum(seconds for pid, seconds in cpu.items() if pid != proc.pid),
                    out_path.read_text("utf-8", "replace"), err_path.read_text("utf-8", "replace"))


def _checked(run: ChildRun, what: str) -> ChildRun:
    if run.returncode != 0:
        sys.exit(f"{what} exited {run.returncode}:\n{run.stderr[-3000:]}")
    return run


def _run_row(db_path: Path) -> dict:
    with sqlite3.connect(db_path) as conn:
        conn.row_factory = sqlite3.Row
        return dict(conn.execute("SELECT * FROM runs ORDER BY id DESC LIMIT 1").fetchone())


def _dgwatch_crawl(config: Path, db: Path, workdir: Path) -> ChildRun:
    return _checked(run_child([sys.executable, "-m", "monitor", "crawl", "--config", str(config), "--db", str(db)],
                              workdir), "dgwatch crawl")


# Facts every article about a group states the same way: the generator's cast fixes the
# founding month, the founder and the CEO, and names each facility after the group's brand
# or name.
_CAST_FACTS: dict[str, Callable[[Group, object], bool]] = {
    "founded": lambda group, value: str(value)[:4] == str(group.year)
    and (len(str(value)) < 7 or int(str(value)[5:7]) == group.month),
    "founder": lambda group, value: value == group.founder,
    "ceo": lambda group, value: value == group.ceo,
    "facility": lambda group, value: str(value).startswith((group.brand, group.name)),
}


def entity_figures(db_path: Path, site: SiteInfo) -> dict:
    """How many doctor groups the crawl found and how many of them the site's generator
    wrote (under either ending spelling), and how many of their founding, founder, CEO and
    facility facts agree with the generator's cast: a check that speed did not cost correctness."""
    from crawler.facts.names import canonical_form

    cast = {canonical_form(group.name): group for group in site.groups}
    with sqlite3.connect(db_path) as conn:
        found = {name for (name,) in conn.execute("SELECT name FROM entities WHERE merged_into IS NULL")}
        rows = conn.execute("SELECT e.name, f.attribute, f.value FROM facts f JOIN entities e ON e.id = f.entity_id "
                            f"WHERE f.attribute IN ({', '.join('?' * len(_CAST_FACTS))})", list(_CAST_FACTS)).fetchall()
    figures = {"found": len(found), "generated": len(found & cast.keys()), "others": sorted(found - cast.keys())[:10],
               "precision": round(len(found & cast.keys()) / len(found), 3) if found else None}
    for attribute, agrees in _CAST_FACTS.items():
        values = [(name, json.loads(value)) for name, kind, value in rows if kind == attribute and name in cast]
        figures[attribute] = {"facts": len(values),
                              "as_generated": sum(agrees(cast[name], value) for name, value in values)}
    figures["figures"] = _figure_checks(db_path, site)
    return figures


def _figure_checks(db_path: Path, site: SiteInfo) -> dict:
    """Counts (doctors, partner hospitals, patients) and funding each article states about
    the group it is about, as the generator drew them: value and approximation. The
    generator states no figure about any other group, so each one given to another group
    (`elsewhere`) is misattributed."""
    from crawler.facts.names import canonical_form

    with sqlite3.connect(db_path) as conn:
        rows = conn.execute("SELECT e.name, f.attribute, f.value, f.approx, f.url FROM facts f "
                            "JOIN entities e ON e.id = f.entity_id").fetchall()
        stored = {site.article_number(url or "") for (url,) in conn.execute("SELECT url FROM articles")}
    checked = agreed = elsewhere = 0
    found: set[tuple[int, str]] = set()
    for name, attribute, value, approx, url in rows:
        number = site.article_number(url or "")
        page = site.pages[number - 1] if number else None
        if page is None or attribute not in page.figures:
            continue
        if name != canonical_form(page.group):
            elsewhere += 1
            continue
        checked += 1
        agreed += (json.loads(value), approx) == page.figures[attribute]
        found.add((number, attribute))
    # Recall: of the figures the stored articles state, how many gave a fact at all.
    stated = {(number, attribute) for number in stored if number
              for attribute in site.pages[number - 1].stated}
    return {"facts": checked, "as_generated": agreed, "elsewhere": elsewhere,
            "stated": len(stated), "found": len(stated & found)}



def _in_crawl_seconds(run: ChildRun) -> float | None:
    """The crawl's own time as its summary prints it (no interpreter start-up)."""
    match = _SUMMARY_SECONDS.search(run.stdout)
    return float(match.group(1)) if match else None


def run_bare(config_path: str, start_only: bool = False) -> None:
    """The bare spider, in this process: print one JSON line with its pages and crawl time.
    With `start_only` it fetches the start pages and follows nothing."""
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.linkextractors import LinkExtractor

    from crawler.runner import scrapy_settings

    config = load_config(config_path)
    source = config.sources[0]

    class BareSpider(scrapy.Spider):
        """Listing → article links, bodies dropped: Scrapy's own ceiling on this site."""

        name = "bare"
        articles = LinkExtractor(allow=source.article_pattern, unique=True)
        listings = LinkExtractor(allow=source.follow_pattern, unique=True)

        async def start(self):
            for url in source.start_urls:
                yield scrapy.Request(url, callback=self.parse_listing)

        def parse_listing(self, response):
            if start_only:
                return
            for link in self.articles.extract_links(response):
                yield scrapy.Request(link.url, callback=self.parse_article)
            for link in self.listings.extract_links(response):
                yield scrapy.Request(link.url, callback=self.parse_listing)

        def parse_article(self, response):
            self.crawler.stats.inc_value("bare/articles")

    settings = scrapy_settings(config, str(Path(config_path).with_suffix(".db")))  # its cache is turned off
    settings.setdict({"HTTPCACHE_ENABLED": False, "ITEM_PIPELINES": {}, "EXTENSIONS": {}}, priority="cmdline")
    started = time.monotonic()
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    print(json.dumps({"pages": stats.get("response_received_count", 0) - 1,  # robots.txt is not a page
                      "articles": stats.get("bare/articles", 0), "seconds": time.monotonic() - started}))


def _bare(config: Path, workdir: Path, start_only: bool = False) -> ChildRun:
    args = [sys.executable, "-m", "bench.crawl_throughput", "--run-bare", str(config)]
    return _checked(run_child(args + (["--start-only"] if start_only else []), workdir), "bare spider")


def _bare_stats(run: ChildRun) -> dict:
    return json.loads(run.stdout.strip().splitlines()[-1])


def _handwritten(site: SiteInfo, base_url: str, concurrency: int, db: Path, workdir: Path, pool: bool) -> ChildRun:
    args = [sys.executable, "-m", "bench.handwritten", base_url + site.start_path, site.article_pattern,
            site.follow_pattern, str(db), "--concurrency", str(concurrency)] + (["--pool"] if pool else [])
    return _checked(run_child(args, workdir), "hand-written spider")


def _contender(run: ChildRun, pages: int, articles: int) -> dict:
    return {"seconds": round(run.seconds, 2), "pages": pages, "articles": articles,
            "pages_per_s": round(pages / run.seconds, 1), "ms_per_article": round(1000 * run.seconds / max(articles, 1), 2),
            "peak_tree_pss_mb": round(run.peak_tree_pss_mb, 1)}


def _forget(db: Path) -> None:
    """Delete a crawl's database and its HTTP cache: a 50,000-article round leaves gigabytes."""
    for path in (db, Path(f"{db}.httpcache")):
        if path.is_dir():
            shutil.rmtree(path)
        elif path.exists():
            path.unlink()


def _one_round(number: int, site: SiteInfo, web, config: Path, concurrency: int, workdir: Path,
               contenders: list[str]) -> tuple[dict, Path]:
    """Every contender once, in an order rotated by `number`; then dgwatch's crawl again over the
    unchanged site. Returns the figures and the database of dgwatch's first crawl."""
    figures: dict = {}
    db = workdir / f"dgwatch-{number}.db"
    order = contenders[number % len(contenders):] + contenders[:number % len(contenders)]
    for name in order:
        if name == "bare":
            run = _bare(config, workdir)
            stats = _bare_stats(run)
            figures[name] = _contender(run, stats["pages"], stats["articles"])
        elif name in ("hand", "hand_pool"):
            hand_db = workdir / f"{name}-{number}.db"
            run = _handwritten(site, web.base_url, concurrency, hand_db, workdir, pool=name == "hand_pool")
            stats = json.loads(run.stdout.strip().splitlines()[-1])
            figures[name] = _contender(run, stats["pages"], stats["articles"])
            _forget(hand_db)
        else:
            full = _dgwatch_crawl(config, db, workdir)
            first_row = _run_row(db)
            figures[name] = {**_contender(full, first_row["pages"], first_row["articles_new"] + first_row["duplicates"]),
                             "crawl_seconds": _in_crawl_seconds(full), "articles_new": first_row["articles_new"],
                             "duplicates": first_row["duplicates"], "errors": first_row["errors"],
                             "peak_rss_mb": round(full.peak_rss_mb, 1),
                             "cpu_seconds": {"crawl_process": round(full.cpu_seconds, 1),
                                             "workers": round(full.descendants_cpu_seconds, 1)}}
            web.clear_log()
            again = _dgwatch_crawl(config, db, workdir)
            second_row = _run_row(db)
            article = re.compile(site.article_pattern)
            figures["recrawl"] = {
                "seconds": round(again.seconds, 2), "crawl_seconds": _in_crawl_seconds(again),
                "article_downloads": sum(1 for path in web.downloads() if article.search(path)),
                "not_modified": sum(1 for hit in web.hits if hit.status == 304),
                "pages": second_row["pages"], "articles_new": second_row["articles_new"],
                "ratio_to_first": round(again.seconds / full.seconds, 3)}
            floor = _bare(config, workdir, start_only=True)
            figures["recrawl"]["scrapy_floor"] = {
                "seconds": round(floor.seconds, 2), "pages": _bare_stats(floor)["pages"],
                "ratio_to_first": round(floor.seconds / full.seconds, 3)}
    if "dgwatch" in figures:
        figures["dgwatch_to"] = {name: round(figures["dgwatch"]["pages_per_s"] / figures[name]["pages_per_s"], 3)
                                 for name in contenders if name != "dgwatch"}
    return figures, db


def measure(pages: int, concurrency: int, workers: int | None, workdir: Path, profile: Path | None = None,
            stop_at_known: bool = False, rounds: int = 3, baselines: bool = True) -> dict:
    """Generate, serve and crawl the site `rounds` times with every contender; return every figure."""
    from monitor.sites import serve

    # monitor.sites sends headers and body in two writes; with Nagle's algorithm and the
    # client's delayed ACK every keep-alive response then stalls ~40 ms, and the server,
    # not the crawler, would be measured. This process only serves, so turn Nagle off here.
    socketserver.StreamRequestHandler.disable_nagle_algorithm = True
    site = generate_site(workdir / "web", pages)
    contenders = ["bare", "hand", "hand_pool", "dgwatch"] if baselines else ["dgwatch"]
    results = []
    with serve(site.root) as web:
        config = write_config(workdir / "bench.toml", web.base_url, site, concurrency, workers, stop_at_known)
        for number in range(rounds):
            figures, db = _one_round(number, site, web, config, concurrency, workdir, contenders)
            figures["load_avg_1m"] = round(os.getloadavg()[0], 2)
            if number == rounds - 1:
                entities = entity_figures(db, site)
            _forget(db)
            results.append(figures)
        if profile is not None:
            profiled = workdir / "profiled.db"
            _checked(run_child([sys.executable, "-m", "cProfile", "-o", f"{profile}.pstats", "-m", "monitor", "crawl",
                                "--config", str(config), "--db", str(profiled)], workdir), "profiled crawl")
            with profile.open("w", encoding="utf-8") as out:
                pstats.Stats(f"{profile}.pstats", stream=out).sort_stats("cumulative").print_stats(80)
    crawled = site.articles + site.listings
    for figures in results:
        for name in contenders:
            if figures[name]["pages"] != crawled:
                print(f"warning: {name} fetched {figures[name]['pages']} pages of {crawled}", file=sys.stderr)
    return {
        "pages": site.articles, "listings": site.listings, "concurrency": concurrency,
        "workers": load_config(config).crawl.workers, "stop_at_known": stop_at_known,
        "site_mb": round(site.article_bytes / 2**20, 1), "rounds": results, "entities": entities,
    }


_NAMES = {"bare": "(a) bare Scrapy: follow links, drop bodies",
          "hand": "(b) hand-written Scrapy + trafilatura + sqlite-utils",
          "hand_pool": "(b') the same, extraction in a 1-worker pool",
          "dgwatch": "(c) dgwatch crawl: full pipeline"}


def _rows(figures: dict) -> list[list]:
    rows = []
    for number, result in enumerate(figures["rounds"], start=1):
        for name, label in _NAMES.items():
            if name in result:
                run = result[name]
                rows.append([f"{number}. {label}", run["seconds"], run["pages_per_s"], run["ms_per_article"],
                             run["peak_tree_pss_mb"], result.get("dgwatch_to", {}).get(name)])
        again = result["recrawl"]
        rows.append([f"{number}. (d) dgwatch crawl again, site unchanged: {again['article_downloads']} article "
                     f"downloads, {again['ratio_to_first']:.1%} of (c)", again["seconds"], None, None, None, None])
        floor = again["scrapy_floor"]
        rows.append([f"{number}. (e) bare Scrapy, robots.txt and the start page only: {floor['ratio_to_first']:.1%} "
                     "of (c), the floor under (d)", floor["seconds"], None, None, None, None])
        cpu = result["dgwatch"]["cpu_seconds"]
        rows.append([f"{number}. (c) CPU s: crawl process {cpu['crawl_process']}, analysing workers {cpu['workers']}; "
                     f"load {result['load_avg_1m']}", None, None, None, None, None])
    entities = figures["entities"]
    rows.append([f"(c) last round: found {entities['found']} doctor groups, {entities['generated']} as generated; "
                 "facts as generated: " + ", ".join(f"{attribute} {entities[attribute]['as_generated']}/"
                                                    f"{entities[attribute]['facts']}"
                                                    for attribute in (*_CAST_FACTS, "figures"))
                 + f" ({entities['figures']['elsewhere']} given to another group); figures stated and found "
                 f"{entities['figures']['found']}/{entities['figures']['stated']}", None, None, None, None, None])
    return rows


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=positive_int, default=2000, help="articles on the generated site (default 2000)")
    parser.add_argument("--rounds", type=positive_int, default=3, help="rounds of every contender (default 3)")
    parser.add_argument("--concurrency", type=positive_int, default=2,
                        help="requests in flight to the site, as [crawl] concurrency_per_domain (default 2)")
    parser.add_argument("--workers", type=int,
                        help="[crawl] workers: analysing processes, 0 for none (default: dgwatch's default)")
    parser.add_argument("--stop-at-known", action="store_true",
                        help="set the source's stop_at_known: the second crawl stops at the first listing page with nothing new")
    parser.add_argument("--dgwatch-only", action="store_true",
                        help="leave out the baselines (a), (b), (b'): for time per article and memory at scale")
    parser.add_argument("--profile", type=Path,
                        help="also crawl once under cProfile and write its report (cumulative) here")
    parser.add_argument("--run-bare", metavar="CONFIG", help=argparse.SUPPRESS)  # the subprocess of crawls (a), (e)
    parser.add_argument("--start-only", action="store_true", help=argparse.SUPPRESS)  # crawl (e)
    args = parser.parse_args(argv)
    if args.run_bare:
        run_bare(args.run_bare, args.start_only)
        return
    with tempfile.TemporaryDirectory(prefix="dgwatch-bench-") as scratch:
        figures = measure(args.pages, args.concurrency, args.workers, Path(scratch), args.profile, args.stop_at_known,
                          args.rounds, not args.dgwatch_only)
    headers = ["round. crawl", "wall s", "pages/s", "ms/article", "all procs PSS MB", "dgwatch × (pages/s)"]
    report(f"crawl throughput: {args.pages} articles + {figures['listings']} listing pages, "
           f"concurrency {args.concurrency}, {figures['workers']} analysing worker(s), {args.rounds} interleaved rounds"
           + (", stop_at_known" if args.stop_at_known else ""), headers, _rows(figures), figures)


if __name__ == "__main__":
    main()
