"""Re-reading stored articles when a crawl learns a name the extractor cannot find alone."""
from __future__ import annotations

from crawler.facts import extract_facts
from storage.records import Entity, Extraction
from crawler.refresh import Refreshed, mentions_alone, names_added, own_mentions, refresh_for_new_names
from storage.db import open_db
from storage.facts import record_extraction
from storage.runs import start_run
from stored import store_article

EARLY = "哈特瑞姆心脏医疗集团目前拥有签约医生260名,合作医院45家。"


def _store(db, n: int, text: str, run_id: int) -> int:
    article_id = store_article(db, n, f"2022-01-0{n}", text, run_id=run_id)
    with db.conn:
        record_extraction(db, article_id, extract_facts(text, published=f"2022-01-0{n}"), run_id)
    return article_id


def test_only_names_the_extractor_cannot_find_alone_call_for_rereading(tmp_path):
    db = open_db(tmp_path / "d.db")
    run_id = start_run(db, ["t"])
    with db.conn:
        record_extraction(db, _store(db, 1, "卓信医生集团成立于2015年。", run_id), Extraction([Entity(
            "卓信医生集团", aliases=["卓信医师集团", "卓信", "卓信心脏医疗集团", "卓信名医集团"])]), run_id)
    assert names_added(db, set()) == {"卓信", "卓信心脏医疗集团"}
    assert names_added(db, {"卓信"}) == {"卓信心脏医疗集团"}


def test_an_article_read_before_the_name_was_known_gives_its_facts(tmp_path):
    db = open_db(tmp_path / "d.db")
    run_id = start_run(db, ["t"])
    _store(db, 1, EARLY, run_id)
    assert db.execute("SELECT count(*) FROM facts WHERE article_id = 1").fetchone()[0] == 0
    _store(db, 2, "哈特瑞姆医生集团近日正式更名为哈特瑞姆心脏医疗集团。", run_id)
    new_names = names_added(db, set())
    assert new_names == {"哈特瑞姆心脏医疗集团"}
    assert refresh_for_new_names(db, new_names, run_id) == Refreshed(reread=2, added=2)
    stored = {(row["attribute"], row["value"]) for row in db.query(
        "SELECT attribute, value FROM facts WHERE article_id = 1")}
    assert stored == {("doctors", "260"), ("partner_hospitals", "45")}
    assert refresh_for_new_names(db, new_names, run_id).added == 0


def test_a_new_name_read_only_inside_a_longer_known_name_calls_for_no_rereading():
    pattern = own_mentions({"卓信"}, ["卓信医生集团", "卓信", "星海医生集团"])
    assert not mentions_alone("卓信医生集团成立于2015年,卓信医生集团又签约。", pattern, {"卓信"})
    assert mentions_alone("卓信医生集团成立于2015年,卓信目前拥有医生120名。", pattern, {"卓信"})
    # A longer name that is not known does not hide it: the extractor would read 卓信 there.
    assert mentions_alone("卓信医疗器械公司成立。", pattern, {"卓信"})


def test_the_refresh_reads_again_only_the_articles_that_name_the_new_name_on_its_own(tmp_path):
    db = open_db(tmp_path / "d.db")
    run_id = start_run(db, ["t"])
    inside = _store(db, 1, "卓信医生集团由张明创办,卓信医生集团目前拥有签约医生100名。", run_id)
    alone = _store(db, 2, "卓信目前拥有签约医生120名,合作医院12家。", run_id)
    with db.conn:
        record_extraction(db, _store(db, 3, "卓信医生集团成立于2015年。", run_id),
                          Extraction([Entity("卓信医生集团", aliases=["卓信"])]), run_id)
    before = {article: db.execute("SELECT count(*) FROM facts WHERE article_id = ?", [article]).fetchone()[0]
              for article in (inside, alone)}
    assert before[alone] == 0
    assert refresh_for_new_names(db, names_added(db, set()), run_id) == Refreshed(reread=1, added=2)
    assert db.execute("SELECT count(*) FROM facts WHERE article_id = ?", [inside]).fetchone()[0] == before[inside]


