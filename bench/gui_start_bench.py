"""The workstation's own cold start on the reference book (issue 3), measured through the real GUI.

    python -m bench.gui_start [--clients 100000] [--seed 1] [--cache DIR] [--runs 3] [--typing SECONDS]

A new interpreter per run, offscreen Qt, the real Session and MainWindow:
  1. process start -> the unlock panel is on screen (imports of Qt and the app, profile lookup);
  2. "Unlock" pressed -> the portfolio shows its first page and its KPIs (Argon2id, migrations check,
     first page, count and KPIs on the worker thread, then painted).
The portfolio bench measures the queries underneath without Qt; this is what the RM waits for.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench.portfolio_bench import PASSPHRASE, build_book

_CHILD = r"""
import time; t0 = time.perf_counter()
import json, sys
from PySide6.QtCore import QSettings
from PySide6.QtWidgets import QApplication
from ui.main import make_app
from ui.session import Session
from ui.tasks import TaskRunner

QSettings.setDefaultFormat(QSettings.Format.IniFormat)
QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, sys.argv[2])
app = make_app()
tasks = TaskRunner()
session = Session(tasks, sys.argv[1])
session.start()

from PySide6.QtCore import QEventLoop, QTimer

def wait(cond, limit=120.0):
    # the real event loop, polled by a 2 ms timer: a processEvents/sleep loop would take CPU from the
    # workers on a 2-core machine and measure the poller as much as the start
    if cond():
        return
    loop, poll = QEventLoop(), QTimer()
    poll.setInterval(2)
    poll.timeout.connect(lambda: cond() and loop.quit())
    QTimer.singleShot(int(limit * 1000), loop.quit)
    poll.start()
    loop.exec()
    poll.stop()
    if not cond():
        raise SystemExit("timed out")

wait(lambda: getattr(session, "unlock_panel", None) is not None and session.unlock_panel.isVisible())
t_panel = time.perf_counter()
typing = float(sys.argv[4])
end = time.perf_counter() + typing  # the RM types the passphrase meanwhile; the window keeps running
wait(lambda: time.perf_counter() >= end)
session.unlock_panel.passphrase.setText(sys.argv[3])
t1 = time.perf_counter()
session.unlock_panel.unlock_now()
view = []

def ready():
    if not view:
        from ui.views.portfolio import PortfolioView  # here: importing it first would slow the start

        found = session.window.findChild(PortfolioView)
        if found is None:
            return False
        view.append(found)
    v = view[0]
    model = v.model
    if model.rowCount() == 0 or not any(ch.isdigit() for ch in v.kpi_clients.value.text()):
        return False
    return bool(model.data(model.index(0, 0)))  # a real name, not the loading placeholder

wait(ready)
v = view[0]
v.grab()  # painted once
t_ready = time.perf_counter()
print(json.dumps({"panel": t_panel - t0, "unlock_to_portfolio": t_ready - t1, "rows": v.model.rowCount()}))
session.shutdown()  # also shuts the task runner down
"""


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rmdesk-bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--typing", type=float, default=0.0,
                    help="seconds between the lock screen appearing and Unlock (the passphrase being typed)")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    home = build_book(args.cache, args.clients, args.seed)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    runs = []
    for _ in range(args.runs):
        with tempfile.TemporaryDirectory() as prefs:
            out = subprocess.run([sys.executable, "-c", _CHILD, str(home), prefs, PASSPHRASE, str(args.typing)],
                                 capture_output=True, text=True, env=env, timeout=300)
        if out.returncode:
            print(out.stderr[-2000:], file=sys.stderr)
            return 1
        runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    panel = statistics.median(r["panel"] for r in runs)
    ready = statistics.median(r["unlock_to_portfolio"] for r in runs)
    print(f"GUI cold start on {args.clients:,} clients, median of {args.runs} new processes (offscreen Qt), "
          f"Unlock pressed {args.typing:.1f} s after the lock screen appeared:")
    print(f"  process start -> unlock panel shown            {panel * 1000:8.0f} ms")
    print(f"  Unlock pressed -> portfolio page + KPIs shown   {ready * 1000:8.0f} ms  (includes Argon2id)")
    print(f"  together                                       {(panel + ready) * 1000:8.0f} ms  target <= 1.5 s "
          "(plus the time it takes to type the passphrase)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
