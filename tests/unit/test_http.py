"""herstelpad.http: clients share one TLS context that still verifies certificates."""

from __future__ import annotations

import ssl

from herstelpad import http


def test_clients_share_one_verifying_tls_context() -> None:
    """Two clients get the same context; it checks host names and certificates like httpx's own default."""
    context = http.tls_context()
    assert http.tls_context() is context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    with http.client(base_url="http://127.0.0.1:1") as first, http.client(base_url="http://127.0.0.1:1") as second:
        assert first._transport._pool._ssl_context is second._transport._pool._ssl_context is context  # type: ignore[attr-defined]
