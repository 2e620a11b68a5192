"""`rmdesk complaints ...`: record a complaint, show a case with its clocks, list open cases, write the register.

    rmdesk complaints add --client ID --received 2026-04-03T17:45+10:00 --type standard --channel phone \
        --description "Charged twice" [--regime asic|fca] [--region AU-NSW] [--timezone Australia/Sydney]
    rmdesk complaints show C-2026-000001 --format json|table
    rmdesk complaints list [--breached] [--limit N] [--format json|table]
    rmdesk complaints register -o register.csv [--from 2026-01-01 --to 2026-03-31]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from app.cli import CliError, command, open_workstation

CHANNEL_HELP = "phone, email, face_to_face, video, letter, sms, web or social_media"
TYPES = ("standard", "hardship", "superannuation", "payment_services")


def add_parsers(sub: argparse._SubParsersAction, with_pass: Callable[[argparse.ArgumentParser], None]) -> None:
    cp = sub.add_parser("complaints", help="complaint cases: add, show, list, register")
    cs = cp.add_subparsers(dest="complaints_command", required=True, metavar="add|show|list|register")

    add = cs.add_parser("add", help="record a complaint and print its reference and deadlines")
    add.add_argument("--client", required=True, help="client id")
    add.add_argument("--received", required=True, metavar="ISO-DATETIME",
                     help="when it was received, with its offset, e.g. 2026-04-03T17:45+10:00")
    add.add_argument("--type", dest="complaint_type", default="standard", metavar="TYPE",
                     help=f"{', '.join(TYPES)} (default standard)")
    add.add_argument("--channel", default="phone", help=f"{CHANNEL_HELP} (default phone)")
    add.add_argument("--description", required=True, help="the complaint in the client's words")
    add.add_argument("--regime", default=None, metavar="asic|fca", help="default: the organisation's setting")
    add.add_argument("--region", default=None, metavar="CODE", help="holiday region (ISO 3166-2), e.g. AU-NSW, GB-ENG")
    add.add_argument("--timezone", default=None, metavar="ZONE", help="zone the clocks run in, e.g. Australia/Sydney")
    add.add_argument("--products", default="", help="comma-separated products")
    add.add_argument("--categories", default="", help="comma-separated issue categories")
    add.add_argument("--severity", default="medium", help="low, medium or high")
    add.add_argument("--remedy", default="", help="what the client asks for")
    add.add_argument("--written-response", action="store_true", help="the client asked for a written response")
    add.add_argument("--format", choices=("table", "json"), default="table")
    with_pass(add)

    show = cs.add_parser("show", help="a case with its state, events and every deadline")
    show.add_argument("id", help="case id or reference (C-2026-000123)")
    show.add_argument("--format", choices=("table", "json"), default="table")
    with_pass(show)

    ls = cs.add_parser("list", help="open cases, most urgent first")
    ls.add_argument("--breached", action="store_true", help="only cases past a deadline")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--format", choices=("table", "json"), default="table")
    with_pass(ls)

    reg = cs.add_parser("register", help="write the complaints register as CSV")
    reg.add_argument("-o", "--output", required=True, metavar="FILE.csv")
    reg.add_argument("--from", dest="start", default=None, metavar="DATE", help="received on or after (YYYY-MM-DD)")
    reg.add_argument("--to", dest="end", default=None, metavar="DATE", help="received on or before (YYYY-MM-DD)")
    with_pass(reg)


# -- parsing and formatting -----------------------------------------------------------------------------------


def _aware(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"--received '{text}' is not an ISO date and time such as 2026-04-03T17:45+10:00.") from None
    if value.tzinfo is None:
        raise CliError(f"--received '{text}' has no time zone; add its offset, e.g. 2026-04-03T17:45+10:00.")
    return value


def _day(text: str | None, option: str) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise CliError(f"{option} '{text}' is not a date such as 2026-03-31.") from None


def _items(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


def _local(moment: datetime | None, tz: str) -> datetime | None:
    return None if moment is None else moment.astimezone(ZoneInfo(tz))


def _iso(moment: datetime | None, tz: str) -> str | None:
    local = _local(moment, tz)
    return None if local is None else local.isoformat()


def _human(moment: datetime | None, tz: str) -> str:
    local = _local(moment, tz)
    if local is None:
        return "-"
    return f"{local:%a} {local.day} {local:%b %Y %H:%M} {local.tzname()}"


def _left(delta: timedelta | None) -> str:
    if delta is None:
        return "-"
    sign, delta = ("overdue by ", -delta) if delta < timedelta(0) else ("", delta)
    days, rest = divmod(int(delta.total_seconds()), 86400)
    hours = rest // 3600
    return f"{sign}{days}d {hours}h" if days else f"{sign}{hours}h {rest % 3600 // 60}m"


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, default=str)


def _case_dict(v) -> dict[str, Any]:
    tz = v.received_tz
    clock = v.clock
    nxt = clock.next_deadline
    return {
        "id": v.id, "reference": v.reference,
        "client": {"id": v.client_id, "name": v.client_name, "type": v.client_kind},
        "state": v.state, "state_label": v.state_label, "outcome": v.outcome,
        "complaint_type": v.complaint_type, "channel": v.channel, "severity": v.severity,
        "regime": v.regime, "regime_name": v.regime_name, "region": v.region, "timezone": tz,
        "description": v.description, "products": list(v.products), "categories": list(v.categories),
        "remedy_sought": v.remedy_sought, "written_response_requested": v.written_response_requested,
        "taken_by": v.taken_by, "owner": v.owner, "escalated_to": v.escalated_to,
        "received_at": _iso(v.received_at, tz), "acknowledged_at": _iso(v.acknowledged_at, tz),
        "response_issued_at": _iso(v.response_issued_at, tz), "closed_at": _iso(v.closed_at, tz),
        "extension_invoked": v.extension_invoked,
        "deadlines": [{"clock": d.clock, "label": d.label, "due": _iso(d.due, tz), "warn_at": _iso(d.warn_at, tz),
                       "binding": d.binding, "state": d.state, "met_at": _iso(d.met_at, tz)} for d in v.deadlines],
        "clock": {"state": clock.state.value, "next": nxt.clock.value if nxt else None,
                  "next_due": _iso(nxt.due, tz) if nxt else None,
                  "seconds_left": int(clock.time_left.total_seconds()) if clock.time_left is not None else None,
                  "missed": [c.value for c in clock.missed], "letter_needed": clock.letter.value,
                  "delay_notice_due": clock.delay_notice_due},
        "allowed_actions": [a.value for a in v.allowed_actions],
        "events": [{"at": _iso(e.at, tz), "kind": e.kind, "from": e.from_state, "to": e.to_state,
                    "actor": e.actor, "note": e.note,
                    "data": {k: val for k, val in e.data.items() if k != "actor"}} for e in v.events],
        "compensation_total": str(v.compensation_total),
        "compensations": [{"id": c.id, "amount": str(c.amount), "currency": c.currency, "kind": c.kind,
                           "status": c.status, "proposed_by": c.proposed_by, "approved_by": c.approved_by}
                          for c in v.compensations],
        "referrals": [{"id": r.id, "department": r.department, "owner": r.owner_name, "status": r.status,
                       "due_on": r.due_on.isoformat() if r.due_on else None, "overdue": r.overdue}
                      for r in v.referrals],
        "root_causes": [c.code for c in v.root_causes],
        "satisfaction": None if v.satisfaction is None else {"score": v.satisfaction.score,
                                                             "comment": v.satisfaction.comment},
        "external_body": v.external_body.name,
    }


def _print_deadlines(v) -> None:
    for d in v.deadlines:
        kind = "" if d.binding else "  (window)"
        print(f"  {d.label:<25} {_human(d.due, v.received_tz):<28} {d.state}{kind}")


def _print_case(v) -> None:
    tz = v.received_tz
    print(f"{v.reference}  {v.client_name}  [{v.state_label}{' - ' + v.outcome if v.outcome else ''}]")
    print(f"  id {v.id}")
    print(f"  {v.regime_name}, {v.complaint_type.replace('_', ' ')}, region {v.region}, clocks in {tz}")
    print(f"  received {_human(v.received_at, tz)} by {v.channel.replace('_', ' ')}")
    nxt = v.clock.next_deadline
    if nxt is not None:
        print(f"  next: {nxt.clock.label} {_left(v.clock.time_left)} ({v.clock.state.value})")
    print("Deadlines")
    _print_deadlines(v)
    print("Events")
    for e in v.events:
        move = f" {e.from_state or ''} -> {e.to_state}" if e.to_state else ""
        note = f": {e.note}" if e.note else ""
        print(f"  {_human(e.at, tz):<28} {e.kind}{move} ({e.actor}){note}")


# -- the command ----------------------------------------------------------------------------------------------


@command("complaints")
def _complaints(args: argparse.Namespace) -> int:
    from app.services.complaints import ComplaintIntake

    sub = args.complaints_command
    received = _aware(args.received) if sub == "add" else None
    start, end = (_day(args.start, "--from"), _day(args.end, "--to")) if sub == "register" else (None, None)
    ws = open_workstation(args)
    try:
        svc = ws.complaints
        if sub == "add":
            v = svc.intake(ComplaintIntake(
                client_id=args.client, description=args.description, received_at=received, channel=args.channel,
                complaint_type=args.complaint_type, products=_items(args.products),
                categories=_items(args.categories), remedy_sought=args.remedy, severity=args.severity,
                written_response_requested=args.written_response, regime=args.regime, region=args.region,
                timezone=args.timezone))
            if args.format == "json":
                print(_json(_case_dict(v)))
            else:
                print(f"Recorded complaint {v.reference} for {v.client_name}")
                print(f"  id {v.id}")
                print(f"  {v.regime_name}, region {v.region}, clocks in {v.received_tz}")
                _print_deadlines(v)
        elif sub == "show":
            v = svc.case(args.id)
            if args.format == "json":
                print(_json(_case_dict(v)))
            else:
                _print_case(v)
        elif sub == "list":
            rows = svc.breaches() if args.breached else list(svc.open_cases(limit=max(args.limit, 0)).rows)
            rows = rows[:max(args.limit, 0)]
            if args.format == "json":
                print(_json([{"id": r.id, "reference": r.reference, "client": r.client_name, "state": r.state,
                              "clock": r.clock.state.value,
                              "next": r.clock.next_deadline.clock.value if r.clock.next_deadline else None,
                              "seconds_left": int(r.time_left.total_seconds()) if r.time_left is not None else None}
                             for r in rows]))
            else:
                for r in rows:
                    nxt = r.clock.next_deadline
                    print(f"{r.reference:<15} {r.client_name[:28]:<28} {r.state_label:<25} "
                          f"{r.clock.state.value:<9} {nxt.clock.label if nxt else '-':<18} {_left(r.time_left)}")
                print(f"({len(rows)} case{'s' if len(rows) != 1 else ''})", file=sys.stderr)
        else:
            n = svc.write_register(Path(args.output), start, end)
            print(f"Wrote {n} complaint{'s' if n != 1 else ''} to {args.output}")
    finally:
        ws.lock()
    return 0
