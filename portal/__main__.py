"""Command line: python -m portal --host … --port … --database … [--test-token …]."""
from __future__ import annotations

import argparse
import logging
import os
import socket
import sys

import uvicorn

from portal.app import create_app
from portal.config import Config


class _Server(uvicorn.Server):
    """A uvicorn server that says when it listens (and on which URL)."""

    url: str

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        """Start listening, then print 'portal ready on <url>'."""
        await super().startup(sockets)
        if self.started:
            print(f"portal ready on {self.url}", flush=True)


def _listen(host: str, port: int) -> tuple[socket.socket, str]:
    """Binds the portal's socket first (port 0 picks a free one), so its URL is known before the app is made."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    bound = sock.getsockname()[1]
    return sock, f"http://[{host}]:{bound}" if family == socket.AF_INET6 else f"http://{host}:{bound}"


def _parser() -> argparse.ArgumentParser:
    """Return the argument parser (defaults from PORTAL_* environment variables)."""
    env = os.environ.get
    p = argparse.ArgumentParser(prog="python -m portal", description="The reference AFAS Online portal.")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000, help="0 picks a free port")
    p.add_argument("--database", default=env("PORTAL_DATABASE", "portal.sqlite3"), help="SQLite file")
    p.add_argument("--smtp-host", default=env("PORTAL_SMTP_HOST", "127.0.0.1"))
    p.add_argument("--smtp-port", type=int, default=int(env("PORTAL_SMTP_PORT", "1025")))
    p.add_argument("--base-url", default=env("PORTAL_BASE_URL"), help="absolute URL for links in e-mails")
    p.add_argument("--test-token", default=env("PORTAL_TEST_TOKEN"), help="enables the test-data API")
    p.add_argument("--log-level", default="info", choices=["debug", "info", "warning", "error"])
    return p


def main(argv: list[str] | None = None) -> int:
    """Run the portal until interrupted."""
    args = _parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        sock, url = _listen(args.host, args.port)
    except OSError as fout:
        print(f"portal: cannot listen on {args.host}:{args.port}: {fout}", file=sys.stderr)
        return 2
    config = Config(
        database=args.database,
        smtp_host=args.smtp_host,
        smtp_port=args.smtp_port,
        base_url=args.base_url.rstrip("/") if args.base_url else url,
        test_token=args.test_token or None,
    )
    try:
        app = create_app(config)
    except ValueError as fout:
        print(f"portal: {fout}", file=sys.stderr)
        return 2
    server = _Server(
        uvicorn.Config(
            app, access_log=False, log_level=args.log_level, timeout_graceful_shutdown=2, log_config=None,
        )
    )
    server.url = url
    server.run(sockets=[sock])
    return 0


if __name__ == "__main__":
    sys.exit(main())
