"""The client 360 driven as a user: open with Enter, the acknowledgement first, Esc back to the list as
it was, masked values revealed (audited) and copied (cleared from the clipboard), holdings with their
balance chart, the paged timeline with its channel filter, and nothing left behind by a lock."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication

from ui import privacy
from ui.models.rows_model import Row, RowsModel
from ui.models.timeline_model import TimelineModel
from ui.views.client360 import Client360View

from . import test_portfolio as shared
from .conftest import off_thread
from .test_portfolio import portfolio

# the shared book and window fixtures (defined once in test_portfolio.py)
book = shared.book
book_template = shared.book_template
desk = shared.desk
guard_services = shared.guard_services

CTRL = Qt.KeyboardModifier.ControlModifier


def open_by_filter(qtbot: Any, session: Any, text: str) -> Client360View:
    """Type a filter, move to the grid with Enter, open the client with Enter."""
    area = portfolio(session)
    view = area.list
    qtbot.keyClicks(view.search, text)
    qtbot.waitUntil(lambda: view.model.total == 1 and not view.model.loading, timeout=10_000)
    qtbot.keyClick(view.search, Qt.Key.Key_Return)
    assert view.table.hasFocus() or QApplication.focusWidget() is view.table
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    return area.client_view


def audit_reveals(session: Any, client_id: str) -> list[str]:
    from sqlalchemy import select

    from app.store.models import AuditEntry

    def read() -> list[str]:
        with session.ws.database.reading() as s:
            return [e.detail for e in s.scalars(select(AuditEntry).where(
                AuditEntry.action == "reveal", AuditEntry.client_id == client_id))]

    return off_thread(read)


def test_enter_opens_the_client_with_the_acknowledgement_first(qtbot, desk, book):
    view = open_by_filter(qtbot, desk, "zoe ang")
    assert view.name.text() == "Zoë Ångström"
    sentence = view.ack.text()
    assert sentence.startswith("Last contact 7 days ago (phone)")
    assert "60 contacts in the last 12 months" in sentence and "1 open task" in sentence
    assert view.ack.isVisible() and view.ack.accessibleName() == "Acknowledgement"
    assert view.phones_label.text() == "+61 412 345 678  (mobile, primary)"
    assert "zoe.angstrom@example.org" in view.emails_label.text()
    assert view.dob_field.text.text() == "••/••/1980" and view.tax_field.text.text() == "••••••789"
    assert [view.relations.item(i).text() for i in range(view.relations.count())] == [
        "Sven Ångström (household member)", "Acme Widgets Pty Ltd (Director)"]
    assert view.consents.count() == 2
    assert view.tasks_model.rowCount() == 1 and view.surveys_model.rowCount() == 1
    assert view.loyalty_model.data(view.loyalty_model.index(0, 2)) == "1,250"
    assert view.recs_model.rowCount() == 0
    assert view.recs_section.empty.text() == "Recommendations arrive with a later release"


def test_escape_returns_to_the_list_keeping_scroll_and_selection(qtbot, desk):
    area = portfolio(desk)
    view = area.list
    model = view.model
    view.select_row(300)
    qtbot.waitUntil(lambda: model.client_id_at(300) is not None, timeout=10_000)
    view.select_row(300)
    scroll = view.table.verticalScrollBar().value()
    assert scroll > 0
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    client = area.client_view
    assert client.name.text() == model.row_at(300).name and area.currentWidget() is client
    assert client.tabs.hasFocus() or client.isAncestorOf(QApplication.focusWidget())
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Escape)
    assert area.currentWidget() is view and area.client_view is None
    assert view.table.currentIndex().row() == 300
    assert view.table.verticalScrollBar().value() == scroll
    assert view.table.hasFocus()


def test_reveal_is_audited_and_a_copied_value_leaves_the_clipboard(qtbot, desk, monkeypatch):
    monkeypatch.setattr(privacy, "CLEAR_AFTER_MS", 300)
    view = open_by_filter(qtbot, desk, "zoe ang")
    field = view.dob_field
    assert not field.copy_button.isVisible()
    qtbot.mouseClick(field.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: field.is_revealed, timeout=10_000)
    assert field.text.text() == "01/05/1980" and field.reveal_button.text() == "Hide"
    assert audit_reveals(desk, view.client_id) == ["date_of_birth"]

    clipboard = QApplication.clipboard()
    qtbot.mouseClick(field.copy_button, Qt.MouseButton.LeftButton)
    assert clipboard.text() == "01/05/1980"
    assert clipboard.mimeData().data("x-kde-passwordManagerHint").data() == b"secret"
    qtbot.waitUntil(lambda: clipboard.text() == "", timeout=3000)

    qtbot.mouseClick(field.copy_button, Qt.MouseButton.LeftButton)
    clipboard.setText("something the user copied since")
    qtbot.wait(500)
    assert clipboard.text() == "something the user copied since"  # not ours any more: left alone

    qtbot.mouseClick(field.reveal_button, Qt.MouseButton.LeftButton)  # Hide
    assert field.text.text() == "••/••/1980" and not field.is_revealed

    qtbot.mouseClick(view.tax_field.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.tax_field.is_revealed, timeout=10_000)
    assert view.tax_field.value == "123456789"
    assert audit_reveals(desk, view.client_id) == ["date_of_birth", "tax_id"]


def test_holdings_chart_the_selected_holding_and_reveal_its_account(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    qtbot.keyClick(view.tabs, Qt.Key.Key_O, Qt.KeyboardModifier.AltModifier)
    assert view.tabs.currentIndex() == 1
    table = view.holdings.table
    assert view.holdings_model.rowCount() == 2
    assert view.holdings_model.data(view.holdings_model.index(0, 3)) == "$2,500,000.50"
    assert view.holdings_model.data(view.holdings_model.index(0, 2)) == "•••••••••7766"
    assert view.chart.points == 12 and view.chart.currentWidget() is view.chart.view
    assert "Managed portfolio" in view.chart.chart.title()
    table.setFocus()
    qtbot.keyClick(table, Qt.Key.Key_Down)
    assert table.currentIndex().row() == 1
    assert view.chart.points == 0 and "No balance history" in view.chart.empty.text()
    account = view.account_field
    qtbot.mouseClick(account.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: account.is_revealed, timeout=10_000)
    assert account.value == "4564000011112222"
    assert "account_number" in audit_reveals(desk, view.client_id)


def test_timeline_pages_as_it_scrolls_and_filters_by_channel(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    view.tabs.setCurrentIndex(2)
    model = view.timeline_model
    assert model.rowCount() == 50  # the newest page came with the 360 view
    view.timeline.scrollToBottom()
    if model.canFetchMore():
        model.fetchMore()
    qtbot.waitUntil(lambda: model.rowCount() == 60, timeout=10_000)
    assert not model.canFetchMore()
    assert [model.data(model.index(i, 3)) for i in (0, 59)] == ["Conversation 1", "Conversation 60"]
    view.timeline.selectRow(0)
    assert "kitchen renovation loan" in view.notes.toPlainText()

    view.channel.setCurrentIndex(view.channel.findData("email"))
    view.channel.activated.emit(view.channel.currentIndex())
    qtbot.waitUntil(lambda: model.rowCount() == 10 and not model.loading, timeout=10_000)
    assert {model.data(model.index(i, 1)) for i in range(10)} == {"E-mail"}
    assert "10 interactions shown" in view.timeline_count.text()


def test_do_not_contact_and_a_long_silence_are_plain_to_see(qtbot, desk, book):
    area = portfolio(desk)
    view = area.open_client(book.ids["dmitri"])
    qtbot.waitUntil(lambda: view.client is not None, timeout=10_000)
    assert view.dnc_badge.text() == "⛔ Do not contact"
    qtbot.waitUntil(view.dnc_badge.isVisible)
    assert view.ack.text().startswith("Last contact 400 days ago (phone); 0 contacts")
    view.relations.setCurrentRow(0)
    assert view.relations.item(0).text() == "No relationships recorded."


def test_household_member_opens_with_enter(qtbot, desk, book):
    view = open_by_filter(qtbot, desk, "zoe ang")
    area = portfolio(desk)
    view.relations.setFocus()
    view.relations.setCurrentRow(0)
    qtbot.keyClick(view.relations, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: area.client_view is not view and area.client_view is not None
                    and area.client_view.client is not None, timeout=10_000)
    assert area.client_view.name.text() == "Sven Ångström"


def test_lock_destroys_client_views_and_clears_a_copied_value(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    qtbot.mouseClick(view.dob_field.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.dob_field.is_revealed, timeout=10_000)
    qtbot.mouseClick(view.dob_field.copy_button, Qt.MouseButton.LeftButton)
    assert QApplication.clipboard().text() == "01/05/1980"
    view.timeline_model.set_channel("sms")  # work in flight while locking
    window = desk.window
    window.activateWindow()
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    assert desk.locked and window.is_locked
    assert QApplication.clipboard().text() == ""
    assert window.area_widget("portfolio") is None and window.area_stack.count() == 0
    qtbot.waitUntil(lambda: not window.findChildren(Client360View), timeout=5000)
    assert privacy.guard().pending() == 0


def test_small_models_pass_the_model_tester(qtbot, qtmodeltester, runner):
    rows = RowsModel(["A", "B"], numeric=(1,))
    qtmodeltester.check(rows)
    rows.set_rows([Row(("x", "1"), key=1, colours={1: "#ff0000"}), Row(("y", "2"), key=2)])
    qtmodeltester.check(rows)
    assert rows.key_at(1) == 2 and rows.data(rows.index(0, 1), Qt.ItemDataRole.ForegroundRole) is not None

    from datetime import UTC, datetime

    from app.services.clients import InteractionView

    def fetch(offset: int, limit: int, channel: str | None) -> list[InteractionView]:
        items = [InteractionView(str(n), datetime(2026, 1, 1, tzinfo=UTC), channel or "phone", "outbound",
                                 None, None, f"s{n}", "note\nmore") for n in range(120)]
        return items[offset:offset + limit]

    timeline = TimelineModel(runner, fetch)
    assert not timeline.canFetchMore()  # nothing to fetch before it is seeded or filtered
    timeline.set_channel("video")
    qtbot.waitUntil(lambda: timeline.rowCount() == 50, timeout=5000)
    while timeline.canFetchMore():
        timeline.fetchMore()
        qtbot.waitUntil(lambda: not timeline.loading, timeout=5000)
    assert timeline.rowCount() == 120 and timeline.data(timeline.index(0, 1)) == "Video"
    assert timeline.data(timeline.index(0, 5)) == "note"
    qtmodeltester.check(timeline)
    timeline.set_channel("sms")  # the tester stays attached (it calls fetchMore from its own slots)
    qtbot.waitUntil(lambda: timeline.rowCount() == 50 and not timeline.loading, timeout=5000)
    assert len({timeline.data(timeline.index(i, 3)) for i in range(50)}) == 50  # no page twice
    timeline.seed([])
    assert timeline.rowCount() == 0
