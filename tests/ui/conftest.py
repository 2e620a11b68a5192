"""GUI test fixtures: private QSettings, no real keyring, a fast KDF, and a GUI-thread guard on the services."""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QPoint, QSettings, Qt
from PySide6.QtWidgets import QApplication

from app.services import profile_lookup
from app.services import settings as settings_service
from app.services import workstation as wsvc
from app.store.keys import KdfParams
from ui.tasks import TaskRunner, guarded

PASSPHRASE = "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def gc_on_gui_thread(qapp) -> Iterator[None]:
    """As in the application: cyclic GC only on the GUI thread, never from a worker (see ui/gc_guard.py)."""
    from ui.gc_guard import GuiThreadCollector

    collector = GuiThreadCollector(qapp)
    yield
    collector.stop()


@pytest.fixture(scope="session", autouse=True)
def english_plurals(qapp, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """English plural forms ("1 day", "2 days") compiled from the committed rmdesk_en.ts, as the application
    installs them at start (`make translations` need not have run)."""
    from ui import i18n

    where = tmp_path_factory.mktemp("plurals")
    source = Path(i18n.__file__).resolve().parent / "rmdesk_en.ts"
    subprocess.run([str(Path(sys.executable).parent / "pyside6-lrelease"), "-silent", "-nounfinished", str(source),
                    "-qm", str(where / "rmdesk_en.qm")], check=True)
    saved = i18n.catalogue_dir
    if i18n._Installed.plurals is not None:
        qapp.removeTranslator(i18n._Installed.plurals)
        i18n._Installed.plurals = None
    i18n.catalogue_dir = where
    try:
        i18n._install_plurals(qapp)
    finally:
        i18n.catalogue_dir = saved
    assert i18n._Installed.plurals is not None
    yield where


@pytest.fixture(autouse=True)
def private_qsettings(tmp_path: Path) -> Iterator[Path]:
    where = tmp_path / "qsettings"
    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(where))
    yield where


@pytest.fixture(autouse=True)
def no_real_keyring(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Never reach a real credential store (or D-Bus) from a GUI test."""
    import keyring
    from keyring.backends import fail

    monkeypatch.setenv("PYTHON_KEYRING_BACKEND", "keyring.backends.fail.Keyring")
    previous = keyring.get_keyring() if keyring.core._keyring_backend is not None else None
    keyring.set_keyring(fail.Keyring())
    yield
    if previous is not None:
        keyring.set_keyring(previous)


@pytest.fixture(autouse=True)
def gui_thread_violations(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every service entry point the GUI uses records calls made on the GUI thread; none may be."""
    violations: list[str] = []
    for name in ("create_profile", "open_profile", "profile_info"):
        monkeypatch.setattr(wsvc, name, guarded(getattr(wsvc, name), violations, name))
    for name in ("profile_info", "unlock_keys"):  # what the lock screen asks, before the store loads
        monkeypatch.setattr(profile_lookup, name, guarded(getattr(profile_lookup, name), violations, name))
    for cls, names in ((wsvc.Workstation, ("lock", "backup", "restore")),
                       (settings_service.SettingsService, ("all", "get", "set"))):
        for name in names:
            monkeypatch.setattr(cls, name, guarded(getattr(cls, name), violations, f"{cls.__name__}.{name}"))
    yield violations
    assert violations == [], f"service calls on the GUI thread: {violations}"


def guard_public_methods(monkeypatch: pytest.MonkeyPatch, cls: type, violations: list[str]) -> None:
    """Record in `violations` every call made on the GUI thread to a public method `cls` itself defines."""
    for name, fn in list(vars(cls).items()):
        if callable(fn) and not name.startswith("_"):
            monkeypatch.setattr(cls, name, guarded(fn, violations, f"{cls.__name__}.{name}"))


@pytest.fixture
def kdf() -> KdfParams:
    return KdfParams.fast_for_tests()


def off_thread(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run a test's own service call on a plain thread (the guard watches the GUI thread)."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = fn(*args, **kwargs)
        except BaseException as exc:  # noqa: BLE001
            box["error"] = exc

    t = threading.Thread(target=run)
    t.start()
    t.join(60)
    if "error" in box:
        raise box["error"]
    return box.get("value")


@pytest.fixture
def runner(qapp: QApplication) -> Iterator[TaskRunner]:
    tasks = TaskRunner()
    yield tasks
    tasks.shutdown(wait=True)


@pytest.fixture
def existing_profile(tmp_path: Path, kdf: KdfParams) -> Path:
    home = tmp_path / "existing"
    ws = off_thread(wsvc.create_profile, "passphrase", PASSPHRASE, home, kdf=kdf)
    off_thread(ws.lock)
    return home


@pytest.fixture
def make_session(qtbot, runner: TaskRunner, kdf: KdfParams) -> Iterator[Callable[..., Any]]:
    from ui.session import Session

    made: list[Session] = []

    def make(home: Path, **kwargs: Any) -> Session:
        kwargs.setdefault("kdf", kdf)
        kwargs.setdefault("keyring_probe", lambda: None)
        session = Session(runner, home, **kwargs)
        made.append(session)
        session.start()
        return session

    yield make
    for session in made:
        session.shutdown()
        if session.window is not None:
            session.window.close()
            session.window.deleteLater()
        if session.setup_dialog is not None:
            session.setup_dialog.deleteLater()


def click_radio(qtbot, radio: Any) -> None:
    """Click a radio button on its indicator (its centre may lie past the text in a wide layout)."""
    qtbot.mouseClick(radio, Qt.MouseButton.LeftButton, pos=QPoint(8, radio.height() // 2))
    assert radio.isChecked()


def unlock(qtbot, session: Any, timeout: int = 15_000) -> Any:
    """Type the passphrase on the lock screen of a session's window and wait until it is unlocked."""
    qtbot.waitUntil(lambda: session.window is not None and session.window.isVisible(), timeout=10_000)
    qtbot.keyClicks(session.unlock_panel.passphrase, PASSPHRASE)
    qtbot.keyClick(session.unlock_panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.locked, timeout=timeout)
    return session.window


def first_run(qtbot, session: Any, passphrase: str = PASSPHRASE) -> Any:
    """Drive the setup dialog as a user: passphrase mode, empty profile, Create."""
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    dialog = session.setup_dialog
    click_radio(qtbot, dialog.passphrase_radio)
    qtbot.keyClicks(dialog.passphrase, passphrase)
    qtbot.keyClicks(dialog.confirm, passphrase)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    # The window appears unlocked; with a very short idle timeout it may already be locked again.
    qtbot.waitUntil(lambda: session.window is not None, timeout=20_000)
    return session.window
