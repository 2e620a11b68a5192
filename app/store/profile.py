"""A profile folder: the encrypted database, its key (in the keyring or wrapped), pre-migration backups.

Layout (nothing confidential in clear):
    profile.json     non-secret metadata: profile id, key mode, format
    rmdesk.db        SQLCipher database (+ -wal / -shm, also encrypted)
    key.json         passphrase mode only: the data key wrapped under Argon2id + AES-GCM
    backups/         verified encrypted backups taken before each migration
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import asdict, replace
from datetime import UTC, datetime
from pathlib import Path

from app.messages import QT_TRANSLATE_NOOP

from .backup import backup_database
from .core_schema import new_id
from .database import Database
from .derived import ensure_derived
from .engine import connect_raw, secure_file
from .errors import ProfileExistsError, ProfileMissingError, WrongKeyError
from .keys import KdfParams, KeyStore, backend_name, key_store, new_data_key, write_private
from .layout import DB_NAME, META_NAME, ProfileMeta, default_home, profile_exists, read_meta
from .migrate import HEAD, check_not_newer, current_revision, upgrade


class Profile:
    def __init__(self, home: Path | None = None) -> None:
        self.home = Path(home) if home is not None else default_home()

    @property
    def db_path(self) -> Path:
        return self.home / DB_NAME

    @property
    def backups_dir(self) -> Path:
        return self.home / "backups"

    def exists(self) -> bool:
        return profile_exists(self.home)

    @property
    def meta(self) -> ProfileMeta:
        return read_meta(self.home)

    def keystore(self, passphrase: str | None = None, *, backend: object | None = None,
                 kdf: KdfParams | None = None, meta: ProfileMeta | None = None) -> KeyStore:
        return key_store(self.home, meta or self.meta, passphrase, backend=backend, kdf=kdf)

    # -- lifecycle ----------------------------------------------------------------------------------
    def create(self, mode: str, passphrase: str | None = None, *, backend: object | None = None,
               kdf: KdfParams | None = None) -> Database:
        if self.exists():
            raise ProfileExistsError(QT_TRANSLATE_NOOP("Store", "A profile already exists in {home}.").format(home=str(self.home)))
        if mode == "passphrase" and (not passphrase or len(passphrase) < 8):
            raise ValueError(QT_TRANSLATE_NOOP("Store", "Choose a passphrase of at least 8 characters."))
        if mode not in {"keyring", "passphrase"}:
            raise ValueError(f"Unknown key mode {mode!r}: use 'keyring' or 'passphrase'.")  # a programmer's error
        self.home.mkdir(parents=True, exist_ok=True, mode=0o700)
        meta = ProfileMeta(new_id(), mode, datetime.now(UTC).isoformat(timespec="seconds"))
        store = self.keystore(passphrase, backend=backend, kdf=kdf, meta=meta)
        key = store.create()  # refuses an insecure keyring before anything is written
        if mode == "keyring":
            meta = replace(meta, key_backend=backend_name(store.backend))
        conn = connect_raw(self.db_path, key)
        conn.close()
        secure_file(self.db_path)
        db = Database(self.db_path, key)
        upgrade(db.engine)
        ensure_derived(db.engine)  # stamps the read-model version so the first reopen does not rebuild
        self._write_meta(meta)
        return db

    def _write_meta(self, meta: ProfileMeta) -> None:
        write_private(self.home / META_NAME, json.dumps(asdict(meta), indent=1).encode())

    def open(self, passphrase: str | None = None, *, backend: object | None = None,
             keys: list[bytes] | None = None, count_read_models: bool = True) -> Database:
        """`keys`: the store's candidates when the caller has derived them already (see
        `profile_lookup.unlock_keys`); otherwise they are derived here. `count_read_models=False`
        leaves the read models' count check to the caller (see derived.needs_rebuild)."""
        if not self.exists():
            raise ProfileMissingError(QT_TRANSLATE_NOOP(
                "Store", "There is no RM Desk profile in {home}. Create one with `rmdesk init`."
            ).format(home=str(self.home)))
        meta = self.meta
        store = self.keystore(passphrase, backend=backend, meta=meta)
        key = self._working_key(store, keys)
        if meta.key_mode == "keyring" and not meta.key_backend:  # profiles made before it was recorded
            with contextlib.suppress(Exception):  # only a faster next unlock is at stake
                self._write_meta(replace(meta, key_backend=backend_name(store.backend)))
        db = Database(self.db_path, key)
        self._migrate(db)
        ensure_derived(db.engine, count=count_read_models)
        return db

    def _working_key(self, store: KeyStore, candidates: list[bytes] | None = None) -> bytes:
        """The key that opens the file; after an interrupted rotation that may be the pending one."""
        last: Exception | None = None
        candidates = candidates or store.candidates()
        for key in candidates:
            try:
                connect_raw(self.db_path, key).close()
            except WrongKeyError as exc:
                last = exc
                continue
            if key != candidates[0]:
                store.commit_rotation(key)  # finish the rotation the crash interrupted
            return key
        raise last or WrongKeyError("No key opens this profile.")

    def _migrate(self, db: Database) -> None:
        current = current_revision(db.engine)
        check_not_newer(current)
        if current == HEAD:
            return
        if current is not None:
            stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
            backup_database(db, self.backups_dir / f"pre-migration-{current}-{stamp}.rmbackup")
        upgrade(db.engine)

    def rotate_key(self, db: Database, store: KeyStore) -> Database:
        """Re-encrypt the database under a fresh data key, crash-safe: pending key first, then rekey."""
        new_key = new_data_key()
        store.begin_rotation(new_key)
        db.checkpoint()
        db.dispose()
        conn = connect_raw(self.db_path, db.key)
        try:
            conn.execute("PRAGMA journal_mode = DELETE")  # rekey rewrites every page; no WAL in between
            conn.execute(f"PRAGMA rekey = \"x'{new_key.hex()}'\"")
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
        store.commit_rotation(new_key)
        return Database(self.db_path, new_key)
