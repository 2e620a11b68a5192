"""Letters to the client about a case: the data for app.reports.letters, and writing them to disk.

Writing a delay notice records a `delay_notice` event with its reasons; where the regime has an
extended final-response clock for the case's type (FCA payment services), that notice is the holding
reply that switches the extended clock on. Other letters record a `letter` event.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from app.domain.complaints import Clock, regime
from app.reports.branding import Branding, load_branding
from app.reports.document import write_pdf_atomic
from app.reports.letters import DisputeBody, LetterData, LetterKind, RemedyLine, render_letter
from app.store.models import Client, ClientAddress, Compensation, User

from ._common import deadlines_of, local_day, setting, utcnow, zone
from .read import AGREED, load_case

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from app.store.models import Complaint

    from .service import ComplaintService

# What a client must be told about the time limit for taking the complaint further. Kept with the
# letters until the regimes carry it (app.domain.complaints.regimes is the natural home).
TIME_LIMITS = {
    "asic": "You generally have two years from the date of this final response to lodge your complaint with "
            "AFCA; other time limits may apply, and AFCA can tell you about them.",
    "fca": "You must refer your complaint to the Financial Ombudsman Service within six months of the date of "
           "this letter. If you do not, the Ombudsman will not have our permission to consider your complaint "
           "and will only be able to do so in very limited circumstances, for example if it believes that the "
           "delay was the result of exceptional circumstances.",
}

REMEDY_LABELS = {"goodwill": "Goodwill payment", "redress": "Redress", "refund": "Refund",
                 "fee_waiver": "Fees waived"}


def _kind(kind: str) -> LetterKind:
    try:
        return LetterKind(kind)
    except ValueError:
        raise ValueError(f"'{kind}' is not a letter we write; choose "
                         f"{', '.join(k.value for k in LetterKind)}.") from None


def _address(s: Session, client_id: str) -> tuple[str, ...]:
    rows = list(s.scalars(select(ClientAddress).where(ClientAddress.client_id == client_id,
                                                      ClientAddress.deleted.is_(False))
                          .order_by(ClientAddress.is_primary.desc(), ClientAddress.created_at)))
    if not rows:
        return ()
    a = rows[0]
    place = " ".join(p for p in (a.city, a.region, a.postcode) if p)
    return tuple(p for p in (a.line1, a.line2, place) if p)


def _extension_due(k: Complaint) -> datetime | None:
    extended = deadlines_of(k).get(Clock.EXTENDED_FINAL_RESPONSE)
    return extended.due if extended else None


def _data(s: Session, k: Complaint, kind: LetterKind, *, reasons: str, expected_by: date | None,
          outcome: str | None, response: str, now: datetime) -> LetterData:
    client = s.get(Client, k.client_id)
    if client is None:
        raise LookupError("The client of this complaint no longer exists.")
    handler = s.get(User, k.owner_id) if k.owner_id else None
    reg = regime(k.regime)
    body = reg.external_body
    final = k.final_due_at
    if kind is LetterKind.DELAY_NOTICE:
        if k.state == "closed":
            raise ValueError(f"Case {k.reference} is closed; a delay notice is for a case still being worked on.")
        if not reasons.strip():
            raise ValueError("Give the reasons for the delay; the client must be told why.")
        extended = _extension_due(k)
        if expected_by is None and extended is not None:
            expected_by = local_day(extended, k.received_tz)
        if expected_by is not None and expected_by < local_day(now, k.received_tz):
            raise ValueError("The date we now expect to respond by is already past; choose a later one.")
        final = deadlines_of(k).get(Clock.FINAL_RESPONSE).due
    remedies: tuple[RemedyLine, ...] = ()
    if kind is LetterKind.FINAL_RESPONSE:
        outcome = outcome or k.outcome
        if outcome not in ("upheld", "partly_upheld", "not_upheld"):
            raise ValueError("Choose the outcome (upheld, partly upheld or not upheld) for the final response.")
        if not response.strip():
            raise ValueError("Write what we found and why we decided as we did; the final response must explain it.")
        remedies = tuple(RemedyLine(REMEDY_LABELS.get(c.kind, c.kind.replace("_", " ").capitalize())
                                    + (f": {c.note}" if c.note else ""), c.amount, c.currency)
                         for c in s.scalars(select(Compensation).where(
                             Compensation.complaint_id == k.id, Compensation.status.in_(AGREED),
                             Compensation.deleted.is_(False)).order_by(Compensation.proposed_at)))
    return LetterData(
        kind=kind, organisation=setting(s, "org.name"), reference=k.reference,
        letter_date=now.astimezone(zone(k.received_tz)).date(), client_name=client.display_name,
        salutation=f"Dear {client.display_name}" if client.kind == "person" else "Dear Sir or Madam",
        address_lines=_address(s, client.id), received_on=local_day(k.received_at, k.received_tz),
        summary=k.description, handler_name=handler.display_name if handler else "Complaints team",
        handler_contact=(handler.email or "") if handler else "",
        final_due_on=local_day(final, k.received_tz) if final else None,
        dispute_body=DisputeBody(body.name, body.short_name, body.website, body.phone, body.email,
                                 body.postal_address, TIME_LIMITS.get(reg.code, "")),
        reasons=reasons.strip(), expected_by=expected_by, outcome=outcome, response=response.strip(),
        remedies=remedies)


def _branding(svc: ComplaintService, organisation: str, branding: Branding | None) -> Branding:
    if branding is not None:
        return branding
    return replace(load_branding(svc.db.path.parent), organisation=organisation)


def letter_pdf(svc: ComplaintService, case_id: str, kind: str, *, reasons: str = "", expected_by: date | None = None,
               outcome: str | None = None, response: str = "", branding: Branding | None = None,
               now: datetime | None = None) -> bytes:
    """The letter as PDF bytes, for a preview; nothing is recorded."""
    now = now or utcnow()
    with svc.db.reading() as s:
        data = _data(s, load_case(s, case_id), _kind(kind), reasons=reasons, expected_by=expected_by,
                     outcome=outcome, response=response, now=now)
    return render_letter(data, _branding(svc, data.organisation, branding))


def write_letter(svc: ComplaintService, case_id: str, kind: str, path: Path, *, reasons: str = "",
                 expected_by: date | None = None, outcome: str | None = None, response: str = "",
                 password: str | None = None, branding: Branding | None = None,
                 now: datetime | None = None) -> Path:
    """Write the letter atomically (0600, optionally AES-256) and record it on the case."""
    now = now or utcnow()
    letter = _kind(kind)
    with svc.db.reading() as s:
        k = load_case(s, case_id)
        data = _data(s, k, letter, reasons=reasons, expected_by=expected_by, outcome=outcome, response=response,
                     now=now)
    pdf = render_letter(data, _branding(svc, data.organisation, branding))
    written = write_pdf_atomic(path, pdf, password)
    with svc.db.unit(svc.actor) as uow:
        s = uow.session
        k = load_case(s, case_id)
        me = svc._me(s)
        if letter is LetterKind.DELAY_NOTICE:
            extended = _extension_due(k)
            if extended is not None:
                k.final_due_at = extended  # the holding reply starts the extended clock
            svc._event(s, k, "delay_notice", now, me, note=data.reasons, data={
                "extension": extended is not None, "file": written.name,
                "expected_by": data.expected_by.isoformat() if data.expected_by else None})
        else:
            svc._event(s, k, "letter", now, me, data={"letter": letter.value, "file": written.name,
                                                       "outcome": data.outcome})
        uow.record("export", "complaints", k.id, k.client_id, f"{letter.value} letter {written.name}")
    return written
