"""Migrations: from an empty profile, from a committed profile of the previous schema, and refusing newer."""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from sqlalchemy import text

from app.services.workstation import open_profile
from app.store.errors import NewerSchemaError
from app.store.migrate import HEAD, current_revision, head_revision

FIXTURES = Path(__file__).parent.parent / "fixtures"
FTS_TABLES = ("search_index", "client_search", "complaint_search")


def test_new_profile_is_at_head_with_every_table(db):
    assert current_revision(db.engine) == head_revision() == HEAD  # HEAD: the no-Alembic fast path
    with db.engine.connect() as conn:
        tables = {r[0] for r in conn.execute(text("SELECT name FROM sqlite_master WHERE type='table'"))}
    for expected in ("clients", "interactions", "complaints", "complaint_events", "change_log", "audit_log",
                     "search_index", "points_ledger", "privacy_requests", "targets"):
        assert expected in tables


def test_profile_from_schema_0001_migrates_with_a_verified_backup(tmp_path):
    home = tmp_path / "old"
    shutil.copytree(FIXTURES / "profile-0001", home)
    ws = open_profile("fixture passphrase", home)
    try:
        assert current_revision(ws.database.engine) == head_revision()
        with ws.database.engine.connect() as conn:
            hit = conn.execute(text("SELECT title FROM client_search WHERE client_search MATCH 'Fixture'")).all()
        assert hit == [("Fixture Client Ωmega",)]
        backups = list((home / "backups").glob("pre-migration-0001-*.rmbackup"))
        assert len(backups) == 1
        # the backup is the untouched old schema, encrypted under the profile's key
        from app.store.backup import verify_file

        assert verify_file(backups[0], ws.database.key) == []
        assert b"Fixture Client" not in backups[0].read_bytes()
    finally:
        ws.lock()


def test_profile_from_a_newer_version_is_refused_untouched(workstation, tmp_path):
    with workstation.database.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    workstation.database.checkpoint()
    workstation.lock()
    db_file = tmp_path / "profile" / "rmdesk.db"
    before = db_file.read_bytes()
    with pytest.raises(NewerSchemaError, match="newer version"):
        open_profile("correct horse battery", tmp_path / "profile")
    assert db_file.read_bytes() == before


def test_migrations_build_exactly_the_models_schema():
    """A model change without its migration (or the reverse) fails here, not on a user's laptop."""
    from alembic.autogenerate import compare_metadata
    from alembic.runtime.migration import MigrationContext
    from sqlalchemy import create_engine
    from sqlalchemy.schema import CreateIndex

    from app.store.migrate import upgrade
    from app.store.models import Base

    engine = create_engine("sqlite://")
    upgrade(engine)
    # SQLAlchemy cannot reflect indexes on expressions ((col IS NULL), col DESC): compare their SQL instead
    expression_indexes = {i.name: i for t in Base.metadata.tables.values() for i in t.indexes
                          if any(not hasattr(e, "name") for e in i.expressions)}
    assert "ix_client_summary_next_contact_due_desc" in expression_indexes

    def include_name(name, type_, parent_names):
        if type_ == "index":
            return name not in expression_indexes
        return not (type_ == "table" and name and name.startswith(FTS_TABLES))

    with engine.connect() as conn, warnings.catch_warnings():
        warnings.filterwarnings("ignore", "Skipped unsupported reflection of expression-based index")
        warnings.filterwarnings("ignore", "autogenerate skipping metadata-specified expression-based index")
        diff = compare_metadata(MigrationContext.configure(conn, opts={"include_name": include_name}), Base.metadata)
        built = dict(conn.exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index'").all())
    assert diff == []
    for name, index in expression_indexes.items():
        wanted = str(CreateIndex(index).compile(dialect=engine.dialect)).strip()
        assert " ".join(built.get(name, "").split()) == " ".join(wanted.split()), name


def test_read_models_rebuild_when_their_meaning_changes(workstation, tmp_path):
    from app.services.workstation import open_profile
    from app.store.models import Client

    with workstation.database.unit("t") as uow:
        uow.session.add(Client(display_name="Stale Summary"))
    with workstation.database.engine.begin() as conn:
        conn.execute(text("UPDATE client_summary SET display_name = 'wrong'"))
        conn.execute(text("UPDATE profile_meta SET value = 'old' WHERE key = 'derived_version'"))
    workstation.lock()
    ws = open_profile("correct horse battery", tmp_path / "profile")
    try:
        with ws.database.engine.connect() as conn:
            assert conn.execute(text("SELECT display_name FROM client_summary")).scalar() == "Stale Summary"
            assert conn.execute(text("SELECT value FROM profile_meta WHERE key = 'derived_version'")).scalar() != "old"
    finally:
        ws.lock()
