"""Console-script entry point: `rmdesk` alone starts the GUI; `rmdesk COMMAND ...` runs the CLI."""

from __future__ import annotations

import sys


def main() -> int:
    argv = sys.argv[1:]
    if not argv or argv[0] in {"--profile"} and len(argv) == 2:
        from ui.main import run_gui

        return run_gui(argv)
    from app.cli import main as cli_main

    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
