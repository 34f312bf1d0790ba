"""Static file URLs that change when the file does: ``/static/css/app.css?v=<hash>``.

In production nginx serves ``/static/`` itself with a year's cache
(deploy/nginx/tracker.conf). That is only safe if an updated file gets a new
URL, so every ``url_for("static", filename=...)`` gains ``v``, the first
characters of the file's SHA-256. The hash is computed once per file per
process: a release restarts the app servers, which then hash the new files.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache
from pathlib import Path

from flask import Flask


@lru_cache(maxsize=256)
def _file_version(folder: str, filename: str) -> str | None:
    path = (Path(folder) / filename).resolve()
    if not path.is_relative_to(Path(folder).resolve()) or not path.is_file():
        return None
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def init_app(app: Flask) -> None:
    folder = app.static_folder

    @app.url_defaults
    def add_static_version(endpoint: str, values: dict) -> None:
        if endpoint == "static" and folder and "v" not in values and "filename" in values:
            version = _file_version(folder, values["filename"])
            if version:
                values["v"] = version
