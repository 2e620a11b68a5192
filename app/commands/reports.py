"""`rmdesk` commands for this area (see app/cli.py: COMMAND_MODULES)."""

from __future__ import annotations

import argparse
from collections.abc import Callable


def add_parsers(sub: argparse._SubParsersAction, with_pass: Callable[[argparse.ArgumentParser], None]) -> None:
    """Nothing yet: this area's commands arrive with its issue."""
