"""The app as gunicorn serves it: real TLS requests to a real server."""
import ssl

import pytest

from support import get, health_json


def test_root_says_hello_world_as_plain_text(start_server):
    server = start_server()
    status, ctype, body = get(server.port, "/")
    assert status == 200
    assert ctype.startswith("text/plain")
    assert body == "hello world"


def test_health_answers_json_ok(start_server):
    server = start_server()
    assert health_json(server.port) == {"status": "ok"}


def test_unknown_path_is_404(start_server):
    import urllib.error

    server = start_server()
    try:
        get(server.port, "/nope")
    except urllib.error.HTTPError as exc:
        assert exc.code == 404
    else:
        raise AssertionError("expected 404")


def test_plain_http_is_not_served(start_server):
    # HTTPS only: a cleartext request must not get a hello world back.
    import http.client

    server = start_server()
    conn = http.client.HTTPConnection("127.0.0.1", server.port, timeout=5)
    try:
        conn.request("GET", "/")
        resp = conn.getresponse()
        assert resp.read() != b"hello world"
    except (http.client.HTTPException, ConnectionError, OSError):
        pass  # the TLS socket drops the cleartext request: that is the expected outcome
    finally:
        conn.close()


def test_access_log_line_goes_to_stdout(start_server):
    server = start_server()
    get(server.port, "/")
    assert server.wait_for("stdout", '"GET / HTTP/1.1" 200'), f"no access log on stdout:\n{server.out()}"


def test_default_is_two_gthread_workers_and_env_overrides_it(start_server):
    default = start_server()
    assert default.wait_for("stderr", "Using worker: gthread"), default.err()
    assert default.wait_for("stderr", "Booting worker")
    default.terminate()
    assert default.err().count("Booting worker") == 2, default.err()

    three = start_server(env={"WEB_CONCURRENCY": "3", "GUNICORN_THREADS": "2"})
    assert three.wait_for("stderr", "Booting worker")
    three.terminate()
    assert three.err().count("Booting worker") == 3, three.err()


def test_bad_concurrency_values_fail_fast(start_server):
    # gunicorn itself parses WEB_CONCURRENCY on import and fails before our config runs; either way it must stop.
    workers = start_server(env={"WEB_CONCURRENCY": "many"}, wait=False)
    assert workers.proc.wait(timeout=20) != 0
    assert workers.wait_for("stderr", "'many'"), workers.err()

    threads = start_server(env={"GUNICORN_THREADS": "0"}, wait=False)
    assert threads.proc.wait(timeout=20) != 0
    assert threads.wait_for("stderr", "GUNICORN_THREADS must be >= 1"), threads.err()


def test_tls_is_modern(start_server):
    server = start_server()
    ctx = ssl._create_unverified_context()
    import socket

    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with ctx.wrap_socket(raw) as tls:
            assert tls.version() in ("TLSv1.2", "TLSv1.3")

    # The default client context already refuses < 1.2, so the server side is checked with a client that
    # offers only TLS 1.0-1.1 (allowed at security level 0): the server must refuse the handshake.
    old = ssl._create_unverified_context()
    old.minimum_version = ssl.TLSVersion.TLSv1
    old.maximum_version = ssl.TLSVersion.TLSv1_1
    old.set_ciphers("DEFAULT:@SECLEVEL=0")
    with socket.create_connection(("127.0.0.1", server.port), timeout=5) as raw:
        with pytest.raises(ssl.SSLError):
            with old.wrap_socket(raw):
                pass
