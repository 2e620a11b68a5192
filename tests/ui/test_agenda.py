"""The Agenda area driven as a user over a real encrypted profile: views, navigation, logging against a
planned contact, rescheduling (dialog and drop), cancel, task done, reminders, referrals, calendar
exchange, compose and the review pack; every model through qtmodeltester; no service call on the GUI
thread (every public method of the services the agenda uses is guarded)."""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from datetime import UTC, datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate, QLocale, QMimeData, QPointF, Qt, QTime
from PySide6.QtGui import QDesktopServices, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog, QLabel, QMainWindow

from app.services import workstation as wsvc
from app.services.clients import ClientService
from app.services.schedule import ScheduleService, view_range
from app.services.search import SearchService
from ui import format as ui_format
from ui.actions import ActionRegistry
from ui.models.agenda_base import ItemRole
from ui.models.agenda_model import MIME
from ui.tasks import guarded
from ui.views import ViewContext
from ui.views.agenda import AgendaView

from .conftest import PASSPHRASE, off_thread
from .test_agenda_book import Book, build_book

ALT = Qt.KeyboardModifier.AltModifier
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
WAIT = 20_000  # the machine may be busy: generous timeouts, never sleeps


def _guard_class(monkeypatch: pytest.MonkeyPatch, cls: type, violations: list[str]) -> None:
    for klass in cls.__mro__:
        if klass is object:
            continue
        for name, raw in vars(klass).items():
            if name.startswith("_") or not inspect.isfunction(raw):
                continue
            if isinstance(inspect.getattr_static(cls, name), staticmethod | classmethod | property):
                continue
            current = getattr(cls, name)
            if getattr(current, "__wrapped__", None) is not None:
                continue
            monkeypatch.setattr(cls, name, guarded(current, violations, f"{cls.__name__}.{name}"))


@pytest.fixture
def guard_services(monkeypatch: pytest.MonkeyPatch, gui_thread_violations: list[str]) -> list[str]:
    """Every public method of the services the agenda calls records calls made on the GUI thread
    (conftest's fixture asserts the list is empty at the end of each test)."""
    classes: list[type] = [ScheduleService, ClientService, SearchService]
    try:
        from app.services.report_data import ReportService

        classes.append(ReportService)
    except ImportError:  # the reports module has not landed: the agenda disables its action
        pass
    for cls in classes:
        _guard_class(monkeypatch, cls, gui_thread_violations)
    return gui_thread_violations


@pytest.fixture
def book_ws(tmp_path: Path, kdf) -> Iterator[tuple[Any, Book]]:
    ws = off_thread(wsvc.create_profile, "passphrase", PASSPHRASE, tmp_path / "agenda", kdf=kdf)
    book = off_thread(build_book, ws)
    yield ws, book


def make_view(qtbot, runner, ws) -> tuple[QMainWindow, AgendaView]:
    host = QMainWindow()
    registry = ActionRegistry(host)
    view = AgendaView(ViewContext(ws, runner, registry))
    host.setCentralWidget(view)
    host.resize(1320, 820)
    qtbot.addWidget(host)
    host.show()
    qtbot.waitExposed(host)
    qtbot.waitUntil(lambda: view.loaded_once and not view.overdue.model.loading
                    and not view.referrals.model.loading, timeout=WAIT)
    return host, view


@pytest.fixture
def agenda(qtbot, runner, book_ws, guard_services) -> Iterator[tuple[AgendaView, Any, Book]]:
    ws, book = book_ws
    host, view = make_view(qtbot, runner, ws)
    yield view, ws, book
    view.shutdown()
    host.close()


def shown_ids(view: AgendaView) -> set[str]:
    return {i.id for i in view.model.rows()}


def wait_idle(qtbot, view: AgendaView) -> None:
    qtbot.waitUntil(lambda: not view.jobs.busy and not view.loading.isVisible(), timeout=WAIT)


def activate(qtbot, widget) -> None:
    window = widget.window()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow, timeout=WAIT)


def select(qtbot, view: AgendaView, item_id: str) -> None:
    assert view._select_item(item_id), f"{item_id} is not on screen"
    view.items.setFocus()
    assert view.target is not None and view.target.id == item_id


def wait_dialog(qtbot, view: AgendaView, name: str):
    qtbot.waitUntil(lambda: view.dialog is not None and view.dialog.objectName() == name
                    and view.dialog.isVisible(), timeout=WAIT)
    return view.dialog


def click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


