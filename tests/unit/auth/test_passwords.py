import hashlib

from config import STRONG_PASSWORD_METHOD, Config
from tracker.auth.passwords import hash_password, password_problem, verify_password


def test_production_hashes_with_scrypt_n_2_17(app):
    assert Config.PASSWORD_HASH_METHOD == STRONG_PASSWORD_METHOD == "scrypt:131072:8:1"
    saved = app.config["PASSWORD_HASH_METHOD"]
    app.config["PASSWORD_HASH_METHOD"] = Config.PASSWORD_HASH_METHOD
    try:
        hashed = hash_password("a long enough password")
    finally:
        app.config["PASSWORD_HASH_METHOD"] = saved
    method, salt, digest = hashed.split("$")
    assert method == "scrypt:131072:8:1"
    assert len(salt) >= 16
    expected = hashlib.scrypt(b"a long enough password", salt=salt.encode(), n=2**17, r=8, p=1, maxmem=2**28).hex()
    assert digest == expected
    assert verify_password(hashed, "a long enough password")
    assert not verify_password(hashed, "a long enough passworD")


def test_unknown_user_still_costs_a_hash_and_fails(app):
    assert verify_password(None, "anything") is False


def test_password_rules():
    assert password_problem("short")
    assert password_problem(" leading space ok? ")
    assert password_problem("x" * 201)
    assert password_problem("a sensible passphrase") is None
