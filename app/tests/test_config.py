"""gunicorn.conf.py read as gunicorn reads it (a module run from its path), without starting a server."""
import runpy

import pytest

from support import APP_DIR


def load_config(monkeypatch, **env: str) -> dict:
    for name in ("PORT", "BIND_HOST", "WEB_CONCURRENCY", "GUNICORN_THREADS", "TLS_CERT_FILE", "TLS_KEY_FILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    cfg = runpy.run_path(str(APP_DIR / "gunicorn.conf.py"))
    cfg["_tls"].cleanup()  # the self-signed pair it may have made
    return cfg


def test_container_defaults(monkeypatch):
    cfg = load_config(monkeypatch)
    assert cfg["bind"] == ["0.0.0.0:5000"]
    assert (cfg["worker_class"], cfg["workers"], cfg["threads"]) == ("gthread", 2, 2)
    assert cfg["accesslog"] == "-"
    assert 0 < cfg["graceful_timeout"] < 30  # inside ECS's default stopTimeout
    assert cfg["control_socket_disable"] is True


def test_env_overrides(monkeypatch):
    cfg = load_config(monkeypatch, PORT="8443", BIND_HOST="127.0.0.1", WEB_CONCURRENCY="3", GUNICORN_THREADS="8")
    assert cfg["bind"] == ["127.0.0.1:8443"]
    assert (cfg["workers"], cfg["threads"]) == (3, 8)


@pytest.mark.parametrize("value", ["x", "0", "-1"])
def test_bad_port_is_refused(monkeypatch, value):
    with pytest.raises(SystemExit):
        load_config(monkeypatch, PORT=value)
