"""The app reads what is left of a body it did not need before answering
(tracker/request_body.py): without that, gunicorn closes the socket with the
body unread and nginx answers 502 for the app's 401 (tests/deploy/test_proxy.py
shows it end to end through nginx)."""

from __future__ import annotations

import io

from werkzeug.test import EnvironBuilder


class Connection(io.BytesIO):
    """A request body as a server's socket gives it: reading past its end would wait for
    bytes that never come (here: fails the test)."""

    def read(self, size=-1):
        if self.tell() >= len(self.getbuffer()):
            raise AssertionError("read past the declared body: a real connection would hang here")
        return super().read(size)

    def readinto(self, buffer):
        if self.tell() >= len(self.getbuffer()):
            raise AssertionError("read past the declared body: a real connection would hang here")
        return super().readinto(buffer)

    def readline(self, size=-1):
        if self.tell() >= len(self.getbuffer()):
            raise AssertionError("read past the declared body: a real connection would hang here")
        return super().readline(size)


def call(app, path: str, body: bytes, **environ) -> tuple[str, io.BytesIO]:
    builder = EnvironBuilder(path=path, method="POST", data=body, content_type="text/csv")
    env = builder.get_environ()
    stream = Connection(body)
    env.pop("wsgi.input_terminated", None)  # as a plain server gives it: its end is the declared length
    env.update({"wsgi.input": stream, **environ})
    status: list[str] = []
    response = app.wsgi_app(env, lambda s, headers, exc_info=None: status.append(s))
    b"".join(response)
    return status[0], stream


def test_an_upload_refused_without_reading_is_read_to_its_end(app):
    body = b"x" * 300_000
    status, stream = call(app, "/api/v1/days/import", body)
    assert status.startswith("401")  # the API wants a token and never looked at the body
    assert stream.tell() == len(body)


def test_a_post_to_no_route_is_read_to_its_end(app):
    body = b"y" * 70_000
    status, stream = call(app, "/no/such/place", body)
    assert status.startswith("404")
    assert stream.tell() == len(body)


def test_a_body_declared_over_the_limit_is_not_read(app):
    body = b"z" * 1000
    _status, stream = call(app, "/api/v1/days/import", body, CONTENT_LENGTH=str(app.config["MAX_CONTENT_LENGTH"] + 1))
    assert stream.tell() == 0  # refused (413 by nginx in front, or the app): not worth reading


def test_a_body_the_view_read_is_left_at_its_end(app):
    body = b"email=nobody%40example.org&password=wrong"
    status, stream = call(app, "/login", body, CONTENT_TYPE="application/x-www-form-urlencoded")
    assert status[:3] in {"200", "400"}  # the form was read and refused
    assert stream.tell() == len(body)
