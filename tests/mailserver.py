"""A real SMTP server on loopback (aiosmtpd) for tests: it keeps what it receives and can
be told to refuse the next recipients, like a greylisting or strict server would."""

import email
import email.policy
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

HOST = "127.0.0.1"


class MailServer:
    """Messages the server accepted (parsed), and answers it gives instead of accepting."""

    def __init__(self, port: int) -> None:
        self.host = HOST
        self.port = port
        self.messages: list[EmailMessage] = []
        self._answers: list[str] = []

    def refuse_next(self, *answers: str) -> None:
        """Answer the next RCPT TO commands with these replies, e.g. "451 4.7.1 Try later"."""
        self._answers.extend(answers)

    def to(self, address: str) -> list[EmailMessage]:
        return [message for message in self.messages if message["To"] == address]

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, options: Any
    ) -> str:
        if self._answers:
            return self._answers.pop(0)
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        # Lines arrive with SMTP's CRLF; tests compare text with plain newlines.
        content = (envelope.original_content or b"").replace(b"\r\n", b"\n")
        message = email.message_from_bytes(content, policy=email.policy.default)
        assert isinstance(message, EmailMessage)
        self.messages.append(message)
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def running_mail_server() -> Iterator[MailServer]:
    server = MailServer(_free_port())
    controller = Controller(server, hostname=server.host, port=server.port)
    controller.start()
    try:
        yield server
    finally:
        controller.stop()
