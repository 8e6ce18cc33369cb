"""The crawl process stays small: the extractor's libraries load only where pages are analysed."""
from __future__ import annotations

import subprocess
import sys

EXTRACTOR = ("trafilatura", "jieba", "datasketch", "scipy", "cn2an", "opencc")


def _loaded_after(statement: str, watched: tuple[str, ...]) -> list[str]:
    """Which of `watched` a fresh interpreter has imported after running `statement`."""
    probe = f"import sys\n{statement}\nprint(' '.join(m for m in {watched!r} if m in sys.modules))"
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    return result.stdout.split()


def test_the_crawl_process_imports_no_extractor_library():
    assert _loaded_after("import crawler.runner, crawler.pipelines, crawler.workers, storage.neardup",
                         EXTRACTOR) == []


def test_the_command_line_starts_without_scrapy_or_the_extractor():
    assert _loaded_after("import monitor.cli_crawl, monitor.cli_extract, monitor.cli_facts",
                         EXTRACTOR + ("scrapy",)) == []


def test_analysis_does_load_them():
    """The probe sees imports at all: analysing a page brings the extractor in."""
    assert _loaded_after("from crawler.analyse import warm_up; warm_up()", ("trafilatura", "jieba")) == [
        "trafilatura", "jieba"]
