"""A bound on how deeply a JSON body may nest.

Python's JSON parser recurses once per level, so 5,000 ``[`` raise
RecursionError wherever a body is parsed (the API, the login throttle's key
function, a form posted as JSON). Every ``request.get_json()`` goes through
the app's JSON provider, so the check lives there: a body nested deeper than
MAX_JSON_DEPTH is refused (ValueError) before the parser sees it, and the API
answers 400 naming the limit (tracker/api/core.py json_body).
"""

from __future__ import annotations

import re

from flask import Flask
from flask.json.provider import DefaultJSONProvider

MAX_JSON_DEPTH = 64

_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


class JSONTooDeep(ValueError):
    def __init__(self) -> None:
        super().__init__(f"The JSON body is nested more than {MAX_JSON_DEPTH} levels deep.")


def check_depth(data: str | bytes | bytearray) -> None:
    """Raise JSONTooDeep if ``data`` nests arrays/objects deeper than the limit.

    Strings are removed first (brackets inside them do not count); then each
    pass deletes the innermost ``[]``/``{}`` pairs, all in C: after
    MAX_JSON_DEPTH passes a remaining pair means deeper nesting. Unbalanced
    brackets are left for the parser to refuse as malformed.
    """
    if isinstance(data, str):
        data = data.encode("utf-8", "surrogatepass")
    brackets = _STRING.sub(b"", bytes(data)).translate(None, _NOT_BRACKETS)
    if len(brackets) <= 2 * MAX_JSON_DEPTH:
        return
    for _ in range(MAX_JSON_DEPTH):
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if shorter == brackets:
            return
        brackets = shorter
    if b"[]" in brackets or b"{}" in brackets:
        raise JSONTooDeep


class DepthCheckedJSONProvider(DefaultJSONProvider):
    def loads(self, s, **kwargs):
        check_depth(s)
        return super().loads(s, **kwargs)


def init_app(app: Flask) -> None:
    app.json = DepthCheckedJSONProvider(app)
