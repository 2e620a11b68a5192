"""RM Desk core: domain, storage, services, reports and sync. Never imports Qt."""

from __future__ import annotations


def __getattr__(name: str) -> str:
    # Looked up on first use: importlib.metadata scans the installed distributions, a tenth of a
    # second that the lock screen should not wait for.
    if name != "__version__":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:
        found = version("rmdesk")
    except PackageNotFoundError:  # running from a source tree that was never installed
        found = "0.0.0+src"
    globals()["__version__"] = found
    return found
