"""Where a profile lives and what its clear-text metadata says, without loading the database layer.

The lock screen needs only this (is there a profile, passphrase or keyring?); importing SQLAlchemy and
the models for it would keep the window from appearing for a second.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

from app.messages import QT_TRANSLATE_NOOP

from .errors import ProfileMissingError

DB_NAME = "rmdesk.db"
META_NAME = "profile.json"
KEY_NAME = "key.json"
KEY_BYTES = 32  # the SQLCipher data key: a raw 256-bit key, never a passphrase


def default_home() -> Path:
    env = os.environ.get("RMDESK_HOME")
    if env:
        return Path(env).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir("RM Desk", "RM Desk"))


@dataclass(frozen=True)
class ProfileMeta:
    profile_id: str
    key_mode: str  # keyring | passphrase
    created_at: str
    format: int = 1
    # keyring mode: the backend class that holds the key ("" before it was recorded). Opening loads that
    # one directly instead of discovering every installed backend, a fifth of a second at unlock.
    key_backend: str = ""


def profile_exists(home: Path) -> bool:
    return (home / META_NAME).exists() and (home / DB_NAME).exists()


def read_meta(home: Path) -> ProfileMeta:
    try:
        doc = json.loads((home / META_NAME).read_text("utf-8"))
        known = ProfileMeta.__dataclass_fields__  # a newer build's extra fields do not stop this one
        return ProfileMeta(**{k: v for k, v in doc.items() if k in known})
    except FileNotFoundError:
        raise ProfileMissingError(QT_TRANSLATE_NOOP(
            "Store", "There is no RM Desk profile in {home}. Create one with `rmdesk init`."
        ).format(home=str(home))) from None
