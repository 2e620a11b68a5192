"""The GUI shell driven as a user: first run, areas, navigation, lock/unlock, idle lock, settings."""

from __future__ import annotations

import json
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QSpinBox

from app.services import workstation as wsvc
from ui import views
from ui.dialogs.settings import SettingsDialog

from .conftest import PASSPHRASE, click_radio, first_run, off_thread, unlock

CTRL = Qt.KeyboardModifier.ControlModifier


def open_message_boxes() -> list[QMessageBox]:
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()] + [
        w for top in QApplication.topLevelWidgets() for w in top.findChildren(QMessageBox) if w.isVisible()]


def test_first_run_creates_a_passphrase_profile_and_shows_every_area(qtbot, tmp_path, make_session):
    home = tmp_path / "profile"
    session = make_session(home)
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    assert session.setup_dialog.home_label.text() == str(home)
    qtbot.waitUntil(lambda: "login protects" in session.setup_dialog.keyring_note.text())
    assert session.setup_dialog.keyring_radio.isChecked()  # the default when the keyring is usable

    window = first_run(qtbot, session)
    assert window.isVisible() and not window.is_locked
    assert json.loads((home / "profile.json").read_text())["key_mode"] == "passphrase"
    titles = [window.nav.item(i).text() for i in range(window.nav.count())]
    assert titles == ["Portfolio", "Agenda", "Complaints", "Reports", "Segments", "Team", "Settings"]
    assert window.area_stack.count() == 7 and window.current_area == "portfolio"
    assert window.status.state_label.text() == "Unlocked"
    assert window.status.user_label.text() == f"Signed in: {session.ws.user.display_name}"
    assert str(home) in window.status.profile_label.text() and "passphrase" in window.status.profile_label.text()


def test_mismatched_or_short_passphrase_is_refused_inline(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "p")
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    dialog = session.setup_dialog
    click_radio(qtbot, dialog.passphrase_radio)
    qtbot.keyClicks(dialog.passphrase, "short")
    assert "Too short" in dialog.strength.text()
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "at least 8" in dialog.error.text() and dialog.error.isVisible()
    qtbot.keyClicks(dialog.passphrase, " but longer")
    qtbot.keyClicks(dialog.confirm, "something else")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "not the same" in dialog.error.text()
    assert not (tmp_path / "p" / "profile.json").exists()


def test_navigation_shortcuts_switch_areas(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    window = first_run(qtbot, session)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_2, CTRL)
    assert window.current_area == "agenda"
    assert window.area_stack.currentWidget() is window.area_widget("agenda")
    qtbot.keyClick(window.nav, Qt.Key.Key_7, CTRL)
    assert window.current_area == "settings"
    qtbot.keyClick(window.nav, Qt.Key.Key_K, CTRL)  # global search (tests/ui/test_search.py drives it)
    qtbot.waitUntil(lambda: session.search_dialog is not None and session.search_dialog.isVisible())
    session.search_dialog.reject()
    assert [a.id for a in views.AREAS] == [window.nav.item(i).data(Qt.ItemDataRole.UserRole)
                                          for i in range(window.nav.count())]


def test_unlock_builds_the_area_on_screen_first_and_the_others_soon_after(qtbot, existing_profile: Path,
                                                                        make_session, monkeypatch):
    import ui.main_window

    monkeypatch.setattr(ui.main_window, "DEFERRED_BUILD_MS", 600_000)  # hold the others back while we look
    session = make_session(existing_profile)
    window = unlock(qtbot, session)
    built = window.area_widgets()
    assert window.area_stack.count() == 7 and built == [window.area_stack.currentWidget()]
    assert window.current_area == "portfolio"
    # an area's action used before its area is built builds it and still does its job, once
    window.actions["agenda.view_week"].trigger()
    agenda = window.area_widget("agenda")
    assert window.actions["agenda.view_week"].isChecked() and agenda.mode == "week"
    assert len(window.area_widgets()) == 2
    window._build_timer.start(0)  # what DEFERRED_BUILD_MS after unlock does
    qtbot.waitUntil(lambda: len(window.area_widgets()) == 7, timeout=10_000)
    assert not any(type(w).__name__ == "_Unbuilt" for w in window.area_widgets())
    assert window.area_widget("agenda") is agenda  # built once, not again
    assert window.current_area == "agenda"  # choosing an agenda view also shows the agenda


