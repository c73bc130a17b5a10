"""Which certificate is served: the provided one, app/certs/, or a fresh self-signed one."""
import os
import re
import ssl
import stat
from pathlib import Path

from support import file_cert_der, get, make_cert, served_cert_der


def test_serves_the_certificate_named_by_tls_env(start_server, tmp_path):
    cert, key = make_cert(tmp_path / "provided", "pytest-provided")
    server = start_server(env={"TLS_CERT_FILE": str(cert), "TLS_KEY_FILE": str(key)})
    assert served_cert_der(server.port) == file_cert_der(cert)
    # Pinning the provided cert as the only CA verifies the whole chain and the 127.0.0.1 SAN.
    pinned = ssl.create_default_context(cafile=str(cert))
    assert get(server.port, "/", ctx=pinned)[2] == "hello world"
    assert "tls: serving certificate from env" in server.err()


def test_serves_app_dir_certs_when_present(start_server, app_copy):
    cert, _ = make_cert(app_copy / "certs", "pytest-app-dir")
    server = start_server(cwd=app_copy)
    assert served_cert_der(server.port) == file_cert_der(cert)


def test_env_wins_over_app_dir_certs(start_server, app_copy, tmp_path):
    make_cert(app_copy / "certs", "pytest-app-dir")
    cert, key = make_cert(tmp_path / "provided", "pytest-provided")
    server = start_server(cwd=app_copy, env={"TLS_CERT_FILE": str(cert), "TLS_KEY_FILE": str(key)})
    assert served_cert_der(server.port) == file_cert_der(cert)


def test_generates_a_private_self_signed_pair_when_none_given(start_server, app_copy):
    server = start_server(cwd=app_copy)
    m = re.search(r"tls: serving certificate from self-signed \((\S+)\)", server.err())
    assert m, server.err()
    cert_path = Path(m.group(1))
    key_path = cert_path.with_name("key.pem")
    assert stat.S_IMODE(os.stat(key_path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(cert_path.parent).st_mode) == 0o700
    assert served_cert_der(server.port) == file_cert_der(cert_path)

    from cryptography import x509

    cert = x509.load_der_x509_certificate(served_cert_der(server.port))
    assert cert.issuer == cert.subject  # self-signed
    # It verifies against itself for 127.0.0.1, so a client may pin it.
    pinned = ssl.create_default_context(cafile=str(cert_path))
    assert get(server.port, "/health", ctx=pinned)[0] == 200

    assert server.terminate() == 0
    assert not cert_path.parent.exists(), "the generated key must not outlive the server"


def test_each_start_generates_a_new_pair(start_server, app_copy):
    first = start_server(cwd=app_copy)
    second = start_server(cwd=app_copy)
    assert served_cert_der(first.port) != served_cert_der(second.port)


def test_half_a_tls_pair_is_refused(start_server, tmp_path):
    cert, _ = make_cert(tmp_path / "provided", "pytest-provided")
    server = start_server(env={"TLS_CERT_FILE": str(cert)}, wait=False)
    assert server.proc.wait(timeout=20) != 0
    assert server.wait_for("stderr", "set both TLS_CERT_FILE and TLS_KEY_FILE")


def test_missing_tls_file_is_refused(start_server, tmp_path):
    server = start_server(env={"TLS_CERT_FILE": str(tmp_path / "no.pem"), "TLS_KEY_FILE": str(tmp_path / "no-key.pem")}, wait=False)
    assert server.proc.wait(timeout=20) != 0
    assert server.wait_for("stderr", "TLS file not found")

