"""The encrypted profile: nothing in clear, keys, passphrases, rotation, and clear errors."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from app.services.workstation import create_profile, open_profile
from app.store.errors import CorruptProfileError, KeyMissingError, ProfileExistsError, WrongKeyError
from app.store.keys import PassphraseKeyStore
from app.store.models import Client, ClientEmail, ClientPhone
from app.store.profile import Profile
from tests.conftest import PASSPHRASE

SECRETS = ["Zoë Quartermaine-Secret", "zoe.quartermaine@example.org", "+61412345678"]


def add_client(db, actor="tester") -> str:
    with db.unit(actor) as uow:
        c = Client(display_name=SECRETS[0], given_name="Zoë", family_name="Quartermaine-Secret")
        c.emails.append(ClientEmail(address=SECRETS[1]))
        c.phones.append(ClientPhone(number=SECRETS[2]))
        uow.session.add(c)
        uow.session.flush()
        return c.id


def all_profile_bytes(home) -> bytes:
    return b"".join(p.read_bytes() for p in sorted(home.rglob("*")) if p.is_file())


def test_no_client_detail_in_clear_anywhere_in_the_profile(workstation):
    db = workstation.database
    add_client(db)
    # read it back while the WAL still holds the pages, then look at every byte on disk
    with db.reading() as s:
        assert s.scalar(select(Client.display_name)) == SECRETS[0]
    home = workstation.profile.home
    assert (home / "rmdesk.db-wal").exists()
    raw = all_profile_bytes(home)
    for secret in SECRETS:
        for encoding in ("utf-8", "utf-16-le"):
            assert secret.encode(encoding) not in raw
    assert b"SQLite format 3" not in raw  # even the header is encrypted


def test_key_file_and_metadata_hold_no_key_material(workstation):
    home = workstation.profile.home
    meta = json.loads((home / "profile.json").read_text())
    assert set(meta) == {"profile_id", "key_mode", "created_at", "format", "key_backend"}
    assert meta["key_backend"] == ""  # a passphrase profile: no keyring backend to name
    key = workstation.database.key
    assert key.hex().encode() not in all_profile_bytes(home)
    assert key not in all_profile_bytes(home)


def test_wrong_passphrase_is_a_clear_error_and_changes_nothing(workstation, tmp_path):
    add_client(workstation.database)
    workstation.lock()
    before = (tmp_path / "profile" / "key.json").read_bytes()
    with pytest.raises(WrongKeyError, match="passphrase is not correct"):
        open_profile("not the passphrase", tmp_path / "profile")
    assert (tmp_path / "profile" / "key.json").read_bytes() == before
    ws = open_profile(PASSPHRASE, tmp_path / "profile")
    with ws.database.reading() as s:
        assert s.scalar(select(Client.display_name)) == SECRETS[0]
    ws.lock()


def test_change_passphrase_rewraps_the_same_key(workstation, tmp_path, fast_kdf):
    home = tmp_path / "profile"
    key = workstation.database.key
    workstation.lock()
    store = PassphraseKeyStore(home / "key.json", Profile(home).meta.profile_id, PASSPHRASE, fast_kdf)
    with pytest.raises(ValueError, match="at least 8"):
        store.change_passphrase("short")
    store.change_passphrase("a new long passphrase")
    with pytest.raises(WrongKeyError):
        open_profile(PASSPHRASE, home)
    ws = open_profile("a new long passphrase", home)
    assert ws.database.key == key
    ws.lock()


def test_rotate_key_rekeys_the_file(workstation, tmp_path):
    home = tmp_path / "profile"
    add_client(workstation.database)
    old_key = workstation.database.key
    profile = Profile(home)
    db = profile.rotate_key(workstation.database, profile.keystore(PASSPHRASE))
    assert db.key != old_key
    db.dispose()
    ws = open_profile(PASSPHRASE, home)
    assert ws.database.key != old_key
    with ws.database.reading() as s:
        assert s.scalar(select(Client.display_name)) == SECRETS[0]
    ws.lock()


def test_rotation_interrupted_after_rekey_recovers_with_pending_key(workstation, tmp_path, monkeypatch):
    home = tmp_path / "profile"
    add_client(workstation.database)
    profile = Profile(home)
    store = profile.keystore(PASSPHRASE)

    def crash(_key):
        raise SystemExit("power cut")

    monkeypatch.setattr(store, "commit_rotation", crash)
    with pytest.raises(SystemExit):
        profile.rotate_key(workstation.database, store)
    monkeypatch.undo()
    ws = open_profile(PASSPHRASE, home)  # the old key no longer opens the file; the pending one does
    with ws.database.reading() as s:
        assert s.scalar(select(Client.display_name)) == SECRETS[0]
    assert not (home / "key.json.pending").exists()
    ws.lock()


def test_create_refuses_an_existing_profile_and_short_passphrases(workstation, tmp_path, fast_kdf):
    with pytest.raises(ProfileExistsError):
        create_profile("passphrase", PASSPHRASE, tmp_path / "profile", kdf=fast_kdf)
    with pytest.raises(ValueError, match="at least 8"):
        create_profile("passphrase", "short", tmp_path / "other", kdf=fast_kdf)


def test_missing_key_file_and_corrupted_database_are_clear_errors(workstation, tmp_path):
    home = tmp_path / "profile"
    add_client(workstation.database)
    workstation.database.checkpoint()
    workstation.lock()
    key_file = home / "key.json"
    saved = key_file.read_bytes()
    key_file.unlink()
    with pytest.raises(KeyMissingError, match="missing"):
        open_profile(PASSPHRASE, home)
    key_file.write_bytes(saved)
    db_file = home / "rmdesk.db"
    data = bytearray(db_file.read_bytes())
    data[5000:5100] = b"\x00" * 100  # damage a page in the middle of the file
    db_file.write_bytes(bytes(data))
    ws = None
    with pytest.raises((CorruptProfileError, WrongKeyError)) as info:
        ws = open_profile(PASSPHRASE, home)
        problems = ws.database.integrity_errors()
        if problems:
            raise CorruptProfileError("; ".join(problems))
    assert "damaged" in str(info.value) or problems