# -- views and navigation ---------------------------------------------------------------------------
def test_day_week_and_month_show_the_right_items(qtbot, agenda):
    view, ws, book = agenda
    assert view.mode == "day" and view.today == book.today
    assert shown_ids(view) == book.in_view("day")
    assert "Today" in view.period_label.text()
    rows = {i.id: i for i in view.model.rows()}
    review = rows[book.items["review"].id]
    assert review.client_name == "Ann Lee" and review.status == "planned"
    assert view.model.data(view.model.index(view.model.find(lambda i: i.id == review.id).row(), 1)) \
        == "Quarterly review"

    activate(qtbot, view)
    qtbot.keyClick(view.items, Qt.Key.Key_2, ALT)  # week
    qtbot.waitUntil(lambda: view.mode == "week" and not view.loading.isVisible(), timeout=WAIT)
    assert shown_ids(view) == book.in_view("week")
    assert book.items["week_meeting"].id in shown_ids(view)
    assert view.grid.isVisible() and view.grid_model.rowCount() == 14
    cell = view.grid_model.index_of_item(book.items["week_meeting"].id)
    assert "Cara Okafor" in cell.data(Qt.ItemDataRole.DisplayRole)
    assert "nothing planned" not in cell.data(Qt.ItemDataRole.AccessibleTextRole)

    qtbot.keyClick(view.items, Qt.Key.Key_3, ALT)  # month
    qtbot.waitUntil(lambda: view.mode == "month" and not view.loading.isVisible(), timeout=WAIT)
    assert shown_ids(view) == book.in_view("month")
    assert book.items["month_review"].id in shown_ids(view)
    first, last = view_range("month", book.today)
    assert (view.first, view.last) == (first, last)

    qtbot.keyClick(view.items, Qt.Key.Key_1, ALT)  # back to the day
    qtbot.waitUntil(lambda: view.mode == "day" and not view.loading.isVisible(), timeout=WAIT)
    assert shown_ids(view) == book.in_view("day") and not view.grid.isVisible()


def test_previous_next_and_today_move_the_period(qtbot, agenda):
    view, ws, book = agenda
    activate(qtbot, view)
    view.set_mode("week")
    wait_idle(qtbot, view)
    monday = view.first
    qtbot.keyClick(view.items, Qt.Key.Key_PageDown, ALT)
    qtbot.waitUntil(lambda: view.first == monday + timedelta(days=7), timeout=WAIT)
    assert shown_ids(view) == book.in_view("week", monday + timedelta(days=7))
    click(qtbot, view.prev_button)
    click(qtbot, view.prev_button)
    qtbot.waitUntil(lambda: view.first == monday - timedelta(days=7), timeout=WAIT)
    qtbot.keyClick(view.items, Qt.Key.Key_Home, ALT)
    qtbot.waitUntil(lambda: view.first == monday, timeout=WAIT)
    assert shown_ids(view) == book.in_view("week")


# -- logging against a planned contact ---------------------------------------------------------------
def test_logging_against_a_planned_contact_closes_it_and_books_the_next(qtbot, agenda, monkeypatch):
    from app.services.schedule import ScheduleService

    view, ws, book = agenda
    calls: list[str] = []
    real_log = ScheduleService.log_interaction

    def counted(self, *args, **kwargs):
        calls.append("log")
        return real_log(self, *args, **kwargs)

    monkeypatch.setattr(ScheduleService, "log_interaction", counted)
    review = book.items["review"]
    select(qtbot, view, review.id)
    activate(qtbot, view)
    qtbot.keyClick(view.items, Qt.Key.Key_L, CTRL_SHIFT)
    dialog = wait_dialog(qtbot, view, "logInteractionDialog")
    assert "quarterly review" in dialog.against.text()
    assert dialog.channel.currentData() == "face_to_face"
    qtbot.keyClicks(dialog.notes, "Went through the portfolio; wants more bonds.")
    dialog.follow_up.setChecked(True)
    qtbot.keyClicks(dialog.follow_title, "Send the bond fund factsheet")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.close_button.isVisible(), timeout=WAIT)
    text = dialog.banner.text()
    assert "Next review booked for" in text and "marked as held" in text, text
    logged = dialog.result_value
    nxt = logged.next_contact
    assert logged.closed_contact_id == review.id and nxt is not None and nxt.kind == "quarterly_review"
    assert nxt.start.date() > book.today + timedelta(days=80)
    assert logged.follow_up is not None and logged.follow_up.title == "Send the bond fund factsheet"
    click(qtbot, dialog.close_button)

    qtbot.waitUntil(lambda: next(i for i in view.model.rows() if i.id == review.id).status == "done", timeout=WAIT)
    assert "Interaction logged" in view.notice.text()
    assert calls == ["log"]  # Close closes; it once also ran Save again (an AcceptRole button)
    view.go_to(nxt.start.date(), "day")
    qtbot.waitUntil(lambda: nxt.id in shown_ids(view), timeout=WAIT)
    shown = next(i for i in view.model.rows() if i.id == nxt.id)
    assert shown.status == "planned" and shown.client_name == "Ann Lee"


