"""Review pack figures on the demo book (issue 6): one pack, and a batch of 200 packs on 2 cores.

    python -m bench.reports_bench [--clients 100000] [--seed 1] [--packs 40] [--batch 200] [--workers 2]
                                  [--cache DIR]
    python -m bench reports [...]    (the same through the bench dispatcher, as rows of its table)

The demo book is generated once per (clients, seed, schema) into the cache folder and reused (the same
layout as bench/portfolio_bench.py, so the two share a book of the same size). One pack is timed as
the service does it: read the client's data in one snapshot, then lay out and write the PDF bytes
(no file, no audit write). The batch is timed wall-clock from the call to the summary, process start-up
included, writing every PDF atomically into a temporary folder.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from app.reports.review_pack import render_review_pack
from app.services.batch_print import BatchResult, print_review_packs
from app.services.report_data import ReportService
from app.store.models import ClientSummary
from app.store.profile import Profile
from bench.portfolio_bench import PASSPHRASE, build_book  # one cached reference book for every bench

PACK_TARGET = 0.250  # seconds, median of one pack (DESIGN.md §5)
BATCH_TARGET = 30.0  # seconds, 200 packs on 2 cores (issue 6)


def spread(ids: list[str], n: int) -> list[str]:
    """n ids evenly spread through the book (deterministic, every kind of client)."""
    if n >= len(ids):
        return list(ids)
    step = len(ids) / n
    return [ids[int(i * step)] for i in range(n)]


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


@dataclass
class Figures:
    clients: int
    workers: int
    packs_tried: int
    load_before: float
    data_t: list[float] = field(default_factory=list)
    render_t: list[float] = field(default_factory=list)
    total_t: list[float] = field(default_factory=list)
    pages: list[int] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    batch_s: float = 0.0
    batch: BatchResult | None = None


def _parse(argv: list[str] | None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(prog="python -m bench.reports_bench", description=__doc__.splitlines()[0])
    ap.add_argument("--clients", type=int, default=100_000, help="demo book size (default: the reference book)")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--packs", type=int, default=40, help="clients timed one pack at a time")
    ap.add_argument("--batch", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rmdesk-bench")
    return ap.parse_args(argv)


def measure(args: argparse.Namespace) -> Figures:
    args.cache.mkdir(parents=True, exist_ok=True)
    fig = Figures(args.clients, args.workers, args.packs,
                  os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0)
    home = build_book(args.cache, args.clients, args.seed)
    print(f"Demo book: {args.clients:,} clients (built in {(home / 'ready').read_text()} s, cached in {home})",
          file=sys.stderr)
    db = Profile(home).open(PASSPHRASE)
    try:
        reports = ReportService(db, "bench", profile_dir=home)
        with db.reading() as s:
            ids = list(s.scalars(select(ClientSummary.client_id).where(ClientSummary.status != "closed")
                                 .order_by(ClientSummary.sort_name)))
        today = reports.today()
        # warm up: fonts registered, statements compiled and cached
        for cid in ids[:3]:
            with contextlib.suppress(Exception):
                reports.render_review_pack(cid, today=today)
        for cid in spread(ids, args.packs):
            t0 = time.perf_counter()
            data = reports.review_pack_data(cid, today=today)
            t1 = time.perf_counter()
            try:
                pdf = render_review_pack(data, None, reports.branding)
            except Exception as exc:  # noqa: BLE001 - counted and reported, the run goes on
                fig.failed.append(f"{type(exc).__name__}: {exc}")
                continue
            t2 = time.perf_counter()
            fig.data_t.append(t1 - t0)
            fig.render_t.append(t2 - t1)
            fig.total_t.append(t2 - t0)
            fig.pages.append(len(re.findall(rb"/Type /Page\b(?!s)", pdf)))
        out = Path(tempfile.mkdtemp(prefix="rmdesk-batch-"))
        try:
            t0 = time.perf_counter()
            fig.batch = print_review_packs(reports, spread(ids, args.batch), out, max_workers=args.workers,
                                           today=today)
            fig.batch_s = time.perf_counter() - t0
        finally:
            shutil.rmtree(out, ignore_errors=True)
    finally:
        db.dispose()
    return fig


def results(argv: list[str] | None = None) -> list:
    """Rows for `python -m bench`'s combined table."""
    from bench._table import Result

    fig = measure(_parse(argv))
    batch = fig.batch
    assert batch is not None
    rows = [Result("reports", f"review pack, median of {len(fig.total_t)} ({fig.clients:,} clients)",
                   statistics.median(fig.total_t) * 1000, "ms", target=f"<= {PACK_TARGET * 1000:.0f} ms"),
            Result("reports", "review pack, p95", p95(fig.total_t) * 1000, "ms"),
            Result("reports", f"batch of {batch.total} packs, {fig.workers} processes", fig.batch_s, "s",
                   target=f"<= {BATCH_TARGET:.0f} s")]
    if fig.failed or batch.failures:
        rows.append(Result("reports", "packs that failed to render (single / batch)",
                           len(fig.failed) + len(batch.failures), "", target="0"))
    return rows


def main(argv: list[str] | None = None) -> int:
    fig = measure(_parse(argv))
    result = fig.batch
    assert result is not None
    med = statistics.median(fig.total_t)
    print(f"\n{'measure':<52} {'value':>10}  target")
    print(f"{f'one review pack, median of {len(fig.total_t)} (all sections)':<52} {med * 1000:8.0f} ms  "
          f"<= {PACK_TARGET * 1000:.0f} ms {'ok' if med <= PACK_TARGET else 'MISSED'}")
    print(f"{'  of which reading the data (median)':<52} {statistics.median(fig.data_t) * 1000:8.0f} ms")
    print(f"{'  of which layout and PDF (median)':<52} {statistics.median(fig.render_t) * 1000:8.0f} ms")
    print(f"{'one review pack, p95':<52} {p95(fig.total_t) * 1000:8.0f} ms")
    print(f"{'pages per pack (median)':<52} {statistics.median(fig.pages):8.0f}")
    print(f"{f'batch of {result.total} packs on {fig.workers} processes':<52} {fig.batch_s:8.1f} s   "
          f"<= {BATCH_TARGET:.0f} s {'ok' if fig.batch_s <= BATCH_TARGET else 'MISSED'}")
    print(f"{'  packs written / failed':<52} {len(result.written):>5} / {len(result.failures)}")
    if result.written:
        per = result.cpu_seconds / len(result.written)
        print(f"{'  worker CPU per pack':<52} {per * 1000:8.0f} ms")
        print(f"{f'  the same batch on {fig.workers} idle cores (CPU / workers)':<52} "
              f"{per * result.total / fig.workers:8.1f} s")
    print(f"{'load average before the run (1 min)':<52} {fig.load_before:8.2f}    on {os.cpu_count()} CPUs")
    if fig.failed or result.failures:
        reasons = sorted({*fig.failed, *(f.message for f in result.failures)})
        print(f"\nRender failures: {len(fig.failed)} of {fig.packs_tried} single packs, "
              f"{len(result.failures)} in the batch:")
        for reason in reasons[:5]:
            print(f"  {reason}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
