"""Portfolio figures on the reference book (issue 3): cold start, sort, filter-as-you-type, search, memory,
with the plain-SQLite ratio for the underlying queries.

    python -m bench.portfolio_bench [--clients 100000] [--seed 1] [--cache DIR]

The demo book is generated once per (clients, seed, schema) into the cache folder and reused.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import event

from app.services.portfolio import SORT_COLUMNS, PortfolioQuery, PortfolioService
from app.services.search import SearchService
from app.store.database import Database
from app.store.keys import KdfParams
from app.store.migrate import head_revision
from app.store.profile import Profile

PASSPHRASE = "benchmark passphrase"
TYPED = ["m", "ma", "mar", "mari", "maria", "n", "ng", "ngu", "nguy", "z", "zh", "zha", "zhan", "s", "sm",
         "smi", "smit", "smith", "ал", "але", "алек", "o", "ol", "oli", "oliv"]
SEARCHES = ["smith", "nguyen", "maria", "fee", "card", "review", "mortgage", "zhang", "ivan", "complaint"]


def p95(xs: list[float]) -> float:
    return sorted(xs)[max(0, round(0.95 * len(xs)) - 1)]


def ms(x: float) -> str:
    return f"{x * 1000:8.1f} ms"


def build_book(cache: Path, clients: int, seed: int) -> Path:
    home = cache / f"book-{clients}-{seed}-{head_revision()}"
    if (home / "ready").exists():
        return home
    import shutil

    shutil.rmtree(home, ignore_errors=True)
    from app.services.demo import generate_demo_book

    t = time.perf_counter()
    db = Profile(home).create("passphrase", PASSPHRASE, kdf=KdfParams())
    generate_demo_book(db, clients=clients, seed=seed)
    from app.store.derived import ensure_derived

    ensure_derived(db.engine)
    db.checkpoint()
    db.dispose()
    (home / "ready").write_text(f"{time.perf_counter() - t:.1f}")
    return home


def plain_copy(db: Database, dest: Path) -> Path:
    """The same data in a plain SQLite file, to show what encryption costs on each query."""
    if dest.exists():
        return dest
    raw = db.engine.raw_connection()
    try:
        raw.driver_connection.execute("ATTACH DATABASE ? AS plain KEY ''", (str(dest),))
        raw.driver_connection.execute("SELECT sqlcipher_export('plain')")
        raw.driver_connection.execute("DETACH DATABASE plain")
    finally:
        raw.close()
    return dest


def timed(fn, repeat: int = 1) -> tuple[float, object]:
    best, out = float("inf"), None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t)
    return best, out


def cold_start(home: Path, key_hex: str) -> dict:
    """A fresh interpreter: import, open the profile, first page + count + KPIs (what the window shows)."""
    code = f"""
import time, json; t0 = time.perf_counter()
from app.store.database import Database
from app.store.profile import Profile
from app.services.portfolio import PortfolioService, PortfolioQuery
t_import = time.perf_counter()
db = Database(Profile({str(home)!r}).db_path, bytes.fromhex({key_hex!r}))
svc = PortfolioService(db); q = PortfolioQuery()
n = svc.count(q); page = svc.page(q, 0, 200); k = svc.kpis()
t1 = time.perf_counter()
# then what a morning's use does: every sort, a few filters, a deep scroll (for the memory figure)
for col in ("aum", "next_contact", "revenue", "last_contact", "name"):
    svc.page(q.sorted_by(col, True), 0, 200)
for text in ("m", "ma", "mar", "smith"):
    svc.count(PortfolioQuery(text=text)); svc.page(PortfolioQuery(text=text), 0, 200)
