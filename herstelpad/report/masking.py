"""The report's side of the one masking (herstelpad.secrets.mask): terminal colours off, JSON-like values walked."""

from __future__ import annotations

import re
from typing import Any

from herstelpad import secrets

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    """Returns the text without terminal colour codes."""
    return _ANSI.sub("", text)


def mask(text: object) -> str:
    """Returns the text without terminal colour codes and with every secret masked (herstelpad.secrets.mask)."""
    return secrets.mask(strip_ansi(str(text)))


def mask_data(value: Any) -> Any:
    """Returns a JSON-like structure with every string in it masked (keys stay as they are)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(item) for item in value]
    return value
