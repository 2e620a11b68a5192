"""Faults: a writer killed mid-write, a full disk, backups and restores that check before replacing."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from app.services.workstation import open_profile
from app.store.backup import backup_database
from app.store.errors import BackupError, DiskFullError
from app.store.models import Client
from tests.conftest import PASSPHRASE

ROOT = Path(__file__).resolve().parents[2]


def test_sigkill_mid_write_loses_no_committed_row(workstation):
    db = workstation.database
    key_hex, path = db.key.hex(), db.path
    workstation.lock()
    committed: list[int] = []
    rng = random.Random(7)
    for _round in range(6):
        start = (committed[-1] + 1) if committed else 0
        proc = subprocess.Popen(
            [sys.executable, "-m", "tests.store.writer_process", str(path), key_hex, str(start)],
            cwd=ROOT, stdout=subprocess.PIPE, text=True,
        )
        deadline = time.monotonic() + 30
        seen = 0
        target = rng.randint(3, 25)
        while seen < target and time.monotonic() < deadline:
            line = proc.stdout.readline()
            if not line:
                break
            committed.append(int(line))
            seen += 1
        time.sleep(rng.uniform(0, 0.05))  # land the kill at a random point of a later write
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        committed.extend(int(x) for x in proc.stdout.read().split())  # reported before the kill landed
    assert len(committed) >= 18
    ws = open_profile(PASSPHRASE, path.parent)
    try:
        assert ws.database.integrity_errors() == []
        with ws.database.reading() as s:
            names = set(s.scalars(select(Client.display_name).where(Client.display_name.like("Crash Test %"))))
        missing = [n for n in committed if f"Crash Test {n:06d}" not in names]
        assert missing == []
    finally:
        ws.lock()


def test_disk_full_is_a_clear_error_and_keeps_what_was_saved(db):
    with db.unit("t") as uow:
        uow.session.add(Client(display_name="Saved Before"))
    with db.engine.connect() as conn:
        pages = conn.execute(text("PRAGMA page_count")).scalar()
    # cap the file where it is: SQLite then fails exactly as on a full disk (SQLITE_FULL)
    from sqlalchemy import event

    @event.listens_for(db.engine, "connect")
    def _cap(dbapi_conn, _rec):  # pragma: no cover - exercised on new connections
        dbapi_conn.execute(f"PRAGMA max_page_count = {pages}")

    db.engine.dispose()
    with pytest.raises(DiskFullError, match="disk is full"), db.unit("t") as uow:
        for i in range(2000):
            uow.session.add(Client(display_name=f"Overflow {i}", notes="y" * 2000))
    event.remove(db.engine, "connect", _cap)
    db.engine.dispose()
    with db.reading() as s:
        assert s.scalar(select(Client.display_name)) == "Saved Before"
        assert s.scalar(select(func.count()).select_from(Client)) == 1


def test_backup_is_verified_encrypted_atomic_and_restores(workstation, tmp_path):
    db = workstation.database
    with db.unit("t") as uow:
        uow.session.add(Client(display_name="Before Backup"))
    dest = tmp_path / "out" / "book.rmbackup"
    workstation.backup(dest)
    assert dest.exists() and oct(dest.stat().st_mode & 0o777) == "0o600"
    assert b"Before Backup" not in dest.read_bytes()
    assert [p.name for p in dest.parent.iterdir()] == ["book.rmbackup"]  # no temp files left
    with workstation.database.unit("t") as uow:
        uow.session.add(Client(display_name="After Backup"))
    workstation.restore(dest, PASSPHRASE)
    with workstation.database.reading() as s:
        assert set(s.scalars(select(Client.display_name))) == {"Before Backup"}


def test_restore_refuses_a_damaged_or_foreign_backup_and_changes_nothing(workstation, tmp_path, fast_kdf):
    from app.services.workstation import create_profile

    db = workstation.database
    with db.unit("t") as uow:
        uow.session.add(Client(display_name="Keep Me"))
    good = backup_database(db, tmp_path / "good.rmbackup")
    damaged = tmp_path / "damaged.rmbackup"
    data = bytearray(good.read_bytes())
    data[len(data) // 2: len(data) // 2 + 64] = os.urandom(64)
    damaged.write_bytes(bytes(data))
    other = create_profile("passphrase", PASSPHRASE, tmp_path / "other", kdf=fast_kdf)
    foreign = other.backup(tmp_path / "foreign.rmbackup")
    other.lock()
    for bad, message in ((damaged, "damaged"), (foreign, "not made from this profile"),
                         (tmp_path / "nope.rmbackup", "no backup file")):
        with pytest.raises(BackupError, match=message):
            workstation.restore(bad, PASSPHRASE)
        with workstation.database.reading() as s:
            assert s.scalar(select(Client.display_name)) == "Keep Me"
