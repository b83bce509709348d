"""One received e-mail (RFC 5322 as Mailpit parsed it): addresses, its code and links, and whose mail it may be."""

from __future__ import annotations

import fnmatch
import html as html_lib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email.utils import parseaddr
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from herstelpad.mailpit import Summary, parse_time
from herstelpad.secret_shapes import LINK_LABEL, URL, link_tokens
from herstelpad.secrets import mask, register

if TYPE_CHECKING:
    from herstelpad.pack import TargetPack

# Where a code stands in an e-mail unless the pack says otherwise: a short label, a colon and 6-8 digits
# alone on their line ("Code: 123456"). A pack gives its own pattern; group 1 is the code.
DEFAULT_CODE = re.compile(r"^[^\n:]{1,60}:\s*(\d{6,8})\s*$", re.MULTILINE)
Subject = str | re.Pattern[str]  # an exact subject, or a pattern the whole subject must match


class MailContentError(ValueError):
    """An e-mail lacks what a step expected in it (a code, a link)."""


class MailRefused(MailContentError):
    """An e-mail or a link in it is not the target's own (sender, subject or origin), or the pack declared no senders."""


def address_key(address: str) -> str:
    """An RFC 5322 address in the form two spellings of one mailbox share.

    Drops a display name (`Jan <jan@x.nl>`), unquotes a quoted local part (`"j d"@x.nl` as Mailpit
    stores it: `j d@x.nl`) and ignores case (domains always; local parts too, as mail providers do).
    """
    text = address.strip()
    if text.endswith(">"):
        text = parseaddr(text)[1] or text
    local, at, domain = text.rpartition("@")
    if not at:
        return text.casefold()
    if len(local) >= 2 and local.startswith('"') and local.endswith('"'):
        local = re.sub(r"\\(.)", r"\1", local[1:-1])
    return f"{local}@{domain}".casefold()


def addresses(contacts: Any) -> tuple[str, ...]:
    """The e-mail addresses of Mailpit contact objects (a list, or one for From)."""
    if isinstance(contacts, dict):
        contacts = [contacts]
    return tuple(contact.get("Address", "") for contact in contacts or ())


def all_recipients(summary: Summary) -> tuple[str, ...]:
    """Everyone a message was delivered to: To, Cc and Bcc (Mailpit puts envelope-only recipients in Bcc)."""
    return tuple(address for name in ("To", "Cc", "Bcc") for address in addresses(summary.get(name)))


def sender_of(summary: Summary) -> str:
    """The From address of a message summary (its addr-spec, never the display name)."""
    found = addresses(summary.get("From"))
    return found[0] if found else ""


def one_line(summary: Summary) -> str:
    """A short description of a message summary: time, sender, subject, recipients."""
    created = summary.get("Created", "")[:19].replace("T", " ")
    to = ", ".join(addresses(summary.get("To"))) or "(no To)"
    return f"{created}  van {sender_of(summary) or '(geen From)'}  {summary.get('Subject', '')!r} → {to}"


def origin(url: str) -> str:
    """scheme://host[:port] of a URL (RFC 6454), lower case, without the scheme's default port."""
    parts = urlsplit(url.strip())
    scheme, host = parts.scheme.lower(), (parts.hostname or "").lower()
    port = parts.port
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" + (f":{port}" if port and port != default else "")


def subject_matches(subject: str, wanted: Subject) -> bool:
    """Whether a subject is exactly the wanted text (spaces folded) or wholly matches the wanted pattern."""
    if isinstance(wanted, re.Pattern):
        return wanted.fullmatch(subject) is not None
    return " ".join(subject.split()) == " ".join(wanted.split())


def _sender_matches(sender: str, declared: str) -> bool:
    """Whether an address matches a declared sender: local part and domain each as a shell-style pattern."""
    local, _, domain = address_key(sender).rpartition("@")
    want_local, _, want_domain = declared.casefold().rpartition("@")
    return bool(local) and fnmatch.fnmatchcase(local, want_local) and fnmatch.fnmatchcase(domain, want_domain)


