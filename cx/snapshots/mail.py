"""Send a snapshot by e-mail through the SMTP server of CX_SMTP_URL.

URL forms: smtp://host[:25] (plain), smtp+starttls://user@host[:587] (STARTTLS), smtps://user@host
[:465] (TLS from the start); ``?from=reports@example.com`` sets the sender. The password comes
from CX_SMTP_PASSWORD (environment or secrets), or, discouraged, from the URL itself.
"""

from __future__ import annotations

import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid, parseaddr
from urllib.parse import parse_qs, unquote, urlsplit

SCHEMES = {"smtp": ("plain", 25), "smtp+starttls": ("starttls", 587), "smtps": ("ssl", 465)}
SEND_TIMEOUT = 60.0


@dataclass(frozen=True)
class SmtpConfig:
    host: str
    port: int
    security: str  # "plain" | "starttls" | "ssl"
    username: str
    password: str
    sender: str

    def __repr__(self) -> str:  # never print the password
        return (f"SmtpConfig(host={self.host!r}, port={self.port}, security={self.security!r}, "
                f"username={self.username!r}, sender={self.sender!r})")


def parse_smtp_url(url: str, password: str = "") -> SmtpConfig:
    if not url:
        raise ValueError("no mail server configured: set CX_SMTP_URL, e.g. "
                         "smtp+starttls://reports@mail.example.com:587")
    parts = urlsplit(url)
    if parts.scheme not in SCHEMES:
        raise ValueError(f"CX_SMTP_URL must start with {', '.join(s + '://' for s in SCHEMES)}; "
                         f"got {parts.scheme or 'no scheme'}://")
    if not parts.hostname:
        raise ValueError("CX_SMTP_URL has no host name")
    security, default_port = SCHEMES[parts.scheme]
    try:
        port = parts.port or default_port
    except ValueError:
        raise ValueError("CX_SMTP_URL has an invalid port") from None
    user = unquote(parts.username or "")
    sender = parse_qs(parts.query).get("from", [""])[0] or (
        user if "@" in user else f"cx-lens@{parts.hostname}")
    return SmtpConfig(parts.hostname, port, security, user,
                      password or unquote(parts.password or ""), sender)


def parse_recipients(text: str) -> list[str]:
    """'a@x.com, b@y.org' -> addresses; a clear error naming the first bad one."""
    out = []
    for item in (t.strip() for t in text.split(",")):
        if not item:
            continue
        _, address = parseaddr(item)
        if "@" not in address or address.startswith("@") or address.endswith("@"):
            raise ValueError(f"{item!r} is not an e-mail address")
        out.append(address)
    if not out:
        raise ValueError("--email needs at least one address, e.g. --email a@x.com,b@y.com")
    return out


def build_message(subject: str, html: str, text: str, recipients: list[str], sender: str,
                  attachment_name: str) -> EmailMessage:
    """HTML body with a plain-text alternative, and the same HTML attached as a file."""
    msg = EmailMessage()
    msg["Subject"], msg["From"], msg["To"] = subject, sender, ", ".join(recipients)
    msg["Date"] = formatdate(localtime=False)
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "cx-lens.local")
    msg.set_content(text)
    msg.add_alternative(html, subtype="html")
    msg.add_attachment(html, subtype="html", charset="utf-8", filename=attachment_name)
    return msg


def send(config: SmtpConfig, msg: EmailMessage) -> None:
    context = ssl.create_default_context()
    if config.security == "ssl":
        client: smtplib.SMTP = smtplib.SMTP_SSL(config.host, config.port, timeout=SEND_TIMEOUT,
                                                context=context)
    else:
        client = smtplib.SMTP(config.host, config.port, timeout=SEND_TIMEOUT)
    with client:
        if config.security == "starttls":
            client.starttls(context=context)
        if config.username and config.password:
            client.login(config.username, config.password)
        client.send_message(msg)
