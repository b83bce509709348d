"""Configuration of one running reference portal."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Config:
    """Settings of the portal, from the command line or the environment."""

    database: str = "portal.sqlite3"
    smtp_host: str = "127.0.0.1"
    smtp_port: int = 1025
    base_url: str | None = None
    test_token: str | None = None

    @property
    def secure_cookies(self) -> bool:
        """Whether cookies get the Secure flag (only when served over https)."""
        return bool(self.base_url and self.base_url.startswith("https://"))
