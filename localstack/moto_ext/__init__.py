"""The moto extensions moto_launcher.py applies. Each module: `apply() -> str`, raising ExtensionError when the moto
internal it patches is not there (or not shaped as expected), so a moto upgrade fails loudly, never silently."""


class ExtensionError(RuntimeError):
    """An extension found moto's internals other than it expects."""


def require(obj: object, attr: str, what: str) -> object:
    """getattr that fails loudly: `what` names the internal for the message."""
    if not hasattr(obj, attr):
        raise ExtensionError(f"{what}: {getattr(obj, '__name__', obj)!r} has no {attr!r}")
    return getattr(obj, attr)
