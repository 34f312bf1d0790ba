"""Password hashing: scrypt (N=2**17, r=8, p=1) unless the config says otherwise."""

from __future__ import annotations

import re
from collections.abc import Iterable

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10
MIN_SCORE = 3
SERVICE_WORDS = ("commissioning", "support", "tracker", "council", "halton")

# A dummy hash to compare against when the e-mail is unknown, so a wrong e-mail
# takes as long as a wrong password.
_DUMMY: dict[str, str] = {}


def hash_password(password: str) -> str:
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


def verify_password(stored_hash: str | None, password: str) -> bool:
    if not stored_hash:
        method = current_app.config["PASSWORD_HASH_METHOD"]
        if method not in _DUMMY:
            _DUMMY[method] = generate_password_hash("not-a-real-password", method=method)
        check_password_hash(_DUMMY[method], password)
        return False
    return check_password_hash(stored_hash, password)


def password_problem(password: str, user_inputs: Iterable[str] = ()) -> str | None:
    """Why a new password is not acceptable, or None.

    Besides length, zxcvbn must rate it at least 3 of 4 ("safely unguessable"),
    knowing the person's e-mail and name (and the service's name), so that
    "HaltonAdmin2026" or the e-mail itself are refused; its feedback says why.
    """
    if len(password or "") < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    if password.strip() != password:
        return "Do not start or end the password with a space."
    inputs = [*SERVICE_WORDS]
    for value in user_inputs:
        if value:
            inputs.append(value)
            inputs.extend(part for part in re.split(r"[@.\s_+-]+", value) if len(part) > 2)
    from zxcvbn import zxcvbn  # noqa: PLC0415  (its dictionaries are ~12 MB; only when a password is set)

    result = zxcvbn(password[:100], user_inputs=inputs)
    if result["score"] >= MIN_SCORE:
        return None
    feedback = result.get("feedback") or {}
    reasons = [feedback.get("warning") or "This password would be easy to guess."]
    reasons += feedback.get("suggestions") or []
    reasons.append("Several unrelated words, or a longer phrase, work well.")
    return " ".join(reason.rstrip(".") + "." for reason in reasons if reason)
