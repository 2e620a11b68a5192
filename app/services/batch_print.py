"""Batch printing: many review packs in one run, rendered in parallel processes.

Each worker process opens the profile by itself from (database path, key) handed over the pool's
pipe (never written anywhere), renders one pack at a time and writes it atomically into the output
folder (temp file, 0600, fsync, rename), so a cancelled, failed or killed run never leaves a
half-written pack under its real name. Workers start with ``forkserver`` (or ``spawn``) so a parent
running Qt threads is never forked.

Submissions are kept to a small window ahead of the workers; ``cancel`` (a ``threading.Event``) is
checked before every submission and while waiting, and cancels everything not yet running. The
parent records each written pack in the audit chain as an export.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import re
import threading
import time
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from sqlalchemy import select

from app.reports.document import write_pdf_atomic
from app.store.database import Database
from app.store.models import Client

from .report_data import ReportContext, ReportService, check_sections

Progress = Callable[[int, int], None]

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]')
_MAX_NAME_BYTES = 150  # well inside the 255-byte limit of common file systems, with room for the suffix


@dataclass(frozen=True)
class BatchFailure:
    client_id: str
    client_name: str
    message: str


@dataclass(frozen=True)
class BatchResult:
    total: int
    written: tuple[Path, ...]
    failures: tuple[BatchFailure, ...]
    cancelled: bool
    cpu_seconds: float = 0.0  # worker CPU time spent on the packs written (start-up excluded)

    @property
    def not_started(self) -> int:
        """Packs never rendered because the run was cancelled."""
        return self.total - len(self.written) - len(self.failures)

    def describe(self) -> str:
        text = f"{len(self.written)} of {self.total} review pack{'s' if self.total != 1 else ''} written"
        if self.failures:
            text += f", {len(self.failures)} failed"
        if self.cancelled:
            text += f"; cancelled, {self.not_started} not started"
        return text + "."


def safe_file_stem(name: str) -> str:
    """A client's name as a file name on any OS: any script kept, path and control characters replaced."""
    text = _UNSAFE.sub("_", unicodedata.normalize("NFC", name)).strip(" .") or "client"
    while len(text.encode("utf-8")) > _MAX_NAME_BYTES:
        text = text[:-1]
    return text.rstrip(" .") or "client"


