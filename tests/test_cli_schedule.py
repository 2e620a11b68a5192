"""`rmdesk schedule export` and `rmdesk schedule agenda`: the file parsed back, the table, one-line errors."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from icalendar import Calendar

from tests.cli_support import (
    PASS,
    add_client,
    fast_cli_kdf,  # noqa: F401 - an autouse fixture
    init_profile,
    run,
)


@pytest.fixture
def profile(tmp_path, monkeypatch, capsys):
    """A passphrase profile with one client, two meetings (in 2 and 40 days) and a task due tomorrow."""
    home = tmp_path / "p"
    ws = init_profile(monkeypatch, capsys, home)
    client_id = add_client(ws, "Zoë Client")
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(second=0, microsecond=0)
    ws.schedule.schedule_contact(client_id, soon, "annual_review_meeting", "Annual review", "Branch", 60)
    ws.schedule.schedule_contact(client_id, soon + timedelta(days=38), "call")
    ws.schedule.add_task("Prepare the pack", client_id=client_id, due=soon - timedelta(days=1))
    ws.lock()
    return home, soon


def test_export_writes_an_ics_with_alarms(profile, tmp_path, monkeypatch, capsys):
    home, soon = profile
    target = tmp_path / "diary.ics"
    code, out, err = run(monkeypatch, capsys, "--profile", str(home), "schedule", "export", "-o", str(target),
                         "--passphrase-stdin")
    assert code == 0, err
    assert "Wrote 1 contact for the next 30 days" in out
    events = Calendar.from_ical(target.read_bytes()).walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert str(event["SUMMARY"]) == "Annual review meeting: Zoë Client"
    assert event.decoded("DTSTART") == soon
    assert event.decoded("DTEND") - event.decoded("DTSTART") == timedelta(hours=1)
    assert event.walk("VALARM")[0].decoded("TRIGGER") == timedelta(minutes=-15)

    code, out, _ = run(monkeypatch, capsys, "--profile", str(home), "schedule", "export", "-o", str(target),
                       "--days", "60", "--redact", "--passphrase-stdin")
    assert code == 0 and "Wrote 2 contacts for the next 60 days" in out
    summaries = [str(e["SUMMARY"]) for e in Calendar.from_ical(target.read_bytes()).walk("VEVENT")]
    assert summaries == ["Annual review meeting (RM Desk)", "Call (RM Desk)"]


def test_agenda_prints_a_table(profile, monkeypatch, capsys):
    home, _ = profile
    code, out, err = run(monkeypatch, capsys, "--profile", str(home), "schedule", "agenda", "--days", "7",
                         "--passphrase-stdin")
    assert code == 0, err
    lines = out.splitlines()
    assert len(lines) == 2
    assert "task" in lines[0] and "Prepare the pack" in lines[0]
    assert "contact" in lines[1] and "Annual review meeting: Zoë Client" in lines[1]
    assert "(2 items from" in err


@pytest.mark.parametrize("argv, stdin, message", [
    (["schedule", "export", "-o", "{tmp}/missing/x.ics"], PASS, "does not exist"),
    (["schedule", "export", "-o", "{tmp}"], PASS, "is a folder"),
    (["schedule", "export", "-o", "{tmp}/x.ics", "--alarm", "-5"], PASS, "reminder"),
    (["schedule", "export", "-o", "{tmp}/x.ics"], "wrong passphrase\n", "passphrase is not correct"),
    (["schedule", "agenda"], "", "nothing was read"),
])
def test_errors_are_one_line_exit_2(profile, tmp_path, monkeypatch, capsys, argv, stdin, message):
    home, _ = profile
    args = ["--profile", str(home), *[a.replace("{tmp}", str(tmp_path)) for a in argv], "--passphrase-stdin"]
    code, out, err = run(monkeypatch, capsys, *args, stdin=stdin)
    assert code == 2 and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_days_out_of_range_is_refused(profile, tmp_path, monkeypatch, capsys):
    home, _ = profile
    for days in ("0", "367"):
        code, _, err = run(monkeypatch, capsys, "--profile", str(home), "schedule", "export", "-o",
                           str(tmp_path / "x.ics"), "--days", days, "--passphrase-stdin")
        assert code == 2 and err.strip() == "rmdesk: --days must be between 1 and 366."
    assert not (tmp_path / "x.ics").exists()
