"""Fixtures that start the REAL server: gunicorn with app/gunicorn.conf.py, in a subprocess, on a free 127.0.0.1 port."""
from __future__ import annotations

import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from support import APP_DIR, APP_FILES, Server, free_port, gunicorn_cmd, pump


@pytest.fixture
def start_server():
    """start_server(env=..., cwd=...) -> Server; every server started is stopped after the test."""
    started: list[Server] = []

    def start(env: dict[str, str] | None = None, cwd: Path = APP_DIR, wait: bool = True) -> Server:
        port = free_port()
        full_env = {k: v for k, v in os.environ.items() if not k.startswith(("TLS_", "WEB_CONCURRENCY", "GUNICORN_", "BIND_HOST"))}
        full_env.update({"PORT": str(port), "BIND_HOST": "127.0.0.1", "PYTHONUNBUFFERED": "1"})
        full_env.update(env or {})
        proc = subprocess.Popen(
            [*gunicorn_cmd(), "-c", "gunicorn.conf.py", "app:app"],
            cwd=cwd, env=full_env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        )
        server = Server(proc, port)
        for stream, sink in ((proc.stdout, server.stdout), (proc.stderr, server.stderr)):
            threading.Thread(target=pump, args=(stream, sink), daemon=True).start()
        started.append(server)
        if wait:
            server.wait_ready()
        return server

    yield start
    # SIGTERM first, so gunicorn's on_exit removes a generated key; SIGKILL only if it hangs.
    for s in started:
        if s.proc.poll() is None:
            s.proc.terminate()
    for s in started:
        try:
            s.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            s.proc.kill()
            s.proc.wait(timeout=10)


@pytest.fixture
def app_copy(tmp_path: Path) -> Path:
    """The app's real files in a fresh folder: app/certs/ on a developer's machine must not sway the test."""
    dest = tmp_path / "app"
    dest.mkdir()
    for name in APP_FILES:
        shutil.copy2(APP_DIR / name, dest / name)
    return dest