def pack_file_names(names: dict[str, str], day: date) -> dict[str, str]:
    """client id -> '<name> - review <day>.pdf', numbered when two clients share a name."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for cid, name in names.items():
        stem = f"{safe_file_stem(name)} - review {day.isoformat()}"
        candidate, n = f"{stem}.pdf", 2
        while candidate.casefold() in used:
            candidate, n = f"{stem} ({n}).pdf", n + 1
        used.add(candidate.casefold())
        out[cid] = candidate
    return out


# --------------------------------------------------------------------------- worker side

_worker: ReportService | None = None


def _init_worker(db_path: str, key: bytes, actor: str, context: ReportContext) -> None:
    global _worker
    _worker = ReportService(Database(Path(db_path), key), actor, context=context)


def _render_one(client_id: str, target: str, sections: list[str] | None, password: str | None,
                today: date) -> tuple[str, float]:
    """(path written, CPU seconds this pack took in the worker)."""
    assert _worker is not None, "worker not initialised"
    cpu = time.process_time()
    _, pdf = _worker.render_review_pack(client_id, sections, today=today)
    write_pdf_atomic(target, pdf, password)
    return target, time.process_time() - cpu


def _pool_context() -> mp.context.BaseContext:
    methods = mp.get_all_start_methods()
    if "forkserver" in methods:
        ctx = mp.get_context("forkserver")
        ctx.set_forkserver_preload([__name__])  # the server imports reportlab and the store once
        return ctx
    return mp.get_context("spawn")


# --------------------------------------------------------------------------- parent side


def _names(db: Database, client_ids: Sequence[str]) -> dict[str, str]:
    found: dict[str, str] = {}
    with db.reading() as s:
        for start in range(0, len(client_ids), 900):
            chunk = client_ids[start:start + 900]
            found.update(s.execute(select(Client.id, Client.display_name)
                                   .where(Client.id.in_(chunk), Client.deleted.is_(False))).all())
    return found


def _sweep_temp_files(folder: Path, file_names: Iterable[str]) -> None:
    """Remove temp files of ours that a killed worker could not clean up (never a finished pack)."""
    for name in file_names:
        for stray in folder.glob(f".{glob_escape(name)}.*.tmp"):
            with contextlib.suppress(OSError):
                stray.unlink()


def glob_escape(text: str) -> str:
    return re.sub(r"([*?\[])", r"[\1]", text)


def print_review_packs(
    reports: ReportService,
    client_ids: Sequence[str],
    out_dir: Path | str,
    *,
    sections: Sequence[str] | None = None,
    password: str | None = None,
    today: date | None = None,
    progress: Progress | None = None,
    cancel: threading.Event | None = None,
    max_workers: int | None = None,
) -> BatchResult:
    """Render a review pack for each client into ``out_dir``; see the module notes."""
    chosen = check_sections(sections)
    folder = Path(out_dir)
    if not folder.is_dir():
        raise FileNotFoundError(f"The folder {folder} does not exist.")
    ids = list(dict.fromkeys(client_ids))
    total = len(ids)
    db = reports.database
    ctx = reports.context
    today = today or ctx.today()
    names = _names(db, ids)
    files = pack_file_names({cid: names[cid] for cid in ids if cid in names}, today)
    failures = [BatchFailure(cid, "", "There is no such client (it may have been merged or removed).")
                for cid in ids if cid not in names]
    written: list[Path] = []
    done = len(failures)
    if progress:
        progress(done, total)
    jobs = [cid for cid in ids if cid in names]
    cancelled = bool(cancel and cancel.is_set())
    if not jobs or cancelled:
        return BatchResult(total, (), tuple(failures), cancelled)

    workers = max(1, min(max_workers or os.cpu_count() or 1, len(jobs)))
    window = 2 * workers  # submitted ahead of the workers: enough to keep them busy, little to cancel
    queue = iter(jobs)
    pending: dict[Future, str] = {}
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=_pool_context(), initializer=_init_worker,
                               initargs=(str(db.path), db.key, reports.actor, ctx))
    broken: str | None = None
    cpu = 0.0
    try:
        while True:
            while len(pending) < window and not cancelled and broken is None:
                if cancel is not None and cancel.is_set():
                    cancelled = True
                    break
                cid = next(queue, None)
                if cid is None:
                    break
                target = str(folder / files[cid])
                try:
                    pending[pool.submit(_render_one, cid, target, chosen, password, today)] = cid
                except BrokenProcessPool as exc:  # a worker died (or could not start): stop, report the rest
                    broken = f"The print worker stopped unexpectedly ({exc})."
                    failures += [BatchFailure(c, names[c], broken) for c in (cid, *queue)]
                    done = len(written) + len(failures)
                    break
            if cancelled:
                for fut in list(pending):
                    if fut.cancel():
                        del pending[fut]
            if not pending:
                if broken and progress:
                    progress(done, total)
                break
            finished, _ = wait(list(pending), timeout=0.2, return_when=FIRST_COMPLETED)
            if cancel is not None and cancel.is_set():
                cancelled = True
            for fut in finished:
                cid = pending.pop(fut)
                try:
                    target, seconds = fut.result()
                    path = Path(target)
                    cpu += seconds
                except Exception as exc:  # noqa: BLE001 - one client's failure must not stop the batch
                    failures.append(BatchFailure(cid, names[cid], str(exc) or type(exc).__name__))
                else:
                    written.append(path)
                    reports.record_export("review_pack", cid, f"{path.name}; batch"
                                          + ("; password-protected" if password else ""))
                done += 1
                if progress:
                    progress(done, total)
    except BaseException:
        for fut in pending:
            fut.cancel()
        pool.shutdown(wait=True, cancel_futures=True)
        _sweep_temp_files(folder, files.values())
        raise
    pool.shutdown(wait=True)
    _sweep_temp_files(folder, files.values())
    return BatchResult(total, tuple(written), tuple(failures), cancelled, cpu)


def print_tomorrows_packs(reports: ReportService, out_dir: Path | str, **options) -> BatchResult:
    """The packs for tomorrow's planned meetings (branch calendar), in agenda order."""
    return print_review_packs(reports, reports.tomorrows_meetings(), out_dir, **options)


__all__ = ["BatchFailure", "BatchResult", "pack_file_names", "print_review_packs", "print_tomorrows_packs",
           "safe_file_stem"]
