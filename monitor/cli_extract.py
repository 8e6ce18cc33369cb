"""`dgwatch extract FILE-OR-URL --json`: what one page says, without touching a database."""
from __future__ import annotations

import mimetypes
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

import click

from crawler.errors import DgwatchError
from monitor.cli import emit_jsonl, main

FETCH_TIMEOUT = 20
_USER_AGENT = "dgwatch (+https://github.com/dgwatch)"


def fetch(url: str, timeout: float = FETCH_TIMEOUT) -> tuple[bytes, str | None]:
    """The body and Content-Type of `url`; DgwatchError naming the URL when unreachable."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.read(), response.headers.get("Content-Type")
    except urllib.error.HTTPError as exc:
        raise DgwatchError(f"{url}: HTTP {exc.code} {exc.reason}") from None
    except (urllib.error.URLError, OSError, ValueError) as exc:
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


def extract_page(source: str) -> dict[str, Any]:
    """The extract command's object for a file path or an http(s) URL."""
    is_url = source.startswith(("http://", "https://"))
    body, content_type = fetch(source) if is_url else read_file(source)
    url = source if is_url else Path(source).resolve().as_uri()
    # The extractor's libraries load here, not when the CLI starts: other commands stay quick.
    from crawler.facts import extract_facts
    from crawler.process import process_page

    page = process_page(body, url, content_type)
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
def extract_command(source: str, as_json: bool) -> None:
    """Print what one page says: title, date, author, body, entities and facts (no database)."""
    emit_jsonl([extract_page(source)])
