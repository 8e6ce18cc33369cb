"""jieba's tables are built once, then loaded from one cache file, to the same words and tags."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# What a process that extracts facts sees of jieba's tables, and how it cuts.
PROBE = """
import hashlib, json
from crawler.facts.names import _posseg, tokens
tokenizer = _posseg()  # before anything else imports jieba.posseg, as in a worker
import jieba, jieba.posseg
tables = (sorted(jieba.dt.FREQ.items()), jieba.dt.total, sorted(tokenizer.word_tag_tab.items()))
words = {id(word) for word in jieba.dt.FREQ}
print(json.dumps({
    "tables": hashlib.sha256(repr(tables).encode()).hexdigest(),
    "shared": all(id(word) in words for word in tokenizer.word_tag_tab),
    "default_dictionary": jieba.dt.dictionary is None and jieba.posseg.dt.word_tag_tab is tokenizer.word_tag_tab,
    "tokens": [tokens(s) for s in ("由丁英领衔的明川医生集团擅长运动医学", "禾正脑科医生集团与岚山医院签约")],
}))
"""


def _probe(tmp: Path) -> dict:
    env = dict(os.environ, TMPDIR=str(tmp), PYTHONPATH=str(REPO))
    result = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, env=env, check=True)
    return json.loads(result.stdout)


def test_the_cached_tables_are_the_built_ones(tmp_path):
    built = _probe(tmp_path)
    cached_files = list(tmp_path.glob("dgwatch-jieba-*.cache"))
    assert len(cached_files) == 1
    loaded = _probe(tmp_path)
    assert loaded == built
    assert loaded["shared"]  # each word held once, by both tables
    assert loaded["default_dictionary"]
    assert ["运动医学", "n"] in loaded["tokens"][0]  # the added terms are in the cached tables too


def test_a_damaged_cache_file_is_built_again(tmp_path):
    built = _probe(tmp_path)
    [cache] = tmp_path.glob("dgwatch-jieba-*.cache")
    cache.write_bytes(cache.read_bytes()[:1000])
    assert _probe(tmp_path) == built
    assert cache.stat().st_size > 1_000_000