def test_log_from_a_task_has_no_planned_contact(qtbot, agenda):
    view, ws, book = agenda
    select(qtbot, view, book.items["task"].id)
    view.log_interaction()
    dialog = wait_dialog(qtbot, view, "logInteractionDialog")
    assert dialog.contact_id is None and not dialog.against.isVisible()
    dialog.channel.setCurrentIndex(dialog.channel.findData("phone"))
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: dialog.close_button.isVisible(), timeout=WAIT)
    assert dialog.result_value.closed_contact_id is None and dialog.result_value.next_contact is None
    assert off_thread(ws.schedule.interactions, book.clients["bob"])[0].channel == "phone"


# -- rescheduling, cancelling, done -----------------------------------------------------------------
def test_reschedule_by_dialog_moves_the_contact_to_another_day(qtbot, agenda):
    view, ws, book = agenda
    call = book.items["call"]
    select(qtbot, view, call.id)
    activate(qtbot, view)
    qtbot.keyClick(view.items, Qt.Key.Key_R, CTRL_SHIFT)
    dialog = wait_dialog(qtbot, view, "rescheduleDialog")
    assert dialog.date.date().toPython() == book.today and dialog.time.time().hour() == 14
    new_day = book.today + timedelta(days=2)
    dialog.date.setFocus()
    dialog.date.setDate(new_day)
    dialog.time.setTime(dialog.time.time().fromString("16:15", "HH:mm"))
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=WAIT)
    moved = off_thread(ws.schedule.scheduled_contact, call.id)
    assert moved.start.date() == new_day and (moved.start.hour, moved.start.minute) == (16, 15)
    assert moved.duration_min == call.duration_min
    qtbot.waitUntil(lambda: view.first == new_day and call.id in shown_ids(view), timeout=WAIT)  # followed
    assert view.target is not None and view.target.id == call.id
    assert "Moved" in view.notice.text()


def test_reschedule_by_dropping_on_another_day_and_hour(qtbot, agenda):
    view, ws, book = agenda
    call = book.items["call"]  # today 14:30
    view.set_mode("week")
    wait_idle(qtbot, view)
    first, last = view_range("week", book.today)
    target_day = next(first + timedelta(days=i) for i in range(7) if first + timedelta(days=i) != book.today)
    target = view.grid_model.index_of_day(target_day, 16)

    # the drag's payload comes from the grid (the chip of the planned call)
    source_cell = view.grid_model.index_of_item(call.id)
    view.grid_model.drag_item_id = call.id
    mime = view.grid_model.mimeData([source_cell])
    assert mime.hasFormat(MIME)

    # a real drop on the grid's viewport, as the mouse would deliver it: enter, move, drop
    view.grid.scrollTo(target)
    pos = view.grid.visualRect(target).center()
    buttons, mods = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    enter = QDragEnterEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods)
    QApplication.sendEvent(view.grid.viewport(), enter)
    assert enter.isAccepted()
    QApplication.sendEvent(view.grid.viewport(), QDragMoveEvent(pos, Qt.DropAction.MoveAction, mime, buttons, mods))
    drop = QDropEvent(QPointF(pos), Qt.DropAction.MoveAction, mime, buttons, mods)
    QApplication.sendEvent(view.grid.viewport(), drop)

    def moved() -> bool:
        c = off_thread(ws.schedule.scheduled_contact, call.id)
        return c.start.date() == target_day
    qtbot.waitUntil(moved, timeout=WAIT)
    c = off_thread(ws.schedule.scheduled_contact, call.id)
    assert (c.start.hour, c.start.minute) == (16, 30)  # the hour of the slot, the minutes kept
    qtbot.waitUntil(lambda: view.grid_model.index_of_item(call.id) == view.grid_model.index_of_day(target_day, 16),
                    timeout=WAIT)


def test_dropping_in_the_month_view_keeps_the_time(qtbot, agenda):
    view, ws, book = agenda
    review = book.items["review"]  # today 10:00
    view.set_mode("month")
    wait_idle(qtbot, view)
    first, last = view_range("month", book.today)
    day = first if first != book.today else first + timedelta(days=1)
    mime = view.model.mimeData([view.model.find(lambda i: i.id == review.id)])  # dragged from the list
    assert view.grid_model.canDropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, view.grid_model.index_of_day(day))
    assert view.grid_model.dropMimeData(mime, Qt.DropAction.MoveAction, -1, -1, view.grid_model.index_of_day(day))
    qtbot.waitUntil(lambda: off_thread(ws.schedule.scheduled_contact, review.id).start.date() == day, timeout=WAIT)
    assert off_thread(ws.schedule.scheduled_contact, review.id).start.time().replace(tzinfo=None) == time(10, 0)
    outside = QMimeData()
    outside.setText("not ours")
    assert not view.grid_model.canDropMimeData(outside, Qt.DropAction.MoveAction, -1, -1,
                                               view.grid_model.index_of_day(day))


