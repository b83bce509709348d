"""A small target of foreign shapes for the leak test: a token in the reset link's path, an SVG QR code, the key
as grouped text, an RFC-strict TOTP check (only the current step, of 20 seconds: the phone must read `period=` and
never hand out a code its step would outlive), OAuth-style `code`/`state` in a redirect, and a look-alike mail from a
second sender.

Real HTTP (http.server), real SMTP to Mailpit; every request line goes to its log (with the tokens in the paths,
as a careless target logs them), and every secret it hands out is written, as JSON lines, to the file named by
FOREIGN_TARGET_SECRETS (outside reports/): the leak test reads the secrets from the target's side.
"""

from __future__ import annotations

import argparse
import html
import json
import os
import secrets
import smtplib
import sys
import threading
from email.message import EmailMessage
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, quote

import pyotp
import segno

SENDER = "Vreemde App <noreply@foreign.example>"
LOOK_ALIKE = "Vreemde App <noreply@foreign-app.example>"  # same display name, another domain
SUBJECT = "Reset your password"
_lock = threading.Lock()
USERS: dict[str, str] = {}  # e-mail → password
KEYS: dict[str, str] = {}  # reset key → e-mail
SECRETS: dict[str, str] = {}  # reset key → TOTP secret
PERIOD = 20  # seconds of a TOTP step (not RFC 6238's default 30)


def handed_out(kind: str, value: str) -> None:
    """Writes a secret this target handed out to the side file of the leak test."""
    path = os.environ.get("FOREIGN_TARGET_SECRETS")
    if path:
        with _lock, open(path, "a", encoding="utf-8") as out:
            out.write(json.dumps({"kind": kind, "value": value}) + "\n")


def page(title: str, body: str) -> bytes:
    """A whole HTML page."""
    return f"<!doctype html><html lang='en'><head><title>{title}</title></head><body><main>{body}</main></body></html>".encode()


class Handler(BaseHTTPRequestHandler):
    """The target's routes."""

    server_version = "Foreign/1.0"
    smtp_port = 0
    base = ""

    def log_message(self, format: str, *args: object) -> None:
        """Every request line to the log, tokens in paths included."""
        sys.stderr.write("foreign: " + format % args + "\n")
        sys.stderr.flush()

    def answer(self, status: int, body: bytes = b"", location: str | None = None) -> None:
        """Sends an answer."""
        self.send_response(status)
        if location:
            self.send_header("Location", location)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def form(self) -> dict[str, str]:
        """The posted form (or JSON body)."""
        raw = self.rfile.read(int(self.headers.get("Content-Length") or 0)).decode()
        if self.headers.get("Content-Type", "").startswith("application/json"):
            return dict(json.loads(raw))
        return {name: values[0] for name, values in parse_qs(raw).items()}

    def do_GET(self) -> None:
        """Pages."""
        path = self.path.split("?")[0]
        if path == "/health":
            self.answer(200, b"ok")
        elif path == "/forgot":
            self.answer(200, page("Forgot", "<h1>Forgot your password?</h1><form method='post' action='/forgot'>"
                                  "<label>E-mail <input name='email' type='email'></label><button>Send link</button></form>"))
        elif path.startswith("/password/reset/key/"):
            self.enrol(path.split("/")[4])
        elif path == "/callback":
            self.answer(200, page("Done", "<h1>Your authenticator is set up</h1>"))
        else:
            self.answer(404, page("Not found", "<h1>Not found</h1>"))

    def do_POST(self) -> None:
        """Forms and the test-data API."""
        data = self.form()
        if self.path == "/__test__/users":
            USERS[data["email"]] = data["password"]
            handed_out("password", data["password"])
            self.answer(201, b"{}")
        elif self.path == "/forgot":
            self.forgot(data.get("email", ""))
        elif self.path.startswith("/password/reset/key/"):
            self.confirm(self.path.split("/")[4], data.get("code", ""))
        else:
            self.answer(404)

    def forgot(self, email: str) -> None:
        """Sends the reset link (a token in its path), after a look-alike from another sender."""
        if email in USERS:
            key = f"6-{secrets.token_hex(4)}-{secrets.token_urlsafe(24)}"
            KEYS[key] = email
            handed_out("link", key)
            fake = f"6-{secrets.token_hex(4)}-{secrets.token_urlsafe(24)}"
            self.mail(LOOK_ALIKE, email, f"Open: http://127.0.0.1:9/password/reset/key/{fake}/\n")
            self.mail(SENDER, email, f"Hello,\n\nOpen this link to set up your authenticator again:\n"
                                     f"{self.base}/password/reset/key/{key}/\n")
        self.answer(200, page("Sent", "<h1>Check your mail</h1>"))

    def mail(self, sender: str, to: str, text: str) -> None:
        """One e-mail over SMTP to Mailpit."""
        message = EmailMessage()
        message["From"], message["To"], message["Subject"] = sender, to, SUBJECT
        message.set_content(text)
        with smtplib.SMTP("127.0.0.1", self.smtp_port, timeout=10) as smtp:
            smtp.send_message(message)

    def enrol(self, key: str) -> None:
        """The enrolment page: an inline SVG QR code and the key as grouped text."""
        email = KEYS.get(key)
        if email is None:
            self.answer(404, page("Expired", "<h1>This link has expired</h1>"))
            return
        secret = SECRETS.setdefault(key, pyotp.random_base32(32))
        handed_out("totp", secret)
        uri = f"otpauth://totp/Foreign:{quote(email)}?secret={secret}&issuer=Foreign&period={PERIOD}"
        grouped = " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))
        svg = segno.make(uri, error="m").svg_inline(scale=5, border=4)
        self.answer(200, page("Set up", (
            f"<h1>Set up your authenticator</h1><div class='enrol'>{svg}</div>"
            f"<p>Can't scan? Type this key: <code>{html.escape(grouped)}</code></p>"
            f"<form method='post' action='/password/reset/key/{key}/'><label>Code <input name='code' inputmode='numeric'></label>"
            "<button>Confirm</button></form>")))

    def confirm(self, key: str, code: str) -> None:
        """Checks the code; on success an OAuth-style redirect with a code and a state."""
        secret = SECRETS.get(key)
        if secret is None or not pyotp.TOTP(secret, interval=PERIOD).verify(code, valid_window=0):
            self.answer(400, page("Wrong", "<h1>Wrong code</h1>"))
            return
        oauth_code, state = secrets.token_urlsafe(18), secrets.token_urlsafe(12)
        handed_out("oauth code", oauth_code)
        handed_out("oauth state", state)
        self.answer(303, location=f"/callback?code={oauth_code}&state={state}")


def main() -> None:
    """Serves on the given port, sending mail to the given SMTP port."""
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--smtp-port", type=int, required=True)
    args = parser.parse_args()
    Handler.smtp_port, Handler.base = args.smtp_port, f"http://127.0.0.1:{args.port}"
    ThreadingHTTPServer(("127.0.0.1", args.port), Handler).serve_forever()


if __name__ == "__main__":
    main()
