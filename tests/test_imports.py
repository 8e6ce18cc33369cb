"""The crawl process stays small: the extractor's libraries load only where pages are analysed."""
from __future__ import annotations

import subprocess
import sys

EXTRACTOR = ("trafilatura", "gne", "readability", "jieba", "datasketch", "scipy", "cn2an", "opencc")


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


def test_an_analysing_worker_starts_without_the_database_library():
    """Workers never open the database: they start without sqlite-utils (and what it brings)."""
    assert _loaded_after("import os; from crawler.workers import start_worker; start_worker({}, os.getppid())",
                         ("sqlite_utils", "datasketch", "scipy")) == []


def test_fingerprinting_needs_neither_datasketch_nor_scipy():
    assert _loaded_after("from crawler.dedup import fingerprint; fingerprint('星海医生集团成立于2015年')",
                         ("datasketch", "scipy")) == []


def test_a_command_loads_only_its_own_module():
    """`dgwatch crawl` starts without the report's templates, the daemon's scheduler or the demo."""
    run_crawl_help = ("import contextlib, io\nfrom monitor.cli import main\n"
                      "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
                      "    main(['crawl', '--help'])")
    others = ("monitor.cli_report", "monitor.cli_demo", "monitor.daemon", "monitor.report", "jinja2",
              "apscheduler.schedulers", "matplotlib", "apprise",
              "monitor.cli_serve", "datasette")
    assert _loaded_after(run_crawl_help, others + ("monitor.cli_crawl",)) == ["monitor.cli_crawl"]


def test_help_lists_every_command():
    from click.testing import CliRunner

    from monitor.cli import COMMAND_MODULES, main

    listed = CliRunner().invoke(main, ["--help"]).output.split("Commands:")[1]
    assert [line.split()[0] for line in listed.strip().splitlines()] == sorted(COMMAND_MODULES)


def test_apscheduler_loads_only_for_a_schedule(tmp_path):
    config = tmp_path / "c.toml"
    source = "[[sources]]\nname = 'a'\nstart_urls = ['http://127.0.0.1:9/']\narticle_pattern = 'x'\n"
    config.write_text(source, "utf-8")
    load = f"import crawler.runner\nfrom crawler.config import load_config\nload_config({str(config)!r})"
    assert _loaded_after(load, ("apscheduler",)) == []
    config.write_text(source + "schedule = '0 * * * *'\n", "utf-8")
    assert _loaded_after(load, ("apscheduler",)) == ["apscheduler"]


def test_the_report_loads_matplotlib_and_apprise_only_to_draw_and_send():
    assert _loaded_after("import monitor.cli_report, monitor.notifiers, monitor.charts, monitor.daemon",
                         ("matplotlib", "apprise")) == []