def test_cancel_asks_first_and_keep_leaves_it(qtbot, agenda):
    view, ws, book = agenda
    review = book.items["review"]
    select(qtbot, view, review.id)
    activate(qtbot, view)
    qtbot.keyClick(view.items, Qt.Key.Key_Delete, CTRL_SHIFT)
    dialog = wait_dialog(qtbot, view, "cancelContactDialog")
    assert "quarterly review with Ann Lee" in dialog.findChild(QLabel, "question").text()
    assert dialog.keep_button.isDefault()
    click(qtbot, dialog.keep_button)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=WAIT)
    assert off_thread(ws.schedule.scheduled_contact, review.id).status == "planned"

    select(qtbot, view, review.id)
    view.cancel_contact()
    dialog = wait_dialog(qtbot, view, "cancelContactDialog")
    qtbot.keyClicks(dialog.reason, "Client travelling")
    click(qtbot, dialog.confirm_button)
    qtbot.waitUntil(lambda: review.id not in shown_ids(view), timeout=WAIT)  # cancelled contacts leave the agenda
    assert off_thread(ws.schedule.scheduled_contact, review.id).status == "cancelled"
    assert "Cancelled" in view.notice.text()


def test_mark_task_done(qtbot, agenda):
    view, ws, book = agenda
    task = book.items["task"]
    select(qtbot, view, book.items["call"].id)
    assert not view.actions["agenda.done"].isEnabled()
    select(qtbot, view, task.id)
    assert view.actions["agenda.done"].isEnabled() and not view.actions["agenda.reschedule"].isEnabled()
    click(qtbot, next(b for b in view.item_buttons if b.defaultAction() is view.actions["agenda.done"]))
    qtbot.waitUntil(lambda: next(i for i in view.model.rows() if i.id == task.id).status == "done", timeout=WAIT)
    assert not view.actions["agenda.done"].isEnabled()  # the same task stays selected, now done


def test_schedule_a_contact_with_the_client_picker(qtbot, agenda):
    view, ws, book = agenda
    view.target = None
    view.schedule()
    dialog = wait_dialog(qtbot, view, "scheduleContactDialog")
    click(qtbot, dialog.save_button)
    assert "Choose the client" in dialog.banner.text()  # nothing saved without a client
    qtbot.keyClicks(dialog.client.edit, "Cara")
    qtbot.waitUntil(lambda: dialog.client.results.count() > 0, timeout=WAIT)
    qtbot.keyClick(dialog.client.edit, Qt.Key.Key_Down)
    qtbot.keyClick(dialog.client.results, Qt.Key.Key_Return)
    assert dialog.client.client_id == book.clients["cara"] and dialog.isVisible()  # Enter chose, did not save
    dialog.kind.setCurrentIndex(dialog.kind.findData("video_call"))
    dialog.date.setDate(book.today + timedelta(days=1))
    qtbot.keyClicks(dialog.purpose, "Check-in")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: view.dialog is None, timeout=WAIT)
    contacts = off_thread(ws.schedule.client_contacts, book.clients["cara"])
    new = [c for c in contacts if c.kind == "video_call"]
    assert len(new) == 1 and new[0].start.date() == book.today + timedelta(days=1)
    qtbot.waitUntil(lambda: new[0].id in shown_ids(view), timeout=WAIT)


# -- reminders ------------------------------------------------------------------------------------
def test_reminder_bar_appears_and_snooze_hides_it(qtbot, agenda):
    view, ws, book = agenda
    center = view.reminders
    assert center.tray is None  # offscreen: no system tray, so the in-window bar
    qtbot.waitUntil(lambda: center.bar is not None and center.bar.isVisible(), timeout=WAIT)
    bar = center.bar
    assert "Send pension transfer forms" in bar.label.text() and "Bob Nguyen" in bar.label.text()
    assert bar.parent() is view.window()
    click(qtbot, bar.snooze_15)
    assert not bar.isVisible()  # hidden at once
    qtbot.waitUntil(lambda: not center._jobs.busy, timeout=WAIT)
    assert not bar.isVisible() and center.reminders == []
    task = book.items["task"]
    assert off_thread(ws.schedule.reminders_due, datetime.now(UTC)) == ()
    later = off_thread(ws.schedule.reminders_due, datetime.now(UTC) + timedelta(minutes=16))
    assert [r.task_id for r in later] == [task.id]


