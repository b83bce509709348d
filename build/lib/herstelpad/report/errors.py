"""Turns exceptions and pytest failure reports into an error in plain Dutch words (masked)."""

from __future__ import annotations

import traceback
from typing import Any

from herstelpad.report.masking import mask

_MAX_MESSAGE = 1500
_MAX_DETAILS = 8000
_TITLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("StepDefinitionNotFound",), "Voor deze stap is (nog) geen stapdefinitie geschreven."),
    (("TimeoutError", "Timeout"), "Wat het scenario verwachtte, gebeurde niet op tijd (time-out)."),
    (
        ("ConnectError", "ConnectionError", "ConnectionRefused", "ERR_CONNECTION_REFUSED"),
        "Er kon geen verbinding worden gemaakt: draaien de portal en Mailpit?",
    ),
    (("AssertionError", "expected"), "Het resultaat was anders dan het scenario verwacht."),
)
PHASES_NL: dict[str, str] = {"setup": "de voorbereiding", "call": "het scenario", "teardown": "het opruimen"}


def describe(type_name: str, message: str, details: str = "") -> dict[str, str]:
    """Returns {title, message, type, details}: a plain Dutch title plus the (masked) technical text."""
    head, _, call_log = message.partition("Call log:")
    title = next(
        (text for needles, text in _TITLES if any(needle in type_name or needle in head for needle in needles)),
        f"Er ging iets onverwachts mis ({type_name}).",
    )
    details = "\n\n".join(part for part in (f"Call log:{call_log}" if call_log else "", details) if part)
    return {
        "title": title,
        "message": mask(head.strip()[:_MAX_MESSAGE]),
        "type": mask(type_name),
        "details": mask(details.strip()[-_MAX_DETAILS:]),
    }


def from_exception(exception: BaseException) -> dict[str, str]:
    """Describes an exception raised by a step."""
    frames = traceback.format_tb(exception.__traceback__, limit=-6)
    return describe(type(exception).__name__, str(exception), "Traceback (most recent call last):\n" + "".join(frames))


def from_report(longrepr: Any, when: str) -> dict[str, str]:
    """Describes a failed pytest phase from its report (used when no step raised, e.g. a fixture failed)."""
    crash = getattr(longrepr, "reprcrash", None)
    message = crash.message if crash is not None else str(longrepr).strip().splitlines()[-1:] or [""]
    message = message if isinstance(message, str) else message[0]
    type_name, sep, text = message.partition(": ")
    if not sep or " " in type_name:
        type_name, text = "Fout", message
    error = describe(type_name.rsplit(".", 1)[-1], text, str(longrepr))
    if when != "call":
        error["title"] = f"Fout tijdens {PHASES_NL.get(when, when)}: {error['title'][0].lower()}{error['title'][1:]}"
    return error
