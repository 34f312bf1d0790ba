"""Read what is left of a request body before answering.

A view may answer without reading the body it was sent: the API refuses an
upload without a token (401), a form's CSRF check fails, a route does not
exist. gunicorn's sync workers then close the connection with the unread
bytes still in the socket, and nginx, which may still be passing the body on,
sees its upstream go away and answers 502 instead of the app's 401/404/400.
So, after the app has built its response and before the server sends it, the
rest of the body (at most MAX_CONTENT_LENGTH: anything declared larger was
refused by nginx or is refused by the app as 413, and is not worth reading)
is read and thrown away. The input is counted as the app reads it (by any of
read, readinto, readline), so only what is left of the declared length is read:
reading past it, a plain server's connection would wait for bytes that never come.
The rest is read when the view has returned, so a view must read the body before
returning (no view streams its request body lazily into its response).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from werkzeug.exceptions import HTTPException

_CHUNK = 64 * 1024


class _CountedInput:
    """The request's input stream, counting the bytes the app reads from it."""

    def __init__(self, stream: Any) -> None:
        self._stream = stream
        self.read_so_far = 0

    def _counted(self, data: bytes) -> bytes:
        self.read_so_far += len(data)
        return data

    def read(self, *args: Any) -> bytes:
        return self._counted(self._stream.read(*args))

    def read1(self, *args: Any) -> bytes:
        return self._counted(self._stream.read(*args))

    def readline(self, *args: Any) -> bytes:
        return self._counted(self._stream.readline(*args))

    def readinto(self, buffer: Any) -> int:  # what werkzeug's LimitedStream reads with when it can
        reader = getattr(self._stream, "readinto", None)
        if reader is not None:
            count = reader(buffer) or 0
        else:
            data = self._stream.read(len(buffer))
            count = len(data)
            buffer[:count] = data
        self.read_so_far += count
        return count

    def readlines(self, *args: Any) -> list[bytes]:
        lines = self._stream.readlines(*args)
        self.read_so_far += sum(len(line) for line in lines)
        return lines

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.readline, b"")

    def readall(self) -> bytes:
        return self._counted(self._stream.read())

    def __getattr__(self, name: str) -> Any:
        if name.startswith(("read", "peek")):  # any other way of reading would go uncounted
            raise AttributeError(name)
        return getattr(self._stream, name)


def _declared_length(environ: dict[str, Any]) -> int:
    try:
        return max(int(environ.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


def discard_unread_body(counted: _CountedInput, length: int) -> None:
    """Read (and drop) what is left of the declared body: never more than declared, so
    it cannot wait on a connection for bytes that will not come."""
    left = length - counted.read_so_far
    try:
        while left > 0:
            chunk = counted.read(min(left, _CHUNK))
            if not chunk:
                return  # the client sent less than it declared, or went away
            left -= len(chunk)
    except (HTTPException, OSError):  # the client went away: nothing left to protect
        pass


class DiscardUnreadBody:
    """WSGI middleware around the Flask app: see the module docstring."""

    def __init__(self, app: Any, limit: int | None) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        length = _declared_length(environ)
        if length == 0 or (self.limit is not None and length > self.limit) or "wsgi.input" not in environ:
            return self.app(environ, start_response)
        counted = environ["wsgi.input"] = _CountedInput(environ["wsgi.input"])
        response = self.app(environ, start_response)
        discard_unread_body(counted, length)
        return response
