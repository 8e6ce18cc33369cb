"""The extractor against the development gold set: the goals of issue 3."""
from __future__ import annotations

import json

import pytest

from bench import facts_eval
from conftest import needs_shared


@pytest.fixture(scope="module")
def scores():
    gold_file = needs_shared("dev", "seed-gold.jsonl")
    seeds = needs_shared("seeds")
    entities, facts = facts_eval.Score(), facts_eval.Score()
    for line in gold_file.read_text(encoding="utf-8").splitlines():
        if line.strip():
            seed_entities, seed_facts = facts_eval.score_seed(json.loads(line), seeds)
            entities.merge(seed_entities)
            facts.merge(seed_facts)
    return entities, facts


def test_entity_f1(scores):
    entities, _ = scores
    assert entities.f1 >= 0.95


def test_fact_precision(scores):
    _, facts = scores
    assert facts.precision >= 0.95


def test_fact_recall(scores):
    _, facts = scores
    assert facts.recall >= 0.85


def test_bench_prints_a_table_and_a_json_summary(capsys, scores):
    needs_shared("dev", "seed-gold.jsonl")
    assert facts_eval.main([]) == 0
    output = capsys.readouterr().out
    summary = json.loads(output.strip().splitlines()[-1])
    entities, facts = scores
    assert summary["entity_f1"] == round(entities.f1, 4)
    assert summary["fact_precision"] == round(facts.precision, 4)
    assert summary["fact_recall"] == round(facts.recall, 4)
    assert summary["seeds"] == output.count(".txt") > 0
    assert "total" in output


def test_bench_skips_without_shared(tmp_path, capsys):
    assert facts_eval.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "not present" in capsys.readouterr().out
