"""Schema migrations with Alembic, applied when a profile is opened, after a verified backup."""

from __future__ import annotations

import logging
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine

from .errors import NewerSchemaError

SCRIPTS = Path(__file__).with_name("migrations")
logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl SQLiteImpl" is not news for a user


def _config() -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def head_revision() -> str:
    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def check_not_newer(current: str | None) -> None:
    if current is not None and current not in known_revisions():
        raise NewerSchemaError(
            "This profile was written by a newer version of RM Desk. Update RM Desk to open it; "
            "nothing in the profile was changed."
        )


def upgrade(engine: Engine, target: str = "head") -> None:
    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
