"""The extractor against the development gold set: the goals of issue 3."""
from __future__ import annotations

import json
import sys

import pytest

from conftest import REPO, needs_shared

sys.path.insert(0, str(REPO / "bench"))
import facts_eval  # noqa: E402


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


def test_bench_prints_a_table_and_a_json_summary(capsys):
    needs_shared("dev", "seed-gold.jsonl")
    assert facts_eval.main([]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    summary = json.loads(lines[-1])
    rows = [line for line in lines if ".txt" in line]
    assert summary["seeds"] == len(rows) > 0
    assert lines[0].split()[:3] == ["seed", "ent", "P"]
    assert lines[-2].startswith("total")
    assert summary["fact_precision"] == pytest.approx(float(lines[-2].split()[4]), abs=0.005)


def test_bench_skips_without_shared(tmp_path, capsys):
    assert facts_eval.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "not present" in capsys.readouterr().out
