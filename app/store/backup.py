"""Encrypted online backups and checked restores.

A backup is a full SQLCipher copy under the same data key (sqlcipher_export into an attached file),
verified with cipher_integrity_check before it is moved into place atomically.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import TYPE_CHECKING

from sqlcipher3 import dbapi2 as sqlcipher

from app.messages import QT_TRANSLATE_NOOP

from .engine import connect_raw, secure_file
from .errors import BackupError, CorruptProfileError, WrongKeyError

if TYPE_CHECKING:
    from .database import Database


def _fsync_dir(path: Path) -> None:
    if hasattr(os, "O_DIRECTORY"):
        fd = os.open(path, os.O_DIRECTORY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def verify_file(path: Path, key: bytes) -> list[str]:
    """Problems found in an encrypted database file ([] when it is sound)."""
    try:
        conn = connect_raw(path, key, wal=False)  # a check must never convert or write the file
    except CorruptProfileError as exc:
        return [str(exc)]
    try:
        problems = [r[0] for r in conn.execute("PRAGMA cipher_integrity_check")]
        problems += [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        return problems
    except sqlcipher.DatabaseError as exc:
        return [str(exc)]
    finally:
        conn.close()


def backup_database(db: Database, dest: Path) -> Path:
    """Write a verified encrypted copy of the live database to `dest`, atomically."""
    dest = Path(dest)
    dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = dest.with_name(f".{dest.name}.{secrets.token_hex(4)}.tmp")
    os.close(os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))  # owner-only before any byte
    try:
        raw = db.engine.raw_connection()
        try:
            cur = raw.driver_connection
            cur.execute(f"ATTACH DATABASE ? AS backup KEY \"x'{db.key.hex()}'\"", (str(tmp),))
            try:
                cur.execute("SELECT sqlcipher_export('backup')")
            finally:
                cur.execute("DETACH DATABASE backup")
        finally:
            raw.close()
        problems = verify_file(tmp, db.key)
        if problems:
            raise BackupError(QT_TRANSLATE_NOOP("Store", "The backup did not verify: {problems}").format(
                problems="; ".join(problems[:3])))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, dest)
        _fsync_dir(dest.parent)
        secure_file(dest)
        return dest
    except BaseException:
        tmp.unlink(missing_ok=True)
        for suffix in ("-wal", "-shm", "-journal"):
            Path(str(tmp) + suffix).unlink(missing_ok=True)
        raise


def check_backup(path: Path, key: bytes) -> None:
    if not Path(path).is_file():
        raise BackupError(QT_TRANSLATE_NOOP("Store", "There is no backup file at {path}.").format(path=str(path)))
    try:
        problems = verify_file(Path(path), key)
    except WrongKeyError:
        raise BackupError(QT_TRANSLATE_NOOP(
            "Store", "This backup was not made from this profile (its key does not open it). Nothing was changed."
        )) from None
    if problems:
        raise BackupError(QT_TRANSLATE_NOOP("Store", "The backup is damaged and was not restored: {problems}").format(
            problems="; ".join(problems[:3])))


def restore_database(db: Database, source: Path) -> None:
    """Replace the live database with a checked backup. The caller must reopen (and migrate) afterwards."""
    from .database import Database as _Db
    from .migrate import check_not_newer, current_revision

    check_backup(source, db.key)
    probe = _Db(Path(source), db.key)
    try:
        check_not_newer(current_revision(probe.engine))
    finally:
        probe.dispose()
    live = db.path
    staged = live.with_name(f".{live.name}.restore.tmp")
    os.close(os.open(staged, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600))
    with open(source, "rb") as src, open(staged, "wb") as out:
        while chunk := src.read(1 << 20):
            out.write(chunk)
        out.flush()
        os.fsync(out.fileno())
    if verify_file(staged, db.key):
        staged.unlink(missing_ok=True)
        raise BackupError(QT_TRANSLATE_NOOP("Store", "The copied backup did not verify; the profile was left as it was."))
    db.checkpoint()
    db.dispose()
    os.replace(staged, live)
    # the old WAL belongs to the old file: applied to the restored one it would corrupt it
    for suffix in ("-wal", "-shm"):
        Path(str(live) + suffix).unlink(missing_ok=True)
    _fsync_dir(live.parent)
