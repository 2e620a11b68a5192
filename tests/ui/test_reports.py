"""The Reports area over a real SQLCipher profile with a small demo book: review pack and management
report previews through QtPdf, saving through the service, batch printing with progress and cancel;
no report or search call on the GUI thread.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtPdf import QPdfDocument

from app.services import batch_print
from app.services import workstation as wsvc
from app.services.report_data.service import ReportService
from app.services.search import SearchService
from app.store.keys import KdfParams
from ui import views
from ui.dialogs.batch_print import BatchPrintDialog
from ui.tasks import guarded
from ui.views import ViewContext
from ui.views.reports import ReportsView

from .conftest import PASSPHRASE, guard_public_methods, off_thread

SHOTS = Path("/tmp/rm-shots")


@pytest.fixture(autouse=True)
def report_calls_off_the_gui_thread(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    violations: list[str] = []
    guard_public_methods(monkeypatch, ReportService, violations)
    for name in ("print_review_packs", "print_tomorrows_packs"):
        monkeypatch.setattr(batch_print, name, guarded(getattr(batch_print, name), violations, name))
    monkeypatch.setattr(SearchService, "search", guarded(SearchService.search, violations, "SearchService.search"))
    yield violations
    assert violations == [], f"service calls on the GUI thread: {violations}"


@pytest.fixture
def ws(tmp_path: Path, kdf: KdfParams) -> Iterator[Any]:
    from app.services.demo import generate_demo_book

    workstation = off_thread(wsvc.create_profile, "passphrase", PASSPHRASE, tmp_path / "profile", kdf=kdf)
    off_thread(generate_demo_book, workstation.database, clients=30, seed=1)
    yield workstation
    off_thread(workstation.lock)


def clients(ws: Any, n: int) -> list[tuple[str, str]]:
    from sqlalchemy import select

    from app.store.models.people import Client

    def read() -> list[tuple[str, str]]:
        with ws.database.reading() as s:
            rows = s.execute(select(Client.id, Client.display_name).where(Client.deleted.is_(False))
                             .order_by(Client.display_name).limit(n)).all()
        return [(r[0], r[1]) for r in rows]

    return off_thread(read)


@pytest.fixture
def view(qtbot, ws: Any, runner: Any) -> Iterator[ReportsView]:
    widget = ReportsView(ViewContext(ws, runner, None))
    qtbot.addWidget(widget)
    widget.resize(1100, 760)
    widget.show()
    qtbot.waitExposed(widget)
    yield widget
    widget.shutdown()


def wait_ready(qtbot, view: ReportsView) -> None:
    doc = view.preview.document
    qtbot.waitUntil(lambda: view.preview.pdf is not None and doc.status() == QPdfDocument.Status.Ready,
                    timeout=30_000)


def test_the_reports_area_is_registered() -> None:
    assert views.area("reports").factory is not None


def test_pick_a_client_with_the_keyboard_and_preview_the_review_pack(qtbot, view, ws, tmp_path):
    cid, name = clients(ws, 1)[0]
    view.picker.setFocus()
    qtbot.keyClicks(view.picker.edit, name.split()[-1])
    qtbot.keyClick(view.picker.edit, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: view.client_id is not None, timeout=10_000)
    qtbot.waitUntil(lambda: view.pack_button.isEnabled() and bool(view.section_boxes), timeout=20_000)
    picked = view.client_id
    assert view.batch_clients.get(picked)
    first = next(iter(view.section_boxes))
    view.section_boxes[first].setChecked(False)
    assert first not in view.chosen_sections()
    qtbot.mouseClick(view.pack_button, Qt.MouseButton.LeftButton)
    wait_ready(qtbot, view)
    assert view.preview.document.pageCount() >= 1
    assert view.preview.pdf.startswith(b"%PDF")
    assert view.preview.page_label.text().startswith("Page 1 of ")
    assert view.preview.print_button.isEnabled() and view.preview.save_button.isEnabled()
    view.preview.zoom.setCurrentIndex(view.preview.zoom.findData(1.5))
    assert abs(view.preview.view.zoomFactor() - 1.5) < 1e-6

    target = tmp_path / "pack.pdf"
    with qtbot.waitSignal(view.preview.saved, timeout=30_000):
        view.preview.save_to(target)
    assert target.read_bytes().startswith(b"%PDF")

    SHOTS.mkdir(parents=True, exist_ok=True)
    view.preview.zoom.setCurrentIndex(0)
    qtbot.wait(200)
    view.grab().save(str(SHOTS / "reports-area.png"))


def test_a_password_protected_pack_opens_in_the_preview_with_its_password(qtbot, view, ws):
    cid, name = clients(ws, 1)[0]
    view.choose_client(cid, name)
    qtbot.waitUntil(view.pack_button.isEnabled, timeout=20_000)
    view.password.setText("s3cret-pass")
    view.preview_pack()
    wait_ready(qtbot, view)
    assert b"/Encrypt" in view.preview.pdf
    assert view.preview.document.pageCount() >= 1


@pytest.mark.parametrize("kind", ["portfolio", "exceptions", "complaints", "feedback"])
def test_management_report_previews(qtbot, view, kind, tmp_path):
    qtbot.mouseClick(view.report_buttons[kind], Qt.MouseButton.LeftButton)
    wait_ready(qtbot, view)
    assert view.preview.document.pageCount() >= 1
    if kind == "portfolio":
        target = tmp_path / "portfolio.pdf"
        with qtbot.waitSignal(view.preview.saved, timeout=30_000):
            view.preview.save_to(target)
        assert target.read_bytes().startswith(b"%PDF")


def test_batch_of_three_selected_clients(qtbot, view, ws, tmp_path):
    for cid, name in clients(ws, 3):
        view.add_to_batch(cid, name)
    dialog = view.open_batch()
    assert isinstance(dialog, BatchPrintDialog) and dialog.chosen.isChecked()
    out = tmp_path / "out"
    out.mkdir()
    dialog.folder.setText(str(out))
    seen: list[tuple[int, int]] = []
    dialog.tasks.reporter  # noqa: B018 - the dialog feeds the bar through runner.reporter
    original = dialog._progress
    dialog._progress = lambda d, t: (seen.append((d, t)), original(d, t))  # type: ignore[method-assign]
    with qtbot.waitSignal(dialog.finished_batch, timeout=120_000) as blocker:
        qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert len(result.written) == 3 and not result.failures and not result.cancelled
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)
    assert all(p.read_bytes().startswith(b"%PDF") for p in out.iterdir())
    assert dialog.progress.value() == 3 and dialog.progress.maximum() == 3
    assert dialog.last_progress == (3, 3)
    assert "3 of 3" in dialog.status.text()


def test_cancel_stops_the_batch_without_partial_files(qtbot, view, ws, tmp_path):
    for cid, name in clients(ws, 30):
        view.add_to_batch(cid, name)
    dialog = view.open_batch()
    out = tmp_path / "out"
    out.mkdir()
    dialog.folder.setText(str(out))
    qtbot.mouseClick(dialog.start_button, Qt.MouseButton.LeftButton)
    assert dialog.running and dialog.cancel_button.isEnabled()
    with qtbot.waitSignal(dialog.finished_batch, timeout=120_000) as blocker:
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    result = blocker.args[0]
    assert result.cancelled and result.not_started > 0
    assert len(result.written) < 30
    files = sorted(os.listdir(out))
    assert files == sorted(p.name for p in result.written)  # no temporary or half-written files
    for f in files:
        data = (out / f).read_bytes()
        assert data.startswith(b"%PDF") and b"%%EOF" in data[-64:]
    assert "cancelled" in dialog.status.text()
    assert dialog.start_button.isEnabled() and not dialog.running