def test_dismissed_reminder_stays_away_and_the_poller_runs(qtbot, runner, book_ws, guard_services, monkeypatch):
    ws, book = book_ws
    monkeypatch.setattr(AgendaView, "REMINDER_POLL_MS", 200)
    host, view = make_view(qtbot, runner, ws)
    try:
        center = view.reminders
        qtbot.waitUntil(lambda: center.bar is not None and center.bar.isVisible(), timeout=WAIT)
        click(qtbot, center.bar.dismiss_button)
        qtbot.waitUntil(lambda: not center._jobs.busy, timeout=WAIT)
        off_thread(ws.schedule.add_task, "Call the insurer back", client_id=book.clients["ann"],
                   remind_at=datetime.now(UTC) - timedelta(minutes=1))
        qtbot.waitUntil(lambda: center.bar.isVisible() and "insurer" in center.bar.label.text(), timeout=WAIT)
        assert all(r.task_id != book.items["task"].id for r in center.reminders)
    finally:
        view.shutdown()
        host.close()


# -- referrals ------------------------------------------------------------------------------------
def test_referral_create_and_status_change(qtbot, agenda):
    view, ws, book = agenda
    view.side.setCurrentWidget(view.referrals)
    assert view.referrals.model.rowCount() == 2
    late = view.referrals.model.find(lambda r: r.id == book.items["late_referral"].id)
    status = view.referrals.model.index(late.row(), 4)
    assert "OVERDUE" in status.data()  # in words, not colour alone
    assert "1 overdue" in view.referrals.summary.text()

    click(qtbot, view.referrals.new_button)
    dialog = wait_dialog(qtbot, view, "referralDialog")
    qtbot.keyClicks(dialog.client.edit, "Ann")
    qtbot.waitUntil(lambda: dialog.client.results.count() > 0, timeout=WAIT)
    qtbot.keyClick(dialog.client.edit, Qt.Key.Key_Return)  # the first match
    assert dialog.client.client_name == "Ann Lee"
    qtbot.keyClicks(dialog.department.lineEdit(), "Estate planning")
    qtbot.keyClicks(dialog.owner, "Jo Park")
    qtbot.keyClicks(dialog.reason, "Wants a will review after the sale of the business")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: view.referrals.model.rowCount() == 3, timeout=WAIT)
    new = view.referrals.model.find(lambda r: r.department == "Estate planning")
    row = view.referrals.model.row_of(new)
    assert row.owner_name == "Jo Park" and row.status == "open" and row.client_name == "Ann Lee"

    view.referrals.table.setFocus()
    view.referrals.table.setCurrentIndex(new)
    click(qtbot, view.referrals.status_button)
    dialog = wait_dialog(qtbot, view, "referralStatusDialog")
    qtbot.waitUntil(lambda: "Referred to Estate planning" in dialog.history.item(0).text(), timeout=WAIT)
    dialog.status.setCurrentIndex(dialog.status.findData("in_progress"))
    qtbot.keyClicks(dialog.note, "Jo called the client")
    click(qtbot, dialog.save_button)
    qtbot.waitUntil(lambda: view.referrals.model.row_of(
        view.referrals.model.find(lambda r: r.id == row.id)).status == "in_progress", timeout=WAIT)
    history = off_thread(ws.schedule.referral, row.id).history
    assert [e.status for e in history] == ["open", "in_progress"] and history[-1].note == "Jo called the client"

    view.referrals.show_closed.setChecked(False)
    off_thread(ws.schedule.set_referral_status, row.id, "done", "Will signed")
    view.referrals.reload()
    qtbot.waitUntil(lambda: view.referrals.model.rowCount() == 2, timeout=WAIT)  # done ones are hidden
    view.referrals.show_closed.setChecked(True)
    qtbot.waitUntil(lambda: view.referrals.model.rowCount() == 3, timeout=WAIT)


def test_overdue_queue_lists_what_is_late(qtbot, agenda):
    view, ws, book = agenda
    model = view.overdue.model
    kinds = {(i.kind, i.id) for i in model.loaded_items()}
    assert ("referral", book.items["late_referral"].id) in kinds
    assert model.total == len(model.loaded_items())
    row = next(r for r in range(model.rowCount()) if model.item(r).kind == "referral")
    assert "Overdue" in model.index(row, 0).data() and model.index(row, 5).data() == "3 days"
    assert "referral" in view.overdue.summary.text()


