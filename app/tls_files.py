"""Which certificate and key gunicorn serves, decided once at start-up.

Order: TLS_CERT_FILE + TLS_KEY_FILE from the environment; else certs/cert.pem + certs/key.pem beside this
file; else a fresh self-signed pair in a private temp dir. The last case is why no private key ever has to
be baked into an image: the ALB in front re-encrypts to the task and does not verify the task's certificate.
"""
from __future__ import annotations

import datetime
import ipaddress
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class TlsFiles:
    certfile: str
    keyfile: str
    source: str  # "env" | "app-dir" | "self-signed"
    tempdir: str | None = None  # set only for self-signed, so the caller can remove it on exit

    def cleanup(self) -> None:
        if self.tempdir:
            shutil.rmtree(self.tempdir, ignore_errors=True)


class TlsConfigError(RuntimeError):
    pass


def resolve(env: dict[str, str] | None = None, app_dir: Path = HERE) -> TlsFiles:
    env = dict(os.environ) if env is None else env
    cert, key = env.get("TLS_CERT_FILE", ""), env.get("TLS_KEY_FILE", "")
    if cert or key:
        # Half a pair is a mistake in the task definition; failing loudly beats silently self-signing.
        if not (cert and key):
            raise TlsConfigError("set both TLS_CERT_FILE and TLS_KEY_FILE, or neither")
        for p in (cert, key):
            if not os.path.isfile(p):
                raise TlsConfigError(f"TLS file not found: {p}")
        _require_readable(cert, key)
        return TlsFiles(cert, key, "env")
    cert_p, key_p = app_dir / "certs" / "cert.pem", app_dir / "certs" / "key.pem"
    if cert_p.is_file() and key_p.is_file():
        _require_readable(str(cert_p), str(key_p))
        return TlsFiles(str(cert_p), str(key_p), "app-dir")
    return self_signed()


def _require_readable(*paths: str) -> None:
    # gunicorn loads the pair per connection, so an unreadable key (a 0600 file owned by another uid, mounted
    # into the container) would start "fine" and fail every handshake. Fail at start-up instead, and say why.
    for p in paths:
        if not os.access(p, os.R_OK):
            raise TlsConfigError(
                f"TLS file not readable by uid {os.getuid()}: {p} (mount a copy owned by this uid, or readable by its group)"
            )


def self_signed(common_name: str = "localhost") -> TlsFiles:
    # Imported here so the env/app-dir paths never pay for loading cryptography.
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))  # tolerate small clock skew
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(
            x509.SubjectAlternativeName(
                [x509.DNSName(common_name), x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]
            ),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    tmp = tempfile.mkdtemp(prefix="hello-tls-")  # mkdtemp makes it 0700
    cert_path, key_path = os.path.join(tmp, "cert.pem"), os.path.join(tmp, "key.pem")
    with open(cert_path, "wb") as f:
        f.write(cert.public_bytes(serialization.Encoding.PEM))
    # Create the key file 0600 from the start rather than chmod after writing.
    fd = os.open(key_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(
            key.private_bytes(
                serialization.Encoding.PEM,
                serialization.PrivateFormat.PKCS8,
                serialization.NoEncryption(),
            )
        )
    return TlsFiles(cert_path, key_path, "self-signed", tempdir=tmp)


if __name__ == "__main__":  # handy for a quick look: prints paths and source, never key material
    t = resolve()
    print(f"{t.source}: cert={t.certfile} key={t.keyfile}", file=sys.stderr)
    t.cleanup()
