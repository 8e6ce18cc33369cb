"""`dgwatch extract FILE-OR-URL --json`: what one page says, without touching a database."""
from __future__ import annotations

import http.client
import mimetypes
import signal
import urllib.error
import urllib.request
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Any, Iterator

import click

from crawler.config import CrawlSettings
from crawler.errors import DgwatchError
from monitor.cli import emit_jsonl, main

FETCH_TIMEOUT = 20
_USER_AGENT = "dgwatch (+https://github.com/dgwatch)"
_CHUNK = 65536


class _Expired(Exception):
    pass


@contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise _Expired in this (the main) thread after `seconds`, whatever it is blocked in.

    A socket timeout bounds each read, not the whole: a server that sends a byte a
    second would hold the command for ever.
    """
    def expire(signum, frame):
        raise _Expired

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _read_capped(response, url: str, max_bytes: int) -> bytes:
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise DgwatchError(f"{url}: page larger than {max_bytes // 2**20} MB ({declared} bytes announced); not read")
    chunks, size = [], 0
    while chunk := response.read1(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise DgwatchError(f"{url}: page larger than {max_bytes // 2**20} MB; not read further")
        chunks.append(chunk)
    if declared.isdigit() and size < int(declared):
        raise http.client.IncompleteRead(b"".join(chunks), int(declared) - size)
    return b"".join(chunks)


def fetch(url: str, timeout: float = FETCH_TIMEOUT,
          max_bytes: int = int(CrawlSettings().max_page_mb * 2**20)) -> tuple[bytes, str | None]:
    """The body and Content-Type of `url`, within `timeout` seconds in all and `max_bytes`
    (the crawl's default page limit); DgwatchError naming the URL otherwise.

    Call it from the main thread: the deadline is a SIGALRM timer.
    """
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with _deadline(timeout), urllib.request.urlopen(request, timeout=timeout) as response:
            return _read_capped(response, url, max_bytes), response.headers.get("Content-Type")
    except _Expired:
        raise DgwatchError(f"{url}: no complete answer within {timeout:g} s") from None
    except urllib.error.HTTPError as exc:
        raise DgwatchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except http.client.IncompleteRead as exc:
        raise DgwatchError(f"{url}: the connection closed after {len(exc.partial)} bytes, "
                           f"{exc.expected} short of the page") from None
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as exc:
        reason = getattr(exc, "reason", exc)
        raise DgwatchError(f"{url}: unreachable ({reason})") from None


def read_file(path: str) -> tuple[bytes, str | None]:
    """The bytes of a local file and a Content-Type guessed from its name (None if unknown)."""
    try:
        body = Path(path).read_bytes()
    except OSError as exc:
        raise DgwatchError(f"{path}: cannot read ({exc.strerror or exc})") from None
    guessed, _ = mimetypes.guess_type(path)
    return body, guessed


def extract_page(source: str, timeout: float = FETCH_TIMEOUT) -> dict[str, Any]:
    """The extract command's object for a file path or an http(s) URL (fetched within `timeout` seconds)."""
    is_url = source.startswith(("http://", "https://"))
    body, content_type = fetch(source, timeout) if is_url else read_file(source)
    url = source if is_url else Path(source).resolve().as_uri()
    # The extractor's libraries load here, not when the CLI starts: other commands stay quick.
    from crawler.facts import extract_facts
    from crawler.process import process_page

    # Read or fetched today: a date after today on the page is not its publication date.
    page = process_page(body, url, content_type, crawled_at=date.today())
    extraction = extract_facts(page.normalised, published=page.published, url=page.url)
    return {
        "title": page.title,
        "published": page.published,
        "author": page.author,
        "text": page.normalised,
        "entities": [entity.name for entity in extraction.entities],
        "facts": [fact.to_json() for fact in extraction.facts],
    }


@main.command("extract")
@click.argument("source", metavar="FILE-OR-URL")
@click.option("--json", "as_json", is_flag=True, default=True,
              help="Print one JSON object (the only output format).")
@click.option("--timeout", type=click.FloatRange(min=0.1, max=3600), default=FETCH_TIMEOUT, show_default=True,
              help="Seconds a URL may take in all, connecting and reading.")
def extract_command(source: str, as_json: bool, timeout: float) -> None:
    """Print what one page says: title, date, author, body, entities and facts (no database)."""
    emit_jsonl([extract_page(source, timeout)])
