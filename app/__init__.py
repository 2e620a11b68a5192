"""RM Desk core: domain, storage, services, reports and sync. Never imports Qt."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("rmdesk")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+src"
