"""A loopback web server with hostile behaviours, for the fault tests.

Each path is answered by a route: a page, a redirect, a body cut short, a slow drip,
or a request that hangs until the test lets it go. The server records which paths
were asked for, and `wait_for(path)` blocks until one was: tests synchronise with a
crawl on what it has requested, never on time.
"""
from __future__ import annotations

import threading
import time
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Callable, Iterator
from urllib.parse import urlsplit

Route = Callable[[BaseHTTPRequestHandler], None]


def article_html(n: int, group: str = "青松医生集团", hospitals: int = 12, marker: str = "") -> bytes:
    """An article page about `group` (UTF-8, declared), long enough to be read as an article."""
    body = (
        f"<p>{group}今日宣布,集团已与全国{hospitals}家合作医院签约,覆盖心血管、骨科和妇产科等专科。{marker}</p>"
        f"<p>据介绍,{group}创建于2016年,目前拥有120多位医生,其中多数曾在三甲医院担任科室主任。</p>"
        "<p>集团负责人表示,未来三年将继续扩大合作网络,并在西南地区建设日间手术中心,方便患者就近就医。</p>"
        "<p>业内人士认为,医生集团与公立医院的合作模式正在走向成熟,多点执业政策也为医生流动提供了便利。</p>"
    )
    return (f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{group}新闻{n}</title></head>'
            f"<body><article><h1>{group}新闻{n}</h1><p>发布时间:2024-03-{n % 28 + 1:02d}</p>{body}</article>"
            "</body></html>").encode("utf-8")


def listing_html(*paths: str) -> bytes:
    links = "".join(f'<li><a href="{p}">新闻{i}</a></li>' for i, p in enumerate(paths))
    return f'<html><head><meta charset="utf-8"><title>列表</title></head><body><ul>{links}</ul></body></html>'.encode()


def page(body: bytes, content_type: str | None = "text/html; charset=utf-8", headers: dict[str, str] | None = None) -> Route:
    """A 200 answer with `body` (no Content-Type header when `content_type` is None)."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        if content_type:
            handler.send_header("Content-Type", content_type)
        for name, value in (headers or {}).items():
            handler.send_header(name, value)
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body)
    return route


def redirect(location: str, status: int = 302) -> Route:
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(status)
        handler.send_header("Location", location)
        handler.send_header("Content-Length", "0")
        handler.end_headers()
    return route


def truncated(body: bytes, cut: int) -> Route:
    """Announces all of `body`, sends its first `cut` bytes and closes the connection."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(len(body)))
        handler.end_headers()
        handler.wfile.write(body[:cut])
        handler.wfile.flush()
        handler.close_connection = True
    return route


def drip(stop: threading.Event, interval: float = 0.2) -> Route:
    """Sends a byte every `interval` seconds until `stop` is set: each read is quick, the whole never ends."""
    def route(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", "text/html; charset=utf-8")
        handler.send_header("Content-Length", str(10**6))
        handler.end_headers()
        while not stop.is_set():
            try:
                handler.wfile.write(b" ")
                handler.wfile.flush()
            except OSError:
                return
            time.sleep(interval)
        handler.close_connection = True
    return route


class HostileWeb:
    """The routes, what was requested, and the event that releases hanging requests."""

    def __init__(self) -> None:
        self.routes: dict[str, Route] = {}
        self.requested: list[str] = []
        self.release = threading.Event()
        self.base_url = ""
        self._seen = threading.Condition()

    def hang(self) -> Route:
        """A request that gets no answer until the test sets `release`, then a 503."""
        def route(handler: BaseHTTPRequestHandler) -> None:
            self.release.wait()
            handler.send_response(503)
            handler.send_header("Content-Length", "0")
            handler.end_headers()
        return route

    def url(self, path: str) -> str:
        return self.base_url + path

    def note(self, path: str) -> None:
        with self._seen:
            self.requested.append(path)
            self._seen.notify_all()

    def wait_for(self, path: str, timeout: float = 60) -> None:
        """Block until `path` has been requested; AssertionError after `timeout` seconds."""
        with self._seen:
            if not self._seen.wait_for(lambda: path in self.requested, timeout):
                raise AssertionError(f"{path} was never requested (requested: {self.requested})")


def _handler(web: HostileWeb) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args) -> None:
            return

        def do_GET(self) -> None:
            path = urlsplit(self.path).path
            web.note(path)
            route = web.routes.get(path)
            if route is None:
                body = b"" if path == "/robots.txt" else b"not found"
                self.send_response(404)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
                return
            route(self)

    return Handler


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address) -> None:
        return  # clients that give up on a hostile answer are the point


@contextmanager
def hostile_web(host: str = "127.0.0.1") -> Iterator[HostileWeb]:
    """Serve a HostileWeb on `host` (loopback) at a free port, in a background thread."""
    web = HostileWeb()
    server = _Server((host, 0), _handler(web))
    web.base_url = f"http://{host}:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield web
    finally:
        web.release.set()
        server.shutdown()
        server.server_close()
