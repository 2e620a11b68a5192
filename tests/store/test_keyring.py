"""Keys in the OS credential store: a real Secret Service, and a refused plaintext backend."""

from __future__ import annotations

import pytest
from keyring.backend import KeyringBackend

from app.services.workstation import create_profile, open_profile
from app.store.errors import KeyMissingError, KeyringRefusedError
from app.store.keys import KeyringKeyStore, secure_backend


class PlaintextKeyring(KeyringBackend):
    """Stands in for keyrings.alt's PlaintextKeyring: a backend that keeps secrets in clear."""

    priority = 1
    store: dict = {}

    def get_password(self, service, username):
        return self.store.get((service, username))

    def set_password(self, service, username, password):
        self.store[(service, username)] = password

    def delete_password(self, service, username):
        self.store.pop((service, username), None)


def test_plaintext_backend_is_refused_and_nothing_is_written(tmp_path):
    with pytest.raises(KeyringRefusedError, match="passphrase"):
        create_profile("keyring", home=tmp_path / "p", backend=PlaintextKeyring())
    assert PlaintextKeyring.store == {}
    assert not (tmp_path / "p" / "rmdesk.db").exists()


def test_keyrings_alt_plaintext_is_refused():
    alt = pytest.importorskip("keyrings.alt.file", reason="keyrings.alt is optional; the stand-in covers it")
    with pytest.raises(KeyringRefusedError):
        secure_backend(alt.PlaintextKeyring())


@pytest.mark.keyring
def test_real_secret_service_round_trip(secret_service, tmp_path):
    import keyring
    from keyring.backends import SecretService

    backend = SecretService.Keyring()
    assert secure_backend(backend) is backend
    ws = create_profile("keyring", home=tmp_path / "p", backend=backend)
    profile_id = ws.profile.meta.profile_id
    ws.lock()
    stored = backend.get_password("RM Desk", f"profile:{profile_id}")
    assert stored is not None and len(bytes.fromhex(stored)) == 32
    ws2 = open_profile(home=tmp_path / "p", backend=backend)
    assert ws2.settings.get("user.idle_lock_minutes") == 5
    ws2.lock()
    # a missing keyring entry is a clear error, and the profile is left untouched
    KeyringKeyStore(profile_id, backend).forget()
    with pytest.raises(KeyMissingError, match="not in your keyring"):
        open_profile(home=tmp_path / "p", backend=backend)
    assert keyring.get_keyring() is not None


def test_keyring_problem_explains_an_insecure_backend():
    from app.services.workstation import keyring_problem

    assert "plaintext" in keyring_problem(PlaintextKeyring())


@pytest.mark.keyring
def test_keyring_problem_is_none_on_a_working_secret_service(secret_service):
    from keyring.backends import SecretService

    from app.services.workstation import keyring_problem

    assert keyring_problem(SecretService.Keyring()) is None


OPEN_BY_RECORD = """
import json, sys
from app.services.profile_lookup import unlock_keys
keys = unlock_keys(sys.argv[1])
import keyring.core
print(json.dumps({"keys": len(keys), "discovered": keyring.core._keyring_backend is not None}))
"""


@pytest.mark.keyring
def test_the_backend_holding_the_key_is_recorded_and_opened_directly(secret_service, tmp_path):
    """Creating a keyring profile records which backend holds its key; unlocking loads that backend by
    name instead of keyring's discovery of every installed backend (a fifth of a second)."""
    import json
    import os
    import subprocess
    import sys

    from keyring.backends import SecretService

    from app.store.layout import read_meta

    home = tmp_path / "p"
    ws = create_profile("keyring", home=home, backend=SecretService.Keyring())
    ws.lock()
    assert read_meta(home).key_backend == "keyring.backends.SecretService.Keyring"
    env = {k: v for k, v in os.environ.items() if k != "PYTHON_KEYRING_BACKEND"}
    out = subprocess.run([sys.executable, "-c", OPEN_BY_RECORD, str(home)], capture_output=True, text=True,
                         env=env, check=True)
    assert json.loads(out.stdout) == {"keys": 1, "discovered": False}
    # with the backend chosen in the environment (as the GUI tests do), discovery decides as before
    env["PYTHON_KEYRING_BACKEND"] = "keyring.backends.fail.Keyring"
    out = subprocess.run([sys.executable, "-c", OPEN_BY_RECORD, str(home)], capture_output=True, text=True, env=env)
    assert out.returncode != 0 and "KeyringRefusedError" in out.stderr
    # a profile made before the backend was recorded has it recorded by its next open
    meta = json.loads((home / "profile.json").read_text())
    (home / "profile.json").write_text(json.dumps({k: v for k, v in meta.items() if k != "key_backend"}))
    assert read_meta(home).key_backend == ""
    open_profile(home=home, backend=SecretService.Keyring()).lock()
    assert read_meta(home).key_backend == "keyring.backends.SecretService.Keyring"


def test_metadata_of_a_newer_build_still_reads(tmp_path):
    import json

    from app.store.layout import META_NAME, read_meta

    (tmp_path / META_NAME).write_text(json.dumps({"profile_id": "p", "key_mode": "keyring", "created_at": "x",
                                                 "format": 1, "something_new": True}))
    assert read_meta(tmp_path).key_backend == ""
