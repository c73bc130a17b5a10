"""The hello-world service. Kept importable as `app:app` so gunicorn (and the tests) load it from this folder."""
from flask import Flask, Response, jsonify

app = Flask(__name__)


@app.get("/")
def hello() -> Response:
    # text/plain: the body is exactly what the deploy smoke test compares against.
    return Response("hello world", mimetype="text/plain")


@app.get("/health")
def health() -> Response:
    # Cheap and dependency-free: the ALB target group and the image HEALTHCHECK poll it every few seconds.
    return jsonify(status="ok")
