"""A real Playwright trace, recorded while a password and a code are typed and a QR code is shown, redacted."""

from __future__ import annotations

import base64
import json
import re
import zipfile
from pathlib import Path

import pytest
import segno
from playwright.sync_api import Browser, Route

from herstelpad.camera import decode_qr_codes
from herstelpad.secrets import SecretRegistry, marker
from herstelpad.traces import BLANK_PNG, redact_trace

PASSWORD = 'Pw"zeer-geheim!7'
CODE = "493027"
TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
URI = f"otpauth://totp/AFAS:jan%40example.com?secret={TOTP_SECRET}&issuer=AFAS"
DATA_URI = re.compile(rb"data:image/png;base64,\s*([A-Za-z0-9+/]+=*)")


def page_html() -> str:
    """A login form with the QR code of the link screen as a data URI, written as Keycloak does (a space after the
    comma: `data:image/png;base64, iVBOR…`, which a redactor looking for `base64,iVBOR` missed)."""
    qr = segno.make(URI, error="m").png_data_uri(scale=6, border=4).replace("base64,", "base64, ")
    return (
        '<!doctype html><form method="post" action="/inloggen"><img alt="QR-code" src="' + qr + '">'
        '<input type="password" name="wachtwoord"><input name="code" autocomplete="one-time-code">'
        "<button>Inloggen</button></form>"
    )


@pytest.fixture
def registry() -> SecretRegistry:
    """The secrets of this test (the process-wide registry is left alone)."""
    registry = SecretRegistry()
    registry.register(PASSWORD, "wachtwoord jan")
    registry.register(CODE, "TOTP-code jan")
    registry.register(TOTP_SECRET, "TOTP-geheim jan")
    registry.register(URI, "otpauth-URI jan")
    return registry


@pytest.fixture
def trace(browser: Browser, tmp_path: Path) -> Path:
    """Records a trace: the form is shown, the password and code typed, the form sent and answered."""

    def answer(route: Route) -> None:
        """The form on GET; on POST a page that repeats what was sent, as a careless server might."""
        if route.request.method == "GET":
            route.fulfill(body=page_html(), content_type="text/html")
        else:
            route.fulfill(body=f"<p>ontvangen: {route.request.post_data}</p><p>{PASSWORD}</p>", content_type="text/html")

    context = browser.new_context()
    context.tracing.start(screenshots=True, snapshots=True, sources=True)
    page = context.new_page()
    page.route("**/*", answer)
    page.goto("http://portal.test/inloggen")
    page.fill("input[name=wachtwoord]", PASSWORD)
    page.fill("input[name=code]", CODE)
    page.click("button")
    page.get_by_text("ontvangen:").wait_for()
    path = tmp_path / "trace.zip"
    context.tracing.stop(path=path)
    context.close()
    return path


def entries(path: Path) -> dict[str, bytes]:
    """Every file in a zip, by name."""
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def qr_texts(files: dict[str, bytes]) -> list[str]:
    """The texts of the QR codes in the trace: in image files and in data URIs inside the text files."""
    images = [data for name, data in files.items() if name.endswith((".png", ".jpeg"))]
    images += [base64.b64decode(m + b"=" * (-len(m) % 4)) for data in files.values() for m in DATA_URI.findall(data) if len(m) % 4 != 1]
    found = []
    for image in images:
        try:
            found += decode_qr_codes(image)
        except (OSError, ValueError):  # a data URI cut off in a log line is no whole picture
            continue
    return found


def leaks(files: dict[str, bytes]) -> list[str]:
    """Which secrets show up, in which file (raw bytes, in the forms a trace stores them)."""
    forms = {PASSWORD: "wachtwoord", json.dumps(PASSWORD)[1:-1]: "wachtwoord (JSON)", CODE: "code", TOTP_SECRET: "geheim"}
    return [f"{name}: {label}" for name, data in files.items() for form, label in forms.items() if form.encode() in data]


def test_a_raw_trace_holds_every_secret(trace: Path) -> None:
    """Why redaction is needed: the unredacted trace has the password, the code and the QR code."""
    files = entries(trace)
    found = " ".join(leaks(files))
    assert "wachtwoord" in found and "code" in found, found
    assert URI in qr_texts(files)
    assert any(name.endswith(".jpeg") for name in files), "no screencast in the raw trace"


def test_redacted_trace_holds_no_secret_and_still_reads(trace: Path, registry: SecretRegistry) -> None:
    """After redaction: no secret in any file, no QR code with the secret, no film strip; the events still parse."""
    result = redact_trace(trace, registry)
    files = entries(trace)
    assert leaks(files) == []
    assert qr_texts(files) == []
    assert not any(name.startswith("screencast/") or name.endswith(".jpeg") for name in files)
    assert result.frames > 0 and result.blanked > 0 and result.masked > 0, result

    events = [json.loads(line) for line in files["trace.trace"].decode().splitlines() if line.strip()]
    assert not [e for e in events if e.get("type") == "screencast-frame"]
    fills = [e["params"]["value"] for e in events if e.get("type") == "before" and e.get("method") == "fill"]
    assert fills == [marker("wachtwoord jan"), marker("TOTP-code jan")]
    assert all(isinstance(e.get("wallTime", 0), (int, float)) for e in events)


