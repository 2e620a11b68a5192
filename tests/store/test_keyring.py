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
