"""The unit of work: one transaction, its change log entries and its audit entries, all or nothing.

Every synced row added, changed or deleted in a unit is written to the change log (the sync outbox)
in the same transaction, with the per-field base values the server needs to detect conflicts.
Every change to a client, or to a row that belongs to a client, is appended to the audit chain.
"""

from __future__ import annotations

import json
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from . import derived
from .audit import AuditChain
from .models import SYNC_COLUMNS, ChangeEntry, Client, Complaint, Interaction, new_id, utcnow


def plain(value: Any) -> Any:
    """A JSON-safe form of a column value for the change log."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _columns(obj) -> list[str]:
    return [a.key for a in inspect(obj).mapper.column_attrs if a.key not in SYNC_COLUMNS]


def _client_of(obj) -> str | None:
    if isinstance(obj, Client):
        return obj.id
    return getattr(obj, "client_id", None)


class UnitOfWork:
    """`with db.unit(actor) as uow: uow.session.add(...)` commits on success and rolls back on error."""

    def __init__(self, session: Session, actor: str) -> None:
        self.session = session
        self.actor = actor
        self.audit = AuditChain(session)
        self.touched_clients: set[str] = set()
        self.to_index: dict[str, dict[str, tuple]] = {"interaction": {}, "complaint": {}}
        self.session.info["uow"] = self

    def __enter__(self) -> UnitOfWork:
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        try:
            if exc_type is None:
                self.session.flush()
                self._refresh_derived()
                self.session.commit()
            else:
                self.session.rollback()
        finally:
            self.session.close()

    def viewed(self, entity: str, entity_id: str, client_id: str | None = None, detail: str | None = None) -> None:
        self.audit.append(self.actor, "view", entity, entity_id, client_id, detail)

    def record(self, action: str, entity: str, entity_id: str | None = None,
               client_id: str | None = None, detail: str | None = None) -> None:
        self.audit.append(self.actor, action, entity, entity_id, client_id, detail)

    def _refresh_derived(self) -> None:
        if not (self.touched_clients or any(self.to_index.values())):
            return
        conn = self.session.connection()
        derived.index_rows(conn, "interaction", self.to_index["interaction"].values())
        derived.index_rows(conn, "complaint", self.to_index["complaint"].values(), replace=True)
        derived.refresh_summaries(conn, self.touched_clients)
        derived.reindex_clients(conn, self.touched_clients)

    def _note_derived(self, obj, *, new: bool = False) -> None:
        client_id = _client_of(obj)
        if client_id:
            self.touched_clients.add(client_id)
        if isinstance(obj, Interaction):
            if new and obj.notes:  # insert-only: indexed once, when written
                self.to_index["interaction"][obj.id] = (obj.id, obj.client_id, obj.subject, obj.notes)
        elif isinstance(obj, Complaint):
            self.to_index["complaint"][obj.id] = (obj.id, obj.client_id, obj.reference, obj.description)

    # -- change capture -------------------------------------------------------------------------
    def _capture(self, session: Session) -> None:
        for obj in list(session.new):
            if getattr(obj, "__synced__", False):
                self._log(obj, "append" if obj.__history__ else "upsert", self._new_fields(obj))
                self._audit_change(obj, "create")
                self._note_derived(obj, new=True)
        for obj in list(session.dirty):
            if not getattr(obj, "__synced__", False) or not session.is_modified(obj, include_collections=False):
                continue
            fields = self._changed_fields(obj)
            if not fields:
                continue
            if obj.__history__:
                raise ValueError(f"{type(obj).__name__} rows are a record of what happened and cannot be edited")
            kind = "delete" if fields.get("deleted", {}).get("new") is True else "upsert"
            self._log(obj, kind, fields)
            self._audit_change(obj, "delete" if kind == "delete" else "update", sorted(fields))
            self._note_derived(obj)
        for obj in list(session.deleted):
            if getattr(obj, "__synced__", False):
                self._log(obj, "delete", {})
                self._audit_change(obj, "delete")
                self._note_derived(obj)

    def _new_fields(self, obj) -> dict[str, Any]:
        # Python-side defaults are applied at INSERT, after this hook; apply them now so the outbox
        # carries the values the row will really have.
        for attr in inspect(obj).mapper.column_attrs:
            default = attr.columns[0].default
            if default is not None and getattr(obj, attr.key) is None:
                value = default.arg(None) if default.is_callable else default.arg
                setattr(obj, attr.key, value)
        return {k: {"base": None, "new": plain(getattr(obj, k))} for k in _columns(obj)}

    def _changed_fields(self, obj) -> dict[str, Any]:
        state = inspect(obj)
        out: dict[str, Any] = {}
        for key in [*_columns(obj), "deleted"]:
            hist = state.attrs[key].history
            if hist.added or hist.deleted:
                base = hist.deleted[0] if hist.deleted else None
                new = hist.added[0] if hist.added else None
                if base != new:
                    out[key] = {"base": plain(base), "new": plain(new)}
        return out

    def _log(self, obj, kind: str, fields: dict[str, Any]) -> None:
        self.session.add(
            ChangeEntry(
                op_id=new_id(), entity=type(obj).__tablename__, row_id=obj.id,
                scope_id=obj.scope_id or "local", kind=kind, base_row_version=obj.row_version or 0,
                fields=json.loads(json.dumps(fields, default=str)), actor=self.actor, created_at=utcnow(),
            )
        )

    def _audit_change(self, obj, action: str, fields: list[str] | None = None) -> None:
        client_id = _client_of(obj)
        if client_id is None:
            return
        detail = ",".join(f for f in fields if f not in {"updated_at"}) if fields else None
        self.audit.append(self.actor, action, type(obj).__tablename__, obj.id, client_id, detail)


@event.listens_for(Session, "before_flush")
def _before_flush(session: Session, flush_context, instances) -> None:
    uow = session.info.get("uow")
    if uow is not None:
        uow._capture(session)
