"""Shared constants and helpers of the unit tests: a tiny JSON HTTP server standing in for a target's APIs.

Imported by name (not `from conftest import …`: other test folders have a conftest module too).
"""


from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qs, urlsplit

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/afasonline.com:jan%40voorbeeld.nl?secret={SECRET}&issuer=afasonline.com"


Handler = Callable[["Call"], tuple[int, Any]]


@dataclass
class Call:
    """One request the stub received."""

    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]
    body: Any


@dataclass
class StubServer:
    """Routes (method, path) to handlers returning (status, json body); records every call."""

    url: str = ""
    routes: dict[tuple[str, str], Handler] = field(default_factory=dict)
    calls: list[Call] = field(default_factory=list)

    def route(self, method: str, path: str, handler: Handler) -> None:
        """Answer `method path` with `handler`."""
        self.routes[(method, path)] = handler


def _handler_class(stub: StubServer) -> type[BaseHTTPRequestHandler]:
    """A request handler bound to `stub`."""

    class _Handler(BaseHTTPRequestHandler):
        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length) if length else b""
            body = json.loads(raw) if raw else None
            call = Call(self.command, parts.path, parse_qs(parts.query), dict(self.headers), body)
            stub.calls.append(call)
            handler = stub.routes.get((self.command, parts.path))
            status, body = handler(call) if handler else (404, {"detail": "Not Found"})
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        do_GET = do_POST = do_DELETE = _serve

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return _Handler
