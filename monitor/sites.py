"""A static web server for sample sites: the demo's offline web and the tests' fixture web.

It serves one or more layered directory trees on 127.0.0.1 with what a crawler needs to
be tested against: ETag and Last-Modified validators answered with 304, and per-path
rules in each tree's `_rules.json` (charset or none in the header, a status code, a
delay, a redirect, a content type, a content encoding the file is stored in). A tree may hold state directories (`state1/`,
`state2/` …) laid over its base files, and the state can be switched while it runs.
Every request is logged, so tests can assert what a crawl downloaded.
"""
from __future__ import annotations

import hashlib
import json
import mimetypes
import sys
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from email.utils import formatdate, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

RULES_FILE = "_rules.json"
# Fixed per state so that validators are stable across runs and machines.
_EPOCH = 1_700_000_000


@dataclass
class Hit:
    """One request the server answered."""

    method: str
    path: str
    status: int
    conditional: bool


@dataclass
class SiteTree:
    """One directory of sites: base files, optional state overlays and path rules."""

    root: Path
    rules: dict[str, dict] = field(default_factory=dict)

    @classmethod
    def load(cls, root: Path) -> "SiteTree":
        rules_path = root / RULES_FILE
        rules = json.loads(rules_path.read_text("utf-8")) if rules_path.exists() else {}
        return cls(root, rules)

    def find(self, path: str, state: str | None) -> Path | None:
        relative = path.lstrip("/")
        if not relative or relative.endswith("/"):
            relative += "index.html"
        candidates = ([self.root / state / "site" / relative] if state else []) + [self.root / "site" / relative]
        for candidate in candidates:
            if candidate.is_file() and candidate.resolve().is_relative_to(self.root.resolve()):
                return candidate
        return None

    def rule(self, path: str, state: str | None) -> dict:
        """The rules for `path`: every matching prefix, longest last; state rules override."""
        merged: dict = {}
        for key in sorted(self.rules, key=len):
            if key.startswith("state:"):
                continue
            if path.startswith(key):
                merged.update(self.rules[key])
        for key, value in sorted(self.rules.get(f"state:{state}", {}).items(), key=lambda kv: len(kv[0])):
            if path.startswith(key):
                merged.update(value)
        return merged


class SampleWeb:
    """The server's state: trees, current state, request log."""

    def __init__(self, roots: list[Path], state: str | None = None) -> None:
        self.trees = [SiteTree.load(Path(r)) for r in roots]
        self.state = state
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        self.base_url = ""

    def set_state(self, state: str | None) -> None:
        """Switch every tree to state overlay `state` (None: base files only)."""
        self.state = state

    def log(self, hit: Hit) -> None:
        with self._lock:
            self.hits.append(hit)

    def downloads(self, prefix: str = "") -> list[str]:
        """Paths answered with a full 200 body, optionally under `prefix`."""
        return [h.path for h in self.hits if h.status == 200 and h.path.startswith(prefix)]

    def clear_log(self) -> None:
        with self._lock:
            self.hits.clear()

    def lookup(self, path: str) -> tuple[Path | None, dict]:
        rule: dict = {}
        for tree in self.trees:
            rule.update(tree.rule(path, self.state))
        for tree in self.trees:
            found = tree.find(path, self.state)
            if found:
                return found, rule
        return None, rule


def _handler(web: SampleWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        # Headers and body go out in two sends; with Nagle on, every keep-alive response
        # waits ~40 ms for the client's delayed ACK.
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args) -> None:  # the request log replaces stderr noise
            return

        def _send(self, status: int, body: bytes = b"", headers: dict[str, str] | None = None,
                  conditional: bool = False) -> None:
            self.send_response(status)
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            if self.command != "HEAD" and status != 304:
                self.wfile.write(body)
            web.log(Hit(self.command, self.path, status, conditional))

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            found, rule = web.lookup(path)
            if rule.get("delay"):
                time.sleep(float(rule["delay"]))
            if rule.get("redirect"):
                self._send(int(rule.get("status", 301)), headers={"Location": rule["redirect"]})
                return
            if rule.get("status"):
                self._send(int(rule["status"]), b"<html><body>server error</body></html>",
                           {"Content-Type": "text/html"})
                return
            if found is None:
                self._send(404, b"not found", {"Content-Type": "text/plain"})
                return
            body = found.read_bytes()
            etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'
            modified = _EPOCH + (0 if web.state in (None, "state1") else 86_400 * 30)
            headers = {"ETag": etag, "Last-Modified": formatdate(modified, usegmt=True),
                       "Content-Type": rule.get("content_type") or _content_type(found, rule)}
            if rule.get("content_encoding"):
                headers["Content-Encoding"] = rule["content_encoding"]
            if self._not_modified(etag, modified):
                self._send(304, headers={"ETag": etag}, conditional=True)
                return
            self._send(200, body, headers, conditional=bool(self.headers.get("If-None-Match")))

        do_HEAD = do_GET

        def _not_modified(self, etag: str, modified: int) -> bool:
            if self.headers.get("If-None-Match"):
                return etag in [t.strip() for t in self.headers["If-None-Match"].split(",")]
            since = self.headers.get("If-Modified-Since")
            if since:
                try:
                    return parsedate_to_datetime(since).timestamp() >= modified
                except (TypeError, ValueError):
                    return False
            return False

    return Handler


def _content_type(path: Path, rule: dict) -> str:
    kind = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if kind.startswith("text/") and rule.get("charset"):
        return f"{kind}; charset={rule['charset']}"
    return kind


class _QuietServer(ThreadingHTTPServer):
    """A client that gives up on a slow page (a timeout test) is expected, not an error."""

    def handle_error(self, request, client_address) -> None:
        if not isinstance(sys.exc_info()[1], (ConnectionError, TimeoutError)):
            super().handle_error(request, client_address)


@contextmanager
def serve(roots: list[Path] | Path, state: str | None = None, port: int = 0) -> Iterator[SampleWeb]:
    """Serve `roots` on 127.0.0.1 (a random free port by default) in a background thread.

    Yields the SampleWeb, whose `base_url` is e.g. http://127.0.0.1:43817.
    """
    web = SampleWeb([roots] if isinstance(roots, Path) else list(roots), state)
    server = _QuietServer(("127.0.0.1", port), _handler(web))
    server.daemon_threads = True
    web.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, name="sample-web", daemon=True)
    thread.start()
    try:
        yield web
    finally:
        server.shutdown()
        server.server_close()
