"""Is there a profile here, and how is it unlocked? Answered from its clear-text metadata alone.
And the slow half of unlocking it, deriving its data key, which needs no database either.

Kept apart from the workstation so that a front end can show its lock screen before the database
layer (SQLAlchemy, the models, SQLCipher) has been imported.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from app.store.layout import default_home, profile_exists, read_meta


@dataclass(frozen=True)
class ProfileInfo:
    home: Path
    exists: bool
    key_mode: str | None


def profile_info(home: Path | None = None) -> ProfileInfo:
    home = Path(home) if home is not None else default_home()
    exists = profile_exists(home)
    return ProfileInfo(home, exists, read_meta(home).key_mode if exists else None)


def unlock_keys(home: Path | None = None, passphrase: str | None = None, *,
                backend: object | None = None) -> list[bytes]:
    """The data key candidates of the profile (Argon2id on the passphrase, or the keyring entries).

    Needs neither SQLAlchemy nor SQLCipher, so a front end can run it while another thread is still
    importing them; `open_profile(..., keys=...)` then tries them on the file. Raises WrongKeyError,
    KeyMissingError or KeyringRefusedError as opening would.
    """
    from app.store.keys import key_store  # here: cryptography and libargon2 are not the lock screen's

    home = Path(home) if home is not None else default_home()
    if not profile_exists(home):
        return []  # opening says what is missing
    return key_store(home, read_meta(home), passphrase, backend=backend).candidates()
