"""Demo book generation: what `rmdesk demo --clients N` costs, into a fresh encrypted profile.

    python -m bench demo [--clients 100000] [--seed 1] [--keep DIR]

Reports the wall time against the two-minute target, and the CPU of the two threads that share
the work (the writer, which owns the SQLite transaction, and the generator), so a slow figure on a
busy machine can be told apart from a slow program: on an idle two-core machine the wall time is
about the writer's CPU plus the final commit's I/O.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

from bench._table import Result, format_table


def measure(clients: int, seed: int, keep: Path | None = None) -> list[Result]:
    from app.services.demo import generate_demo_book
    from app.store.keys import KdfParams
    from app.store.profile import Profile

    folder = keep or Path(tempfile.mkdtemp(prefix="rmdesk-demo-bench-"))
    try:
        db = Profile(folder / "profile").create("passphrase", "benchmark passphrase",
                                                kdf=KdfParams.fast_for_tests())

        def progress(done: int, total: int) -> None:
            if sys.stderr.isatty():
                print(f"\rdemo book: {done:,}/{total:,}", end="\n" if done == total else "", file=sys.stderr)

        wall, cpu, writer = time.perf_counter(), time.process_time(), time.thread_time()
        summary = generate_demo_book(db, clients=clients, seed=seed, progress=progress)
        wall, cpu, writer = (time.perf_counter() - wall, time.process_time() - cpu, time.thread_time() - writer)
        db.dispose()
        size = sum(p.stat().st_size for p in (folder / "profile").glob("rmdesk.db*")) / 2**20
    finally:
        if keep is None:
            shutil.rmtree(folder, ignore_errors=True)
    rows = sum(summary.counts.values())
    return [
        Result("demo", f"generate {clients:,} clients ({rows:,} rows), wall", wall, "s",
               target="< 120 s" if clients == 100_000 else ""),
        Result("demo", "  rows written per second", rows / wall, "rows/s"),
        Result("demo", "  writer thread CPU (SQLite, the critical path)", writer, "s"),
        Result("demo", "  generator thread CPU", cpu - writer, "s"),
        Result("demo", "  profile size on disk", size, "MB"),
    ]


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench demo", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=100_000)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--keep", type=Path, default=None, help="build the profile here and keep it")
    return p.parse_args(argv)


def results(argv: list[str]) -> list[Result]:
    a = parse(argv)
    return measure(a.clients, a.seed, a.keep)


def main(argv: list[str] | None = None) -> int:
    print(format_table(results(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
