"""The numpy Viterbi finds jieba's own part-of-speech routes, on the project's sample articles and on random text."""
from __future__ import annotations

import random
import re
from pathlib import Path

import jieba.posseg
import pytest
from jieba.posseg.viterbi import viterbi as jieba_viterbi

from crawler.facts.names import tokens
from crawler.facts.viterbi import PosModel, viterbi

REPO = Path(__file__).resolve().parent.parent
SAMPLES = [REPO / "monitor" / "demo" / "web", REPO / "tests" / "fixtureweb"]
TABLES = (jieba.posseg.char_state_tab_P, jieba.posseg.start_P, jieba.posseg.trans_P, jieba.posseg.emit_P)


def _runs() -> list[str]:
    """Runs of Chinese characters cut at varying lengths from the sample articles, and random ones
    (characters jieba has no entry for included)."""
    text = "".join(path.read_text(encoding="utf-8", errors="replace")
                   for root in SAMPLES for path in sorted(root.rglob("*.html")))
    runs = set()
    for line in re.findall("[\u4e00-\u9fd5]+", text):
        runs.update(line[start:start + 1 + start % 9] for start in range(0, len(line), 3))
    chance = random.Random(20)
    characters = [chr(code) for code in range(0x4E00, 0x9FD6)]
    runs.update("".join(chance.choice(characters) for _ in range(chance.randint(1, 10))) for _ in range(200))
    return sorted(runs)


@pytest.fixture(scope="module")
def model() -> PosModel:
    return PosModel(*TABLES)


def test_routes_and_scores_are_jiebas(model):
    runs = _runs()
    assert len(runs) > 600
    differing = [run for run in runs if viterbi(run, model) != tuple(jieba_viterbi(run, *TABLES))]
    assert differing == []


def test_ties_go_to_the_greatest_state_as_in_jieba():
    # Two states with the same scores everywhere: jieba's max over (score, state) keeps the greater.
    start = {("B", "a"): -1.0, ("B", "b"): -1.0, ("E", "a"): -1.0, ("E", "b"): -1.0}
    trans = {state: {("E", "a"): -1.0, ("E", "b"): -1.0} for state in start}
    emit = {state: {} for state in start}
    tables = ({}, start, trans, emit)
    assert viterbi("甲乙", PosModel(*tables)) == tuple(jieba_viterbi("甲乙", *tables))
    assert viterbi("甲乙", PosModel(*tables))[1] == [("E", "b"), ("E", "b")]


def test_the_tokenizer_cuts_unknown_names_as_jieba_does():
    for sentence in ("由丁英领衔的明川医生集团", "禾正脑科医生集团创始人章建全", "朗月医生集团与岚山医院签约"):
        ours = tokens(sentence)  # loads the tokenizer, and with it the words jieba.posseg.dt is given
        assert ours == tuple((pair.word, pair.flag) for pair in jieba.posseg.dt.cut(sentence, HMM=True))
