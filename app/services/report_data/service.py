"""Reports: the client review pack and the management reports, from the profile to PDF bytes or files.

Each call reads one snapshot (``db.reading()``) and returns plain report data or PDF bytes; files are
written atomically (0600, fsync, rename) and every export is recorded in the audit chain. Settings
(branch time zone, reporting currency, organisation name and branding) are read once per service.
"""

from __future__ import annotations

import contextlib
from collections.abc import Sequence
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import select

from app.reports import data as rd
from app.reports.branding import Branding
from app.reports.document import encrypt_pdf, write_pdf_atomic
from app.reports.management import (
    render_complaints_report,
    render_exceptions_report,
    render_feedback_report,
    render_portfolio_report,
)
from app.reports.review_pack import SECTIONS, available_sections, render_review_pack
from app.store.database import Database
from app.store.models import ScheduledContact, User

from . import labels as lb
from . import management as mg
from .context import ReportContext, resolve_branding
from .review import build_review_pack

MANAGEMENT_REPORTS = ("portfolio", "exceptions", "complaints", "feedback")


def check_sections(sections: Sequence[str] | None) -> list[str] | None:
    """The chosen review pack sections, or a ValueError naming the unknown ones and the valid ids."""
    if sections is None:
        return None
    chosen = [s.strip() for s in sections if s.strip()]
    unknown = [s for s in chosen if s not in SECTIONS]
    if unknown:
        raise ValueError(f"Unknown review pack section(s): {', '.join(unknown)}. "
                         f"Choose from: {', '.join(SECTIONS)}.")
    if not chosen:
        raise ValueError("Choose at least one review pack section.")
    return chosen


