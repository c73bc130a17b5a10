"""hello-deploy's moto launcher: moto_server with the extensions in moto_ext/ applied first.

Usage (what `--local` and the launcher tests run): `.venv/bin/python localstack/moto_launcher.py -H 127.0.0.1 -p PORT`
takes moto_server's own arguments. Each extension imitates one AWS behaviour moto leaves out, for the resources of
hello-deploy's two templates, on top of moto's own service backends, so the usual APIs see the result.

The extensions reach into moto internals, so they are pinned to one moto version (MOTO_VERSION, the one
requirements-moto.txt installs): any other version, or an internal an extension expects and does not find, stops the
launcher at start-up with a message naming it. It never runs half-extended.
"""
from __future__ import annotations

import importlib
import os
import sys

MOTO_VERSION = "5.2.5"

# One module per extension, applied in this order. Each has `apply() -> str`, returning one line that says what it
# changed; it raises ExtensionError when the moto internal it needs is not what it expects.
EXTENSIONS: list[str] = [
    "cfn_resources",
    # AWS::CertificateManager::Certificate, issued once its validation CNAME is in Route 53 (not on moto's timer).
    "acm_certificate",
    "ecs_service",
    "cfn_deletes",
    "cfn_fixes",
    # The service's counts from its tasks, and the tasks' state from the rehearsal's runtime (SubmitTaskStateChange).
    "task_counts",
    # A new task definition starts a deployment: PRIMARY/ACTIVE, failed tasks, the circuit breaker and its rollback.
    "ecs_rollout",
    # DescribeTargetHealth from the rehearsal's load balancer (HAProxy's view), and the target groups' attributes.
    "target_health",
    # Last: it wraps the create, update and delete the modules above may have replaced, so every one is recorded.
    "stack_events",
]


def _load() -> list[str]:
    here = os.path.dirname(os.path.abspath(__file__))
    if here not in sys.path:
        sys.path.insert(0, here)
    import moto  # noqa: PLC0415  (imported here so a missing moto is reported by main())

    if moto.__version__ != MOTO_VERSION:
        raise SystemExit(
            f"moto_launcher: moto {moto.__version__} is installed, the extensions are written for {MOTO_VERSION}; "
            f"install localstack/requirements-moto.txt (npm run setup) or run plain moto_server"
        )
    from moto_ext import ExtensionError  # noqa: PLC0415

    applied = []
    for name in EXTENSIONS:
        module = importlib.import_module(f"moto_ext.{name}")
        try:
            applied.append(f"{name}: {module.apply()}")
        except ExtensionError as err:
            raise SystemExit(f"moto_launcher: extension {name} cannot apply to moto {moto.__version__}: {err}") from err
    return applied


def main(argv: list[str] | None = None) -> None:
    applied = _load()
    for line in applied:
        print(f"moto_launcher: {line}", file=sys.stderr, flush=True)
    print(f"moto_launcher: {len(applied)} extension(s) applied", file=sys.stderr, flush=True)
    from moto.server import main as moto_main  # noqa: PLC0415

    moto_main(sys.argv[1:] if argv is None else argv)


if __name__ == "__main__":
    main()
