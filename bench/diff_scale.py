"""Diff scale: the end-of-crawl diff of 1,000 new facts against 10k, 100k and 1M stored ones.

Each size gets a fresh database (storage.db.open_db) bulk-loaded in one transaction with
entities, aliases, facts (all diffed) and the current_facts those facts imply, ten facts
per entity: a history of doctor and hospital counts, funding, founding date, founder and
a facility. A crawl then stores 100 articles of ten facts each the way the pipeline does
(storage.facts.record_extraction, one transaction per article): 70 about stored groups
(changed values, restated values, older history, new attributes, a few renames) and 30
about new groups. monitor.diff.diff_pending(db, run_id) is what is timed.

    python -m bench.diff_scale [--sizes 10000,100000,1000000]
"""
from __future__ import annotations

import argparse
import random
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.output import positive_int, report
from storage.records import Entity, Extraction, Fact
from monitor.diff import diff_pending
from storage.articles import ArticleRow, insert_article
from storage.db import open_db
from storage.facts import encode, record_extraction, slot
from storage.runs import RunStats, finish_run, start_run, utcnow

FACTS_PER_ENTITY = 10
NEW_ARTICLES = 100  # ten facts each: the 1,000 new facts
NEW_ENTITY_ARTICLES = 30
RENAMES = 5


def _name(entity: int) -> str:
    return f"测{entity}号医生集团"


def _stored_facts(entity: int) -> list[tuple[str, object, str]]:
    """(attribute, value, published) of one stored entity, oldest statement first per attribute."""
    year = 2014 + entity % 6
    return [
        ("doctors", 20 + entity % 40, f"{year}-03-01"),
        ("doctors", 40 + entity % 40, f"{year + 2}-03-01"),
        ("doctors", 60 + entity % 40, f"{year + 4}-03-01"),
        ("partner_hospitals", 3 + entity % 10, f"{year + 1}-06-01"),
        ("partner_hospitals", 8 + entity % 10, f"{year + 3}-06-01"),
        ("patients_managed", 10_000 + entity, f"{year + 3}-09-01"),
        ("funding", 10_000_000 * (1 + entity % 9), f"{year + 2}-11-01"),
        ("founded", str(year), f"{year + 1}-01-01"),
        ("founder", f"创始人{entity}", f"{year + 1}-01-01"),
        ("facility", f"测{entity}号专科中心", f"{year + 3}-05-01"),
    ]


