"""Is there a profile here, and how is it unlocked? Answered from its clear-text metadata alone.

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