class ReportService:
    def __init__(self, db: Database, actor: str, *, profile_dir: Path | None = None,
                 context: ReportContext | None = None) -> None:
        self._db = db
        self._actor = actor
        self._profile_dir = Path(profile_dir) if profile_dir is not None else Path(db.path).parent
        self._ctx = context

    @property
    def database(self) -> Database:
        return self._db

    @property
    def actor(self) -> str:
        return self._actor

    # -- settings -------------------------------------------------------------------------------------
    @property
    def context(self) -> ReportContext:
        if self._ctx is None:
            from app.services.settings import SettingsService

            st = SettingsService(self._db, self._actor).all()
            with self._db.reading() as s:
                name = s.scalar(select(User.display_name).where(User.username == self._actor))
            branding, disclosures = resolve_branding(st["org.name"], self._profile_dir, st["org.branding"])
            self._ctx = ReportContext(st["org.timezone"], st["org.currency"], name or self._actor, branding,
                                      disclosures)
        return self._ctx

    @property
    def branding(self) -> Branding:
        return self.context.branding

    def today(self) -> date:
        return self.context.today()

    # -- review pack ----------------------------------------------------------------------------------
    def review_pack_data(self, client_id: str, *, today: date | None = None) -> rd.ReviewPackData:
        ctx = self.context
        with self._db.reading() as s:
            return build_review_pack(s, client_id, today or ctx.today(), ctx)

    def available_sections(self, client_id: str, *, today: date | None = None) -> list[str]:
        """The sections this client's data can fill (for the section chooser)."""
        return available_sections(self.review_pack_data(client_id, today=today))

    def render_review_pack(self, client_id: str, sections: Sequence[str] | None = None, *,
                           today: date | None = None) -> tuple[str, bytes]:
        """(client name, PDF bytes) without auditing: for callers that audit themselves (batch printing)."""
        chosen = check_sections(sections)
        data = self.review_pack_data(client_id, today=today)
        return data.client.name, render_review_pack(data, chosen, self.branding)

    def review_pack(self, client_id: str, sections: Sequence[str] | None = None, password: str | None = None,
                    *, today: date | None = None) -> bytes:
        """The pack as PDF bytes (AES-256 encrypted with ``password``); recorded as a view of the client."""
        _, pdf = self.render_review_pack(client_id, sections, today=today)
        with self._db.unit(self._actor) as uow:
            uow.viewed("clients", client_id, client_id, "review pack")
        return encrypt_pdf(pdf, password) if password else pdf

    def save_review_pack(self, client_id: str, path: Path | str, sections: Sequence[str] | None = None,
                         password: str | None = None, *, today: date | None = None) -> Path:
        _, pdf = self.render_review_pack(client_id, sections, today=today)
        detail = _detail(Path(path), password, sections)
        return self._export(Path(path), pdf, password, "review_pack", client_id, detail)

    # -- management reports ---------------------------------------------------------------------------
    def _period(self, today: date, start: date | None, end: date | None) -> mg.Period:
        end = end or today
        start = start or mg.Period.last_12_months(end).start
        if start > end:
            raise ValueError("The report period ends before it starts.")
        return mg.Period(start, end)

    def portfolio_data(self, *, today: date | None = None, start: date | None = None, end: date | None = None,
                       rm: str | None = None) -> rd.PortfolioReportData:
        ctx = self.context
        today = today or ctx.today()
        period = self._period(today, start, end) if (start or end) else None  # None: the targets' period
        with self._db.reading() as s:
            return mg.portfolio(s, ctx, today, period, mg.resolve_scope(s, rm))

    def exceptions_data(self, *, today: date | None = None, rm: str | None = None,
                        limit: int = mg.EXCEPTION_LIMIT) -> rd.ExceptionsReportData:
        ctx = self.context
        today = today or ctx.today()
        with self._db.reading() as s:
            return mg.exceptions(s, ctx, today, mg.resolve_scope(s, rm), limit)

    def complaints_data(self, *, today: date | None = None, start: date | None = None, end: date | None = None,
                        rm: str | None = None, group_by: str = "category") -> rd.ComplaintsReportData:
        ctx = self.context
        today = today or ctx.today()
        with self._db.reading() as s:
            return mg.complaints(s, ctx, today, self._period(today, start, end), mg.resolve_scope(s, rm), group_by)

    def feedback_data(self, *, today: date | None = None, start: date | None = None, end: date | None = None,
                      rm: str | None = None) -> rd.FeedbackReportData:
        ctx = self.context
        today = today or ctx.today()
        with self._db.reading() as s:
            return mg.feedback(s, ctx, today, self._period(today, start, end), mg.resolve_scope(s, rm))

    def management_report(self, kind: str, **options) -> bytes:
        """``kind`` is one of MANAGEMENT_REPORTS; options as for the matching ``*_data`` method."""
        if kind not in MANAGEMENT_REPORTS:
            raise ValueError(f"Unknown report {kind!r}: choose from {', '.join(MANAGEMENT_REPORTS)}.")
        data = getattr(self, f"{kind}_data")(**options)
        render = {"portfolio": render_portfolio_report, "exceptions": render_exceptions_report,
                  "complaints": render_complaints_report, "feedback": render_feedback_report}[kind]
        return render(data, self.branding)

    def save_management_report(self, kind: str, path: Path | str, password: str | None = None,
                               **options) -> Path:
        pdf = self.management_report(kind, **options)
        return self._export(Path(path), pdf, password, f"report_{kind}", None, _detail(Path(path), password))

    # -- batch ----------------------------------------------------------------------------------------
    def meetings_on(self, day: date) -> list[str]:
        """Clients with a planned contact on ``day`` (branch calendar), in the order of the agenda."""
        tz = self.context.tz
        with self._db.reading() as s:
            rows = s.execute(select(ScheduledContact.client_id).where(
                ScheduledContact.deleted.is_(False), ScheduledContact.status == "planned",
                ScheduledContact.due_at >= lb.day_start(day, tz),
                ScheduledContact.due_at < lb.day_start(day + timedelta(days=1), tz))
                .order_by(ScheduledContact.due_at)).all()
        return list(dict.fromkeys(r[0] for r in rows))

    def tomorrows_meetings(self) -> list[str]:
        return self.meetings_on(self.today() + timedelta(days=1))

    def with_context(self, **changes) -> ReportService:
        return ReportService(self._db, self._actor, profile_dir=self._profile_dir,
                             context=replace(self.context, **changes))

    # -- output ---------------------------------------------------------------------------------------
    def record_export(self, entity: str, client_id: str | None, detail: str) -> None:
        with self._db.unit(self._actor) as uow:
            uow.record("export", entity, client_id, client_id, detail)

    def _export(self, path: Path, pdf: bytes, password: str | None, entity: str, client_id: str | None,
                detail: str) -> Path:
        if path.is_dir():
            raise IsADirectoryError(f"{path} is a folder: give a file name ending in .pdf.")
        if not path.parent.is_dir():
            raise FileNotFoundError(f"The folder {path.parent} does not exist.")
        existed = path.exists()
        written = write_pdf_atomic(path, pdf, password)
        try:
            self.record_export(entity, client_id, detail)
        except BaseException:
            if not existed:  # an export the audit trail does not know of must not stay on disk
                with contextlib.suppress(OSError):
                    written.unlink()
            raise
        return written


def _detail(path: Path, password: str | None, sections: Sequence[str] | None = None) -> str:
    bits = [path.name]
    if sections:
        bits.append("sections=" + ",".join(sections))
    if password:
        bits.append("password-protected")
    return "; ".join(bits)
