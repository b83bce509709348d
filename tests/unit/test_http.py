"""herstelpad.http: clients share one TLS context that still verifies certificates."""

from __future__ import annotations

import datetime
import ipaddress
import ssl
import threading
from http.server import HTTPServer, SimpleHTTPRequestHandler
from pathlib import Path

import httpx
import pytest

from herstelpad import http


def test_clients_share_one_verifying_tls_context() -> None:
    """Two clients get the same context; it checks host names and certificates like httpx's own default."""
    context = http.tls_context()
    assert http.tls_context() is context
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    with http.client(base_url="http://127.0.0.1:1") as first, http.client(base_url="http://127.0.0.1:1") as second:
        assert first._transport._pool._ssl_context is second._transport._pool._ssl_context is context  # type: ignore[attr-defined]


def _self_signed(folder: Path) -> tuple[Path, Path]:
    """A certificate for 127.0.0.1 signed by itself (a company's own CA, in small), and its key."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "herstelpad test CA")])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(hours=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = folder / "ca.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


def test_a_company_ca_from_ssl_cert_file_is_trusted(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A server whose certificate only SSL_CERT_FILE's CA vouches for: refused without it, answered with it."""
    cert_file, key_file = _self_signed(tmp_path)
    server = HTTPServer(("127.0.0.1", 0), SimpleHTTPRequestHandler)
    tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    tls.load_cert_chain(cert_file, key_file)
    server.socket = tls.wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"https://127.0.0.1:{server.server_address[1]}/"
    try:
        monkeypatch.delenv("SSL_CERT_FILE", raising=False)
        monkeypatch.delenv("SSL_CERT_DIR", raising=False)
        http.tls_context.cache_clear()
        with http.client() as client, pytest.raises(httpx.ConnectError):
            client.get(url)
        monkeypatch.setenv("SSL_CERT_FILE", str(cert_file))
        http.tls_context.cache_clear()
        with http.client() as client:
            assert client.get(url).status_code == 200
    finally:
        server.shutdown()
        server.server_close()
        http.tls_context.cache_clear()
