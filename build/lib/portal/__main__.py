"""Command line: python -m portal --host … --port … --database … [--test-token …]."""
from __future__ import annotations

import argparse
import logging
import os
import sys

import uvicorn

from portal.app import create_app
from portal.config import Config


class _Server(uvicorn.Server):
    """A uvicorn server that says when it listens (and on which port)."""

    config_portal: Config

    async def startup(self, sockets: list | None = None) -> None:  # type: ignore[type-arg]
        """Start listening, then print 'portal ready on <url>'."""
        await super().startup(sockets)
        if not self.started:
            return
        host, port = self.config.host, self.config.port
        for server in getattr(self, "servers", []):
            for sock in server.sockets:
                port = sock.getsockname()[1]
        url = f"http://{host}:{port}"
        if self.config_portal.base_url is None:
            self.config_portal.base_url = url
        print(f"portal ready on {url}", flush=True)


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
    config = Config(
        database=args.database,
        smtp_host=args.smtp_host,
        smtp_port=args.smtp_port,
        base_url=args.base_url.rstrip("/") if args.base_url else None,
        test_token=args.test_token or None,
    )
    app = create_app(config)
    server = _Server(
        uvicorn.Config(
            app, host=args.host, port=args.port, access_log=False, log_level=args.log_level,
            timeout_graceful_shutdown=2, log_config=None,
        )
    )
    server.config_portal = config
    server.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
