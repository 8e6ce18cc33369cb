"""The links of each listing page as last extracted, keyed by a digest of the page.

A listing page that comes back byte for byte as before (a 304 served from the HTTP
cache, or the same 200 from a site that sends no validators) has the same links, and
reading them back costs a lookup where extracting them again cost most of what an
unchanged listing page takes. The digest covers the extraction's patterns as well as
the page, so a changed source or page is always extracted afresh.
"""
from __future__ import annotations

import sqlite_utils


def remembered_links(db: sqlite_utils.Database, url: str, digest: str) -> list[str] | None:
    """The links last extracted from the listing at `url`, if that page had this `digest`; else None."""
    row = db.execute("SELECT links FROM listing_links WHERE url = ? AND digest = ?", [url, digest]).fetchone()
    if row is None:
        return None
    return row[0].split("\n") if row[0] else []


def remember_links(db: sqlite_utils.Database, url: str, digest: str, links: list[str]) -> None:
    """Remember the links extracted from the listing at `url` whose page had `digest`."""
    with db.conn:
        db.execute("INSERT INTO listing_links (url, digest, links) VALUES (?, ?, ?) "
                   "ON CONFLICT(url) DO UPDATE SET digest = excluded.digest, links = excluded.links",
                   [url, digest, "\n".join(links)])
