"""Every change goes through one unit of work that logs it for sync and audits it, atomically."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select

from app.store.audit import verify
from app.store.models import AuditEntry, ChangeEntry, Client, Interaction


def test_insert_update_delete_are_logged_with_field_bases(db):
    with db.unit("alice") as uow:
        c = Client(display_name="Ana Lima")
        uow.session.add(c)
    with db.unit("alice") as uow:
        uow.session.get(Client, c.id).display_name = "Ana Lima Souza"
    with db.unit("alice") as uow:
        uow.session.get(Client, c.id).deleted = True
    with db.reading() as s:
        log = s.scalars(select(ChangeEntry).where(ChangeEntry.row_id == c.id).order_by(ChangeEntry.seq)).all()
    assert [e.kind for e in log] == ["upsert", "upsert", "delete"]
    assert log[0].fields["display_name"] == {"base": None, "new": "Ana Lima"}
    assert log[0].fields["status"] == {"base": None, "new": "active"}  # defaults are in the outbox too
    assert log[1].fields == {"display_name": {"base": "Ana Lima", "new": "Ana Lima Souza"}}
    assert all(e.row_id == c.id and e.actor == "alice" and e.status == "pending" for e in log)
    assert len({e.op_id for e in log}) == 3


def test_history_rows_are_append_ops_and_cannot_be_edited(db):
    with db.unit("alice") as uow:
        c = Client(display_name="Bo Chen")
        uow.session.add(c)
        uow.session.flush()
        i = Interaction(client_id=c.id, occurred_at=datetime.now(UTC), channel="phone", notes="called")
        uow.session.add(i)
    with db.reading() as s:
        assert s.scalar(select(ChangeEntry.kind).where(ChangeEntry.row_id == i.id)) == "append"
    with pytest.raises(ValueError, match="cannot be edited"), db.unit("alice") as uow:
        uow.session.get(Interaction, i.id).notes = "rewritten"
    with db.reading() as s:
        assert s.get(Interaction, i.id).notes == "called"


def counts(db) -> tuple[int, int, int]:
    with db.reading() as s:
        return tuple(s.scalar(select(func.count()).select_from(m)) for m in (Client, ChangeEntry, AuditEntry))


def test_a_failed_unit_leaves_nothing_behind(db):
    before = counts(db)
    with pytest.raises(RuntimeError), db.unit("alice") as uow:
        uow.session.add(Client(display_name="Half Written"))
        uow.session.flush()
        raise RuntimeError("crash mid-edit")
    assert before == (0, 1, 0)  # the profile's own user row is already in the outbox
    assert counts(db) == before


def test_changes_to_a_client_are_audited_and_the_chain_verifies(db):
    with db.unit("alice") as uow:
        c = Client(display_name="Chidi Okafor")
        uow.session.add(c)
    with db.unit("bob") as uow:
        uow.viewed("clients", c.id, c.id)
    with db.reading() as s:
        entries = s.scalars(select(AuditEntry).order_by(AuditEntry.seq)).all()
        assert [(e.actor, e.action, e.client_id) for e in entries] == [("alice", "create", c.id), ("bob", "view", c.id)]
        assert verify(s).ok


@pytest.mark.parametrize("tamper", [
    "UPDATE audit_log SET actor = 'mallory' WHERE seq = 2",
    "DELETE FROM audit_log WHERE seq = 2",
    "UPDATE audit_log SET detail = 'x', hash = hash WHERE seq = 1",
])
def test_any_tampering_with_the_audit_trail_is_detected(db, tamper):
    for name in ("A", "B", "C"):
        with db.unit("alice") as uow:
            uow.session.add(Client(display_name=name))
    with db.engine.begin() as conn:
        conn.exec_driver_sql(tamper)
    with db.reading() as s:
        report = verify(s)
    assert not report.ok
    assert report.first_bad_seq in (1, 2, 3)
