import pytest

import config
from config import ConfigError, DevelopmentConfig, ProductionConfig, config_from_env


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://x@localhost/x")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "short")
    with pytest.raises(ConfigError, match="SECRET_KEY"):
        ProductionConfig()
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    assert ProductionConfig().SECRET_KEY == "x" * 40


def test_production_requires_a_database_url(monkeypatch):
    monkeypatch.setenv("SECRET_KEY", "x" * 40)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    with pytest.raises(ConfigError, match="DATABASE_URL"):
        ProductionConfig()


def test_development_generates_a_secret_key_once_into_the_instance_folder(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    first = DevelopmentConfig()
    second = DevelopmentConfig()
    assert first.SECRET_KEY == second.SECRET_KEY
    assert len(first.SECRET_KEY) >= 64
    assert (tmp_path / "secret_key").read_text().strip() == first.SECRET_KEY
    assert oct((tmp_path / "secret_key").stat().st_mode)[-3:] == "600"
    assert f"sqlite:///{tmp_path / 'tracker.sqlite3'}" == first.SQLALCHEMY_DATABASE_URI


def test_environment_picks_the_config(monkeypatch, tmp_path):
    monkeypatch.setattr(config, "INSTANCE_DIR", tmp_path)
    monkeypatch.setenv("TRACKER_ENV", "development")
    monkeypatch.setenv("DATABASE_URL", "sqlite:///x.db")
    cfg = config_from_env()
    assert isinstance(cfg, DevelopmentConfig)
    assert cfg.SQLALCHEMY_DATABASE_URI == "sqlite:///x.db"
    monkeypatch.setenv("TRACKER_ENV", "nonsense")
    with pytest.raises(ConfigError):
        config_from_env()


def test_cookies_are_secure_outside_development():
    assert ProductionConfig.SESSION_COOKIE_SECURE is True
    assert ProductionConfig.SESSION_COOKIE_HTTPONLY is True
    assert ProductionConfig.SESSION_COOKIE_SAMESITE == "Lax"
    assert ProductionConfig.SECURITY_HSTS is True
    assert DevelopmentConfig.DEBUG is False
