"""The passphrase KDF: the threaded libargon2 gives the very key every earlier key file was made with,
and the key can be derived before the database layer is loaded (what the unlock screen relies on)."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from cryptography.hazmat.primitives.kdf.argon2 import Argon2id

from app.services.profile_lookup import unlock_keys
from app.services.workstation import open_profile
from app.store.errors import WrongKeyError
from app.store.keys import KdfParams, PassphraseKeyStore
from tests.conftest import PASSPHRASE


@pytest.mark.parametrize("params", [KdfParams(), KdfParams(iterations=2, lanes=1, memory_cost=19 * 1024)])
def test_threaded_argon2id_equals_the_reference_derivation(tmp_path, params):
    store = PassphraseKeyStore(tmp_path / "key.json", "p", PASSPHRASE, params)
    salt = bytes(range(16))
    reference = Argon2id(salt=salt, length=32, iterations=params.iterations, lanes=params.lanes,
                         memory_cost=params.memory_cost).derive(PASSPHRASE.encode())
    assert store._kek(PASSPHRASE, salt, params) == reference


@pytest.mark.parametrize("cores", [1, 2, 3, 8])
def test_the_key_does_not_depend_on_the_threads_computing_it(monkeypatch, cores):
    from app.store.keys import argon2id

    params, salt = KdfParams(iterations=1, lanes=4, memory_cost=8 * 1024), bytes(16)
    expected = Argon2id(salt=salt, length=32, iterations=1, lanes=4, memory_cost=8 * 1024).derive(b"x")
    monkeypatch.setattr("os.cpu_count", lambda: cores)
    assert argon2id(b"x", salt, params) == expected


def test_unlock_keys_opens_the_profile_and_refuses_a_wrong_passphrase(workstation, tmp_path):
    home = workstation.profile.home
    workstation.lock()
    keys = unlock_keys(home, PASSPHRASE)
    assert len(keys) == 1 and len(keys[0]) == 32
    ws = open_profile(PASSPHRASE, home, keys=keys)
    try:
        assert ws.clients is not None
    finally:
        ws.lock()
    with pytest.raises(WrongKeyError):
        unlock_keys(home, "not the passphrase")
    assert unlock_keys(tmp_path / "nowhere", PASSPHRASE) == []


def test_deriving_the_key_loads_no_database_layer(workstation):
    home = workstation.profile.home
    workstation.lock()
    code = (
        "import sys, json; from app.services.profile_lookup import unlock_keys; "
        f"keys = unlock_keys({str(home)!r}, {PASSPHRASE!r}); "
        "print(json.dumps([len(keys), sorted(m for m in ('sqlalchemy', 'sqlcipher3', 'alembic') "
        "if m in sys.modules)]))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert json.loads(out) == [1, []]