# -- calendar exchange ------------------------------------------------------------------------------
def test_ics_export_parses_back_event_by_event(qtbot, agenda, tmp_path, monkeypatch):
    import icalendar

    view, ws, book = agenda
    target = tmp_path / "out.ics"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "*.ics"))
    view.actions["agenda.export_ics"].trigger()
    dialog = wait_dialog(qtbot, view, "icsExportDialog")
    dialog.days.setValue(60)
    click(qtbot, dialog.export_button)
    qtbot.waitUntil(lambda: "Wrote" in dialog.banner.text(), timeout=WAIT)
    cal = icalendar.Calendar.from_ical(target.read_bytes())
    events = list(cal.walk("VEVENT"))
    planned = [c for key in ("review", "call", "week_meeting", "month_review")
               for c in [off_thread(ws.schedule.scheduled_contact, book.items[key].id)]
               if c.start.date() >= book.today and c.start.date() < book.today + timedelta(days=60)]
    assert len(events) == len(planned) > 0
    by_summary = {str(e["SUMMARY"]): e for e in events}
    assert any("Ann Lee" in s for s in by_summary)
    for event in events:
        assert list(event.walk("VALARM")), "every event carries a reminder"
        assert event.decoded("DTSTART").tzinfo is not None
    click(qtbot, dialog.cancel_button)


def test_ics_import_adds_a_meeting_and_reports_bad_files(qtbot, agenda, tmp_path):
    import icalendar

    view, ws, book = agenda
    day = book.today + timedelta(days=3)
    cal = icalendar.Calendar()
    cal.add("prodid", "-//Test//EN")
    cal.add("version", "2.0")
    event = icalendar.Event()
    event.add("uid", "invite-123@example.com")
    event.add("dtstamp", datetime.now(UTC))
    from zoneinfo import ZoneInfo

    tz = ZoneInfo("Australia/Sydney")
    event.add("dtstart", datetime.combine(day, time(13, 0), tz))
    event.add("dtend", datetime.combine(day, time(14, 0), tz))
    event.add("summary", "Lunch with the Lees")
    attendee = icalendar.vCalAddress("mailto:ann.lee@example.com")
    event.add("attendee", attendee)
    cal.add_component(event)
    good = tmp_path / "invite.ics"
    good.write_bytes(cal.to_ical())
    bad = tmp_path / "broken.ics"
    bad.write_text("BEGIN:VCALENDAR\nthis is not a calendar\n")

    view.actions["agenda.import_ics"].trigger()
    dialog = wait_dialog(qtbot, view, "icsImportDialog")
    dialog.path.setText(str(bad))
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: dialog.banner.isVisible() and dialog.banner.kind == "error", timeout=WAIT)
    assert "Nothing was imported" in dialog.banner.text()
    dialog.path.setText(str(good))
    click(qtbot, dialog.import_button)
    qtbot.waitUntil(lambda: "Imported" in dialog.banner.text(), timeout=WAIT)
    assert "1 new" in dialog.banner.text()
    click(qtbot, dialog.cancel_button)
    meetings = [c for c in off_thread(ws.schedule.client_contacts, book.clients["ann"])
                if c.external_uid == "invite-123@example.com"]
    assert len(meetings) == 1 and meetings[0].start.date() == day and meetings[0].kind == "meeting"
    view.go_to(day, "day")
    qtbot.waitUntil(lambda: meetings[0].id in shown_ids(view), timeout=WAIT)


# -- communications -----------------------------------------------------------------------------------
def test_compose_shows_the_draft_and_saves_eml_and_opens_mailto(qtbot, agenda, tmp_path, monkeypatch):
    view, ws, book = agenda
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toString()) or True)
    target = tmp_path / "invite.eml"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "*.eml"))
    select(qtbot, view, book.items["review"].id)
    activate(qtbot, view)
    qtbot.keyClick(view.items, Qt.Key.Key_M, CTRL_SHIFT)
    dialog = wait_dialog(qtbot, view, "composeDialog")
    qtbot.waitUntil(lambda: dialog.draft is not None, timeout=WAIT)
    assert "annual review" in dialog.subject.text().lower() and "Dear Ann" in dialog.body.toPlainText()
    assert "ann.lee@example.com" in dialog.to.text() and not dialog.block.isVisible()
    dialog.subject.setText("Your review, Ann")
    click(qtbot, dialog.save_eml)
    qtbot.waitUntil(lambda: target.exists() and "Saved" in dialog.banner.text(), timeout=WAIT)
    assert b"Your review, Ann" in target.read_bytes()
    click(qtbot, dialog.open_mail)
    qtbot.waitUntil(lambda: bool(opened), timeout=WAIT)
    assert opened[0].startswith("mailto:ann.lee@example.com")
    assert len(off_thread(ws.schedule.communications, book.clients["ann"])) == 2  # both recorded
    dialog.channel.setCurrentIndex(dialog.channel.findData("letter"))
    qtbot.waitUntil(lambda: dialog.draft is not None and dialog.draft.channel == "letter", timeout=WAIT)
    assert dialog.save_letter.isVisible() and not dialog.save_eml.isVisible()
    dialog.reject()


