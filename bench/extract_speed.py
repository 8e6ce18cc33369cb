"""Extraction speed: trafilatura alone against dgwatch's whole per-page analysis, on the same pages.

dgwatch's stage is crawler.analyse.analyse() on a crawler.items.FetchedPage: decoding,
extraction (trafilatura + date + tail cutting), normalisation, the MinHash fingerprint
and fact extraction; its steps are also timed one by one to show where the time goes.
One page is analysed first, untimed, so that one-off loading (jieba's dictionary,
OpenCC's tables) is reported apart from the per-page rate. Names found on earlier
pages are passed to the fact extractor as `known`, as the pipeline does. Shared
machines are noisy: each figure is the best of --repeat interleaved rounds. Every round
runs on pages it has not seen (another seed; the stage-by-stage timing on a set of its
own), so the extractor's caches help only as much as they do in a crawl.

    python -m bench.extract_speed [--pages 300] [--seed 0] [--repeat 3]
"""
from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path
from typing import Callable

import trafilatura

from bench.output import positive_int, report
from bench.sitegen import generate_site
from crawler.analyse import analyse
from crawler.dedup import fingerprint
from crawler.encoding import decode_html
from crawler.extract import extract_article
from crawler.facts import extract_facts
from crawler.items import FetchedPage
from crawler.normalise import normalise

CONTENT_TYPE = "text/html"


def load_pages(pages: int, seed: int, workdir: Path) -> list[FetchedPage]:
    """Generate a site and read its article pages back as the spider would hand them over."""
    site = generate_site(workdir, pages, seed)
    items = []
    for number in range(1, site.articles + 1):
        url = f"http://127.0.0.1{site.article_path(number)}"
        items.append(FetchedPage(url=url, final_url=url, source="bench", body=site.article_file(number).read_bytes(),
                                 content_type=CONTENT_TYPE, encoding=None, etag=None, last_modified=None))
    return items


def _learn(known: dict[str, str], extraction) -> None:
    # As the pipeline does: names found so far are known to the next page's extractor.
    for entity in extraction.entities:
        for name in (entity.name, *entity.aliases):
            known.setdefault(name, entity.name)


def trafilatura_seconds(items: list[FetchedPage]) -> float:
    """Seconds for trafilatura.extract, default options, over every page."""
    started = time.perf_counter()
    for item in items:
        trafilatura.extract(item.body, url=item.final_url)
    return time.perf_counter() - started


def analyse_seconds(items: list[FetchedPage]) -> float:
    """Seconds for crawler.analyse.analyse over every page, names learnt as a crawl learns them."""
    known: dict[str, str] = {}
    started = time.perf_counter()
    for item in items:
        _learn(known, analyse(item, known).extraction)
    return time.perf_counter() - started


def _lap(totals: dict[str, float], stage: str, function: Callable, *args, **kwargs):
    started = time.perf_counter()
    result = function(*args, **kwargs)
    totals[stage] += time.perf_counter() - started
    return result


def stage_seconds(items: list[FetchedPage]) -> dict[str, float]:
    """The steps of analyse(), each timed over every page (the same calls analyse makes)."""
    totals = dict.fromkeys(("decode", "extract", "normalise", "fingerprint", "facts"), 0.0)
    known: dict[str, str] = {}
    for item in items:
        text, _ = _lap(totals, "decode", decode_html, item.body, item.content_type, item.encoding)
        article = _lap(totals, "extract", extract_article, text, item.final_url)
        normalised = _lap(totals, "normalise", normalise, article.text)
        _lap(totals, "fingerprint", fingerprint, normalised)
        _learn(known, _lap(totals, "facts", extract_facts, normalised, published=article.published, url=item.url,
                           known=known))
    return totals


def measure(pages: int, seed: int, repeat: int) -> dict:
    """Every figure of the benchmark; each is the best of `repeat` interleaved rounds."""
    with tempfile.TemporaryDirectory(prefix="dgwatch-extract-") as scratch:
        sets = [load_pages(pages, seed + n, Path(scratch) / str(n)) for n in range(2 * repeat)]
    warm = time.perf_counter()
    analyse(sets[0][0])
    warmup = time.perf_counter() - warm
    rounds = [(trafilatura_seconds(sets[2 * r]), analyse_seconds(sets[2 * r]), stage_seconds(sets[2 * r + 1]))
              for r in range(repeat)]
    items = sets[0]
    bare = min(r[0] for r in rounds)
    full = min(r[1] for r in rounds)
    stages = {name: min(r[2][name] for r in rounds) for name in rounds[0][2]}
    return {
        "pages": len(items), "repeat": repeat, "mean_kb": round(sum(len(i.body) for i in items) / len(items) / 1024, 1),
        "warmup_s": round(warmup, 2),
        "trafilatura_pages_per_s": round(len(items) / bare, 1),
        "analyse_pages_per_s": round(len(items) / full, 1),
        "ratio_analyse_to_trafilatura": round(bare / full, 3),
        "trafilatura_ms": round(bare / len(items) * 1000, 2), "analyse_ms": round(full / len(items) * 1000, 2),
        "stages_ms": {name: round(seconds / len(items) * 1000, 2) for name, seconds in stages.items()},
    }


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=positive_int, default=300, help="generated article pages (default 300)")
    parser.add_argument("--seed", type=int, default=0, help="first site generator seed; each round uses seeds of its own after it (default 0)")
    parser.add_argument("--repeat", type=positive_int, default=3, help="rounds; the best of each is reported (default 3)")
    args = parser.parse_args(argv)
    figures = measure(args.pages, args.seed, args.repeat)
    stages = figures["stages_ms"]
    total = sum(stages.values())
    rows = [
        ["trafilatura.extract alone", figures["trafilatura_pages_per_s"], figures["trafilatura_ms"], None],
        ["dgwatch analyse(): the whole stage", figures["analyse_pages_per_s"], figures["analyse_ms"], None],
        *[[f"  {name}", round(1000 / ms, 1) if ms else None, ms, f"{ms / total:.0%}"] for name, ms in stages.items()],
        ["analyse / trafilatura (rate)", figures["ratio_analyse_to_trafilatura"], None, None],
    ]
    report(f"extraction speed: {figures['pages']} pages, {figures['mean_kb']} kB mean; one-off warm-up "
           f"{figures['warmup_s']} s", ["stage", "pages/s", "ms/page", "share"], rows, figures)


if __name__ == "__main__":
    main()