@dataclass(frozen=True)
class MailTrust:
    """Whose mail a mailbox takes and where its links may lead: the target's senders, subjects and origins.

    `anyone` is for library use without a target (every sender, subject and origin); a pack that declares
    no senders gets a trust that refuses mail with a message saying what to declare.
    """

    senders: tuple[str, ...] = ()
    subjects: tuple[Subject, ...] = ()
    origins: tuple[str, ...] = ()
    owner: str = ""  # whose declaration, for messages: the pack's name
    anyone: bool = False

    @classmethod
    def of(cls, pack: TargetPack, target_url: str | None = None) -> MailTrust:
        """The trust a pack declares, with the running target's own origin added."""
        own = (origin(target_url),) if target_url else ()
        return cls(tuple(pack.senders), tuple(pack.subjects), own + tuple(origin(o) for o in pack.origins),
                   owner=pack.name)

    def refusal(self, summary: Summary) -> str | None:
        """Why this message is not the target's (None when it is): its sender, else its subject."""
        if self.anyone:
            return None
        sender, subject = sender_of(summary), summary.get("Subject", "")
        if not self.senders:
            return (f"pack {self.owner or '?'} noemt geen afzenders; zet in je TargetPack "
                    f"`senders = ({sender or 'noreply@…'!r},)` als dit de afzender van het doelsysteem is")
        if not any(_sender_matches(sender, declared) for declared in self.senders):
            return f"afzender {sender or '(geen)'} is niet van het doelsysteem (verwacht: {', '.join(self.senders)})"
        if self.subjects and not any(subject_matches(subject, wanted) for wanted in self.subjects):
            shown = ", ".join(w.pattern if isinstance(w, re.Pattern) else repr(w) for w in self.subjects)
            return f"onderwerp {subject!r} is niet een van de onderwerpen van het doelsysteem ({shown})"
        return None

    def allows_link(self, url: str) -> bool:
        """Whether a link leads to the target's own origin or a declared one."""
        return self.anyone or origin(url) in self.origins


ANYONE = MailTrust(anyone=True)


def _urls(text: str) -> list[str]:
    """The absolute URLs in `text`, without trailing punctuation."""
    return [url.rstrip(".,);:!?") for url in URL.findall(text)]


@dataclass(frozen=True)
class Email:
    """One received e-mail."""

    id: str
    subject: str
    sender: str
    to: tuple[str, ...]
    text: str = field(repr=False)
    html: str = field(repr=False)
    received: datetime
    code_pattern: re.Pattern[str] = field(default=DEFAULT_CODE, repr=False, compare=False)
    trust: MailTrust = field(default=ANYONE, repr=False, compare=False)

    @classmethod
    def from_mailpit(
        cls, data: dict[str, Any], summary: Summary, code_pattern: re.Pattern[str] = DEFAULT_CODE,
        trust: MailTrust = ANYONE,
    ) -> Email:
        """The e-mail of Mailpit's message answer; its codes and link tokens get registered as secrets."""
        email = cls(
            id=data["ID"],
            subject=data.get("Subject", ""),
            sender=sender_of(data),
            to=addresses(data.get("To")),
            text=data.get("Text") or "",
            html=data.get("HTML") or "",
            received=parse_time(summary["Created"]),
            code_pattern=code_pattern,
            trust=trust,
        )
        email.register_secrets()
        return email

    def _readable(self) -> list[str]:
        """Plain text first, then the HTML with tags removed and entities decoded."""
        return [self.text, html_lib.unescape(re.sub(r"<[^>]+>", "\n", self.html))]

    def _secret_label(self) -> str:
        """The label of this e-mail's codes in masked text."""
        return f"e-mail aan {', '.join(self.to)}"

    def register_secrets(self) -> None:
        """Register this e-mail's codes and the tokens of its links (by shape: herstelpad.secret_shapes) as secrets."""
        for body in self._readable():
            for code in self.code_pattern.findall(body):
                register(code, self._secret_label())
        for url in self.links():
            for token in link_tokens(url):
                register(token, LINK_LABEL)

    def code(self) -> str:
        """The code in the e-mail, where the target's pattern finds it (group 1)."""
        for body in self._readable():
            match = self.code_pattern.search(body)
            if match:
                return register(match.group(1), self._secret_label()) or ""
        raise MailContentError(
            f"De e-mail {self.subject!r} aan {', '.join(self.to)} heeft geen code waar het patroon "
            f"{self.code_pattern.pattern!r} die zoekt (no code). Text:\n{mask(self.text)[:500]}"
        )

    def links(self) -> list[str]:
        """All absolute URLs in the e-mail, text part first, without duplicates (on any origin)."""
        found: list[str] = []
        for body in (self.text, html_lib.unescape(self.html)):
            for url in _urls(body):
                if url not in found:
                    found.append(url)
        return found

    def link(self, contains: str = "") -> str:
        """The first absolute URL containing `contains` on the target's origin; MailRefused when it leads elsewhere."""
        links = self.links()
        matching = [url for url in links if contains in url]
        for url in matching:
            if self.trust.allows_link(url):
                return url
        if matching:
            elsewhere = sorted({origin(url) for url in matching})
            raise MailRefused(
                f"De e-mail {self.subject!r} van {self.sender} aan {', '.join(self.to)}: de link met {contains!r} "
                f"wijst naar {', '.join(elsewhere)}, niet naar het doelsysteem ({', '.join(self.trust.origins) or '?'}); "
                "niet geopend (link refused: declare the origin in TargetPack.origins if it is the target's own)."
            )
        raise MailContentError(
            f"De e-mail {self.subject!r} aan {', '.join(self.to)} heeft geen link met {contains!r}; "
            f"links: {[mask(url) for url in links]}"
        )
