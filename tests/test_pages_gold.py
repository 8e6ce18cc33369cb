"""Body, chrome, title and date on the real news pages of ../shared/corpus/pages (issue 14's goals)."""
from __future__ import annotations

import json

import pytest

from bench import pages_eval
from conftest import needs_shared

FLOOR = 0.95


@pytest.fixture(scope="module")
def tallies():
    return pages_eval.score(needs_shared("corpus", "pages"))


@pytest.mark.parametrize("check", pages_eval.CHECKS)
def test_dgwatch_reaches_the_floor(tallies, check):
    tally = tallies["dgwatch"]
    assert tally.share(check) >= FLOOR, [f for f in tally.failures if f.endswith(check)]


@pytest.mark.parametrize("alone", ["trafilatura", "gne", "readability"])
def test_dgwatch_beats_each_extractor_alone(tallies, alone):
    ours, theirs = tallies["dgwatch"], tallies[alone]
    assert all(ours.passed[c] >= theirs.passed[c] for c in pages_eval.CHECKS)
    assert sum(ours.passed.values()) > sum(theirs.passed.values())


def test_bench_prints_a_table_and_a_json_summary(capsys, tallies):
    assert pages_eval.main(["--shared", str(needs_shared("corpus", "pages").parents[1])]) == 0
    output = capsys.readouterr().out
    summary = json.loads(output.strip().splitlines()[-1])
    for name, tally in tallies.items():
        assert summary[name]["pages"] == tally.pages > 0
        assert summary[name]["body"] == round(tally.share("body"), 4)
        assert name in output


def test_bench_skips_without_shared(tmp_path, capsys):
    assert pages_eval.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "not present" in capsys.readouterr().out
