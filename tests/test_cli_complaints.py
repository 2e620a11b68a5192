"""`rmdesk complaints add / show / list / register` through app.cli.main, and their one-line errors."""

from __future__ import annotations

import csv
import json

import pytest

from tests.cli_support import (
    add_client,
    fast_cli_kdf,  # noqa: F401 - an autouse fixture
    init_profile,
    run,
)


@pytest.fixture
def home(tmp_path, monkeypatch, capsys):
    """A passphrase profile made by `rmdesk init`, with one client; yields (profile path, client id)."""
    path = tmp_path / "p"
    ws = init_profile(monkeypatch, capsys, path)
    client_id = add_client(ws, "Zoë Ångström")
    ws.lock()
    return str(path), client_id


def add(monkeypatch, capsys, home, *extra: str) -> tuple[int, str, str]:
    path, client = home
    return run(monkeypatch, capsys, "--profile", path, "complaints", "add", "--client", client,
               "--received", "2026-04-03T17:45+11:00", "--type", "standard", "--channel", "phone",
               "--description", "Charged twice", "--passphrase-stdin", *extra)


def test_add_prints_reference_id_and_deadlines(monkeypatch, capsys, home):
    code, out, err = add(monkeypatch, capsys, home, "--regime", "asic", "--region", "AU-NSW")
    assert code == 0, err
    assert "Recorded complaint C-2026-000001 for Zoë Ångström" in out
    assert "ASIC RG 271, region AU-NSW, clocks in Australia/Sydney" in out
    assert "Acknowledgement" in out and "Tue 7 Apr 2026 23:59 AEST" in out
    assert "Early resolution" in out and "Mon 13 Apr 2026 23:59 AEST" in out and "(window)" in out
    assert "Final response" in out and "Sun 3 May 2026 23:59 AEST" in out
    assert " id " in out


def test_add_fca_as_json_then_show_and_list(monkeypatch, capsys, home):
    path, _ = home
    code, out, err = add(monkeypatch, capsys, home, "--regime", "fca", "--region", "GB-ENG", "--timezone",
                         "Europe/London", "--format", "json", "--products", "Card, Current account")
    assert code == 0, err
    added = json.loads(out)
    assert added["regime"] == "fca" and added["products"] == ["Card", "Current account"]
    code, out, err = run(monkeypatch, capsys, "--profile", path, "complaints", "show", added["id"], "--format",
                         "json", "--passphrase-stdin")
    assert code == 0, err
    shown = json.loads(out)
    assert shown["reference"] == "C-2026-000001" and shown["state"] == "received"
    assert [d["clock"] for d in shown["deadlines"]] == ["summary_resolution", "final_response"]
    # 3 Apr 2026 07:45 in London is Good Friday: day zero rolls to Tue 7 Apr, so the 3rd business day is Fri 10 Apr
    assert shown["deadlines"][0]["due"] == "2026-04-10T23:59:59.999999+01:00"
    assert shown["deadlines"][1]["due"] == "2026-05-29T23:59:59.999999+01:00"
    assert [(e["kind"], e["to"]) for e in shown["events"]] == [("received", "received")]
    assert shown["clock"]["state"] in ("ok", "warning", "breached") and "acknowledge" in shown["allowed_actions"]
    code, out, _ = run(monkeypatch, capsys, "--profile", path, "complaints", "show", "C-2026-000001",
                       "--passphrase-stdin")
    assert code == 0 and "C-2026-000001  Zoë Ångström" in out and "Deadlines" in out and "Events" in out
    assert "received -> received" not in out and " -> received" in out
    code, out, _ = run(monkeypatch, capsys, "--profile", path, "complaints", "list", "--format", "json",
                       "--passphrase-stdin")
    assert code == 0 and [r["reference"] for r in json.loads(out)] == ["C-2026-000001"]


def test_register_writes_the_csv(monkeypatch, capsys, home, tmp_path):
    path, _ = home
    add(monkeypatch, capsys, home)
    target = tmp_path / "register.csv"
    code, out, err = run(monkeypatch, capsys, "--profile", path, "complaints", "register", "-o", str(target),
                         "--from", "2026-04-01", "--to", "2026-04-30", "--passphrase-stdin")
    assert code == 0, err
    assert out.strip() == f"Wrote 1 complaint to {target}"
    with target.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [(r["reference"], r["regime"], r["received"]) for r in rows] == [
        ("C-2026-000001", "asic", "2026-04-03T17:45:00+11:00")]
    code, out, _ = run(monkeypatch, capsys, "--profile", path, "complaints", "register", "-o", str(target),
                       "--from", "2026-05-01", "--passphrase-stdin")
    assert code == 0 and "Wrote 0 complaints" in out


@pytest.mark.parametrize(("argv", "message"), [
    (("add", "--client", "CLIENT", "--received", "2026-04-03T17:45", "--description", "x"), "no time zone"),
    (("add", "--client", "CLIENT", "--received", "yesterday", "--description", "x"), "not an ISO date"),
    (("add", "--client", "nobody", "--received", "2026-04-03T17:45+11:00", "--description", "x"),
     "Choose the client"),
    (("add", "--client", "CLIENT", "--received", "2026-04-03T17:45+11:00", "--description", "x",
      "--region", "AU-XX"), "not a holiday region"),
    (("add", "--client", "CLIENT", "--received", "2026-04-03T17:45+11:00", "--description", "x",
      "--regime", "sec", "--type", "odd"), "Unknown complaints regime"),
    (("show", "C-1999-000001"), "There is no complaint"),
    (("register", "-o", "OUT", "--from", "01/04/2026"), "not a date"),
    (("register", "-o", "OUT", "--from", "2026-04-30", "--to", "2026-04-01"), "before its start"),
    (("register", "-o", "/no/such/folder/r.csv"), "No such file"),
])
def test_errors_are_one_line_exit_2(monkeypatch, capsys, home, tmp_path, argv, message):
    path, client = home
    argv = tuple(client if a == "CLIENT" else str(tmp_path / "r.csv") if a == "OUT" else a for a in argv)
    code, out, err = run(monkeypatch, capsys, "--profile", path, "complaints", *argv, "--passphrase-stdin")
    assert code == 2 and message in err, err
    assert err.count("\n") == 1 and "Traceback" not in err and out == ""
