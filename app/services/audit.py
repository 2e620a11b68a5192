"""Audit trail use cases."""

from __future__ import annotations

from app.store.audit import AuditReport, verify
from app.store.database import Database

__all__ = ["AuditReport", "verify_audit"]


def verify_audit(db: Database) -> AuditReport:
    with db.reading() as session:
        return verify(session)
