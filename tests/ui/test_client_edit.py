"""Creating and editing clients as a user: Ctrl+E / Ctrl+N, inline errors from the service's checks,
the duplicate warning with "Open existing" / "Create anyway", and Cancel asking before it drops edits."""

from __future__ import annotations

from datetime import date
from typing import Any

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication

from app.services.portfolio import PortfolioQuery
from ui.dialogs.client_edit import ClientEditDialog

from . import test_portfolio as shared
from .conftest import off_thread
from .test_client360 import audit_reveals, open_by_filter
from .test_portfolio import message_boxes, portfolio

# the shared book and window fixtures (defined once in test_portfolio.py)
book = shared.book
book_template = shared.book_template
desk = shared.desk
guard_services = shared.guard_services

CTRL = Qt.KeyboardModifier.ControlModifier


def shortcut(qtbot: Any, session: Any, key: Qt.Key) -> None:
    window = session.window
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget() or window, key, CTRL)


def open_dialog(qtbot: Any, session: Any, key: Qt.Key) -> ClientEditDialog:
    shortcut(qtbot, session, key)
    qtbot.waitUntil(lambda: any(d.isVisible() for d in session.window.findChildren(ClientEditDialog)))
    dialog = next(d for d in session.window.findChildren(ClientEditDialog) if d.isVisible())
    qtbot.waitUntil(lambda: dialog._initial is not None and dialog.save_button.isEnabled(), timeout=10_000)
    return dialog


def visible_dialogs(session: Any) -> list[ClientEditDialog]:
    return [d for d in session.window.findChildren(ClientEditDialog) if d.isVisible()]


def retype(qtbot: Any, widget: Any, text: str) -> None:
    widget.setFocus()
    widget.selectAll()
    qtbot.keyClick(widget, Qt.Key.Key_Delete)
    qtbot.keyClicks(widget, text)


def test_ctrl_e_edits_the_open_client_and_the_list_follows(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    assert dialog.windowTitle() == "Edit client"
    assert dialog.given_name.text() == "Zoë" and dialog.family_name.text() == "Ångström"
    assert not dialog.dob_unknown.isChecked() and dialog.dob_field.kept  # masked, not 1980-05-01
    assert dialog.phones.edits()[0].text() == "+61 412 345 678"
    assert not dialog.dirty
    retype(qtbot, dialog.family_name, "Angstrom-Lind")
    assert dialog.dirty
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: view.name.text() == "Zoë Angstrom-Lind", timeout=10_000)
    assert not visible_dialogs(desk)

    area = portfolio(desk)
    desk.window.activateWindow()  # the offscreen platform does not hand activation back by itself
    qtbot.waitUntil(desk.window.isActiveWindow)
    view.tabs.setFocus()
    qtbot.keyClick(view.tabs, Qt.Key.Key_Escape)
    assert area.currentWidget() is area.list
    model = area.list.model
    qtbot.waitUntil(lambda: not model.loading and model.row_at(0) is not None
                    and model.row_at(0).name == "Zoë Angstrom-Lind", timeout=10_000)
    assert off_thread(lambda: desk.ws.portfolio.count(PortfolioQuery(text="lind"))) == 1


def test_ctrl_e_in_the_list_edits_the_selected_client(qtbot, desk):
    area = portfolio(desk)
    area.list.table.setFocus()
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    assert dialog.organisation_name.text() == "Acme Widgets Pty Ltd"  # row 0, sorted by name
    assert dialog.org_radio.isChecked() and not dialog.given_name.isVisible() and not dialog.dob.isVisible()
    dialog.reject()


