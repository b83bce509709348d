"""HTTP clients for herstelpad and its packs: one verified TLS context per process, shared by every client."""

from __future__ import annotations

import os
import ssl
from functools import cache
from typing import TYPE_CHECKING, Any
from urllib.parse import unquote, urlsplit, urlunsplit

import certifi

from herstelpad.secrets import register

if TYPE_CHECKING:
    import httpx


@cache
def tls_context() -> ssl.SSLContext:
    """The TLS context httpx would make for each client, made once: verification on, with certifi's CAs, or the
    CAs of SSL_CERT_FILE / SSL_CERT_DIR when set (a company's own CA, as for a Mailpit or Keycloak inside it)."""
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    return ssl.create_default_context(cafile=cafile or (None if capath else certifi.where()), capath=capath or None)


def client(**kwargs: Any) -> httpx.Client:
    """An httpx.Client that reuses the process's TLS context (making one costs about 60 ms per client).

    httpx is imported here, not with the module: the settings use this module's URL functions, and the `herstelpad`
    command reads its settings before it starts pytest (httpx takes a tenth of a second to import)."""
    import httpx

    kwargs.setdefault("verify", tls_context())
    return httpx.Client(**kwargs)


def shown_url(url: str) -> str:
    """The URL as it may be printed: a password in it (http://user:password@host) becomes ***."""
    parts = urlsplit(url)
    if parts.password is None:
        return url
    userinfo, _, host = parts.netloc.rpartition("@")
    return urlunsplit(parts._replace(netloc=f"{userinfo.partition(':')[0]}:***@{host}"))


def register_url_password(url: str) -> None:
    """Registers a password in a URL as a secret, so that masked output never shows it."""
    password = urlsplit(url).password
    if password:
        register(unquote(password), "wachtwoord in een URL")
