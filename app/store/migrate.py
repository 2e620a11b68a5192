"""Schema migrations with Alembic, applied when a profile is opened, after a verified backup."""

from __future__ import annotations

import logging
from pathlib import Path

from sqlalchemy import Engine, text
from sqlalchemy.exc import OperationalError

from app.messages import QT_TRANSLATE_NOOP

from .errors import NewerSchemaError

SCRIPTS = Path(__file__).with_name("migrations")
# The newest revision this build writes. Opening an up-to-date profile compares with it and never
# imports Alembic (a fifth of a cold start); tests check it against Alembic's own head.
HEAD = "0007"
logging.getLogger("alembic").setLevel(logging.WARNING)  # "Context impl SQLiteImpl" is not news for a user


def _config():
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(SCRIPTS))
    return cfg


def head_revision() -> str:
    from alembic.script import ScriptDirectory

    return ScriptDirectory.from_config(_config()).get_current_head()


def known_revisions() -> set[str]:
    from alembic.script import ScriptDirectory

    return {s.revision for s in ScriptDirectory.from_config(_config()).walk_revisions()}


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        try:
            return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        except OperationalError as exc:  # a new, empty profile has no version table yet
            if "no such table" in str(exc):
                return None
            raise


def check_not_newer(current: str | None) -> None:
    if current is not None and current != HEAD and current not in known_revisions():
        raise NewerSchemaError(QT_TRANSLATE_NOOP(
            "Store", "This profile was written by a newer version of RM Desk. Update RM Desk to open it; "
            "nothing in the profile was changed."
        ))


def upgrade(engine: Engine, target: str = "head") -> None:
    from alembic import command

    cfg = _config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
