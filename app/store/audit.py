"""The audit chain: append-only, each entry hashing its content and its predecessor's hash."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from .models import AuditEntry, utcnow

GENESIS = "0" * 64


def entry_hash(prev_hash: str, at: datetime, actor: str, action: str, entity: str,
               entity_id: str | None, client_id: str | None, detail: str | None) -> str:
    payload = json.dumps(
        [prev_hash, at.isoformat(timespec="microseconds"), actor, action, entity, entity_id, client_id, detail],
        ensure_ascii=False, separators=(",", ":"),
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class AuditChain:
    """Appends to the chain inside the caller's transaction (so an audit entry commits with its change)."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self._last: str | None = None

    def _tip(self) -> str:
        if self._last is None:
            # pending entries of this session come first; they are not yet flushed
            self._last = self.session.scalar(
                select(AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
            ) or GENESIS
        return self._last

    def append(self, actor: str, action: str, entity: str, entity_id: str | None = None,
               client_id: str | None = None, detail: str | None = None) -> AuditEntry:
        at = utcnow()
        prev = self._tip()
        h = entry_hash(prev, at.replace(tzinfo=None), actor, action, entity, entity_id, client_id, detail)
        row = AuditEntry(at=at, actor=actor, action=action, entity=entity, entity_id=entity_id,
                         client_id=client_id, detail=detail, prev_hash=prev, hash=h)
        self.session.add(row)
        self._last = h
        return row


@dataclass(frozen=True)
class AuditReport:
    entries: int
    ok: bool
    first_bad_seq: int | None = None
    problem: str | None = None


def verify(session: Session, batch: int = 5000) -> AuditReport:
    """Walk the whole chain; any edited, deleted, inserted or reordered entry breaks it."""
    prev, count, last_seq = GENESIS, 0, 0
    while True:
        rows = session.execute(
            select(AuditEntry).where(AuditEntry.seq > last_seq).order_by(AuditEntry.seq).limit(batch)
        ).scalars().all()
        if not rows:
            return AuditReport(entries=count, ok=True)
        for r in rows:
            if r.prev_hash != prev:
                return AuditReport(count, False, r.seq, "an entry before this one was removed or altered")
            expected = entry_hash(prev, r.at.replace(tzinfo=None), r.actor, r.action, r.entity,
                                  r.entity_id, r.client_id, r.detail)
            if expected != r.hash:
                return AuditReport(count, False, r.seq, "this entry was altered after it was written")
            prev, last_seq, count = r.hash, r.seq, count + 1
        session.expunge_all()