def test_an_area_built_off_screen_loads_its_data_when_first_shown(qtbot, existing_profile: Path, make_session,
                                                                  monkeypatch):
    import ui.main_window
    from ui.views.agenda import AgendaView

    monkeypatch.setattr(ui.main_window, "DEFERRED_BUILD_MS", 600_000)
    loads: list[str] = []
    monkeypatch.setattr(AgendaView, "refresh", lambda self: loads.append("refresh"))
    session = make_session(existing_profile)
    window = unlock(qtbot, session)
    window.build_remaining_areas()
    qtbot.waitUntil(lambda: len(window.area_widgets()) == 7, timeout=10_000)
    qtbot.wait(50)  # the agenda's start runs on the event loop's next turn
    # the overdue queue works out every client's cadence: off screen it would only hold up the portfolio
    assert loads == [] and window.area_widget("agenda")._load_when_shown
    window.go("agenda")
    assert loads == ["refresh"]
    window.go("portfolio")
    window.go("agenda")
    assert loads == ["refresh"]  # once; later showings use the agenda's own refresh rules


def test_lock_clears_views_and_only_the_right_passphrase_unlocks(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    window = first_run(qtbot, session)
    ws = session.ws
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)

    qtbot.keyClick(window.nav, Qt.Key.Key_L, CTRL)
    assert window.is_locked and session.locked
    qtbot.waitUntil(lambda: ws.locked)  # the key was dropped (on the worker)
    assert window.area_stack.count() == 0 and window.area_widgets() == []
    assert window.status.state_label.text() == "Locked"
    assert not window.actions["app.settings"].isEnabled() and not window.actions["go.agenda"].isEnabled()

    panel = session.unlock_panel
    qtbot.keyClicks(panel.passphrase, "not the passphrase")
    qtbot.mouseClick(panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: panel.error.isVisible(), timeout=10_000)
    assert "not correct" in panel.error.text()
    assert session.locked and window.is_locked and window.area_stack.count() == 0

    panel.passphrase.clear()
    qtbot.keyClicks(panel.passphrase, PASSPHRASE)
    qtbot.keyClick(panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)
    assert not window.is_locked and window.area_stack.count() == 7
    assert not panel.error.isVisible() and panel.passphrase.text() == ""
    assert window.actions["app.settings"].isEnabled()


def test_existing_profile_opens_on_the_lock_screen(qtbot, existing_profile: Path, make_session):
    session = make_session(existing_profile)
    qtbot.waitUntil(lambda: session.window is not None and session.window.isVisible())
    assert session.window.is_locked and session.unlock_panel.passphrase.isVisible()
    qtbot.keyClicks(session.unlock_panel.passphrase, PASSPHRASE)
    qtbot.mouseClick(session.unlock_panel.unlock_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: not session.locked, timeout=10_000)


