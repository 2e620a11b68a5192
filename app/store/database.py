"""An open, unlocked profile database: engine, sessions and units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, text
from sqlalchemy.orm import Session, sessionmaker

from .engine import make_engine

if TYPE_CHECKING:
    from .uow import UnitOfWork


class Database:
    def __init__(self, path: Path, key: bytes, *, engine: Engine | None = None) -> None:
        self.path = Path(path)
        self._key = key
        self.engine = engine or make_engine(self.path, key)
        self._writer = self.engine.execution_options(rmdesk_write=True)
        self._read = sessionmaker(self.engine, expire_on_commit=False)
        self._write = sessionmaker(self._writer, expire_on_commit=False)

    @property
    def key(self) -> bytes:
        return self._key

    def unit(self, actor: str) -> UnitOfWork:
        """A write transaction whose changes, change-log entries and audit entries commit together."""
        from .uow import UnitOfWork  # with the ORM models: an unlock that only reads does not wait for them

        return UnitOfWork(self._write(), actor)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot (one deferred transaction)."""
        session = self._read()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay usable, detached

    def checkpoint(self) -> None:
        with self.engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")

    def integrity_errors(self) -> list[str]:
        with self.engine.connect() as conn:
            cipher = [r[0] for r in conn.execute(text("PRAGMA cipher_integrity_check"))]
            sqlite = [r[0] for r in conn.execute(text("PRAGMA integrity_check"))]
        return cipher + [r for r in sqlite if r != "ok"]

    def dispose(self) -> None:
        """Close every pooled connection (used by lock, restore and shutdown)."""
        self.engine.dispose()