def bulk_load(db, facts: int) -> int:
    """Store `facts` diffed facts (ten per entity) with consistent current facts; returns the run id."""
    run_id = start_run(db, ["stored"])
    entity_rows, alias_rows, fact_rows, current_rows = [], [], [], {}
    fact_id = 0
    for entity in range(1, facts // FACTS_PER_ENTITY + 1):
        name = _name(entity)
        entity_rows.append((entity, name, name, "doctor_group", "2020-01-01T00:00:00+00:00", run_id, run_id))
        alias_rows.append((name, entity))
        for attribute, value, published in _stored_facts(entity):
            fact_id += 1
            value_json = encode(value)
            fact_rows.append((fact_id, entity, attribute, value_json, "", f"…{value}…", published,
                              f"http://stored.example/{entity}/{fact_id}.html", run_id))
            # Statements come oldest first, so the last one per slot is the current one.
            current_rows[(entity, attribute, slot(attribute, value_json))] = (value_json, fact_id, published)
    with db.conn:
        db.conn.executemany("INSERT INTO entities (id, name, current_name, kind, first_seen, first_run_id,"
                            " announced_run_id) VALUES (?, ?, ?, ?, ?, ?, ?)", entity_rows)
        db.conn.executemany("INSERT INTO aliases (alias, entity_id) VALUES (?, ?)", alias_rows)
        db.conn.executemany("INSERT INTO facts (id, entity_id, attribute, value, approx, evidence, published, url,"
                            " run_id, diffed) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)", fact_rows)
        db.conn.executemany("INSERT INTO current_facts (entity_id, attribute, slot, value, approx, fact_id, published)"
                            " VALUES (?, ?, ?, ?, '', ?, ?)",
                            [(*key, value, fid, published) for key, (value, fid, published) in current_rows.items()])
    finish_run(db, run_id, RunStats())
    return run_id


def new_extractions(entities: int, seed: int = 0) -> list[Extraction]:
    """The crawl's 100 articles: stored groups with changes, restatements and history; new groups."""
    rng = random.Random(seed)
    extractions = []
    for index, entity in enumerate(rng.sample(range(1, entities + 1), NEW_ARTICLES - NEW_ENTITY_ARTICLES)):
        name, year = _name(entity), 2014 + entity % 6
        facts = [
            Fact(name, "doctors", 150 + entity % 40),  # changed
            Fact(name, "partner_hospitals", 8 + entity % 10),  # restated: corroborates
            Fact(name, "patients_managed", 5_000 + entity, published=f"{year}-01-01"),  # older: history
            Fact(name, "funding", 200_000_000),  # changed
            Fact(name, "founded", str(year)),  # restated
            Fact(name, "founder", f"创始人{entity}"),  # restated
            Fact(name, "ceo", f"总裁{entity}"),  # new fact
            Fact(name, "facility", f"测{entity}号新院区"),  # new member of a set
            Fact(name, "facility", f"测{entity}号专科中心"),  # restated member
            Fact(name, "renamed_to", f"测{entity}号医疗集团") if index < RENAMES
            else Fact(name, "doctors", 150 + entity % 40),  # restated within the article
        ]
        extractions.append(Extraction([Entity(name)], _sourced(facts, len(extractions), "2025-06-01")))
    for new in range(NEW_ENTITY_ARTICLES):
        name = f"新{new}号医生集团"
        facts = [Fact(name, "doctors", 30 + new), Fact(name, "partner_hospitals", 2 + new % 5),
                 Fact(name, "patients_managed", 3_000 + new), Fact(name, "funding", 50_000_000),
                 Fact(name, "founded", "2024"), Fact(name, "founder", f"新创始人{new}"),
                 Fact(name, "ceo", f"新总裁{new}")] + [Fact(name, "facility", f"新{new}号中心{k}") for k in range(3)]
        extractions.append(Extraction([Entity(name)], _sourced(facts, len(extractions), "2025-07-01")))
    return extractions


def _article_url(number: int) -> str:
    return f"http://news.example/{number}.html"


def _sourced(facts: list[Fact], number: int, published: str) -> list[Fact]:
    """The facts as article `number` states them: its URL, its date unless a fact says otherwise."""
    for fact in facts:
        fact.published = fact.published or published
        fact.evidence = f"…{fact.value}…"
        fact.url = _article_url(number)
    return facts


def store_crawl(db, extractions: list[Extraction]) -> int:
    """Store the crawl's articles and facts as the pipeline does; returns the crawl's run id."""
    run_id = start_run(db, ["bench"])
    for number, extraction in enumerate(extractions):
        published = extraction.facts[0].published
        with db.conn:
            article_id = insert_article(db, ArticleRow(
                url=_article_url(number), canonical_url=_article_url(number),
                source="bench", title=f"第{number}篇", published=published, author=None, text="", normalised="",
                fingerprint=b"", duplicate_of=None, encoding="utf-8", etag=None, last_modified=None,
                fetched_at=utcnow(), run_id=run_id))
            record_extraction(db, article_id, extraction, run_id, published)
    return run_id


def measure(stored: int, workdir: Path) -> dict:
    """Load `stored` facts, store a crawl's 1,000, and time the diff."""
    db = open_db(workdir / f"diff-{stored}.db")
    try:
        started = time.perf_counter()
        bulk_load(db, stored)
        loaded = time.perf_counter() - started
        extractions = new_extractions(stored // FACTS_PER_ENTITY)
        started = time.perf_counter()
        run_id = store_crawl(db, extractions)
        stored_seconds = time.perf_counter() - started
        started = time.perf_counter()
        changes = diff_pending(db, run_id)
        diff_seconds = time.perf_counter() - started
        undiffed = db.execute("SELECT count(*) FROM facts WHERE diffed = 0").fetchone()[0]
    finally:
        db.close()
    return {"stored_facts": stored, "new_facts": sum(len(e.facts) for e in extractions),
            "load_s": round(loaded, 2), "store_s": round(stored_seconds, 3), "diff_s": round(diff_seconds, 3),
            "changes": dict(sorted(Counter(c.kind for c in changes).items())), "left_undiffed": undiffed}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="stored fact counts, comma-separated (default 10000,100000,1000000)")
    args = parser.parse_args(argv)
    smallest = (NEW_ARTICLES - NEW_ENTITY_ARTICLES) * FACTS_PER_ENTITY  # the crawl's stored groups must exist
    try:
        sizes = [positive_int(size) for size in args.sizes.split(",")]
    except ValueError:
        sizes = []
    if not sizes or min(sizes) < smallest:
        parser.error(f"--sizes must be integers of at least {smallest} separated by commas, got {args.sizes!r}")
    with tempfile.TemporaryDirectory(prefix="dgwatch-diff-") as scratch:
        results = [measure(size, Path(scratch)) for size in sizes]
    rows = [[f"{r['stored_facts']:,} stored", r["new_facts"], r["load_s"], r["store_s"], r["diff_s"],
             " ".join(f"{kind} {count}" for kind, count in r["changes"].items())] for r in results]
    report("diff of one crawl's new facts against the stored ones",
           ["stored facts", "new facts", "bulk load s", "store 100 articles s", "diff s", "changes"], rows,
           {"runs": results, "diff_s_at_largest": results[-1]["diff_s"], "goal_s": 0.5})


if __name__ == "__main__":
    main()
