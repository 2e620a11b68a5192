"""Global search (Ctrl+K) driven from the keyboard only: type, arrows, Enter opens the client, Esc closes."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui.dialogs.search import SearchDialog

from . import test_portfolio as shared
from .test_portfolio import portfolio

# the shared book and window fixtures (defined once in test_portfolio.py)
book = shared.book
book_template = shared.book_template
desk = shared.desk
guard_services = shared.guard_services

CTRL = Qt.KeyboardModifier.ControlModifier


def open_search(qtbot: Any, session: Any) -> SearchDialog:
    window = session.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, Qt.Key.Key_K, CTRL)
    qtbot.waitUntil(lambda: session.search_dialog is not None and session.search_dialog.isVisible())
    dialog = session.search_dialog
    qtbot.waitUntil(lambda: QApplication.focusWidget() is dialog.edit)  # the dialog takes the keyboard
    return dialog


def group_titles(dialog: SearchDialog) -> list[str]:
    tree = dialog.results
    return [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())
            if not tree.topLevelItem(i).data(0, Qt.ItemDataRole.UserRole)]


def test_ctrl_k_finds_a_client_by_an_email_prefix_and_enter_opens_it(qtbot, desk, book):
    dialog = open_search(qtbot, desk)
    qtbot.keyClicks(dialog.edit, "zoe.angs")
    qtbot.waitUntil(lambda: dialog.shown_text == "zoe.angs", timeout=10_000)
    assert group_titles(dialog) == ["Clients"]
    hits = dialog.hits()
    assert len(hits) == 1 and hits[0].text(0).strip() == "Zoë Ångström"
    assert dialog.results.currentItem() is hits[0]
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)
    area = portfolio(desk)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    assert area.client_view.client_id == book.ids["zoe"]
    assert desk.search_dialog is None or not desk.search_dialog.isVisible()
    assert desk.window.current_area == "portfolio"


def test_results_are_grouped_by_kind_and_arrows_move_between_hits(qtbot, desk, book):
    dialog = open_search(qtbot, desk)
    qtbot.keyClicks(dialog.edit, "amal")
    qtbot.waitUntil(lambda: dialog.shown_text == "amal", timeout=10_000)
    assert group_titles(dialog)[0] == "Clients"
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, "tulip")
    qtbot.waitUntil(lambda: dialog.shown_text == "tulip", timeout=10_000)
    assert group_titles(dialog) == ["Interaction notes"]
    dialog.edit.clear()
    qtbot.keyClicks(dialog.edit, "angstrom")
    qtbot.waitUntil(lambda: dialog.shown_text == "angstrom", timeout=10_000)
    hits = dialog.hits()
    assert len(hits) == 2
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    assert QApplication.focusWidget() is dialog.results and dialog.results.currentItem() is hits[1]
    qtbot.keyClick(dialog.results, Qt.Key.Key_Up)
    assert dialog.results.currentItem() is hits[0]
    qtbot.keyClick(dialog.results, Qt.Key.Key_Up)  # above the first hit: back to typing
    assert QApplication.focusWidget() is dialog.edit
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Down)
    chosen = hits[1].data(0, Qt.ItemDataRole.UserRole)
    qtbot.keyClick(dialog.results, Qt.Key.Key_Return)
    area = portfolio(desk)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    assert area.client_view.client_id == chosen


def test_typing_is_debounced_and_enter_before_the_pause_still_opens(qtbot, desk, book):
    dialog = open_search(qtbot, desk)
    before = dialog._generation
    qtbot.keyClicks(dialog.edit, "dmitri@exa")
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Return)  # at once: searches now, opens the first hit
    area = portfolio(desk)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    assert area.client_view.client_id == book.ids["dmitri"]
    assert dialog._generation - before <= 2  # not one query per keystroke


def test_escape_closes_and_nothing_matching_says_so(qtbot, desk):
    dialog = open_search(qtbot, desk)
    qtbot.keyClicks(dialog.edit, "qqqzzz")
    qtbot.waitUntil(lambda: dialog.shown_text == "qqqzzz", timeout=10_000)
    assert dialog.hits() == [] and "Nothing matches" in dialog.status.text()
    qtbot.keyClick(dialog.edit, Qt.Key.Key_Escape)
    assert desk.search_dialog is None
    assert portfolio(desk).client_view is None
