"""Read what is left of a request body before answering.

A view may answer without reading the body it was sent: the API refuses an
upload without a token (401), a form's CSRF check fails, a route does not
exist. gunicorn's sync workers then close the connection with the unread
bytes still in the socket, and nginx, which may still be passing the body on,
sees its upstream go away and answers 502 instead of the app's 401/404/400.
So, after the app has built its response and before the server sends it, the
rest of the body (at most MAX_CONTENT_LENGTH: anything declared larger was
refused by nginx or is refused by the app as 413, and is not worth reading)
is read and thrown away. A body the view read is already at its end.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from werkzeug.exceptions import HTTPException
from werkzeug.wsgi import LimitedStream

_CHUNK = 64 * 1024


def discard_unread_body(environ: dict[str, Any], limit: int | None) -> None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return
    if length <= 0 or (limit is not None and length > limit):
        return
    request = environ.get("werkzeug.request")
    # The stream the view read from, if it read any (Request.stream is a cached property).
    stream = request.__dict__.get("stream") if request is not None else None
    if stream is None:
        stream = LimitedStream(environ["wsgi.input"], length)
    try:
        while stream.read(_CHUNK):
            pass
    except (HTTPException, OSError):  # the client went away: nothing left to protect
        pass


class DiscardUnreadBody:
    """WSGI middleware around the Flask app: see the module docstring."""

    def __init__(self, app: Any, limit: int | None) -> None:
        self.app = app
        self.limit = limit

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Iterable[bytes]:
        response = self.app(environ, start_response)
        discard_unread_body(environ, self.limit)
        return response
