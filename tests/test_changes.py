"""Issue 4 end to end: the fixture web in two states, crawled twice, records exactly the expected changes."""
from __future__ import annotations

import json

import pytest

from conftest import DEMO_WEB, TEST_WEB, dgwatch, write_config
from monitor.sites import serve

HAT = "哈特瑞姆医生集团"
EXPECTED_SECOND_CRAWL = {
    ("changed", HAT, "partner_hospitals", 33, 40),
    ("changed", HAT, "doctors", 170, 200),
    ("changed", HAT, "patients_managed", 30000, 50000),  # stated under the new name
    ("renamed", HAT, "renamed_to", HAT, "哈特瑞姆心脏医疗集团"),
    ("new_entity", "仁心医生集团", None, None, "仁心医生集团"),
    ("new_fact", "华康心血管医生集团", "patients_managed", None, 20000),
}
SPEC_CHANGE_KEYS = {"kind", "entity", "attribute", "old", "new", "published", "url", "evidence", "detected_at"}
SPEC_FACT_KEYS = {"entity", "attribute", "value", "approx", "published", "url", "evidence"}


def _jsonl(result):
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines() if line.strip()]


@pytest.fixture(scope="module")
def two_states(tmp_path_factory):
    """The sample sites crawled in state 1, then in state 2; tests below only read the result
    (except the third-crawl test, which runs last and adds a run with no changes)."""
    tmp_path = tmp_path_factory.mktemp("two_states")
    with serve([TEST_WEB, DEMO_WEB]) as web:
        config = write_config(tmp_path / "sources.toml", web.base_url, names=("yijie", "gb", "tw"))
        db = tmp_path / "dgwatch.db"
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        first = _jsonl(dgwatch("changes", "--json", "--db", str(db)))
        web.set_state("state2")
        dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
        yield config, db, first, web


def test_first_crawl_announces_every_group_once(two_states):
    _, _, first, _ = two_states
    assert {c["kind"] for c in first} == {"new_entity"}
    assert sorted(c["entity"] for c in first) == sorted(
        ["星海医生集团", HAT, "中国医生集团联盟", "晨光医生集团", "华康心血管医生集团"])


def test_second_state_records_exactly_the_expected_changes(two_states):
    _, db, first, _ = two_states
    changes = [c for c in _jsonl(dgwatch("changes", "--json", "--db", str(db))) if c["run_id"] == 2]
    found = {(c["kind"], c["entity"], c["attribute"], c["old"], c["new"]) for c in changes}
    assert found == EXPECTED_SECOND_CRAWL
    assert len(changes) == len(EXPECTED_SECOND_CRAWL)
    for change in changes:
        assert SPEC_CHANGE_KEYS <= change.keys()
        assert change["url"] and change["published"]
        if change["kind"] != "new_entity":
            assert change["evidence"]
    renamed = next(c for c in changes if c["kind"] == "renamed")
    assert renamed["published"] == "2021-05-25"


def test_the_reprint_raises_nothing_and_is_linked(two_states):
    _, db, _, _ = two_states
    import sqlite3

    with sqlite3.connect(db) as conn:
        ((original,),) = conn.execute("SELECT id FROM articles WHERE url LIKE '%/yijie/news/101.html'").fetchall()
        ((duplicate_of,),) = conn.execute("SELECT duplicate_of FROM articles WHERE url LIKE '%/gb/article/2002.html'")
        assert duplicate_of == original
        assert conn.execute("SELECT count(*) FROM facts f JOIN articles a ON a.id = f.article_id "
                            "WHERE a.duplicate_of IS NOT NULL").fetchone()[0] == 0


def test_the_late_older_article_is_history_not_a_change(two_states):
    _, db, _, _ = two_states
    facts = _jsonl(dgwatch("facts", "--json", "--entity", "星海医生集团", "--db", str(db)))
    current = {f["attribute"]: f for f in facts if f["attribute"] not in ("facility", "founder")}
    assert current["partner_hospitals"]["value"] == 10  # the 2019 article said 5
    assert current["partner_hospitals"]["published"] == "2021-03-10"
    for fact in facts:
        assert SPEC_FACT_KEYS <= fact.keys()


def test_entities_carry_aliases_and_the_current_name(two_states):
    _, db, _, _ = two_states
    entities = {e["entity"]: e for e in _jsonl(dgwatch("entities", "--json", "--db", str(db)))}
    assert entities[HAT]["current_name"] == "哈特瑞姆心脏医疗集团"
    assert "哈特瑞姆心脏医疗集团" in entities[HAT]["aliases"]
    assert "哈特瑞姆心脏医疗集团" not in entities


def test_changes_since_filters_by_detection_time(two_states):
    _, db, _, _ = two_states
    assert _jsonl(dgwatch("changes", "--json", "--since", "2999-01-01", "--db", str(db))) == []
    assert len(_jsonl(dgwatch("changes", "--json", "--since", "2000-01-01", "--db", str(db)))) >= 11


def test_a_third_crawl_of_the_same_content_records_nothing(two_states):
    config, db, _, web = two_states
    web.clear_log()
    dgwatch("crawl", "--config", str(config), "--db", str(db), check=True)
    assert web.downloads("/yijie/news/1") == []
    assert [c for c in _jsonl(dgwatch("changes", "--json", "--db", str(db))) if c["run_id"] == 3] == []
