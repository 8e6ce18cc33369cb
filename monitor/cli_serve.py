"""Command: `dgwatch serve`."""
from __future__ import annotations

from pathlib import Path

import click

from monitor.browse import DATABASE, HOST, make_datasette, serve
from monitor.cli import config_option, database_path, db_option, load_optional_config, main


@main.command("serve")
@click.option("--port", type=click.IntRange(1, 65535), default=8001, show_default=True,
              help="Port on 127.0.0.1.")
@config_option(required=False)
@db_option
def serve_command(port: int, config_path: str | None, db: str | None) -> None:
    """Browse the database in a web page (Datasette, read-only, on 127.0.0.1)."""
    path = Path(database_path(db, load_optional_config(config_path)))
    ds = make_datasette(path)
    click.echo(f"dgwatch: serving {path} read-only at http://{HOST}:{port}/{DATABASE} (Ctrl-C stops)", err=True)
    serve(ds, port)
