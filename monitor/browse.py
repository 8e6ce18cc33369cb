"""`dgwatch serve`: Datasette over the dgwatch database, read-only, on 127.0.0.1.

Browsing never writes: every connection is opened by storage.db.read_only_uri, which
creates no file beside the database, and Datasette is given no way to write (no write
connection, no upload or insert plugin). Whether a crawl has the database open can change
while the server runs, so the way a connection was opened is checked before each query.
"""
from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any, Callable

import uvicorn
from datasette.app import Datasette
from datasette.database import Database, connections
from datasette.plugins import pm

from crawler.errors import DgwatchError
from monitor import browse_links
from monitor.browse_metadata import DATABASE, metadata
from storage.db import SCHEMA_VERSION, open_db, read_only_uri
from storage.schema import check_version

HOST = "127.0.0.1"


class ReadOnlyDatabase(Database):
    """A Datasette database whose connections read only and create no file (storage.db.read_only_uri).

    A connection opened as immutable (no crawl had the database open) is replaced by a
    mode=ro one once a crawl opens it, and the other way round, before the next query.
    """

    def __init__(self, ds: Datasette, path: Path):
        super().__init__(ds, path=str(path), is_mutable=True)
        self._uri_of: dict[int, str] = {}

    def connect(self, write: bool = False) -> sqlite3.Connection:
        if write:
            raise DgwatchError("dgwatch serve is read-only")
        uri = read_only_uri(self.path)
        conn = sqlite3.connect(uri, uri=True, check_same_thread=False)
        self._uri_of[id(conn)] = uri
        self._all_file_connections.append(conn)
        return conn

    async def execute_fn(self, fn: Callable[[sqlite3.Connection], Any]) -> Any:
        def on_current_connection(conn: sqlite3.Connection) -> Any:
            if self._uri_of.get(id(conn)) != read_only_uri(self.path):
                conn.close()
                conn = self.connect()
                self.ds._prepare_connection(conn, self.name)
                if self.ds.executor is None:
                    self._read_connection = conn
                else:
                    setattr(connections, self.name, conn)
            return fn(conn)

        return await super().execute_fn(on_current_connection)


def check_database(path: Path) -> None:
    """Raise DgwatchError unless `path` is a dgwatch database of the current schema.

    open_db refuses what is missing, not SQLite or from a newer dgwatch; an older one
    lacks tables the pages describe, and serve, reading only, cannot migrate it.
    """
    db = open_db(path, readonly=True)
    try:
        version = check_version(db, path)
    finally:
        db.close()
    if version < SCHEMA_VERSION:
        raise DgwatchError(f"{path} was written by an older dgwatch (schema {version}, now {SCHEMA_VERSION}); "
                           f"serve reads only: a crawl (`dgwatch crawl --db {path} …`) updates it")


def make_datasette(path: Path) -> Datasette:
    """Datasette over the database at `path` alone, read-only, with dgwatch's metadata and links."""
    check_database(path)
    if not pm.is_registered(browse_links):
        pm.register(browse_links, name="dgwatch-links")
    ds = Datasette(metadata=metadata(), settings={"default_page_size": 50, "truncate_cells_html": 120})
    ds.remove_database("_memory")
    ds.add_database(ReadOnlyDatabase(ds, path), name=DATABASE)
    return ds


def serve(ds: Datasette, port: int) -> None:
    """Serve `ds` on http://127.0.0.1:`port`/ until interrupted."""
    uvicorn.run(ds.app(), host=HOST, port=port, log_level="warning")
