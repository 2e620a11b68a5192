"""Storage figures: opening an unlocked profile, and SQLCipher against plain SQLite on the same work.

    python -m bench store [--clients 100000] [--holdings-per-client 3] [--reads 10000] [--repeat 3]
                          [--baseline stdlib|unkeyed]

Both engines get the connection settings RM Desk uses (WAL, synchronous=FULL, foreign keys on,
temp store in memory, a 64 MiB page cache); SQLCipher is opened through the app's own
`connect_raw` with a random key. The baseline is the standard library's sqlite3 by default; with
`--baseline unkeyed` it is the same sqlcipher3 build opened without a key (plain SQLite, same
version and driver), which isolates the price of encryption exactly. Every workload runs
`--repeat` times, the two engines alternating on fresh files, and the median is reported.
Everything happens in a temporary folder that is removed afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench._table import Result, format_table

SEGMENTS = ("PRIVATE", "PREMIUM", "MASS_AFFLUENT", "BUSINESS")
SCHEMA = (
    "CREATE TABLE clients (id TEXT PRIMARY KEY, display_name TEXT NOT NULL, segment TEXT NOT NULL, "
    "owner_id TEXT, created_at TEXT NOT NULL)",
    "CREATE INDEX ix_clients_owner_name ON clients (owner_id, display_name)",
    "CREATE TABLE holdings (id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients (id), "
    "product TEXT NOT NULL, balance INTEGER NOT NULL, opened_on TEXT)",
    "CREATE INDEX ix_holdings_client_id ON holdings (client_id)",
)
AGGREGATE = ("SELECT c.segment, sum(h.balance), count(*) FROM holdings h JOIN clients c ON c.id = h.client_id "
             "GROUP BY c.segment")


def median_time(fn: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


# -- connections -------------------------------------------------------------------------------------
def open_cipher(path: Path, key: bytes) -> Any:
    from app.store.engine import connect_raw

    return connect_raw(path, key)


def open_plain(path: Path, key: bytes, module: Any = sqlite3) -> Any:
    from app.store.engine import CACHE_KIB

    conn = module.connect(str(path), isolation_level=None, check_same_thread=False)
    for pragma in ("temp_store = MEMORY", "journal_mode = WAL", "synchronous = FULL", "foreign_keys = ON",
                   f"cache_size = -{CACHE_KIB}", "busy_timeout = 10000"):
        conn.execute(f"PRAGMA {pragma}")
    return conn


def open_unkeyed(path: Path, key: bytes) -> Any:
    from sqlcipher3 import dbapi2

    return open_plain(path, key, dbapi2)


# -- data ----------------------------------------------------------------------------------------------
def book(clients: int, per_client: int, seed: int = 1) -> tuple[list[tuple], list[tuple]]:
    rng = random.Random(seed)
    ids = [f"{i:08x}-0000-7000-8000-{rng.getrandbits(48):012x}" for i in range(clients)]
    people = [(cid, f"Client {i}", rng.choice(SEGMENTS), f"rm-{i % 6}", "2026-11-22 00:00:00.000000")
              for i, cid in enumerate(ids)]
    holdings = [(f"{cid}-{k}", cid, rng.choice(("EVERYDAY", "SAVER", "CARD", "HOME", "MANAGED")),
                 rng.randrange(-50_000_000, 50_000_000), "2024-01-01")
                for cid in ids for k in range(per_client)]
    return people, holdings


# -- workloads -----------------------------------------------------------------------------------------
def workloads(opener: Callable[[Path, bytes], Any], folder: Path, key: bytes, people: list[tuple],
              holdings: list[tuple], reads: int) -> dict[str, float]:
    """One run of every workload on a fresh file in ``folder`` (removed afterwards)."""
    folder.mkdir()
    try:
        return _workloads(opener, folder / "bench.db", key, people, holdings, reads)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _workloads(opener: Callable[[Path, bytes], Any], path: Path, key: bytes, people: list[tuple],
               holdings: list[tuple], reads: int) -> dict[str, float]:
    conn = opener(path, key)
    for ddl in SCHEMA:
        conn.execute(ddl)
    out: dict[str, float] = {}

    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO clients VALUES (?, ?, ?, ?, ?)", people)
    conn.execute("COMMIT")
    out["insert_clients"] = time.perf_counter() - t

    t = time.perf_counter()
    conn.execute("BEGIN")
    conn.executemany("INSERT INTO holdings VALUES (?, ?, ?, ?, ?)", holdings)
    conn.execute("COMMIT")
    out["insert_holdings"] = time.perf_counter() - t
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")

    sample = random.Random(2).sample([p[0] for p in people], min(reads, len(people)))

    def point_reads() -> None:
        for cid in sample:
            conn.execute("SELECT display_name, segment FROM clients WHERE id = ?", (cid,)).fetchone()

    out["point_reads"] = median_time(point_reads, 3)
    out["aggregate_warm"] = median_time(lambda: conn.execute(AGGREGATE).fetchall(), 3)
    conn.close()

    def cold() -> None:  # a fresh connection: every page read (and decrypted) again
        c = opener(path, key)
        c.execute(AGGREGATE).fetchall()
        c.close()

    out["aggregate_cold"] = median_time(cold, 3)
    return out


def open_profile_time(folder: Path, repeat: int) -> tuple[float, float]:
    """Median time to open an already unlocked profile: engine, keyed connection, first query."""
    from sqlalchemy import text

    from app.store.database import Database
    from app.store.keys import KdfParams
    from app.store.profile import Profile

    db = Profile(folder / "profile").create("passphrase", "benchmark passphrase", kdf=KdfParams.fast_for_tests())
    path, key = db.path, db.key
    db.dispose()

    def open_app() -> None:
        d = Database(path, key)
        with d.reading() as s:
            s.execute(text("SELECT count(*) FROM clients")).scalar()
        d.dispose()

    def open_plain_file() -> None:
        c = open_plain(folder / "plain-open.db", key)
        c.execute("SELECT count(*) FROM sqlite_master").fetchone()
        c.close()

    open_plain_file()  # create it once
    return median_time(open_app, repeat), median_time(open_plain_file, repeat)


def measure(clients: int, per_client: int, reads: int, repeat: int, baseline: str = "stdlib") -> list[Result]:
    people, holdings = book(clients, per_client)
    key = os.urandom(32)
    plain = open_unkeyed if baseline == "unkeyed" else open_plain
    folder = Path(tempfile.mkdtemp(prefix="rmdesk-bench-"))
    runs: dict[str, list[dict[str, float]]] = {"cipher": [], "plain": []}
    try:
        app_open, plain_open = open_profile_time(folder, 15)
        for r in range(repeat):  # alternate, so a busy moment on the machine does not favour one side
            runs["cipher"].append(workloads(open_cipher, folder / f"cipher-{r}", key, people, holdings, reads))
            runs["plain"].append(workloads(plain, folder / f"plain-{r}", key, people, holdings, reads))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    enc, raw = ({k: statistics.median(run[k] for run in runs[side]) for k in runs[side][0]}
                for side in ("cipher", "plain"))
    n_h = len(holdings)
    return [
        Result("store", "open unlocked profile (engine + first query), median", app_open * 1000, "ms",
               plain_open * 1000),
        Result("store", f"insert {clients:,} clients, one transaction", clients / enc["insert_clients"], "rows/s",
               clients / raw["insert_clients"]),
        Result("store", f"insert {n_h:,} holdings, one transaction", n_h / enc["insert_holdings"], "rows/s",
               n_h / raw["insert_holdings"]),
        Result("store", f"{min(reads, clients):,} point reads by primary key",
               enc["point_reads"] * 1000, "ms", raw["point_reads"] * 1000),
        Result("store", "SUM(balance) GROUP BY segment, warm cache", enc["aggregate_warm"] * 1000, "ms",
               raw["aggregate_warm"] * 1000),
        Result("store", "SUM(balance) GROUP BY segment, new connection", enc["aggregate_cold"] * 1000, "ms",
               raw["aggregate_cold"] * 1000),
    ]


def parse(argv: list[str]) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench store", description=__doc__.splitlines()[0])
    p.add_argument("--clients", type=int, default=100_000)
    p.add_argument("--holdings-per-client", type=int, default=3)
    p.add_argument("--reads", type=int, default=10_000)
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--baseline", choices=("stdlib", "unkeyed"), default="stdlib")
    return p.parse_args(argv)


def results(argv: list[str]) -> list[Result]:
    a = parse(argv)
    return measure(a.clients, a.holdings_per_client, a.reads, a.repeat, a.baseline)


def main(argv: list[str] | None = None) -> int:
    print(format_table(results(argv or [])))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
