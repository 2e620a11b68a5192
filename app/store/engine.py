"""The SQLCipher engine: a raw 256-bit key set in the connection hook, never in a URL or a log."""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.pool import QueuePool
from sqlcipher3 import dbapi2 as sqlcipher

from app.messages import QT_TRANSLATE_NOOP

from .errors import CorruptProfileError, DiskFullError, WrongKeyError
from .layout import KEY_BYTES

CACHE_KIB = 64 * 1024  # 64 MiB page cache per connection


def _key_pragma(key: bytes) -> str:
    if len(key) != KEY_BYTES:
        raise ValueError("the data key must be 32 bytes")  # a programmer's error
    return f"PRAGMA key = \"x'{key.hex()}'\""


def connect_raw(path: Path | str, key: bytes, *, wal: bool = True) -> sqlcipher.Connection:
    """Open and key one DB-API connection; raises WrongKeyError if the key does not open the file."""
    conn = sqlcipher.connect(str(path), check_same_thread=False, isolation_level=None)
    try:
        conn.execute("PRAGMA cipher_log_level = NONE")  # the codec's own stderr chatter is not for users
        conn.execute(_key_pragma(key))
        # temp tables and sort spills stay in memory so nothing leaves the process in clear
        conn.execute("PRAGMA temp_store = MEMORY")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher.DatabaseError as exc:
        conn.close()
        if "file is not a database" in str(exc):
            raise WrongKeyError(QT_TRANSLATE_NOOP(
                "Store", "This profile could not be opened with the key provided. "
                "Check the passphrase, or that this is the profile's own keyring entry."
            )) from None
        raise CorruptProfileError(QT_TRANSLATE_NOOP("Store", "The profile database is damaged: {problem}").format(
            problem=str(exc))) from None
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = FULL")
    conn.execute("PRAGMA foreign_keys = ON")
    conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    conn.execute("PRAGMA busy_timeout = 10000")
    return conn


def make_engine(path: Path | str, key: bytes, *, pool_size: int = 4) -> Engine:
    """An SQLAlchemy engine whose every connection is keyed, in WAL mode, with foreign keys on."""
    path = Path(path)

    def creator() -> sqlcipher.Connection:
        return connect_raw(path, key)

    engine = create_engine(
        "sqlite+pysqlite://",  # the URL carries neither the path nor the key; `creator` does
        module=sqlcipher,
        creator=creator,
        poolclass=QueuePool,
        pool_size=pool_size,
        max_overflow=4,
        pool_pre_ping=False,
    )

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:
        # The driver's implicit transactions are off (isolation_level=None); we begin explicitly so
        # that write units take the write lock at once instead of failing later with SQLITE_BUSY.
        immediate = conn.get_execution_options().get("rmdesk_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")

    @event.listens_for(engine, "handle_error")
    def _translate(ctx) -> None:
        msg = str(ctx.original_exception)
        if "database or disk is full" in msg:
            raise DiskFullError(QT_TRANSLATE_NOOP(
                "Store", "The disk is full: nothing was saved. Free some space and try again; "
                "everything saved before is intact."
            )) from None
        if "malformed" in msg or "file is not a database" in msg:
            raise CorruptProfileError(QT_TRANSLATE_NOOP(
                "Store", "The profile database is damaged. Restore it from a backup (rmdesk restore FILE); "
                "RM Desk did not change it."
            )) from None

    return engine


def secure_file(path: Path) -> None:
    """Owner-only permissions on a profile file (no-op on platforms without POSIX modes)."""
    if path.exists() and os.name == "posix":
        os.chmod(path, 0o600)
