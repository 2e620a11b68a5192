"""`rmdesk report ...`: client review packs, management reports and batch printing (see app/cli.py).

    rmdesk report review-pack --client ID -o FILE.pdf [--sections a,b,c] [--pdf-password-file FILE]
    rmdesk report portfolio|exceptions|complaints|feedback -o FILE.pdf [--rm USER] [--from D] [--to D]
    rmdesk report batch --tomorrow|--clients ID,ID -o DIR [--sections ...] [--workers N]
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

from app.cli import CliError, _progress, command, open_workstation

MANAGEMENT = {
    "portfolio": "portfolio against targets, product demand by segment, staff activity",
    "exceptions": "overdue contacts, complaint deadlines at risk or breached, data quality",
    "complaints": "complaints by category (or product, or state), past deadline, open cases",
    "feedback": "satisfaction trend by month and what clients said",
}


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date: use YYYY-MM-DD") from None


def _list(text: str) -> list[str]:
    return [x.strip() for x in text.split(",") if x.strip()]


def add_parsers(sub: argparse._SubParsersAction, with_pass: Callable[[argparse.ArgumentParser], None]) -> None:
    from app.reports.review_pack import SECTIONS

    rp = sub.add_parser("report", help="PDF reports: client review packs, management reports, batch printing")
    rsub = rp.add_subparsers(dest="report_command", required=True,
                             metavar="review-pack|portfolio|exceptions|complaints|feedback|batch")

    def pdf_options(p: argparse.ArgumentParser) -> None:
        p.add_argument("--pdf-password-file", type=Path, default=None, metavar="FILE",
                       help="encrypt the PDF (AES-256) with the password on the first line of FILE")
        with_pass(p)

    sections_help = f"comma-separated sections (default: all available): {','.join(SECTIONS)}"
    pk = rsub.add_parser("review-pack", help="one client's review pack")
    pk.add_argument("--client", required=True, metavar="ID", help="client id, as `rmdesk clients list` shows")
    pk.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
    pk.add_argument("--sections", type=_list, default=None, help=sections_help)
    pdf_options(pk)

    for kind, text in MANAGEMENT.items():
        mp = rsub.add_parser(kind, help=text)
        mp.add_argument("-o", "--output", required=True, type=Path, metavar="FILE.pdf")
        mp.add_argument("--rm", default=None, metavar="USER", help="only this user's book (username or id)")
        if kind != "exceptions":
            mp.add_argument("--from", dest="start", type=_day, default=None, metavar="YYYY-MM-DD",
                            help="period start (default: 12 months back, or the targets' period)")
            mp.add_argument("--to", dest="end", type=_day, default=None, metavar="YYYY-MM-DD",
                            help="period end (default: today)")
        if kind == "complaints":
            mp.add_argument("--by", choices=("category", "product", "state"), default="category")
        if kind == "exceptions":
            mp.add_argument("--limit", type=int, default=250, help="rows per kind of exception, most urgent first")
        pdf_options(mp)

    bp = rsub.add_parser("batch", help="review packs for tomorrow's meetings or a selection, in parallel")
    which = bp.add_mutually_exclusive_group(required=True)
    which.add_argument("--tomorrow", action="store_true", help="the clients with a meeting planned tomorrow")
    which.add_argument("--clients", type=_list, metavar="ID,ID", help="these clients")
    bp.add_argument("-o", "--output", required=True, type=Path, metavar="DIR")
    bp.add_argument("--sections", type=_list, default=None, help=sections_help)
    bp.add_argument("--workers", type=int, default=None, help="parallel processes (default: one per CPU)")
    pdf_options(bp)


def _password(args: argparse.Namespace) -> str | None:
    path: Path | None = args.pdf_password_file
    if path is None:
        return None
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CliError(f"There is no password file {path}.") from None
    password = text.splitlines()[0] if text else ""
    if not password:
        raise CliError(f"The password file {path} is empty: put the PDF password on its first line.")
    return password


@command("report")
def _report(args: argparse.Namespace) -> int:
    password = _password(args)  # before unlocking: a bad password file fails fast
    if args.report_command == "batch" and not args.output.is_dir():
        raise CliError(f"The folder {args.output} does not exist.")
    ws = open_workstation(args)
    try:
        reports = ws.reports
        if args.report_command == "review-pack":
            path = reports.save_review_pack(args.client, args.output, args.sections, password)
            print(f"Review pack written: {path}")
            return 0
        if args.report_command == "batch":
            return _batch(reports, args, password)
        options: dict = {"rm": args.rm}
        if args.report_command == "exceptions":
            options["limit"] = args.limit
        else:
            options.update(start=args.start, end=args.end)
        if args.report_command == "complaints":
            options["group_by"] = args.by
        path = reports.save_management_report(args.report_command, args.output, password, **options)
        print(f"{args.report_command.title()} report written: {path}")
        return 0
    finally:
        ws.lock()


def _batch(reports, args: argparse.Namespace, password: str | None) -> int:
    from app.services.batch_print import print_review_packs

    ids = reports.tomorrows_meetings() if args.tomorrow else args.clients
    if not ids:
        print("No meetings are planned for tomorrow: nothing to print." if args.tomorrow
              else "No clients were given.")
        return 0
    if args.workers is not None and args.workers < 1:
        raise CliError("--workers must be at least 1.")
    result = print_review_packs(reports, ids, args.output, sections=args.sections, password=password,
                                progress=_progress("Review packs"), max_workers=args.workers)
    for f in result.failures:
        print(f"  {f.client_name or f.client_id}: {f.message}", file=sys.stderr)
    print(f"{result.describe()} Folder: {args.output}")
    return 1 if result.failures else 0
