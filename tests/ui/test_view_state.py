"""What the user has on screen survives the areas being built again for a new language or new formats
(MainWindow.rebuild_areas and the areas' view_state / restore_view_state), and does not survive a lock."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QToolButton

from app.services import workstation as wsvc
from app.store.keys import KdfParams
from ui import format as ui_format
from ui import i18n

from .conftest import PASSPHRASE, off_thread
from .test_i18n import french, unlock  # noqa: F401 (french is a fixture)

WAIT = 20_000
SHOTS = Path(os.environ.get("RM_SHOTS", "/tmp/rm-shots"))
CLIENTS = 450  # three pages of the portfolio grid


@pytest.fixture(scope="module")
def book(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo book, made once for the module (each test unlocks it in a session of its own)."""
    from app.services.demo import generate_demo_book

    home = tmp_path_factory.mktemp("book") / "profile"

    def build() -> None:
        ws = wsvc.create_profile("passphrase", PASSPHRASE, home, kdf=KdfParams.fast_for_tests())
        generate_demo_book(ws.database, clients=CLIENTS, seed=1)
        ws.lock()

    off_thread(build)
    return home


@pytest.fixture
def profile(book: Path, tmp_path: Path) -> Path:
    """A copy of the book: tests change its settings and clients."""
    import shutil

    home = tmp_path / "profile"
    shutil.copytree(book, home)
    return home


def save_settings(qtbot: Any, session: Any, values: dict[str, Any]) -> None:
    session.open_settings()
    dialog = session.settings_dialog
    qtbot.waitUntil(dialog.save_button.isEnabled, timeout=WAIT)
    with qtbot.waitSignal(dialog.accepted, timeout=WAIT):
        dialog.save_values(values)


def rebuilt(qtbot: Any, window: Any, old: Any) -> Any:
    """The portfolio area once it has been built again."""
    qtbot.waitUntil(lambda: window.area_widget("portfolio") is not old, timeout=WAIT)
    return window.area_widget("portfolio")


def selected(listing: Any) -> str | None:
    return listing.current_client_id() if listing.table.selectionModel().hasSelection() else None


def loaded_list(qtbot: Any, area: Any) -> Any:
    listing = area.list
    qtbot.waitUntil(lambda: listing.model.total > 0 and not listing.model.loading, timeout=WAIT)
    return listing


def filter_and_select(qtbot: Any, listing: Any, text: str, row: int) -> str:
    if text.isascii() and text.isalpha():
        qtbot.keyClicks(listing.search, text)
    else:  # QTest types letters only (it aborts on some others)
        listing.search.setText(text)
    qtbot.waitUntil(lambda: listing.model.query.text == text and not listing.model.loading
                    and listing.model.total > row and listing.model.client_id_at(row) is not None, timeout=WAIT)
    listing.select_row(row)
    client = listing.current_client_id()
    assert client is not None
    return client


def test_a_new_language_keeps_filter_selection_open_client_and_agenda_mode(qtbot, profile, make_session,
                                                                           french):  # noqa: F811
    session = make_session(profile)
    window = unlock(qtbot, session)
    window.resize(1280, 800)
    agenda = window.area_widget("agenda")
    window.go("agenda")
    window.actions["agenda.view_week"].trigger()
    qtbot.waitUntil(lambda: agenda.mode == "week" and agenda.loaded_once and not agenda.loading.isVisible(),
                    timeout=WAIT)
    week = (agenda.first, agenda.last)

    window.go("portfolio")
    area = window.area_widget("portfolio")
    listing = loaded_list(qtbot, area)
    qtbot.waitUntil(lambda: listing.segment.count() > 2, timeout=WAIT)
    listing.segment.setCurrentIndex(2)
    segment = listing.segment.currentData()
    listing.apply_filters()
    client = filter_and_select(qtbot, listing, "an", 3)
    SHOTS.mkdir(parents=True, exist_ok=True)
    window.grab().save(str(SHOTS / "view-state-before-language-list.png"))
    qtbot.keyClick(listing.table, Qt.Key.Key_Return)  # opens the 360
    qtbot.waitUntil(lambda: area.showing_client and area.client_view.client is not None, timeout=WAIT)
    assert area.client_view.client_id == client
    area.client_view.tabs.setCurrentIndex(2)  # the timeline
    name = area.client_view.client.display_name
    window.grab().save(str(SHOTS / "view-state-before-language.png"))

    save_settings(qtbot, session, {"user.locale": "fr_FR"})
    qtbot.waitUntil(lambda: window.menus["file"].title() == "&Fichier", timeout=WAIT)
    area = rebuilt(qtbot, window, area)
    assert window.current_area == "portfolio"
    # the 360 is open again on the same client and tab
    assert area.showing_client and area.client_view.client_id == client
    qtbot.waitUntil(lambda: area.client_view.client is not None, timeout=WAIT)
    assert area.client_view.name.text() == name and area.client_view.tabs.currentIndex() == 2
    # the list under it: the same filter, the same client selected
    listing = area.list
    assert listing.search.text() == "an" and listing.segment.currentData() == segment
    qtbot.waitUntil(lambda: selected(listing) == client, timeout=WAIT)
    assert listing.model.query.text == "an" and listing.model.query.segment == segment and listing.new_button.text() == "Nouveau client…"
    assert window.nav.item(0).text() == "Portefeuille" and window.status.state_label.text() == "Déverrouillé"
    qtbot.wait(200)  # laid out again in French
    window.grab().save(str(SHOTS / "view-state-after-language.png"))
    qtbot.mouseClick(area.client_view.back_button, Qt.MouseButton.LeftButton)  # the list as it was left
    assert not area.showing_client and selected(listing) == client
    assert listing.search.findChild(QToolButton).isVisible()  # the filter's clear button, as when typed
    qtbot.wait(200)
    window.grab().save(str(SHOTS / "view-state-after-language-list.png"))
    # the agenda, built again later (not on screen), comes back in week view on the same week
    new_agenda = window.area_widget("agenda")
    assert new_agenda is not agenda and new_agenda.mode == "week"
    window.go("agenda")
    qtbot.waitUntil(lambda: new_agenda.loaded_once and not new_agenda.loading.isVisible(), timeout=WAIT)
    assert (new_agenda.first, new_agenda.last) == week and new_agenda.view_buttons["week"].isChecked()
    assert not new_agenda.grid.isHidden()

    # a lock forgets it all: the next unlock starts afresh
    session.lock()
    qtbot.keyClicks(session.unlock_panel.passphrase, PASSPHRASE)
    qtbot.keyClick(session.unlock_panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.locked, timeout=WAIT)
    area = window.area_widget("portfolio")
    assert area.list.search.text() == "" and not area.showing_client
    assert window.area_widget("agenda").mode == "day"


