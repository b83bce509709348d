"""Masking of registered secrets."""

from __future__ import annotations

import logging
import threading
from urllib.parse import quote

import pytest

from herstelpad.secrets import SecretMaskingFilter, SecretRegistry, install_log_filter, marker


@pytest.fixture
def registry() -> SecretRegistry:
    return SecretRegistry()


def test_masks_value_and_encoded_forms(registry: SecretRegistry) -> None:
    registry.register("p@ss w/rd&1", "wachtwoord jan")
    text = f"plain p@ss w/rd&1, url {quote('p@ss w/rd&1', safe='')}, form p%40ss+w%2Frd%261, html p@ss w/rd&amp;1"
    masked = registry.mask(text)
    assert "p@ss" not in masked and "p%40ss" not in masked
    assert masked.count(marker("wachtwoord jan")) == 4


def test_masks_base32_secret_in_any_case_and_without_padding(registry: SecretRegistry) -> None:
    registry.register("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX=", "TOTP-geheim")
    masked = registry.mask("a jbswy3dpehpk3pxpjbswy3dpehpk3px b JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PX c")
    assert masked == f"a {marker('TOTP-geheim')} b {marker('TOTP-geheim')} c"


def test_longest_secret_wins_and_uri_is_masked_whole(registry: SecretRegistry) -> None:
    registry.register("ABCDEFGHIJKLMNOP", "TOTP-geheim")
    registry.register("otpauth://totp/x:y?secret=ABCDEFGHIJKLMNOP", "otpauth-URI")
    assert registry.mask("uri otpauth://totp/x:y?secret=ABCDEFGHIJKLMNOP!") == f"uri {marker('otpauth-URI')}!"


def test_ignores_empty_and_too_short_values(registry: SecretRegistry) -> None:
    assert registry.register("", "leeg") == ""
    registry.register(None, "niets")
    registry.register("ab", "kort")
    assert len(registry) == 0
    assert registry.mask("ab cd") == "ab cd"


def test_thread_safe_registration(registry: SecretRegistry) -> None:
    def worker(n: int) -> None:
        for i in range(200):
            registry.register(f"secret-{n}-{i:04d}", f"s{n}")
            registry.mask("some text secret-0-0001")

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert registry.mask("secret-3-0199") == marker("s3")


def test_logging_filter_masks_message_args_and_traceback(registry: SecretRegistry) -> None:
    registry.register("123456", "bevestigingscode")
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            records.append(self.format(record))

    logger = logging.getLogger("herstelpad.test.secrets")
    logger.propagate = False
    handler = Collect()
    handler.addFilter(SecretMaskingFilter(registry))
    logger.addHandler(handler)
    try:
        logger.warning("code is %s", "123456")
        try:
            raise ValueError("bad code 123456")
        except ValueError:
            logger.exception("failed")
    finally:
        logger.removeHandler(handler)
    assert "123456" not in "\n".join(records)
    assert marker("bevestigingscode") in records[0]
    assert "ValueError: bad code «geheim:bevestigingscode»" in records[1]


def test_install_log_filter_adds_once() -> None:
    logger = logging.getLogger("herstelpad.test.install")
    handler = logging.NullHandler()
    logger.addHandler(handler)
    install_log_filter(logger)
    install_log_filter(logger)
    assert sum(isinstance(f, SecretMaskingFilter) for f in handler.filters) == 1
    logger.removeHandler(handler)
