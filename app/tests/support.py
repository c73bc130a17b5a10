"""Helpers for the app tests: free ports, real HTTPS requests, certificates made by the test itself."""
from __future__ import annotations

import json
import signal
import socket
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

APP_DIR = Path(__file__).resolve().parent.parent
APP_FILES = ("app.py", "gunicorn.conf.py", "tls_files.py", "healthcheck.py")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def unverified() -> ssl.SSLContext:
    return ssl._create_unverified_context()


def get(port: int, path: str, ctx: ssl.SSLContext | None = None, timeout: float = 5):
    """(status, content-type, body) of a real HTTPS request."""
    url = f"https://127.0.0.1:{port}{path}"
    with urllib.request.urlopen(url, context=ctx or unverified(), timeout=timeout) as r:
        return r.status, r.headers.get("Content-Type", ""), r.read().decode()


@dataclass
class Server:
    proc: subprocess.Popen
    port: int
    stdout: list[str] = field(default_factory=list)
    stderr: list[str] = field(default_factory=list)

    def out(self) -> str:
        return "".join(self.stdout)

    def err(self) -> str:
        return "".join(self.stderr)

    def wait_ready(self, timeout: float = 20) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise AssertionError(f"gunicorn exited with {self.proc.returncode}:\n{self.err()}")
            try:
                if get(self.port, "/health", timeout=2)[0] == 200:
                    return
            except (urllib.error.URLError, OSError):
                time.sleep(0.1)
        raise AssertionError(f"gunicorn not ready on {self.port} after {timeout}s:\n{self.err()}")

    def wait_for(self, stream: str, needle: str, timeout: float = 5) -> bool:
        # Log lines arrive through a reader thread; give them a moment rather than asserting on a race.
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if needle in (self.out() if stream == "stdout" else self.err()):
                return True
            time.sleep(0.05)
        return False

    def terminate(self, timeout: float = 10) -> int:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout=timeout)


def pump(stream, sink: list[str]) -> None:
    for line in iter(stream.readline, ""):
        sink.append(line)
    stream.close()


def gunicorn_cmd() -> list[str]:
    script = Path(sys.executable).parent / "gunicorn"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-m", "gunicorn"]


def make_cert(directory: Path, common_name: str) -> tuple[Path, Path]:
    """A cert/key pair made by the test itself, independent of the code under test."""
    import datetime
    import ipaddress

    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import rsa
    from cryptography.x509.oid import NameOID

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=1)).not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .sign(key, hashes.SHA256())
    )
    directory.mkdir(parents=True, exist_ok=True)
    cert_path, key_path = directory / "cert.pem", directory / "key.pem"
    cert_path.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_path.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()))
    key_path.chmod(0o600)
    return cert_path, key_path


def served_cert_der(port: int) -> bytes:
    return ssl.PEM_cert_to_DER_cert(ssl.get_server_certificate(("127.0.0.1", port)))


def file_cert_der(path: Path) -> bytes:
    return ssl.PEM_cert_to_DER_cert(path.read_text())


def health_json(port: int) -> dict:
    status, ctype, body = get(port, "/health")
    assert status == 200
    assert ctype.startswith("application/json")
    return json.loads(body)
