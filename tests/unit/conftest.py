"""Fixtures for unit tests: a tiny JSON HTTP server standing in for the target's APIs (tests_unit_support)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import ThreadingHTTPServer

import pytest
from tests_unit_support import StubServer, _handler_class


@pytest.fixture
def stub_server() -> Iterator[StubServer]:
    """A running stub HTTP server on a free local port."""
    stub = StubServer()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_class(stub))
    server.daemon_threads = True
    stub.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield stub
    server.shutdown()
    server.server_close()
