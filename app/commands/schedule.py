"""`rmdesk schedule ...`: export the diary as iCalendar, and show the agenda (for support)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from app.cli import CliError, command, open_workstation

MAX_DAYS = 366


def _days(value: int) -> int:
    if not 1 <= value <= MAX_DAYS:
        raise CliError(f"--days must be between 1 and {MAX_DAYS}.")
    return value


def add_parsers(sub: argparse._SubParsersAction, with_pass: Callable[[argparse.ArgumentParser], None]) -> None:
    sc = sub.add_parser("schedule", help="the contact schedule: export to a calendar, show the agenda")
    sc_sub = sc.add_subparsers(dest="schedule_command", required=True, metavar="export|agenda")
    ex = sc_sub.add_parser("export", help="write the planned contacts as an iCalendar (.ics) file with alarms")
    ex.add_argument("-o", "--output", required=True, metavar="FILE.ics", help="the .ics file to write")
    ex.add_argument("--days", type=int, default=30, help="how many days from today (default 30)")
    ex.add_argument("--redact", action="store_true",
                    help="leave client names, purposes and places out of the file")
    ex.add_argument("--alarm", type=int, default=15, metavar="MINUTES",
                    help="reminder this many minutes before each contact (default 15)")
    with_pass(ex)
    ag = sc_sub.add_parser("agenda", help="contacts, tasks and referrals due from today")
    ag.add_argument("--days", type=int, default=7, help="how many days from today (default 7)")
    with_pass(ag)


@command("schedule")
def _schedule(args: argparse.Namespace) -> int:
    _days(args.days)  # checked before the profile is opened (and before the passphrase is read)
    if args.schedule_command == "export":
        return _export(args)
    return _agenda(args)


def _export(args: argparse.Namespace) -> int:
    target = Path(args.output)
    if target.is_dir():
        raise CliError(f"{target} is a folder; give the name of the .ics file to write.")
    if not target.parent.exists() and str(target.parent):
        raise CliError(f"The folder {target.parent} does not exist.")
    ws = open_workstation(args)
    try:
        count = ws.schedule.write_ics(target, args.days, redact=args.redact, alarm_minutes=args.alarm)
    finally:
        ws.lock()
    print(f"Wrote {count} contact{'s' if count != 1 else ''} for the next {args.days} days to {target}")
    return 0


def _agenda(args: argparse.Namespace) -> int:
    ws = open_workstation(args)
    try:
        service = ws.schedule
        today = service.today()
        items = service.agenda(today, today + timedelta(days=args.days - 1))
    finally:
        ws.lock()
    for item in items:
        when = item.start.strftime("%H:%M") if item.start else "--:--"
        flag = "OVERDUE" if item.overdue else ("" if item.status in ("planned", "open") else item.status)
        print(f"{item.day:%a %d %b}  {when}  {item.kind:<8} {(item.title or '')[:48]:<48} {flag}".rstrip())
    print(f"({len(items)} item{'s' if len(items) != 1 else ''} from {today:%d %b %Y})", file=sys.stderr)
    return 0
