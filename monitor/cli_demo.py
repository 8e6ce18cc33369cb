"""Command: `dgwatch demo`."""
from __future__ import annotations

from pathlib import Path

import click

from monitor.cli import main
from monitor.demo import demo


@main.command("demo")
@click.option("--keep", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Work in this directory and keep its database and config (default: a temporary one).")
@click.option("--html", "html_path", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Where to write the HTML report (default: ./dgwatch-demo-report.html).")
def demo_command(keep: Path | None, html_path: Path | None) -> None:
    """Run the whole loop offline on the bundled sample sites, in two states, ending with the report."""
    demo(keep, html_path)
