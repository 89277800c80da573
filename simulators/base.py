"""A tiny threaded JSON-over-HTTP server shared by the simulators (stdlib only)."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

# a route returns (status, payload) or (status, payload, extra response headers)
Route = Callable[["Request"], tuple]


class Request:
    def __init__(self, handler: BaseHTTPRequestHandler, body: bytes) -> None:
        parts = urlsplit(handler.path)
        self.method = handler.command
        self.path = parts.path
        self.query = {k: v[-1] for k, v in parse_qs(parts.query).items()}
        self.headers = handler.headers
        self.body = body

    def json(self) -> Any:
        try:
            return json.loads(self.body or b"{}")
        except json.JSONDecodeError:
            return None


class JSONServer:
    """Register handlers with `route(method, path_prefix)`; the longest prefix wins."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.routes: list[tuple[str, str, Route]] = []
        self.lock = threading.Lock()

    def route(self, method: str, prefix: str) -> Callable[[Route], Route]:
        def register(fn: Route) -> Route:
            self.routes.append((method, prefix, fn))
            self.routes.sort(key=lambda r: -len(r[1]))
            return fn

        return register

    def handler_class(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # headers and body go out as two writes; with Nagle on, each answer waits ~40 ms for a delayed ACK
            disable_nagle_algorithm = True

            def log_message(self, fmt: str, *args: Any) -> None:  # quiet; simulators are noisy otherwise
                return

            def _dispatch(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self, body)
                extra: dict[str, str] = {}
                for method, prefix, fn in server.routes:
                    if method == self.command and request.path.startswith(prefix):
                        try:
                            status, payload, *rest = fn(request)
                            extra = dict(rest[0]) if rest else {}
                        except Exception as exc:  # a simulator bug must answer, not hang the client
                            status, payload = 500, {"error": f"simulator error: {exc}"}
                        break
                else:
                    status, payload = 404, {"error": "not found"}
                if isinstance(payload, (bytes, str)):
                    data = payload.encode() if isinstance(payload, str) else payload
                    ctype = "text/plain; charset=utf-8"
                else:
                    data = json.dumps(payload).encode()
                    ctype = "application/json"
                self.send_response(status)
                self.send_header("Content-Type", ctype)
                self.send_header("Content-Length", str(len(data)))
                for name, value in extra.items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = _dispatch

        return Handler

    def serve(self, host: str = "127.0.0.1", port: int = 0) -> ThreadingHTTPServer:
        httpd = ThreadingHTTPServer((host, port), self.handler_class())
        httpd.daemon_threads = True
        return httpd