def test_a_code_inside_a_number_leaves_the_number_alone(trace: Path) -> None:
    """Masking works on strings: digits of a timestamp that happen to equal a code stay a number."""
    first = json.loads(entries(trace)["trace.trace"].decode().splitlines()[0])
    digits = str(first["wallTime"])[2:8]
    registry = SecretRegistry()
    registry.register(digits, "TOTP-code toevallig")
    redact_trace(trace, registry)
    again = json.loads(entries(trace)["trace.trace"].decode().splitlines()[0])
    assert again["wallTime"] == first["wallTime"]


def test_a_trace_that_is_no_zip_is_left_as_it_is(tmp_path: Path, registry: SecretRegistry) -> None:
    """A broken file raises (the plugin then deletes it) and is not half rewritten."""
    broken = tmp_path / "trace.zip"
    broken.write_bytes(b"geen zip " + PASSWORD.encode())
    with pytest.raises(zipfile.BadZipFile):
        redact_trace(broken, registry)
    assert broken.read_bytes() == b"geen zip " + PASSWORD.encode()
    assert [p.name for p in tmp_path.iterdir()] == ["trace.zip"]


def test_blank_png_is_a_picture_without_a_qr_code() -> None:
    """What a blanked QR code becomes decodes as an image and holds nothing."""
    assert decode_qr_codes(BLANK_PNG) == []


FOREIGN_SECRET = "KRUGS4ZANFZSAYJAONSWG4TFOQQGW2LF"  # never registered: the scenario failed before the scan
FOREIGN_URI = f"otpauth://totp/Foreign:els%40example.org?secret={FOREIGN_SECRET}&issuer=Foreign"
GROUPED = " ".join(FOREIGN_SECRET[i : i + 4] for i in range(0, len(FOREIGN_SECRET), 4))


def foreign_enrolment_html() -> str:
    """An enrolment page of another shape: an inline SVG QR code, the same as an SVG data URI image, a canvas
    with it drawn from a PNG, and the key as grouped text ('can't scan? type this key')."""
    qr = segno.make(FOREIGN_URI, error="m")
    return (
        "<!doctype html><h1>Set up your authenticator</h1>"
        f'<div class="enrol">{qr.svg_inline(scale=4)}</div>'
        f'<img alt="scan me" src="{qr.svg_data_uri(scale=4)}">'
        '<canvas id="c" width="200" height="200"></canvas>'
        f"<p>Can't scan? Type this key: <code>{GROUPED}</code> ({GROUPED.lower()})</p>"
        f'<script>const i = new Image(); i.onload = () => document.getElementById("c").getContext("2d").drawImage(i, 0, 0);'
        f' i.src = "{qr.png_data_uri(scale=4)}";</script>'
    )


@pytest.fixture
def foreign_trace(browser: Browser, tmp_path: Path) -> Path:
    """Records a trace of the foreign enrolment page, with the screencast on."""
    context = browser.new_context()
    context.tracing.start(screenshots=True, snapshots=True, sources=True)
    page = context.new_page()
    page.route("**/*", lambda route: route.fulfill(body=foreign_enrolment_html(), content_type="text/html"))
    page.goto("http://foreign.test/enrol")
    page.get_by_text("Can't scan?").click()
    path = tmp_path / "foreign.zip"
    context.tracing.stop(path=path)
    context.close()
    return path


def foreign_leaks(files: dict[str, bytes]) -> list[str]:
    """Where the foreign key shows: as text in any form, as an otpauth URI, as an SVG drawing, as a QR picture."""
    forms = {FOREIGN_SECRET: "key", GROUPED: "grouped key", GROUPED.lower(): "grouped key, lower case", "otpauth": "URI"}
    files = {name: data for name, data in files.items() if not name.startswith("src/")}  # this test's own source
    found = [f"{name}: {label}" for name, data in files.items() for form, label in forms.items() if form.encode() in data]
    found += [f"{name}: QR-tekening" for name, data in files.items() if b"qrline" in data or b"%27qrline%27" in data]
    found += [f"QR-code: {text[:20]}" for text in qr_texts(files) if text.startswith("otpauth")]
    return found


def test_a_foreign_enrolment_page_leaves_no_key_in_the_trace(foreign_trace: Path) -> None:
    """SVG QR codes (inline and data URI), a canvas and the key as grouped text: nothing of it stays, with an
    empty registry (the trace itself tells what the secret is)."""
    assert len(foreign_leaks(entries(foreign_trace))) >= 4, foreign_leaks(entries(foreign_trace))
    result = redact_trace(foreign_trace, SecretRegistry())
    files = entries(foreign_trace)
    assert foreign_leaks(files) == []
    assert result.learned > 0 and result.blanked >= 2, result
    assert b"Can't scan? Type this key" in b"".join(files.values()) or b"Can&#39;t scan" in b"".join(files.values())


def test_a_trace_that_still_holds_a_secret_is_refused(trace: Path, registry: SecretRegistry, monkeypatch: pytest.MonkeyPatch) -> None:
    """When masking leaves a known secret behind (here: masking switched off), the trace is not kept as it is."""
    from herstelpad import traces

    monkeypatch.setattr(traces, "mask", lambda text, registry=None: text)
    before = trace.read_bytes()
    with pytest.raises(traces.TraceLeak):
        redact_trace(trace, registry)
    assert trace.read_bytes() == before
