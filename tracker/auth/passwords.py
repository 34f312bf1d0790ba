"""Password hashing: scrypt (N=2**17, r=8, p=1) unless the config says otherwise."""

from __future__ import annotations

from flask import current_app
from werkzeug.security import check_password_hash, generate_password_hash

MIN_LENGTH = 10

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


def password_problem(password: str) -> str | None:
    """Why a new password is not acceptable, or None."""
    if len(password or "") < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters."
    if len(password) > 200:
        return "Use at most 200 characters."
    if password.strip() != password:
        return "Do not start or end the password with a space."
    return None
