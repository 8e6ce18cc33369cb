"""Spec section 4: the diff core (pure) and the diff over a real SQLite file."""
from __future__ import annotations

import json

from hypothesis import given, settings, strategies as st

from storage.records import Entity, Extraction, Fact
from monitor.diff import diff_facts, diff_pending
from storage.current import StoredFact
from stored import store_article
from storage.db import open_db
from storage.facts import current_facts, list_entities, record_extraction
from storage.runs import start_run


def fact(fact_id, value, published, attribute="partner_hospitals", entity_id=1):
    return StoredFact(fact_id, entity_id, attribute, json.dumps(value, ensure_ascii=False), "", published)


def current_of(*facts):
    return {f.key: f for f in facts}


def test_a_new_attribute_of_a_known_entity_is_a_new_fact():
    result = diff_facts([fact(2, 33, "2021-05-20")], {}, new_entities=set())
    assert [(kind, new.fact_id, old) for kind, new, old in result.changes] == [("new_fact", 2, None)]


def test_a_newer_different_value_is_changed_with_old_and_new():
    old = fact(1, 33, "2021-05-20")
    result = diff_facts([fact(2, 40, "2022-03-01")], current_of(old), set())
    ((kind, new, was),) = result.changes
    assert (kind, json.loads(new.value_json), json.loads(was.value_json)) == ("changed", 40, 33)


def test_the_same_value_again_only_corroborates():
    old = fact(1, 33, "2021-05-20")
    result = diff_facts([fact(2, 33, "2022-01-01")], current_of(old), set())
    assert result.changes == []
    assert result.current[old.key].fact_id == 2  # the newer source now backs the value


def test_an_older_article_with_another_value_is_history():
    old = fact(1, 33, "2021-05-20")
    result = diff_facts([fact(2, 5, "2019-01-10")], current_of(old), set())
    assert result.changes == [] and result.current == {}


def test_an_undated_article_never_overrides_a_dated_one():
    old = fact(1, 33, "2021-05-20")
    assert diff_facts([fact(2, 99, None)], current_of(old), set()).changes == []


def test_one_change_per_slot_per_crawl_from_before_to_after():
    old = fact(1, 33, "2021-05-20")
    pending = [fact(3, 45, "2022-06-01"), fact(2, 40, "2022-03-01")]
    ((kind, new, was),) = diff_facts(pending, current_of(old), set()).changes
    assert (kind, json.loads(was.value_json), json.loads(new.value_json)) == ("changed", 33, 45)


def test_a_value_that_comes_back_within_one_crawl_is_no_change():
    old = fact(1, 33, "2021-05-20")
    assert diff_facts([fact(2, 40, "2022-03-01"), fact(3, 33, "2022-06-01")], current_of(old), set()).changes == []


def test_set_valued_attributes_add_new_facts():
    held = fact(1, "星海心脏中心", "2021-01-01", attribute="facility")
    result = diff_facts([fact(2, "星海胸痛中心", "2020-01-01", attribute="facility"),
                         fact(3, "星海心脏中心", "2022-01-01", attribute="facility")], current_of(held), set())
    assert [(k, json.loads(n.value_json)) for k, n, _ in result.changes] == [("new_fact", "星海胸痛中心")]


def test_a_new_entity_gets_no_per_fact_changes():
    result = diff_facts([fact(1, 33, "2021-05-20", entity_id=7)], {}, new_entities={7})
    assert result.changes == []
    assert [f.fact_id for f in result.new_entities[7]] == [1]


# --- over a real database -------------------------------------------------------------

def crawl_articles(db, articles):
    """Store `articles` — (n, published, Extraction) — as one crawl and diff it."""
    run_id = start_run(db, ["t"])
    with db.conn:
        for n, published, extraction in articles:
            for f in extraction.facts:
                f.published, f.url = published, f"http://example.test/{n}.html"
            record_extraction(db, store_article(db, n, published), extraction, run_id, published)
    return diff_pending(db, run_id, detected_at=f"2026-11-2{run_id}T00:00:00+00:00")


def ex(name, *facts, aliases=()):
    return Extraction([Entity(name, aliases=list(aliases))], [Fact(name, a, v) for a, v in facts])


HAT = "哈特瑞姆医生集团"
NEW_NAME = "哈特瑞姆心脏医疗集团"