def test_idle_timeout_locks(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile", idle_timeout_ms=400)
    first_run(qtbot, session)
    ws = session.setup_dialog.workstation  # session.ws may already be gone again
    qtbot.waitUntil(lambda: session.locked, timeout=5000)
    qtbot.waitUntil(lambda: ws.locked)
    assert session.window.is_locked


def test_input_keeps_the_session_unlocked(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile", idle_timeout_ms=3000)
    window = first_run(qtbot, session)
    for _ in range(8):  # 4 s of activity in all, never 3 s without input
        qtbot.wait(500)
        qtbot.mouseMove(window.nav)
        qtbot.keyClick(window.nav, Qt.Key.Key_Down)
    assert not session.locked


def test_settings_refuse_zero_idle_minutes_and_save_a_valid_value(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    window = first_run(qtbot, session)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(window.nav, Qt.Key.Key_Comma, CTRL)
    qtbot.waitUntil(lambda: session.settings_dialog is not None and session.settings_dialog.isVisible())
    dialog: SettingsDialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled)
    idle: QSpinBox = dialog.editors["user.idle_lock_minutes"]
    assert idle.value() == 5 and idle.minimum() == 1 and idle.maximum() == 240
    assert dialog.editors["org.approval_limits"].isReadOnly()

    idle.lineEdit().selectAll()
    qtbot.keyClicks(idle, "0")  # the editor does not take 0
    assert idle.value() != 0

    dialog.save_values({"user.idle_lock_minutes": 0})  # and the service refuses it
    error = dialog.errors["user.idle_lock_minutes"]
    qtbot.waitUntil(error.isVisible)
    assert "at least 1" in error.text() and dialog.isVisible()

    idle.setValue(7)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert off_thread(session.ws.settings.get, "user.idle_lock_minutes") == 7
    assert session.idle.timeout_ms == 7 * 60_000


def test_theme_setting_applies_the_dark_palette(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    first_run(qtbot, session)
    session.apply_settings({"user.theme": "dark", "user.idle_lock_minutes": 5})
    assert QApplication.instance().property("rmdesk_theme") == "dark"
    assert QApplication.palette().window().color().lightness() < 100
    session.apply_settings({"user.theme": "light", "user.idle_lock_minutes": 5})
    assert QApplication.palette().window().color().lightness() > 150


def test_refused_keyring_switches_to_passphrase_visibly(qtbot, tmp_path, make_session, monkeypatch):
    real_create = wsvc.create_profile

    def create(mode, *args, **kwargs):
        if mode == "keyring":
            raise wsvc.StoreError("No secure credential store is available (test).")
        return real_create(mode, *args, **kwargs)

    monkeypatch.setattr(wsvc, "create_profile", create)
    session = make_session(tmp_path / "profile")
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    dialog = session.setup_dialog
    assert dialog.key_mode == "keyring"
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.key_mode == "passphrase")
    assert not dialog.keyring_radio.isEnabled()
    assert "No secure credential store" in dialog.keyring_note.text()
    assert dialog.error.isVisible() and "passphrase" in dialog.error.text()
    boxes = open_message_boxes()
    assert boxes and "No secure credential store" in boxes[0].text()
    boxes[0].close()

    first_run(qtbot, session)  # now the passphrase path succeeds
    assert json.loads((tmp_path / "profile" / "profile.json").read_text())["key_mode"] == "passphrase"


def test_keyring_unavailable_at_start_defaults_to_passphrase(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile", keyring_probe=lambda: "No keyring here (test).")
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    dialog = session.setup_dialog
    qtbot.waitUntil(lambda: dialog.key_mode == "passphrase")
    assert "No keyring here" in dialog.keyring_note.text() and not dialog.keyring_radio.isEnabled()


def test_a_long_keyring_refusal_grows_the_setup_dialog_to_fit(qtbot, tmp_path, runner):
    from ui.dialogs.setup import SetupDialog

    long = ("No secure credential store is available (found: keyrings.alt.file.PlaintextKeyring). RM Desk "
            "will not keep its key in a plaintext or unknown keyring. Use a passphrase for this profile "
            "instead, or start your desktop's keyring (GNOME Keyring, KWallet, Windows Credential Manager "
            "or macOS Keychain).")
    dialog = SetupDialog(tmp_path / "profile", runner, keyring_probe=lambda: long)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(lambda: dialog.key_mode == "passphrase")
    qtbot.wait(100)
    # nothing squeezed: the dialog is as tall as its wrapped contents need at its width
    assert dialog.height() >= dialog.layout().heightForWidth(dialog.width())


def test_keyring_profile_unlocks_without_asking_and_explains_a_missing_key(qtbot, tmp_path, make_session,
                                                                           monkeypatch):
    home = tmp_path / "kr"
    from app.services import profile_lookup

    monkeypatch.setattr(profile_lookup, "profile_info", lambda h=None: profile_lookup.ProfileInfo(home, True, "keyring"))

    def refuse(passphrase=None, h=None, **kw):
        assert passphrase is None
        raise wsvc.StoreError("The key for this profile is not in your keyring.")

    monkeypatch.setattr(wsvc, "open_profile", refuse)
    session = make_session(home)
    qtbot.waitUntil(lambda: session.unlock_panel is not None and session.unlock_panel.error.isVisible())
    assert not session.unlock_panel.passphrase.isVisible()
    assert "not in your keyring" in session.unlock_panel.error.text()
    boxes = open_message_boxes()
    assert boxes and "not in your keyring" in boxes[0].informativeText() + boxes[0].text()
    assert session.locked


def test_cancel_on_first_run_finishes_without_a_profile(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    with qtbot.waitSignal(session.finished):
        qtbot.mouseClick(session.setup_dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert not (tmp_path / "profile").exists()


def test_backup_is_written_on_the_worker_and_reported(qtbot, tmp_path, make_session):
    session = make_session(tmp_path / "profile")
    window = first_run(qtbot, session)
    dest = tmp_path / "out" / "today.rmbackup"
    dest.parent.mkdir()
    session.backup(dest)
    qtbot.waitUntil(lambda: "Backup written and verified" in window.statusBar().currentMessage(), timeout=20_000)
    assert dest.exists() and dest.stat().st_size > 0


def test_about_names_the_version_and_profile(qtbot, tmp_path, make_session):
    from app import __version__

    session = make_session(tmp_path / "profile")
    window = first_run(qtbot, session)
    window.actions["help.about"].trigger()
    boxes = open_message_boxes()
    assert boxes and __version__ in boxes[0].text() and str(tmp_path / "profile") in boxes[0].informativeText()
    boxes[0].close()


def test_every_command_is_a_registered_action_with_its_shortcut(qtbot, tmp_path, make_session):
    window = first_run(qtbot, make_session(tmp_path / "profile"))
    keys = {a.objectName(): [s.toString() for s in a.shortcuts()] for a in window.actions}
    assert "Ctrl+L" in keys["session.lock"] and "Ctrl+Q" in keys["app.quit"]
    assert "Ctrl+," in keys["app.settings"] and "Ctrl+K" in keys["app.search"]
    assert [keys[f"go.{a.id}"] for a in views.AREAS] == [[f"Ctrl+{i}"] for i in range(1, 8)]
    assert {"app.backup", "help.about"} <= set(keys)
    assert all(a.statusTip() for a in window.actions)


def test_demo_book_progress_is_shown_and_cancel_is_disabled_while_writing(qtbot, tmp_path, make_session,
                                                                          monkeypatch):
    import importlib.machinery
    import sys
    import threading
    import types

    gate, calls = threading.Event(), []

    def generate_demo_book(database, *, clients, seed, progress):
        calls.append((clients, seed))
        for done in range(0, clients + 1, 10):
            progress(done, clients)
            if done == 50:
                gate.wait(10)
        return "summary"

    fake = types.ModuleType("app.services.demo")
    fake.__spec__ = importlib.machinery.ModuleSpec("app.services.demo", None)
    fake.generate_demo_book = generate_demo_book
    monkeypatch.setitem(sys.modules, "app.services.demo", fake)

    session = make_session(tmp_path / "profile")
    qtbot.waitUntil(lambda: session.setup_dialog is not None and session.setup_dialog.isVisible())
    dialog = session.setup_dialog
    click_radio(qtbot, dialog.demo_radio)
    assert dialog.demo_clients.value() == 2000
    dialog.demo_clients.setValue(120)
    click_radio(qtbot, dialog.passphrase_radio)
    qtbot.keyClicks(dialog.passphrase, PASSPHRASE)
    qtbot.keyClicks(dialog.confirm, PASSPHRASE)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.progress.isVisible() and dialog.progress.value() == 50, timeout=20_000)
    assert not dialog.cancel_button.isEnabled() and not dialog.create_button.isEnabled()
    dialog.reject()  # Esc / the window's close button do nothing while the book is written
    assert dialog.isVisible()
    gate.set()
    qtbot.waitUntil(lambda: session.ws is not None, timeout=20_000)
    assert calls == [(120, 1)]


def test_the_first_screen_imports_no_orm_models_on_the_gui_thread():
    """Building the portfolio (what unlocking shows) must not import the clients service or the ORM
    models: on the GUI thread that would freeze the window for most of a second. The 360 and the
    client editor load them when first opened."""
    import os
    import subprocess
    import sys

    code = ("import json, sys, ui.main, ui.session, app.services.portfolio, app.store.profile, "
            "ui.views.portfolio; print(json.dumps(sorted(m for m in ('app.store.models', "
            "'app.services.clients', 'PySide6.QtCharts') if m in sys.modules)))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "QT_QPA_PLATFORM": "offscreen"})
    assert json.loads(out.stdout) == []


def test_read_models_drifted_apart_are_rebuilt_after_the_first_screen(qtbot, tmp_path, make_session, kdf):
    from sqlalchemy import text

    from app.services.demo import generate_demo_book
    from ui.views.portfolio import PortfolioView

    home = tmp_path / "drifted"

    def prepare() -> None:
        ws = wsvc.create_profile("passphrase", PASSPHRASE, home, kdf=kdf)
        generate_demo_book(ws.database, clients=20, seed=4)
        with ws.database.engine.begin() as conn:
            conn.execute(text("DELETE FROM client_summary WHERE doc_id = (SELECT min(doc_id) FROM client_summary)"))
        ws.lock()

    off_thread(prepare)
    session = make_session(home)
    unlock(qtbot, session)

    def grid_rows() -> int:
        view = session.window.findChild(PortfolioView)
        return view.model.rowCount() if view is not None else -1

    qtbot.waitUntil(lambda: grid_rows() == 20, timeout=20_000)  # 19 at first, all 20 once rebuilt


def test_idle_watch_sees_events_only_while_active(qapp):
    """Its filter sees every event of the application (each call takes the GIL): installed while
    unlocked only, so the lock screen and the unlock run without it."""
    from PySide6.QtCore import QEvent
    from PySide6.QtGui import QKeyEvent
    from PySide6.QtWidgets import QLineEdit

    from ui.idle import IdleWatcher

    watcher, target = IdleWatcher(60_000), QLineEdit()

    def key_seen() -> bool:
        watcher._last = 0.0
        QApplication.sendEvent(target, QKeyEvent(QEvent.Type.KeyPress, Qt.Key.Key_A, Qt.KeyboardModifier.NoModifier, "a"))
        return watcher._last != 0.0

    assert not key_seen()
    watcher.set_active(True)
    assert key_seen()
    watcher.set_active(False)
    assert not key_seen()
    watcher.deleteLater()
