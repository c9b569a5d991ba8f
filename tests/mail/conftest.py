import socket

import pytest
from aiosmtpd.controller import Controller


class MailServer:
    """A real SMTP server on 127.0.0.1 that can refuse mail (451) or be stopped altogether."""

    def __init__(self):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.refusing = False
        self.received = []
        self._controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.refusing:
            return "451 4.3.0 Mail server busy, please try again later"
        self.received.append(envelope)
        return "250 OK"

    def start(self):
        self._controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self._controller.start()

    def stop(self):
        if self._controller is not None:
            self._controller.stop()
            self._controller = None

    def recipients(self) -> list[list[str]]:
        return [envelope.rcpt_tos for envelope in self.received]


@pytest.fixture
def mail_server(settings):
    """The site sends through a real SMTP server of its own for the test."""
    server = MailServer()
    server.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": server.port, "timeout": 5},
        }
    }
    yield server
    server.stop()