def test_cancel_with_changes_asks_first(qtbot, desk):
    open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    dialog.special_needs.setFocus()
    qtbot.keyClick(dialog.special_needs, Qt.Key.Key_End, CTRL)
    qtbot.keyClicks(dialog.special_needs, " and a quiet room")
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: bool(message_boxes("confirmDiscard")))
    box = message_boxes("confirmDiscard")[0]
    keep = next(b for b in box.buttons() if "Keep editing" in b.text())
    qtbot.mouseClick(keep, Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.special_needs.toPlainText().endswith("quiet room")

    qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: bool(message_boxes("confirmDiscard")))
    box = message_boxes("confirmDiscard")[0]
    discard = next(b for b in box.buttons() if "Discard" in b.text())
    qtbot.mouseClick(discard, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()
    draft = off_thread(lambda: desk.ws.clients.draft_of(portfolio(desk).client_view.client_id))
    assert draft.special_needs == "Prefers large print letters"  # nothing saved


def test_cancel_without_changes_closes_at_once(qtbot, desk):
    open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    qtbot.keyClick(dialog.given_name, Qt.Key.Key_Escape)
    assert not dialog.isVisible() and not message_boxes("confirmDiscard")


def test_new_client_shows_the_service_errors_next_to_each_field(qtbot, desk, book):
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_N)
    assert dialog.windowTitle() == "New client" and dialog.dob_unknown.isChecked()
    qtbot.keyClicks(dialog.given_name, "Test")
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.emails.edits()[0], "not-an-email")
    qtbot.mouseClick(dialog.phones.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.phones.edits()[0], "12")
    retype(qtbot, dialog.country, "A1")  # the validator keeps letters only
    assert dialog.country.text() == "A"
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.errors["emails"].isVisible(), timeout=10_000)
    assert "@" in dialog.errors["emails"].text()
    assert "not a phone number" in dialog.errors["phones"].text()
    assert "two-letter country code" in dialog.errors["country"].text()
    assert not dialog.errors["family_name"].isVisible()  # a given name alone is a name
    assert dialog.isVisible()
    assert off_thread(lambda: desk.ws.portfolio.count(PortfolioQuery())) == book.total

    retype(qtbot, dialog.country, "AU")
    dialog.emails.edits()[0].setText("test.person@example.net")
    dialog.phones.edits()[0].setText("0412 000 111")
    with qtbot.waitSignal(dialog.saved, timeout=10_000) as saved:
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    view = portfolio(desk).list
    qtbot.waitUntil(lambda: view.model.total == book.total + 1 and not view.model.loading, timeout=10_000)
    assert view.current_client_id() == saved.args[0] or view.model.find_row(saved.args[0]) is None


def test_a_likely_duplicate_is_shown_with_reasons_before_anything_is_created(qtbot, desk, book):
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_N)
    qtbot.keyClicks(dialog.given_name, "Zoe")
    qtbot.keyClicks(dialog.family_name, "Angstrom")
    qtbot.mouseClick(dialog.emails.add_button, Qt.MouseButton.LeftButton)
    qtbot.keyClicks(dialog.emails.edits()[0], "zoe.angstrom@example.org")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.duplicates.isVisible(), timeout=10_000)
    assert dialog.duplicate_list.count() >= 1
    first = dialog.duplicate_list.item(0)
    assert first.data(Qt.ItemDataRole.UserRole) == book.ids["zoe"]
    assert "Zoë Ångström" in first.text() and "same e-mail" in first.text()
    assert off_thread(lambda: desk.ws.portfolio.count(PortfolioQuery())) == book.total

    qtbot.mouseClick(dialog.open_existing_button, Qt.MouseButton.LeftButton)
    area = portfolio(desk)
    qtbot.waitUntil(lambda: area.client_view is not None and area.client_view.client is not None, timeout=10_000)
    assert area.client_view.client_id == book.ids["zoe"] and not visible_dialogs(desk)


def test_create_anyway_makes_the_second_record(qtbot, desk, book):
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_N)
    qtbot.keyClicks(dialog.given_name, "Zoe")
    qtbot.keyClicks(dialog.family_name, "Angstrom")
    qtbot.mouseClick(dialog.dob_unknown, Qt.MouseButton.LeftButton,
                     pos=QPoint(8, dialog.dob_unknown.height() // 2))
    assert not dialog.dob_unknown.isChecked() and dialog.dob.isEnabled()
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.duplicates.isVisible(), timeout=10_000)
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.create_anyway_button, Qt.MouseButton.LeftButton)
    assert off_thread(lambda: desk.ws.portfolio.count(PortfolioQuery(text="zoe angstrom"))) == 2


