"""GUI entry point and composition root: QApplication, theme, task runner, session, main window."""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtWidgets import QApplication

from ui.gc_guard import GuiThreadCollector
from ui.prefs import APPLICATION, ORGANISATION, qsettings
from ui.session import Session
from ui.tasks import TaskRunner
from ui.theme import apply_theme


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="rmdesk", description="RM Desk (graphical workstation)")
    parser.add_argument("--profile", type=Path, default=None,
                        help="profile folder (default: $RMDESK_HOME or the platform's user data folder)")
    args, _qt_args = parser.parse_known_args(list(argv or []))
    return args


def make_app(argv: Sequence[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication([sys.argv[0] if sys.argv else "rmdesk", *(argv or [])])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("RM Desk")
    app.setDesktopFileName("rmdesk")
    apply_theme(app, str(qsettings().value("ui/theme", "system")))
    return app


def run_gui(argv: Sequence[str] | None = None) -> int:
    """Start the GUI on the profile from `--profile DIR` (or the default one); returns the exit code."""
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    args = parse_args(argv)
    app = make_app()
    collector = GuiThreadCollector(app)  # noqa: F841 - lives as long as the application
    tasks = TaskRunner()
    session = Session(tasks, args.profile)
    session.finished.connect(app.quit)
    session.start()
    try:
        return app.exec()
    finally:
        session.shutdown()


if __name__ == "__main__":
    sys.exit(run_gui(sys.argv[1:]))
