# The hello-world Flask app, served by gunicorn over TLS on $PORT (5000).
#
# BASE_IMAGE is pinned to an exact version tag. A digest pin (python:3.11.14-slim-bookworm@sha256:…) would be
# stronger, but the digest could not be verified offline where this was written; add it when a registry is at hand.
# The local test bed passes --build-arg BASE_IMAGE=hello-deploy/python-base:bookworm (Debian + python3-venv),
# which is why everything below uses `python3 -m venv` and plain Debian tools.
ARG BASE_IMAGE=python:3.11.14-slim-bookworm
FROM ${BASE_IMAGE}

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PIP_NO_CACHE_DIR=1 \
    PATH=/opt/venv/bin:$PATH

# An unprivileged user with a fixed uid, so ECS/Kubernetes policies can check "not root" numerically.
RUN groupadd --system --gid 10001 app \
 && useradd --system --uid 10001 --gid app --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin app

# Dependencies first: this layer stays cached until requirements.txt changes, whatever happens to the code.
COPY app/requirements.txt /tmp/requirements.txt
RUN python3 -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-cache-dir -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Code is owned by root and only readable by the app user. .dockerignore keeps tests and app/certs/ (keys) out.
WORKDIR /app
COPY app/ /app/

USER 10001:10001
ENV PORT=5000
EXPOSE 5000

# Stdlib-only probe (no curl in the image); it skips certificate checks because the cert is usually self-signed.
HEALTHCHECK --interval=15s --timeout=5s --start-period=10s --retries=3 \
  CMD ["/opt/venv/bin/python", "/app/healthcheck.py"]

# Exec form: gunicorn is PID 1 and gets ECS's SIGTERM directly, then drains within graceful_timeout.
CMD ["/opt/venv/bin/gunicorn", "-c", "/app/gunicorn.conf.py", "app:app"]