def test_compose_for_a_do_not_contact_client_is_blocked(qtbot, agenda):
    view, ws, book = agenda
    view.set_mode("month")
    wait_idle(qtbot, view)
    select(qtbot, view, book.items["month_review"].id)  # Dan Smith: do not contact
    view.compose()
    dialog = wait_dialog(qtbot, view, "composeDialog")
    qtbot.waitUntil(lambda: dialog.block.isVisible(), timeout=WAIT)
    assert "do not contact" in dialog.block.text() and dialog.blocked
    assert not dialog.save_eml.isEnabled() and not dialog.open_mail.isEnabled() and not dialog.subject.isEnabled()
    assert off_thread(ws.schedule.communications, book.clients["dan"]) == ()


# -- review pack --------------------------------------------------------------------------------------
def test_print_review_pack_on_a_meeting(qtbot, agenda, tmp_path, monkeypatch):
    view, ws, book = agenda
    if not view.reports_available:
        pytest.skip("this workstation has no reports service yet")
    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    target = tmp_path / "pack.pdf"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", lambda *a, **k: (str(target), "*.pdf"))
    select(qtbot, view, book.items["call"].id)
    assert not view.actions["agenda.print_pack"].isEnabled()  # a call is not a meeting
    select(qtbot, view, book.items["review"].id)
    assert view.actions["agenda.print_pack"].isEnabled()
    view.actions["agenda.print_pack"].trigger()
    qtbot.waitUntil(lambda: bool(opened), timeout=60_000)
    assert target.exists() and target.read_bytes().startswith(b"%PDF") and opened == [str(target)]


class _NoReports:
    """A workstation as it was before the reports module: same services, no `reports`."""

    def __init__(self, ws: Any) -> None:
        self._ws = ws

    def __getattr__(self, name: str) -> Any:
        if name == "reports":
            raise AttributeError(name)
        return getattr(self._ws, name)


def test_print_review_pack_is_disabled_without_the_reports_module(qtbot, runner, book_ws, guard_services):
    ws, book = book_ws
    host, view = make_view(qtbot, runner, _NoReports(ws))
    try:
        assert not view.reports_available
        select(qtbot, view, book.items["review"].id)
        action = view.actions["agenda.print_pack"]
        assert not action.isEnabled() and action.toolTip() == "Review packs arrive with the reports module"
    finally:
        view.shutdown()
        host.close()


# -- models -------------------------------------------------------------------------------------------
def test_every_agenda_model_passes_the_model_tester(qtbot, qtmodeltester, agenda):
    view, ws, book = agenda
    qtmodeltester.check(view.model)
    qtmodeltester.check(view.proxy)
    qtmodeltester.check(view.overdue.model)
    qtmodeltester.check(view.referrals.model)
    for mode in ("week", "month"):
        view.set_mode(mode)
        wait_idle(qtbot, view)
        qtmodeltester.check(view.grid_model)
    view.model.sort(2, Qt.SortOrder.DescendingOrder)
    names = [view.model.index(r, 2).data() for r in range(view.model.rowCount())]
    assert names == sorted(names, reverse=True)
    assert view.model.data(view.model.index(0, 0), ItemRole) is not None


def test_overdue_model_pages_with_placeholders(qtbot, qtmodeltester, runner, book_ws, guard_services):
    from app.services.schedule import OverduePage
    from ui.models.overdue_model import OverdueModel

    ws, book = book_ws
    real = off_thread(ws.schedule.overdue_queue, 0, 100).items
    items = tuple(real * 70)[:70]
    asked: list[tuple[int, int]] = []

    def fetch(offset: int, limit: int) -> OverduePage:
        asked.append((offset, limit))
        return OverduePage(len(items), offset, items[offset:offset + limit], {"referral": len(items)})

    model = OverdueModel(runner, fetch, page_size=20)
    model.reload()
    qtbot.waitUntil(lambda: model.total == 70, timeout=WAIT)
    assert asked == [(0, 20)]
    assert model.index(45, 0).data() == "Loading…"  # not fetched yet: a placeholder, and a fetch
    qtbot.waitUntil(lambda: model.item(45) is not None, timeout=WAIT)
    assert (40, 20) in asked and model.index(45, 3).data() == items[45].title
    qtmodeltester.check(model)


