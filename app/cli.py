"""The `rmdesk` command line: setup, support and automation. Without a command, the GUI starts
(see ui/launcher.py, the console-script entry point that delegates here)."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from app import __version__

Handler = Callable[[argparse.Namespace], int]
_COMMANDS: dict[str, Handler] = {}


class CliError(Exception):
    """A problem to report in one line, without a traceback."""


def command(name: str) -> Callable[[Handler], Handler]:
    def register(fn: Handler) -> Handler:
        _COMMANDS[name] = fn
        return fn

    return register


def read_passphrase(args: argparse.Namespace) -> str | None:
    if not getattr(args, "passphrase_stdin", False):
        return None
    line = sys.stdin.readline()
    if not line:
        raise CliError("--passphrase-stdin was given but nothing was read from standard input.")
    return line.rstrip("\r\n")


def open_workstation(args: argparse.Namespace):
    from app.services.workstation import open_profile

    return open_profile(read_passphrase(args), args.profile)


def _progress(label: str) -> Callable[[int, int], None]:
    def report(done: int, total: int) -> None:
        if sys.stderr.isatty() or done == total:
            print(f"\r{label}: {done:,}/{total:,}", end="\n" if done == total else "", file=sys.stderr, flush=True)

    return report


@command("init")
def _init(args: argparse.Namespace) -> int:
    from app.services.workstation import create_profile

    mode = "passphrase" if args.passphrase_stdin else "keyring"
    ws = create_profile(mode, read_passphrase(args), args.profile)
    print(f"Created a {mode} profile in {ws.profile.home}")
    ws.lock()
    return 0


@command("demo")
def _demo(args: argparse.Namespace) -> int:
    from app.services.demo import generate_demo_book

    ws = open_workstation(args)
    try:
        summary = generate_demo_book(ws.database, clients=args.clients, seed=args.seed,
                                     progress=_progress("Demo book"))
    finally:
        ws.lock()
    print(summary.describe())
    return 0


@command("backup")
def _backup(args: argparse.Namespace) -> int:
    ws = open_workstation(args)
    try:
        path = ws.backup(Path(args.file))
    finally:
        ws.lock()
    print(f"Backup written and verified: {path}")
    return 0


@command("restore")
def _restore(args: argparse.Namespace) -> int:
    passphrase = read_passphrase(args)
    from app.services.workstation import open_profile

    ws = open_profile(passphrase, args.profile)
    try:
        ws.restore(Path(args.file), passphrase)
    finally:
        ws.lock()
    print(f"Profile restored from {args.file}")
    return 0


@command("passphrase")
def _passphrase(args: argparse.Namespace) -> int:
    """Re-wrap the data key under a new passphrase (stdin: old passphrase, then the new one twice)."""
    from app.store.keys import PassphraseKeyStore
    from app.store.profile import Profile

    profile = Profile(args.profile)
    if profile.meta.key_mode != "passphrase":
        raise CliError("This profile keeps its key in the OS keyring; there is no passphrase to change.")
    old = read_passphrase(args) if args.passphrase_stdin else None
    if old is None:
        raise CliError("Give the passphrases on standard input with --passphrase-stdin: old, new, new again.")
    new, again = sys.stdin.readline().rstrip("\r\n"), sys.stdin.readline().rstrip("\r\n")
    if new != again:
        raise CliError("The two new passphrases differ; nothing was changed.")
    store = profile.keystore(old)
    assert isinstance(store, PassphraseKeyStore)
    store.change_passphrase(new)
    print("Passphrase changed. The data key is unchanged, so backups still restore.")
    return 0


@command("rotate-key")
def _rotate(args: argparse.Namespace) -> int:
    """Re-encrypt the whole database under a fresh data key (crash-safe; see Profile.rotate_key)."""
    from app.store.profile import Profile

    passphrase = read_passphrase(args)
    profile = Profile(args.profile)
    db = profile.open(passphrase)
    new_db = profile.rotate_key(db, profile.keystore(passphrase))
    with new_db.unit("cli") as uow:
        uow.record("rotate", "profile", detail="data key rotated")
    new_db.dispose()
    print("The database is now encrypted under a new data key. Backups made before today need the old key.")
    return 0


@command("audit")
def _audit(args: argparse.Namespace) -> int:
    from app.services.audit import verify_audit

    ws = open_workstation(args)
    try:
        report = verify_audit(ws.database)
    finally:
        ws.lock()
    if report.ok:
        print(f"Audit trail intact: {report.entries:,} entries verified.")
        return 0
    print(f"AUDIT TRAIL BROKEN at entry {report.first_bad_seq}: {report.problem} "
          f"({report.entries:,} entries verified before it).", file=sys.stderr)
    return 3


def _json_default(value):
    from dataclasses import asdict, is_dataclass
    from datetime import date, datetime
    from decimal import Decimal

    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if is_dataclass(value):
        return asdict(value)
    raise TypeError(type(value).__name__)


@command("clients")
def _clients(args: argparse.Namespace) -> int:
    import csv
    from dataclasses import asdict

    from app.services.portfolio import PortfolioQuery

    ws = open_workstation(args)
    try:
        if args.clients_command == "show":
            view = ws.clients.client_360(args.id)
            if args.format == "json":
                print(json.dumps(asdict(view), default=_json_default, ensure_ascii=False, indent=1))
            else:
                print(f"{view.display_name}  [{view.segment or '-'} / {view.loyalty_tier or '-'}]")
                for label, number, _ in view.phones:
                    print(f"  {label}: {number}")
                for label, address, _ in view.emails:
                    print(f"  {label}: {address}")
                print(f"  holdings: {len(view.holdings)}, open complaints: "
                      f"{sum(1 for c in view.complaints if c[2] != 'closed')}")
                from datetime import date as _date

                print("  " + view.acknowledgement.sentence(_date.today()))
            return 0
        q = PortfolioQuery(text=args.search or "", segment=args.segment, overdue_only=args.overdue)
        rows = list(ws.portfolio.rows(q, limit=args.limit))
    finally:
        ws.lock()
    if args.format == "json":
        print(json.dumps([asdict(r) for r in rows], default=_json_default, ensure_ascii=False, indent=1))
    elif args.format == "csv":
        w = csv.writer(sys.stdout)
        w.writerow(["client_id", "name", "segment", "tier", "aum", "revenue_12m", "products", "last_contact",
                    "next_contact", "overdue", "open_complaints", "satisfaction"])
        for r in rows:
            w.writerow([r.client_id, r.name, r.segment or "", r.tier or "", r.aum, r.revenue_12m, r.products,
                        r.last_contact.isoformat() if r.last_contact else "", r.next_contact or "",
                        "yes" if r.overdue else "no", r.open_complaints, r.satisfaction or ""])
    else:
        for r in rows:
            flag = "OVERDUE" if r.overdue else ""
            print(f"{r.client_id}  {r.name[:32]:<32} {r.segment or '-':<14} {r.aum:>16,.2f}  "
                  f"{r.next_contact or '':<10} {flag}")
        print(f"({len(rows)} client{'s' if len(rows) != 1 else ''})", file=sys.stderr)
    return 0


# Each area's commands live in their own module: `add_parsers(sub, with_pass)` adds its sub-parsers and
# its handlers register themselves with @command. Adding an area is one line here.
COMMAND_MODULES = ("app.commands.complaints", "app.commands.schedule", "app.commands.reports")


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="rmdesk", description="RM Desk: the relationship manager's workstation.")
    p.add_argument("--version", action="version", version=f"rmdesk {__version__}")
    p.add_argument("--profile", type=Path, default=None,
                   help="profile folder (default: $RMDESK_HOME or the platform's user data folder)")
    sub = p.add_subparsers(dest="command", metavar="COMMAND")

    def with_pass(sp: argparse.ArgumentParser, help_text: str = "read the profile passphrase from stdin") -> None:
        sp.add_argument("--passphrase-stdin", action="store_true", help=help_text)

    with_pass(sub.add_parser("init", help="create a new encrypted profile (OS keyring by default)"),
              "passphrase mode: read the new passphrase from standard input")
    demo = sub.add_parser("demo", help="fill the profile with a realistic, deterministic demo book")
    demo.add_argument("--clients", type=int, default=2000)
    demo.add_argument("--seed", type=int, default=1)
    with_pass(demo)
    bk = sub.add_parser("backup", help="write a verified, encrypted backup of the profile")
    bk.add_argument("file")
    with_pass(bk)
    rs = sub.add_parser("restore", help="replace the profile's data with a checked backup")
    rs.add_argument("file")
    with_pass(rs)
    with_pass(sub.add_parser("passphrase", help="change the profile passphrase (stdin: old, new, new again)"),
              "read the old passphrase, then the new one twice, from standard input")
    with_pass(sub.add_parser("rotate-key", help="re-encrypt the profile under a fresh data key"))
    cl = sub.add_parser("clients", help="list or show clients (for scripting and support)")
    cl_sub = cl.add_subparsers(dest="clients_command", required=True, metavar="list|show")
    ls = cl_sub.add_parser("list", help="the portfolio, filtered")
    ls.add_argument("--search", default=None)
    ls.add_argument("--segment", default=None)
    ls.add_argument("--overdue", action="store_true")
    ls.add_argument("--limit", type=int, default=100)
    ls.add_argument("--format", choices=("table", "csv", "json"), default="table")
    with_pass(ls)
    sh = cl_sub.add_parser("show", help="one client's 360 view")
    sh.add_argument("id")
    sh.add_argument("--format", choices=("table", "json"), default="table")
    with_pass(sh)
    au = sub.add_parser("audit", help="audit trail commands")
    au_sub = au.add_subparsers(dest="audit_command", required=True, metavar="verify")
    with_pass(au_sub.add_parser("verify", help="check the hash chain of the audit trail"))
    import importlib

    for name in COMMAND_MODULES:
        importlib.import_module(name).add_parsers(sub, with_pass)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return 0
    from app.store.errors import StoreError

    try:
        return _COMMANDS[args.command](args)
    except (CliError, StoreError, ValueError, LookupError, OSError) as exc:
        print(f"rmdesk: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("rmdesk: interrupted; nothing half-written was kept.", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