def test_the_dialog_is_keyboard_reachable_and_labelled(qtbot, desk):
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_N)
    for widget in (dialog.given_name, dialog.family_name, dialog.dob, dialog.tax_id, dialog.country, dialog.segment,
                   dialog.channel, dialog.language, dialog.special_needs, dialog.notes):
        assert widget.accessibleName(), widget.objectName()
        assert widget.focusPolicy() & Qt.FocusPolicy.TabFocus
    seen = set()
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)
    dialog.given_name.setFocus()
    for _ in range(40):
        focused = QApplication.focusWidget()
        assert focused is not None and focused.window() is dialog
        seen.add(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert {dialog.given_name, dialog.family_name, dialog.tax_id, dialog.country, dialog.save_button} <= seen
    dialog.reject()


# -- date of birth and tax id: masked until revealed --------------------------------------------------
def stored(session: Any, client_id: str) -> Any:
    return off_thread(lambda: session.ws.clients.draft_of(client_id))


def type_over(qtbot: Any, dialog: ClientEditDialog, field: Any, text: str) -> None:
    """Type into a masked field as a user: the first key lands on the mask, the rest where focus went."""
    field.mask.setFocus()
    qtbot.keyClick(field.mask, text[0])
    assert dialog.focusWidget() is field.editor  # the key took the user into the real field
    qtbot.keyClicks(field.editor, text[1:])


def test_edit_shows_date_of_birth_and_tax_id_masked_until_an_audited_reveal(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    dob, tax = dialog.dob_field, dialog.tax_field
    assert dob.mask.isVisible() and not dialog.dob.isVisible() and dob.mask.placeholderText() == "••/••/1980"
    assert tax.mask.isVisible() and not dialog.tax_id.isVisible() and tax.mask.placeholderText() == "•••••6789"
    assert dob.reveal_button.isVisible() and tax.reveal_button.isVisible()
    assert dialog.tax_id.text() == "" and dialog.draft().date_of_birth is None  # the form holds neither
    assert dialog.kept_fields() == {"date_of_birth", "tax_id"} and not dialog.dirty
    assert audit_reveals(desk, view.client_id) == []

    qtbot.mouseClick(tax.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.tax_id.isVisible, timeout=10_000)
    assert dialog.tax_id.text() == "123456789"
    assert tax.reveal_button.text() == "Revealed" and not tax.reveal_button.isEnabled()
    assert audit_reveals(desk, view.client_id) == ["tax_id"]
    assert not dialog.dirty  # seeing a value is not changing it

    qtbot.mouseClick(dob.reveal_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(dialog.dob.isVisible, timeout=10_000)
    assert dialog.dob.date().toString("yyyy-MM-dd") == "1980-05-01"
    assert audit_reveals(desk, view.client_id) == ["tax_id", "date_of_birth"]
    assert not dialog.dirty and dialog.kept_fields() == set()

    retype(qtbot, dialog.tax_id, "123456780")  # a revealed value is edited in place
    assert dialog.dirty
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    after = stored(desk, view.client_id)
    assert after.tax_id == "123456780" and after.date_of_birth == date(1980, 5, 1)


def test_typing_over_a_masked_value_replaces_it_without_a_reveal(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    type_over(qtbot, dialog, dialog.tax_field, "98 765 432")
    assert dialog.tax_id.isVisible() and dialog.tax_id.text() == "98 765 432"
    type_over(qtbot, dialog, dialog.dob_field, "02031979")  # in the form's date order, dd/MM/yyyy here
    assert dialog.dob.isVisible() and dialog.dob.date().toString("yyyy-MM-dd") == "1979-03-02"
    assert not dialog.tax_field.reveal_button.isEnabled()  # replaced: nothing left to reveal
    assert dialog.dirty and dialog.kept_fields() == set()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    after = stored(desk, view.client_id)
    assert after.tax_id == "98 765 432" and after.date_of_birth == date(1979, 3, 2)
    assert audit_reveals(desk, view.client_id) == []  # replaced, never revealed


def test_masked_values_left_alone_are_saved_unchanged(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    retype(qtbot, dialog.language, "sv-SE")
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    after = stored(desk, view.client_id)
    assert (after.preferred_language, after.tax_id, after.date_of_birth) == ("sv-SE", "123456789", date(1980, 5, 1))
    assert audit_reveals(desk, view.client_id) == []


def test_a_masked_value_can_be_cleared_without_a_reveal(qtbot, desk):
    view = open_by_filter(qtbot, desk, "zoe ang")
    dialog = open_dialog(qtbot, desk, Qt.Key.Key_E)
    dialog.tax_field.mask.setFocus()
    qtbot.keyClick(dialog.tax_field.mask, Qt.Key.Key_Backspace)  # replaced by nothing
    assert dialog.tax_id.isVisible() and dialog.tax_id.text() == "" and dialog.dirty
    qtbot.mouseClick(dialog.dob_unknown, Qt.MouseButton.LeftButton, pos=QPoint(8, dialog.dob_unknown.height() // 2))
    assert dialog.dob_unknown.isChecked() and not dialog.dob_field.isEnabled()
    with qtbot.waitSignal(dialog.saved, timeout=10_000):
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    after = stored(desk, view.client_id)
    assert after.tax_id == "" and after.date_of_birth is None
    assert audit_reveals(desk, view.client_id) == []
