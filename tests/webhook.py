"""A real HTTP server on 127.0.0.1 that keeps the JSON bodies POSTed to it, for channel tests."""
from __future__ import annotations

import json
import threading
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class _Hook(BaseHTTPRequestHandler):
    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        self.server.received.append({"path": self.path, "json": json.loads(body.decode("utf-8"))})
        self.send_response(200)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *args) -> None:
        pass


@contextmanager
def webhook_server(port: int = 0):
    """Serve on `port` (0: any free one); yields (list of received posts, port)."""
    server = ThreadingHTTPServer(("127.0.0.1", port), _Hook)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server.received, server.server_address[1]
    finally:
        server.shutdown()
        server.server_close()