def test_first_crawl_announces_each_entity_once_with_its_facts(tmp_path):
    db = open_db(tmp_path / "d.db")
    changes = crawl_articles(db, [(1, "2021-05-20", ex(HAT, ("partner_hospitals", 33), ("doctors", 170)))])
    ((change,),) = [changes]
    assert change.kind == "new_entity" and change.entity == HAT
    assert {(f["attribute"], f["value"]) for f in change.facts} == {("partner_hospitals", 33), ("doctors", 170)}
    assert crawl_articles(db, [(2, "2021-06-01", ex(HAT, ("partner_hospitals", 33)))]) == []


def test_a_rename_merges_two_known_names_into_one_entity(tmp_path):
    db = open_db(tmp_path / "d.db")
    crawl_articles(db, [(1, "2021-05-20", ex(HAT, ("partner_hospitals", 33))),
                        (2, "2021-04-01", ex(NEW_NAME, ("patients_managed", 30000)))])
    changes = crawl_articles(db, [(3, "2021-05-25", ex(HAT, ("renamed_to", NEW_NAME), aliases=[NEW_NAME]))])
    assert [(c.kind, c.entity, c.old, c.new) for c in changes] == [("renamed", HAT, HAT, NEW_NAME)]
    assert changes[0].current_name == NEW_NAME
    (entity,) = list_entities(db)
    assert entity["entity"] == HAT and entity["current_name"] == NEW_NAME and NEW_NAME in entity["aliases"]
    # A later article under the new name updates the same entity.
    changes = crawl_articles(db, [(4, "2022-09-01", ex(NEW_NAME, ("patients_managed", 50000)))])
    assert [(c.kind, c.entity, c.old, c.new) for c in changes] == [("changed", HAT, 30000, 50000)]
    assert {f.attribute: f.value for f in current_facts(db, NEW_NAME)}["patients_managed"] == 50000


def test_facts_of_an_undiffed_crawl_are_diffed_by_the_next(tmp_path):
    db = open_db(tmp_path / "d.db")
    crawl_articles(db, [(1, "2021-05-20", ex(HAT, ("partner_hospitals", 33)))])
    run_id = start_run(db, ["t"])
    killed = ex(HAT, ("partner_hospitals", 40))
    killed.facts[0].published = "2022-03-01"
    with db.conn:  # a crawl killed after storing, before its diff
        record_extraction(db, store_article(db, 2, "2022-03-01"), killed, run_id)
    changes = crawl_articles(db, [])
    assert [(c.kind, c.old, c.new) for c in changes] == [("changed", 33, 40)]


ARTICLES = [
    (1, "2021-05-20", ex(HAT, ("partner_hospitals", 33), ("doctors", 170))),
    (2, "2022-03-01", ex(HAT, ("partner_hospitals", 40))),
    (3, "2019-01-10", ex(HAT, ("partner_hospitals", 5), ("facility", "德州心脏病医院"))),
    (4, "2021-05-25", ex(HAT, ("renamed_to", NEW_NAME), aliases=[NEW_NAME])),
    (5, "2022-09-01", ex(NEW_NAME, ("patients_managed", 50000), ("facility", "哈特瑞姆德州医院"))),
    (6, None, ex("星海医生集团", ("doctors", 120))),
    (7, "2021-03-10", ex("星海医生集团", ("doctors", 110), ("founded", "2015"))),
    (8, "2021-03-10", ex("星海医生集团", ("doctors", 130))),
]


def _final_state(tmp_path, order, batch):
    db = open_db(tmp_path)
    articles = [ARTICLES[i] for i in order]
    for start in range(0, len(articles), batch):
        crawl_articles(db, [(n, p, Extraction([Entity(e.name, aliases=list(e.aliases)) for e in x.entities],
                                              [Fact(f.entity, f.attribute, f.value) for f in x.facts]))
                            for n, p, x in articles[start:start + batch]])
    state = {(f.current_name, f.attribute, json.dumps(f.value, ensure_ascii=False)) for f in current_facts(db)}
    again = crawl_articles(db, [])
    db.close()
    return state, again


@settings(max_examples=25, deadline=None)
@given(order=st.permutations(range(len(ARTICLES))), batch=st.integers(min_value=1, max_value=len(ARTICLES)))
def test_any_order_of_the_same_articles_ends_with_the_same_current_facts(tmp_path_factory, order, batch):
    expected, _ = _final_state(tmp_path_factory.mktemp("ref") / "d.db", range(len(ARTICLES)), len(ARTICLES))
    state, again = _final_state(tmp_path_factory.mktemp("shuffled") / "d.db", order, batch)
    assert state == expected
    assert again == []
    assert (NEW_NAME, "partner_hospitals", "40") in state
    assert ("星海医生集团", "doctors", "130") in state
