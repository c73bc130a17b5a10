# The hello-world Flask app, served by gunicorn over TLS on $PORT (5000).
#
# BASE_IMAGE: the official Python image on Debian 13 "trixie", Debian's current stable. Bookworm left Debian's
# regular security support in June 2026 and is on LTS only (https://wiki.debian.org/DebianReleases). Python 3.11 gets
# security fixes only, and so does 3.13 since its scheduled last bugfix release (3.13.16, 2026-10;
# https://peps.python.org/pep-0719/); 3.14 gets bugfixes until 2027-10, security fixes until 2030-10
# (https://peps.python.org/pep-0745/). app/requirements.txt has 3.14 wheels for amd64 and arm64 (cryptography's
# abi3 wheel needs glibc 2.34; trixie has 2.41), so nothing compiles at build time.
# Pinned to an exact patch tag: the newest this could be checked against (docker-library/official-images,
# library/python, 2026-08); a newer 3.14.x may exist, so bump it. A digest pin (…@sha256:…) would be stronger, but
# no digest could be verified offline where this was written; add it when a registry is at hand.
# The local test bed passes --build-arg BASE_IMAGE=hello-deploy/python-base:trixie (Debian 13 + python3-venv, hence
# Debian's Python 3.13), which is why everything below uses `python3 -m venv` and plain Debian tools.
ARG BASE_IMAGE=python:3.14.7-slim-trixie
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
