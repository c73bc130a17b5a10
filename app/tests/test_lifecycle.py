"""Shutdown and health check as ECS and Docker drive them."""
import subprocess
import sys
import time

from support import APP_DIR, free_port, get


def test_sigterm_exits_cleanly_within_seconds(start_server):
    server = start_server()
    get(server.port, "/")
    t0 = time.monotonic()
    assert server.terminate(timeout=10) == 0
    assert time.monotonic() - t0 < 5
    assert server.wait_for("stderr", "Shutting down: Master")


def test_sigterm_with_an_idle_keepalive_connection_still_exits_fast(start_server):
    # keepalive is long (longer than the ALB's idle timeout); an idle client must not hold shutdown hostage.
    import http.client
    import ssl

    server = start_server()
    conn = http.client.HTTPSConnection("127.0.0.1", server.port, context=ssl._create_unverified_context(), timeout=5)
    conn.request("GET", "/")
    assert conn.getresponse().read() == b"hello world"
    t0 = time.monotonic()
    assert server.terminate(timeout=30) == 0
    elapsed = time.monotonic() - t0
    conn.close()
    assert elapsed < 5, f"shutdown took {elapsed:.1f}s"


def _healthcheck(port: int) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(APP_DIR / "healthcheck.py")],
        env={"PORT": str(port)}, capture_output=True, text=True, timeout=15,
    )


def test_healthcheck_script_passes_against_the_server(start_server):
    server = start_server()
    result = _healthcheck(server.port)
    assert result.returncode == 0, result.stderr


def test_healthcheck_script_fails_when_nothing_listens():
    result = _healthcheck(free_port())
    assert result.returncode == 1
    assert "unhealthy" in result.stderr
