"""Recovery codes: read from a page, kept, handed out once each, masked; running out says so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from herstelpad.pack import TargetPack
from herstelpad.recovery_codes import (
    DEFAULT_SELECTOR,
    RecoveryCodeError,
    RecoveryCodes,
    bare,
    read_recovery_codes,
)
from herstelpad.secrets import mask

SHOWN = ["K3QF-8WZP-2MXA", "T7RB-4NCE-9VJH", "P5LD-6YGS-3KUW"]
PAGE = """<!doctype html><html lang="nl"><body><h1>Herstelcodes</h1>
<ol id="kc-recovery-codes-list">{items}</ol><ul class="elders"><li>geen code</li></ul>
<input type="hidden" name="generatedRecoveryAuthnCodes" value="{joined}"></body></html>"""


def test_codes_are_read_from_the_page_by_the_default_place_and_masked(page: Page) -> None:
    page.set_content(PAGE.format(items="".join(f"<li>{code}</li>" for code in SHOWN),
                                 joined=",".join(bare(code) for code in SHOWN)))
    codes = read_recovery_codes(page)
    assert codes == SHOWN
    html = page.content()
    assert all(code not in mask(html) for code in SHOWN) and bare(SHOWN[1]) not in mask(html)
    assert "geen code" in mask(html)


def test_a_pack_names_its_own_place_and_numbering_is_left_off(page: Page) -> None:
    page.set_content("<table><tr><td class='c'>1. 1111 2222</td></tr><tr><td class='c'>2. 3333 4444</td></tr></table>")
    assert read_recovery_codes(page, "td.c") == ["1111 2222", "3333 4444"]


def test_a_pack_masks_its_recovery_codes_in_screenshots() -> None:
    class Own(TargetPack):
        name = "eigen"
        recovery_codes_selector = "#codes li"

    assert "#codes li" in Own().masks()
    assert DEFAULT_SELECTOR in TargetPack().masks()


def test_each_code_is_handed_out_once_and_the_used_ones_are_known() -> None:
    codes = RecoveryCodes()
    assert codes.keep(SHOWN) == 3
    assert "K3QF" not in repr(codes)
    first = codes.hand_out()
    assert first == SHOWN[0] and codes.last_used() == first
    assert codes.hand_out(3) == SHOWN[2]  # the target asks for the third
    assert codes.unused() == [SHOWN[1]] and codes.used == [SHOWN[0], SHOWN[2]]
    with pytest.raises(RecoveryCodeError, match="vraagt herstelcode 3, maar die heb ik al gebruikt"):
        codes.hand_out(3)
    with pytest.raises(RecoveryCodeError, match="vraagt herstelcode 9, maar ik heb er 3 bewaard"):
        codes.hand_out(9)
    assert codes.hand_out() == SHOWN[1]
    with pytest.raises(RecoveryCodeError, match="Alle 3 herstelcodes zijn gebruikt: er is geen ongebruikte"):
        codes.hand_out()


def test_a_new_set_replaces_the_old_one_and_nothing_kept_says_so() -> None:
    codes = RecoveryCodes()
    with pytest.raises(RecoveryCodeError, match="geen herstelcodes bewaard"):
        codes.hand_out()
    with pytest.raises(RecoveryCodeError, match="nog geen herstelcode gebruikt"):
        codes.last_used()
    with pytest.raises(RecoveryCodeError, match="geen herstelcodes op het scherm"):
        codes.keep(["  "])
    codes.keep(SHOWN)
    codes.hand_out()
    codes.keep(["Z9Z9-Z9Z9-Z9Z9"])
    assert codes.unused() == ["Z9Z9-Z9Z9-Z9Z9"] and codes.used == []
    assert "Z9Z9-Z9Z9-Z9Z9" not in mask("code Z9Z9-Z9Z9-Z9Z9 / Z9Z9Z9Z9Z9Z9")
    assert "Z9Z9Z9Z9Z9Z9" not in mask("Z9Z9Z9Z9Z9Z9")
