"""Recovery codes: the one-time codes a target shows once, kept by the person, handed out once each, masked."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from playwright.sync_api import Page

from herstelpad.secrets import register

LABEL = "herstelcode"
# Where a page lists its recovery codes, one code per list item, when the pack names no place of its own.
DEFAULT_SELECTOR = (
    "[id*='recovery-code' i] li, [class*='recovery-code' i] li, "
    "[id*='herstelcode' i] li, [class*='herstelcode' i] li, [data-recovery-codes] li"
)
NUMBERING = re.compile(r"^\s*(?:#?\d{1,2}\s*[.):]\s+)")  # "1. ", "2) ", "#3: " before a code
SEPARATORS = re.compile(r"[\s\-]+")


class RecoveryCodeError(RuntimeError):
    """No recovery code to hand out: none kept, all used, or the one the target asks for was used."""


def bare(code: str) -> str:
    """The code without spaces and dashes (how targets often store it, and accept it)."""
    return SEPARATORS.sub("", code)


def read_recovery_codes(page: Page, selector: str = DEFAULT_SELECTOR) -> list[str]:
    """The codes the page lists (one per element of `selector`), as shown, registered as secrets at once."""
    items = page.locator(selector)
    items.first.wait_for()
    codes = [NUMBERING.sub("", text).strip() for text in items.all_inner_texts()]
    for code in codes:
        register(code, LABEL)
        register(bare(code), LABEL)
    return [code for code in codes if code]


@dataclass
class RecoveryCodes:
    """A person's recovery codes: kept once as the target showed them, each handed out once, the used ones known."""

    codes: list[str] = field(default_factory=list, repr=False)
    used: list[str] = field(default_factory=list, repr=False)

    def keep(self, shown: Iterable[str]) -> int:
        """Keeps a new set of codes (the target's previous set is void) and registers them as secrets; how many."""
        codes = [code.strip() for code in shown if code.strip()]
        if not codes:
            raise RecoveryCodeError("Er staan geen herstelcodes op het scherm (no recovery codes were shown).")
        for code in codes:
            register(code, LABEL)
            register(bare(code), LABEL)
        self.codes, self.used = codes, []
        return len(codes)

    def keep_shown(self, page: Page, selector: str = DEFAULT_SELECTOR) -> int:
        """Keeps the set of codes the page lists where `selector` says (read_recovery_codes); how many."""
        return self.keep(read_recovery_codes(page, selector))

    def unused(self) -> list[str]:
        """The codes not handed out yet, in the target's order."""
        return [code for code in self.codes if code not in self.used]

    def hand_out(self, number: int | None = None) -> str:
        """An unused code, now counted as used: the `number`-th shown (1 = the first) when the target asks for it."""
        if not self.codes:
            raise RecoveryCodeError(
                "Ik heb geen herstelcodes bewaard (no recovery codes kept: note them when the target shows them)."
            )
        if number is not None:
            if not 1 <= number <= len(self.codes):
                raise RecoveryCodeError(
                    f"Het doelsysteem vraagt herstelcode {number}, maar ik heb er {len(self.codes)} bewaard."
                )
            code = self.codes[number - 1]
            if code in self.used:
                raise RecoveryCodeError(
                    f"Het doelsysteem vraagt herstelcode {number}, maar die heb ik al gebruikt "
                    f"({len(self.used)} van de {len(self.codes)} gebruikt)."
                )
        else:
            left = self.unused()
            if not left:
                raise RecoveryCodeError(
                    f"Alle {len(self.codes)} herstelcodes zijn gebruikt: er is geen ongebruikte herstelcode meer "
                    "(all recovery codes used; the person needs a new set)."
                )
            code = left[0]
        self.used.append(code)
        return code

    def use_each(self, log_in: Callable[[str], bool]) -> None:
        """Logs in with each unused code in turn (`log_in(code)`: True when it got the person in); each must work."""
        while self.unused():
            code = self.hand_out()
            if not log_in(code):  # a library check: no `assert`, which python -O removes
                raise AssertionError(f"herstelcode {self.codes.index(code) + 1} van {len(self.codes)} werkte niet")

    def last_used(self) -> str:
        """The code handed out last; RecoveryCodeError when none was."""
        if not self.used:
            raise RecoveryCodeError("Ik heb nog geen herstelcode gebruikt (no recovery code handed out yet).")
        return self.used[-1]

    def __len__(self) -> int:
        """How many codes are kept (used ones included)."""
        return len(self.codes)
