"""Container HEALTHCHECK: exit 0 when GET https://127.0.0.1:$PORT/health answers 200, else 1.

Stdlib only (the image has no curl). The certificate is not verified: it is usually self-signed, and what
is checked here is that this very process answers, not who it is.
"""
import os
import ssl
import sys
import urllib.request


def main() -> int:
    url = f"https://127.0.0.1:{os.environ.get('PORT', '5000')}/health"
    ctx = ssl._create_unverified_context()
    try:
        with urllib.request.urlopen(url, context=ctx, timeout=4) as resp:
            return 0 if resp.status == 200 else 1
    except Exception as exc:  # any failure means unhealthy; say why in `docker inspect` output
        print(f"unhealthy: {exc}", file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
