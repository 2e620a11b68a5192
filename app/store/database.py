"""An open, unlocked profile database: engine, sessions and units of work."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, Engine, text

from .engine import make_engine

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from .uow import UnitOfWork


class Database:
    def __init__(self, path: Path, key: bytes, *, engine: Engine | None = None) -> None:
        self.path = Path(path)
        self._key = key
        self.engine = engine or make_engine(self.path, key)
        self._writer = self.engine.execution_options(rmdesk_write=True)
        self._sessions: tuple[sessionmaker, sessionmaker] | None = None

    def _makers(self) -> tuple[sessionmaker, sessionmaker]:
        """Session factories, made on first use: the ORM is not imported for a Core-only first screen."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            self._sessions = (sessionmaker(self.engine, expire_on_commit=False),
                              sessionmaker(self._writer, expire_on_commit=False))
        return self._sessions

    @property
    def key(self) -> bytes:
        return self._key

    def unit(self, actor: str) -> UnitOfWork:
        """A write transaction whose changes, change-log entries and audit entries commit together."""
        from .uow import UnitOfWork  # with the ORM models: an unlock that only reads does not wait for them

        return UnitOfWork(self._makers()[1](), actor)

    @contextmanager
    def reading(self) -> Iterator[Session]:
        """A read-only snapshot (one deferred transaction)."""
        session = self._makers()[0]()
        try:
            yield session
        finally:
            session.close()  # ends the read transaction; loaded objects stay usable, detached

    @contextmanager
    def reading_rows(self) -> Iterator[Connection]:
        """A read-only snapshot for Core statements (rows, not objects); needs no ORM."""
        with self.engine.connect() as conn:  # the first statement begins the deferred transaction
            yield conn  # closing rolls it back

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
