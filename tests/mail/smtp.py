"""Real SMTP peers on loopback for the mail tests: an aiosmtpd server that
records what it accepted (or refuses), one that never answers, one that hangs up."""

from __future__ import annotations

import email
import email.policy
import socket
import socketserver
import threading
import time
from dataclasses import dataclass

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@dataclass
class Received:
    mail_from: str
    rcpt_tos: list[str]
    raw: bytes

    @property
    def message(self) -> email.message.EmailMessage:
        return email.message_from_bytes(self.raw, policy=email.policy.default)


class Recorder:
    """aiosmtpd handler: keeps every accepted message; ``refuse`` answers 554 to DATA."""

    def __init__(self):
        self.received: list[Received] = []
        self.refuse = False
        self.delay = 0.0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        if self.refuse:
            return "554 5.7.1 Message refused by policy"
        if self.delay:
            time.sleep(self.delay)  # blocks the server loop: workers overlap on it
        with self.lock:
            self.received.append(Received(envelope.mail_from, list(envelope.rcpt_tos), envelope.original_content))
        return "250 2.0.0 Message accepted for delivery"

    def clear(self):
        with self.lock:
            self.received.clear()
        self.refuse = False
        self.delay = 0.0


class SmtpServer:
    def __init__(self, credentials: tuple[str, str] | None = None):
        self.handler = Recorder()
        self.port = free_port()
        extra = {}
        if credentials:  # a relay that wants AUTH LOGIN/PLAIN (over plain TCP on loopback only)
            extra = {"authenticator": _Authenticator(credentials), "auth_required": True, "auth_require_tls": False}
        self.controller = Controller(self.handler, hostname="127.0.0.1", port=self.port, **extra)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    @property
    def received(self) -> list[Received]:
        return self.handler.received

    def start(self):
        self.controller.start()
        return self

    def stop(self):
        self.controller.stop()


class _Authenticator:
    def __init__(self, credentials: tuple[str, str]):
        self.credentials = credentials

    def __call__(self, server, session, envelope, mechanism, auth_data):
        given = (auth_data.login.decode(), auth_data.password.decode())
        return AuthResult(success=given == self.credentials)


class _Silent(socketserver.BaseRequestHandler):
    def handle(self):
        self.server.stop_event.wait(30)  # accept, then never greet


class _HangUp(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.close()  # accept, then drop the connection


class BrokenServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, handler):
        super().__init__(("127.0.0.1", 0), handler)
        self.stop_event = threading.Event()
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"smtp://127.0.0.1:{self.server_address[1]}"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.stop_event.set()
        self.shutdown()
        self.server_close()


def silent_server() -> BrokenServer:
    return BrokenServer(_Silent).start()


def hang_up_server() -> BrokenServer:
    return BrokenServer(_HangUp).start()
