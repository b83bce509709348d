"""The one masking function every text of the report passes through."""

from __future__ import annotations

import re
from typing import Any

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")


def strip_ansi(text: str) -> str:
    """Returns the text without terminal colour codes."""
    return _ANSI.sub("", text)


def secret_registry() -> Any:
    """Returns the process-wide secret registry of herstelpad.secrets (`registry`, or `REGISTRY` as it is now named)."""
    from herstelpad import secrets  # imported late: the registry is process-wide and may load after us

    return getattr(secrets, "registry", None) or secrets.REGISTRY


def mask(text: object) -> str:
    """Returns the text with every registered secret replaced, and without terminal colour codes."""
    masked: str = secret_registry().mask(strip_ansi(str(text)))
    return masked


def mask_data(value: Any) -> Any:
    """Returns a JSON-like structure with every string in it masked (keys stay as they are)."""
    if isinstance(value, str):
        return mask(value)
    if isinstance(value, dict):
        return {key: mask_data(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [mask_data(item) for item in value]
    return value