svc.page(q, 50000, 200)
# VmHWM, not ru_maxrss: on Linux ru_maxrss survives exec and would report this benchmark's own peak
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")]
rss = int(hwm[0].split()[1]) / 1024 if hwm else float("nan")
print(json.dumps({{"import": t_import - t0, "total": t1 - t0, "rows": n, "rss_mb": rss}}))
"""
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parents[1]))
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout)


def captured(engine, fn) -> list[tuple[str, tuple]]:
    """The statements `fn` sends to SQLite, to replay the very same ones on the plain copy."""
    seen: list[tuple[str, tuple]] = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if not statement.lstrip().upper().startswith(("BEGIN", "PRAGMA", "COMMIT", "ROLLBACK")):
            seen.append((statement, tuple(parameters or ())))

    event.listen(engine, "before_cursor_execute", record)
    try:
        fn()
    finally:
        event.remove(engine, "before_cursor_execute", record)
    return seen


def replay(plain: sqlite3.Connection, statements: list[tuple[str, tuple]]) -> None:
    for sql, params in statements:
        plain.execute(sql, params).fetchall()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=100_000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--cache", type=Path, default=Path(tempfile.gettempdir()) / "rmdesk-bench")
    args = ap.parse_args(argv)
    args.cache.mkdir(parents=True, exist_ok=True)
    home = build_book(args.cache, args.clients, args.seed)
    print(f"Reference book: {args.clients:,} clients (built in {(home / 'ready').read_text()} s, cached in {home})")

    t = time.perf_counter()
    db = Profile(home).open(PASSPHRASE)
    unlock = time.perf_counter() - t
    starts = [cold_start(home, db.key.hex()) for _ in range(3)]
    svc, search = PortfolioService(db), SearchService(db)
    plain = sqlite3.connect(plain_copy(db, args.cache / f"{home.name}.plain.db"))

    rows: list[tuple[str, float, float | None, str]] = []
    rows.append(("unlock (Argon2id passphrase + migrations check)", unlock, None, "once per day"))
    rows.append(("cold start to first page + count + KPIs (new process)",
                 statistics.median(s["total"] for s in starts), None, "target <= 1.5 s"))

    sort_times, sort_plain = [], []
    for col in SORT_COLUMNS:
        for desc in (False, True):
            q = PortfolioQuery(sort=col, descending=desc)
            dt, _ = timed(lambda q=q: svc.page(q, 0, 200), 3)
            sort_times.append(dt)
            sql = captured(db.engine, lambda q=q: svc.page(q, 0, 200))
            pt, _ = timed(lambda sql=sql: replay(plain, sql), 3)
            sort_plain.append(pt)
    rows.append(("sort by any column, first 200 rows (max of 22)", max(sort_times), max(sort_plain),
                 "target <= 100 ms"))

    key_times, key_plain = [], []
    for text in TYPED:
        q = PortfolioQuery(text=text)
        dt, _ = timed(lambda q=q: (svc.count(q), svc.page(q, 0, 200)))
        key_times.append(dt)
        sql = captured(db.engine, lambda q=q: (svc.count(q), svc.page(q, 0, 200)))
        pt, _ = timed(lambda sql=sql: replay(plain, sql))
        key_plain.append(pt)
    rows.append((f"filter keystroke: count + first page (p95 of {len(TYPED)})", p95(key_times), p95(key_plain),
                 "target p95 <= 50 ms"))
    slowest = sorted(zip(key_times, TYPED, strict=True), reverse=True)[:3]
    print("slowest keystrokes: " + ", ".join(f"{t!r} {v * 1000:.1f} ms" for v, t in slowest))

    s_times, s_plain = [], []
    for term in SEARCHES:
        dt, _ = timed(lambda term=term: search.search(term))
        s_times.append(dt)
        sql = captured(db.engine, lambda term=term: search.search(term))
        pt, _ = timed(lambda sql=sql: replay(plain, sql))
        s_plain.append(pt)
    rows.append((f"global search, grouped (p95 of {len(SEARCHES)})", p95(s_times), p95(s_plain),
                 "target p95 <= 50 ms"))

    for offset in (0, 50_000, args.clients - 200):
        dt, _ = timed(lambda offset=offset: svc.page(PortfolioQuery(sort="aum"), max(offset, 0), 200), 3)
        rows.append((f"page at offset {offset:,} sorted by AUM", dt, None, "scrolling"))
    rss_mb = max(s["rss_mb"] for s in starts)
    db.dispose()

    print(f"\n{'measure':<58} {'SQLCipher':>11} {'plain':>11} {'ratio':>6}  note")
    for name, v, pv, note in rows:
        ratio = f"{v / pv:5.1f}x" if pv else "     -"
        print(f"{name:<58} {ms(v):>11} {ms(pv) if pv else '-':>11} {ratio}  {note}")
    print(f"{'peak RSS of a process doing a morning of portfolio work':<58} {rss_mb:8.0f} MB{'':>12}"
          "          target <= 400 MB")
    print(f"(cold start import share: {statistics.median(s['import'] for s in starts) * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