def test_new_formats_keep_the_portfolio_rows_and_the_complaint_filters(qtbot, profile, make_session):
    session = make_session(profile)
    window = unlock(qtbot, session)
    assert ui_format.fmt().name == "en_AU" and not i18n.current_files()
    area = window.area_widget("portfolio")
    listing = loaded_list(qtbot, area)
    # sorted by AUM, a client on the second page scrolled to: its page is fetched again after the rebuild
    aum = next(i for i, c in enumerate(listing.model.columns) if c.key == "aum")
    listing.table.sortByColumn(aum, Qt.SortOrder.DescendingOrder)
    qtbot.waitUntil(lambda: listing.model.query.sort == "aum" and not listing.model.loading, timeout=WAIT)
    row = 230
    listing.table.scrollTo(listing.model.index(row, 0))
    qtbot.waitUntil(lambda: listing.model.client_id_at(row) is not None, timeout=WAIT)
    listing.select_row(row)
    client = listing.current_client_id()
    top, scroll = listing.table.rowAt(0), listing.table.verticalScrollBar().value()
    assert top > 200

    complaints = window.area_widget("complaints")
    window.go("complaints")
    cases = complaints.open_list
    complaints.breach_list.include_past.setChecked(True)
    cases.order.setCurrentIndex(cases.order.findData("reference"))
    qtbot.waitUntil(lambda: cases.model.ready and cases.model.rowCount() > 1, timeout=WAIT)
    cases.select_case(cases.model.case_at(1).id)
    case = cases.selected_case_id()
    window.go("portfolio")

    save_settings(qtbot, session, {"user.locale": "en_GB"})
    area = rebuilt(qtbot, window, area)
    assert ui_format.fmt().name == "en_GB" and not i18n.current_files()  # formats only, same language
    listing = area.list
    assert listing.model.query.sort == "aum" and listing.model.query.descending
    qtbot.waitUntil(lambda: selected(listing) == client, timeout=WAIT)
    assert listing.table.currentIndex().row() == row
    assert listing.table.verticalScrollBar().value() == scroll and listing.table.rowAt(0) == top
    assert listing.new_button.text() == "New client…"

    complaints = window.area_widget("complaints")
    cases = complaints.open_list
    assert cases.order.currentData() == "reference" and complaints.breach_list.include_past.isChecked()
    window.go("complaints")
    qtbot.waitUntil(lambda: cases.selected_case_id() == case, timeout=WAIT)


def test_a_client_that_no_longer_matches_is_not_selected(qtbot, profile, make_session):
    session = make_session(profile)
    window = unlock(qtbot, session)
    area = window.area_widget("portfolio")
    listing = loaded_list(qtbot, area)
    qtbot.waitUntil(lambda: listing.segment.count() > 2, timeout=WAIT)
    listing.segment.setCurrentIndex(1)
    listing.apply_filters()
    segment, other = listing.segment.itemData(1), listing.segment.itemData(2)
    qtbot.waitUntil(lambda: listing.model.query.segment == segment and not listing.model.loading, timeout=WAIT)
    assert listing.model.total > 3
    listing.select_row(2)
    client = listing.current_client_id()
    ws = session.ws

    def move() -> None:  # on the DB worker, like every other call on this workstation
        ws.clients.update(client, dataclasses.replace(ws.clients.draft_of(client), segment_code=other))

    done: list[bool] = []
    session.tasks.submit(move, on_done=lambda _r: done.append(True))
    qtbot.waitUntil(lambda: bool(done), timeout=WAIT)
    window.rebuild_areas()
    area = rebuilt(qtbot, window, area)
    listing = area.list
    qtbot.waitUntil(lambda: listing.model.total > 0 and not listing.model.loading and listing._restoring is None,
                    timeout=WAIT)
    assert listing.model.query.segment == segment and listing.model.find_row(client) is None
    assert selected(listing) is None  # not the first row instead: nothing