def test_the_refresh_can_extract_in_an_analysing_worker_with_the_same_facts(tmp_path):
    from concurrent.futures import ProcessPoolExecutor
    import multiprocessing
    from functools import partial

    from crawler.workers import REFRESH_AHEAD, REFRESH_TASK, extract_all_in_pool

    # More articles than the refresh keeps in flight, so that tasks are sent, waited for and sent again.
    many = REFRESH_TASK * REFRESH_AHEAD + 3
    facts, refreshed = {}, {}
    for where in ("here", "worker"):
        db = open_db(tmp_path / f"{where}.db")
        run_id = start_run(db, ["t"])
        for n in range(many):
            store_article(db, 10 + n, "2022-01-01", f"哈特瑞姆心脏医疗集团目前拥有签约医生{200 + n}名。", run_id=run_id)
        _store(db, 1, "哈特瑞姆医生集团近日正式更名为哈特瑞姆心脏医疗集团。", run_id)
        if where == "here":
            refreshed[where] = refresh_for_new_names(db, names_added(db, set()), run_id)
        else:
            with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
                refreshed[where] = refresh_for_new_names(db, names_added(db, set()), run_id,
                                                         partial(extract_all_in_pool, pool))
        facts[where] = sorted(tuple(row) for row in db.execute(
            "SELECT article_id, attribute, value FROM facts ORDER BY article_id, attribute"))
    assert refreshed["worker"] == refreshed["here"] == Refreshed(reread=many + 1, added=many)
    assert facts["worker"] == facts["here"]
    assert len({value for _, attribute, value in facts["here"] if attribute == "doctors"}) == many


def test_articles_mentioning_a_name_are_found_through_the_index_or_for_a_short_name_by_reading(tmp_path):
    from storage.articles import _MENTIONING, originals_mentioning

    db = open_db(tmp_path / "d.db")
    for n, text in enumerate(["卓信心脏医疗集团成立。", "星海与卓信合作。", "没有这个名字。", "卓信心脏医疗集团又一篇。"], start=1):
        store_article(db, n, text=text)
    with db.conn:
        db.execute("UPDATE articles SET duplicate_of = 1 WHERE id = 4")  # a near-duplicate is not re-read
    assert [a.id for a in originals_mentioning(db, {"卓信心脏医疗集团"})] == [1]
    assert [a.id for a in originals_mentioning(db, {"卓信"})] == [1, 2]
    assert [a.id for a in originals_mentioning(db, {"星海", "没有这个"})] == [2, 3]
    # A name of three characters or more reads the trigram index, not every article's body.
    plan = " ".join(row[3] for row in db.execute(f"EXPLAIN QUERY PLAN {_MENTIONING}", ["卓信心脏"]))
    assert "VIRTUAL TABLE INDEX" in plan and "articles_fts" in plan


_CRAWL_AND_REPORT = """
import json, sys
from crawler.config import load_config
from monitor.record import crawl_and_record
summary = crawl_and_record(load_config(sys.argv[1]), sys.argv[2])
print(json.dumps({"refreshed": sorted(summary.names_refreshed), "extractor_here": "crawler.facts" in sys.modules}))
"""


def test_a_crawl_with_workers_refreshes_in_its_worker_and_the_crawl_process_never_loads_the_extractor(tmp_path):
    import json
    import subprocess
    import sys

    from conftest import DEMO_WEB, REPO, TEST_WEB, write_config
    from monitor.sites import serve

    with serve([TEST_WEB, DEMO_WEB]) as web:
        # The second state's articles rename 哈特瑞姆医生集团, a name of a kind the extractor finds only once known.
        web.set_state("state2")
        config = write_config(tmp_path / "sources.toml", web.base_url, names=("yijie", "gb", "tw"))
        result = subprocess.run([sys.executable, "-c", _CRAWL_AND_REPORT, str(config), str(tmp_path / "d.db")],
                                cwd=REPO, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"refreshed": ["哈特瑞姆心脏医疗集团"], "extractor_here": False}
