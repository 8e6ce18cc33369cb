"""The extractor on real articles about doctor groups (../shared/corpus/facts): the floor reached in issue 15.

The articles go through the page pipeline as a user's would; names and facts must match
the hand-written gold exactly. The floor is what the extractor reached, so that a change
that loses any of it fails here; the goals are entity precision and recall >= 0.95, fact
precision >= 0.92 and fact recall >= 0.75.
"""
from __future__ import annotations

import json

import pytest

from bench import facts_eval
from conftest import needs_shared

ENTITY_PRECISION = 1.0
ENTITY_RECALL = 1.0
FACT_PRECISION = 1.0
FACT_RECALL = 1.0


@pytest.fixture(scope="module")
def corpus():
    needs_shared("corpus", "facts", "gold.jsonl")
    return facts_eval.score_corpus(needs_shared())


def test_entities_on_real_articles(corpus):
    assert corpus.entities.precision >= ENTITY_PRECISION, corpus.entities.extras
    assert corpus.entities.recall >= ENTITY_RECALL, corpus.entities.misses


def test_facts_on_real_articles(corpus):
    assert corpus.facts.precision >= FACT_PRECISION, corpus.facts.extras
    assert corpus.facts.recall >= FACT_RECALL, corpus.facts.misses


def test_negative_articles_give_no_facts(corpus):
    """Articles naming no doctor group (clinics, health firms, industry totals) yield nothing."""
    empty = [(document, facts.extras) for document, entities, facts in corpus.documents
             if entities.gold == 0 and facts.predicted]
    assert not empty


def test_bench_reports_the_corpus_per_attribute(capsys, corpus):
    assert facts_eval.main(["--verbose"]) == 0
    output = capsys.readouterr().out
    summary = json.loads(output.strip().splitlines()[-1])
    assert summary["corpus"]["fact_recall"] == round(corpus.facts.recall, 4)
    assert summary["corpus"]["entity_precision"] == round(corpus.entities.precision, 4)
    by_attribute = summary["attributes"]["corpus"]
    assert sum(row["gold"] for row in by_attribute.values()) == corpus.facts.gold
    assert sum(row["right"] for row in by_attribute.values()) == corpus.facts.tp
    assert all(f"fact missed: {miss}" in output for miss in corpus.facts.misses)
    assert all(f"fact extra: {extra}" in output for extra in corpus.facts.extras)
