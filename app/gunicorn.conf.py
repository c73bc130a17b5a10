"""gunicorn settings: `gunicorn -c gunicorn.conf.py app:app` from this folder is the whole command.

Defaults suit one Fargate task (0.25-0.5 vCPU): 2 workers x 2 threads. More threads per worker only queue on
the GIL: measured here with wrk -t2 -c16 (bench/app.bench.mjs), 2 x 4 gave about the same req/s with a worse p99
than 2 x 2. WEB_CONCURRENCY and GUNICORN_THREADS override them without rebuilding the image.
"""
import os
import sys

# gunicorn loads this file by path, before it changes sys.path; make tls_files importable from here.
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import tls_files  # noqa: E402


def _int_env(name: str, default: int) -> int:
    raw = os.environ.get(name, "")
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise SystemExit(f"{name} must be an integer, got {raw!r}")
    if value < 1:
        raise SystemExit(f"{name} must be >= 1, got {value}")
    return value


# 0.0.0.0 in a container; tests on the host network set BIND_HOST=127.0.0.1 so nothing listens beyond loopback.
bind = [f"{os.environ.get('BIND_HOST') or '0.0.0.0'}:{_int_env('PORT', 5000)}"]
worker_class = "gthread"
# SO_REUSEPORT: measured here, without it a burst of new keep-alive connections (an ALB opening its pool, or
# wrk -c16) often lands mostly on one worker, and throughput halves for as long as those connections live
# (wrk -t2 -c16, six 3 s runs: 1,140-3,198 req/s without, 2,888-3,852 with).
reuse_port = True
workers = _int_env("WEB_CONCURRENCY", 2)
threads = _int_env("GUNICORN_THREADS", 2)

# ECS sends SIGTERM and waits stopTimeout (30 s by default) before SIGKILL: finish in-flight requests well before.
graceful_timeout = _int_env("GUNICORN_GRACEFUL_TIMEOUT", 20)
timeout = 30
# Longer than the ALB idle timeout (60 s), so the ALB, not gunicorn, closes idle keep-alive connections:
# otherwise the ALB may reuse a connection gunicorn just closed and answer 502.
keepalive = 75

# Logs go to the container's stdout/stderr, where the awslogs driver picks them up.
accesslog = "-"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")

# The worker heartbeat file is touched often; keep it in memory where the filesystem allows (containers do).
if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK):
    worker_tmp_dir = "/dev/shm"

# gunicorn >= 25.1 opens a control socket at $HOME/.gunicorn/gunicorn.ctl by default: one fixed path shared by
# every server of the same user (parallel tests collide on it) and not writable for the image's user. Not needed.
control_socket_disable = True

_tls = tls_files.resolve()
certfile = _tls.certfile
keyfile = _tls.keyfile
print(f"tls: serving certificate from {_tls.source} ({certfile})", file=sys.stderr, flush=True)


def on_exit(server):  # gunicorn hook: the master is about to exit
    # A generated key lives only as long as the server that made it.
    _tls.cleanup()
