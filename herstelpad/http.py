"""HTTP clients for herstelpad and its packs: one verified TLS context per process, shared by every client."""

from __future__ import annotations

import ssl
from functools import cache
from typing import Any

import certifi
import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """The TLS context httpx would make for each client (certifi's CAs, verification on), made once."""
    return ssl.create_default_context(cafile=certifi.where())


def client(**kwargs: Any) -> httpx.Client:
    """An httpx.Client that reuses the process's TLS context (making one costs about 60 ms per client)."""
    kwargs.setdefault("verify", tls_context())
    return httpx.Client(**kwargs)
