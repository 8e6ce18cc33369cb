"""Shared fixtures: the fixture web on 127.0.0.1, config files, and running `dgwatch` for real."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from monitor.sites import serve

TESTS = Path(__file__).resolve().parent
REPO = TESTS.parent
SHARED = REPO.parent / "shared"
DEMO_WEB = REPO / "monitor" / "demo" / "web"
TEST_WEB = TESTS / "fixtureweb"


def needs_shared(*parts: str) -> Path:
    """The path under ../shared, or skip the test when the shared folder is not beside the clone."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"../shared/{'/'.join(parts)} not present (only CI and the team have it)")
    return path


@pytest.fixture
def web():
    """The demo's sample sites and the test-only traps, served in state 1."""
    with serve([TEST_WEB, DEMO_WEB]) as sample_web:
        yield sample_web


SOURCES = {
    "yijie": ("/yijie/news/index.html", r"/yijie/news/\d+\.html$", r"/yijie/news/index_\d+\.html$", None),
    "gb": ("/gb/list.html", r"/gb/article/\d+\.html$", None, None),
    "tw": ("/tw/index.html", r"/tw/p/\d+\.html$", None, None),
    "traps": ("/traps/news/index.html", r"/traps/news/a?\d+\.html$", None, None),
    "slow": ("/slow/index.html", r"/slow/a/\d+\.html$", None, None),
}


def write_config(path: Path, base_url: str, names=("yijie", "gb", "tw", "traps"), extra: str = "",
                 timeout: float = 1.0) -> Path:
    """A config for the fixture web with no politeness delay and a short timeout."""
    lines = [f"[crawl]\ndelay = 0\ntimeout = {timeout}\nretries = 0\nconcurrency_per_domain = 4\n"]
    for name in names:
        start, article, follow, encoding = SOURCES[name]
        lines.append(f'[[sources]]\nname = "{name}"\nstart_urls = ["{base_url}{start}"]\n'
                     f"article_pattern = '{article}'\n" + (f"follow_pattern = '{follow}'\n" if follow else "")
                     + (f'encoding = "{encoding}"\n' if encoding else ""))
    path.write_text("\n".join(lines) + extra, "utf-8")
    return path


def dgwatch(*args: str, cwd: Path | None = None, timeout: float = 120, env: dict | None = None,
            check: bool = False) -> subprocess.CompletedProcess:
    """Run `python -m monitor ARGS` as a user would, capturing text output."""
    run_env = dict(os.environ, PYTHONIOENCODING="utf-8", **(env or {}))
    result = subprocess.run([sys.executable, "-m", "monitor", *args], cwd=cwd, capture_output=True,
                            text=True, encoding="utf-8", timeout=timeout, env=run_env)
    if check and result.returncode != 0:
        raise AssertionError(f"dgwatch {' '.join(args)} exited {result.returncode}:\n{result.stderr}")
    return result