# -- the whole window -----------------------------------------------------------------------------------
def test_the_agenda_area_is_registered_and_survives_lock(qtbot, existing_profile, make_session, guard_services):
    ws = off_thread(wsvc.open_profile, PASSPHRASE, existing_profile)
    book = off_thread(build_book, ws)
    off_thread(ws.lock)
    session = make_session(existing_profile)
    qtbot.waitUntil(lambda: session.window is not None and session.window.isVisible(), timeout=WAIT)
    qtbot.keyClicks(session.unlock_panel.passphrase, PASSPHRASE)
    qtbot.keyClick(session.unlock_panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.locked, timeout=WAIT)
    window = session.window
    view = window.area_widget("agenda")
    assert isinstance(view, AgendaView)
    activate(qtbot, window)
    qtbot.keyClick(window.nav, Qt.Key.Key_2, ALT)  # from another area: the agenda comes forward in week view
    qtbot.waitUntil(lambda: window.current_area == "agenda" and view.mode == "week" and view.loaded_once,
                    timeout=WAIT)
    qtbot.waitUntil(lambda: shown_ids(view) == book.in_view("week"), timeout=WAIT)
    qtbot.keyClick(window.nav, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)  # lock
    qtbot.waitUntil(lambda: window.area_stack.count() == 0, timeout=WAIT)
    window.actions["agenda.view_month"].trigger()  # no view any more: nothing happens, nothing breaks
    qtbot.keyClicks(session.unlock_panel.passphrase, PASSPHRASE)
    qtbot.keyClick(session.unlock_panel.passphrase, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not session.locked, timeout=WAIT)
    again = window.area_widget("agenda")
    assert isinstance(again, AgendaView) and again is not view
    qtbot.waitUntil(lambda: again.loaded_once, timeout=WAIT)


def test_file_and_go_menus_hold_the_agenda_commands(qtbot, tmp_path, make_session):
    from .conftest import first_run

    window = first_run(qtbot, make_session(tmp_path / "profile"))
    menus = {m.objectName(): [a.objectName() for a in m.actions() if a.objectName()]
             for m in window.menuBar().findChildren(type(window.menuBar().addMenu("x")))}
    file_menu = menus["menu-file"]
    at = file_menu.index("app.backup")
    assert file_menu[at:at + 3] == ["app.backup", "agenda.export_ics", "agenda.import_ics"]
    assert at + 2 < file_menu.index("session.lock") < file_menu.index("app.quit")
    assert {"agenda.view_day", "agenda.view_week", "agenda.view_month"} <= set(menus["menu-go"])
    keys = {a.objectName(): [s.toString() for s in a.shortcuts()] for a in window.actions}
    assert keys["agenda.view_week"] == ["Alt+2"] and keys["agenda.log"] == ["Ctrl+Shift+L"]
    every = [k for ks in keys.values() for k in ks]
    assert len(every) == len(set(every)), "no shortcut is bound twice"


# -- the user's locale --------------------------------------------------------------------------------
GERMAN = QLocale("de_DE")


@pytest.fixture
def german_user() -> Iterator[None]:
    """The formatter as a Settings change to de_DE / EUR leaves it (ui/format.py); the default afterwards."""
    ui_format.set_locale("de_DE", "EUR")
    yield
    ui_format.set_locale("en_AU", "AUD")


def test_the_agenda_shows_german_dates_and_times_to_a_german_user(qtbot, runner, book_ws, guard_services, german_user):
    ws, book = book_ws
    host, view = make_view(qtbot, runner, ws)
    try:
        today = QDate(book.today.year, book.today.month, book.today.day)
        assert view.period_label.text().endswith(GERMAN.toString(today, "dddd, d. MMMM yyyy"))  # Mittwoch, 4. März …
        timed = next(i for i in view.model.rows() if i.start is not None)
        row = view.model.find(lambda i: i.id == timed.id).row()
        clock = QTime(timed.start.hour, timed.start.minute)
        assert view.model.data(view.model.index(row, 0)) == GERMAN.toString(clock, "HH:mm")
        activate(qtbot, view)
        qtbot.keyClick(view.items, Qt.Key.Key_3, ALT)  # month: weekday names across, the month's name above
        qtbot.waitUntil(lambda: view.mode == "month" and not view.loading.isVisible(), timeout=WAIT)
        first = view.grid_model.grid_start
        assert view.grid_model.headerData(0, Qt.Orientation.Horizontal) == GERMAN.standaloneDayName(
            first.isoweekday(), QLocale.FormatType.ShortFormat)
        assert view.period_label.text() == f"{GERMAN.standaloneMonthName(view.first.month)} {view.first.year}"
    finally:
        view.shutdown()
        host.close()


def test_the_agenda_caption_counts_its_items(qtbot, runner, book_ws, guard_services):
    host, view = make_view(qtbot, runner, book_ws[0])
    try:
        shown = view.proxy.rowCount()
        assert shown > 1
        assert view.caption.text() == f"{shown} items"
    finally:
        view.shutdown()
        host.close()
