"""The workstation's own cold start on the reference book (issue 3), measured through the real GUI.

    python -m bench.gui_start [--clients 100000] [--seed 1] [--cache DIR] [--runs 3] [--typing SECONDS]
                              [--keyring]

A new interpreter per run, offscreen Qt, the real Session and MainWindow:
  1. process start -> the unlock panel is on screen (imports of Qt and the app, profile lookup);
  2. "Unlock" pressed -> the portfolio shows its first page and its KPIs (Argon2id, migrations check,
     first page, count and KPIs on the worker thread, then painted).
The portfolio bench measures the queries underneath without Qt; this is what the RM waits for.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
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
if sys.argv[4] == "keyring":
    t1 = t_panel  # a keyring profile began unlocking by itself when it was found
else:
    end = time.perf_counter() + float(sys.argv[4])  # the RM types the passphrase; the window keeps running
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


@contextlib.contextmanager
def secret_service(where: Path) -> Iterator[dict[str, str]]:
    """gnome-keyring's Secret Service on a private D-Bus session bus, unlocked (as the tests start it)."""
    env = dict(os.environ, HOME=str(where), XDG_RUNTIME_DIR=str(where), XDG_DATA_HOME=str(where / "data"))
    bus = subprocess.Popen(["dbus-daemon", "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           env=env, text=True)
    env["DBUS_SESSION_BUS_ADDRESS"] = bus.stdout.readline().strip()
    unlock = subprocess.run(["gnome-keyring-daemon", "--unlock", "--components=secrets", "--replace"],
                            input="bench", env=env, capture_output=True, text=True, timeout=30)
    env.update(line.split("=", 1) for line in unlock.stdout.splitlines() if "=" in line)
    time.sleep(0.5)
    try:
        yield env
    finally:
        subprocess.run(["pkill", "-f", f"gnome-keyring-daemon.*{where}"], check=False)
        subprocess.run(["pkill", "-u", str(os.getuid()), "-f", "gnome-keyring-daemon --unlock"], check=False)
        bus.terminate()
        bus.wait(timeout=10)


_KEYRING_SETUP = r"""
import json, sys
from pathlib import Path
from app.store.keys import KeyringKeyStore, PassphraseKeyStore, backend_name
from app.store.layout import KEY_NAME, META_NAME
src, dest = Path(sys.argv[1]), Path(sys.argv[2])
meta = json.loads((src / META_NAME).read_text())
key = PassphraseKeyStore(src / KEY_NAME, meta["profile_id"], sys.argv[3]).load()
store = KeyringKeyStore(meta["profile_id"])
backend = store.backend
backend.set_password("RM Desk", "profile:" + meta["profile_id"], key.hex())
(dest / META_NAME).write_text(json.dumps({**meta, "key_mode": "keyring", "key_backend": backend_name(backend)}))
"""


def keyring_book(book: Path, env: dict[str, str]) -> Path:
    """The reference book as a keyring profile: the same file (a hard link: the runs never overlap, and
    each closes its WAL), its data key put in the private keyring."""
    home = book.with_name(book.name + "-keyring")
    home.mkdir(exist_ok=True)
    if not (home / "rmdesk.db").exists():
        os.link(book / "rmdesk.db", home / "rmdesk.db")
    subprocess.run([sys.executable, "-c", _KEYRING_SETUP, str(book), str(home), PASSPHRASE], env=env, check=True)
    return home


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rmdesk-bench")
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--typing", type=float, default=0.0,
                    help="seconds between the lock screen appearing and Unlock (the passphrase being typed)")
    ap.add_argument("--keyring", action="store_true",
                    help="a keyring profile (key in gnome-keyring on a private D-Bus): it unlocks by itself")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    book = build_book(args.cache, args.clients, args.seed)
    with contextlib.ExitStack() as stack:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(Path(__file__).resolve().parents[1]))
        home, mode = book, str(args.typing)
        if args.keyring:
            env.update(stack.enter_context(secret_service(Path(stack.enter_context(tempfile.TemporaryDirectory())))))
            home, mode = keyring_book(book, env), "keyring"
        runs = []
        for _ in range(args.runs):
            with tempfile.TemporaryDirectory() as prefs:
                out = subprocess.run([sys.executable, "-c", _CHILD, str(home), prefs, PASSPHRASE, mode],
                                     capture_output=True, text=True, env=env, timeout=300)
            if out.returncode:
                print(out.stderr[-2000:], file=sys.stderr)
                return 1
            runs.append(json.loads(out.stdout.strip().splitlines()[-1]))
    panel = statistics.median(r["panel"] for r in runs)
    ready = statistics.median(r["unlock_to_portfolio"] for r in runs)
    sums = sorted(r["panel"] + r["unlock_to_portfolio"] for r in runs)
    total = statistics.median(sums)
    print(f"GUI cold start on {args.clients:,} clients, median of {args.runs} new processes (offscreen Qt), "
          + ("a keyring profile (no passphrase, no Argon2id):" if args.keyring
             else f"Unlock pressed {args.typing:.1f} s after the lock screen appeared:"))
    print(f"  process start -> unlock panel shown            {panel * 1000:8.0f} ms")
    if args.keyring:
        print(f"  unlock panel -> portfolio page + KPIs shown     {ready * 1000:8.0f} ms  (keyring lookup)")
    else:
        print(f"  Unlock pressed -> portfolio page + KPIs shown   {ready * 1000:8.0f} ms  (includes Argon2id)")
    print(f"  together (median of the runs' sums)            {total * 1000:8.0f} ms  target <= 1.5 s "
          + ("" if args.keyring else "(plus the time it takes to type the passphrase)"))
    print(f"  together, fastest / slowest run                {sums[0] * 1000:8.0f} / {sums[-1] * 1000:.0f} ms")
    return 0

if __name__ == "__main__":
    sys.exit(main())
