"""Batch printing in parallel processes: valid PDFs, progress, failures, cancel without partial files."""

from __future__ import annotations

import os
import subprocess
import threading
from datetime import date

import pytest
from sqlalchemy import select

from app.services.batch_print import (
    pack_file_names,
    print_review_packs,
    print_tomorrows_packs,
    safe_file_stem,
)
from app.services.report_data import ReportContext, ReportService
from app.store.models import AuditEntry
from tests.services.test_report_data import NAMES, need_poppler, pdftext, seed_book


@pytest.fixture
def book(db):
    return seed_book(db)


@pytest.fixture
def out(tmp_path):
    folder = tmp_path / "packs"
    folder.mkdir()
    return folder


def pdf_pages(path) -> int:
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True)
    return int(next(ln for ln in out.stdout.splitlines() if ln.startswith("Pages:")).split()[1])


def test_file_names_keep_every_script_and_never_collide():
    assert safe_file_stem("محمد عبدالله") == "محمد عبدالله"
    assert safe_file_stem('A/B: "C"?') == "A_B_ _C__"
    assert safe_file_stem("...") == "client"
    assert len(safe_file_stem("王" * 200).encode()) <= 150
    names = pack_file_names({"a": "王小明", "b": "王小明", "c": "Zoë"}, date(2025, 3, 14))
    assert names == {"a": "王小明 - review 2025-03-14.pdf", "b": "王小明 - review 2025-03-14 (2).pdf",
                     "c": "Zoë - review 2025-03-14.pdf"}


def test_a_batch_of_six_writes_six_valid_packs(workstation, book, out, tmp_path):
    need_poppler()
    ids = [book.ids[k] for k in NAMES]
    seen: list[tuple[int, int]] = []
    result = print_review_packs(workstation.reports, ids, out, sections=["cover", "summary", "holdings"],
                                progress=lambda d, t: seen.append((d, t)), max_workers=2)
    assert len(result.written) == 6 and not result.failures and not result.cancelled
    assert seen[0] == (0, 6) and seen[-1] == (6, 6) and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)
    for path in result.written:
        assert pdf_pages(path) >= 2
        assert oct(path.stat().st_mode & 0o777) == "0o600"
    zoe = next(p for p in result.written if p.name.startswith("Zoë Ångström"))
    text = pdftext(zoe, tmp_path)
    assert "Zoë Ångström" in text and "Your holdings" in text and "Your profile" not in text
    with workstation.database.reading() as s:
        exports = s.scalars(select(AuditEntry).where(AuditEntry.action == "export")).all()
    assert {e.client_id for e in exports} == set(ids)


def test_failures_are_reported_and_the_rest_printed(workstation, book, out, tmp_path):
    result = print_review_packs(workstation.reports, [book.ids["zoe"], "no-such-client", book.ids["alex"]],
                                out, max_workers=2, password="pw for all")
    assert len(result.written) == 2
    assert [(f.client_id, "no such client" in f.message) for f in result.failures] == [("no-such-client", True)]
    assert "Complaints" in pdftext(result.written[0], tmp_path, password="pw for all")
    assert result.describe() == "2 of 3 review packs written, 1 failed."


def test_cancel_stops_early_and_leaves_no_partial_files(workstation, book, out):
    ids = [book.ids[k] for k in NAMES] + [book.ids["wang2"]]
    cancel = threading.Event()

    def progress(done: int, total: int) -> None:
        if done >= 1:
            cancel.set()

    result = print_review_packs(workstation.reports, ids, out, progress=progress, cancel=cancel, max_workers=1)
    assert result.cancelled and 1 <= len(result.written) < result.total
    assert sorted(p.name for p in out.iterdir()) == sorted(p.name for p in result.written)  # no temp files
    for path in result.written:
        assert pdf_pages(path) >= 1


def test_cancel_before_start_writes_nothing(workstation, book, out):
    cancel = threading.Event()
    cancel.set()
    result = print_review_packs(workstation.reports, list(book.ids.values()), out, cancel=cancel)
    assert result.cancelled and result.written == () and list(out.iterdir()) == []


def test_tomorrows_meetings(workstation, book, out):
    result = print_tomorrows_packs(workstation.reports, out, sections=["cover"], max_workers=2)
    assert sorted(p.name.split(" - ")[0] for p in result.written) == sorted(
        NAMES[k] for k in ("zoe", "nguyen", "alex"))


def test_bad_folder_and_sections_fail_before_any_work(workstation, book, tmp_path):
    with pytest.raises(FileNotFoundError):
        print_review_packs(workstation.reports, [book.ids["zoe"]], tmp_path / "missing")
    with pytest.raises(ValueError, match="Unknown review pack section"):
        print_review_packs(workstation.reports, [book.ids["zoe"]], tmp_path, sections=["nope"])


def _die(*_args):
    os._exit(3)  # a worker killed mid-start, as the OS would


class _DoomedContext(ReportContext):
    def __reduce__(self):
        return (_die, ())


def test_a_dying_worker_fails_the_rest_cleanly(workstation, book, out):
    ctx = workstation.reports.context
    doomed = ReportService(workstation.database, "t", context=_DoomedContext(
        ctx.timezone, ctx.currency, ctx.prepared_by, ctx.branding, ctx.disclosures))
    ids = [book.ids[k] for k in NAMES]
    seen: list[int] = []
    result = print_review_packs(doomed, ids, out, max_workers=2, progress=lambda d, t: seen.append(d))
    assert result.written == () and len(result.failures) == 6 and seen[-1] == 6
    assert all("stopped unexpectedly" in f.message or "terminated" in f.message for f in result.failures)
    assert list(out.iterdir()) == []
