"""The rmdesk command line: init, backup, restore, audit verify, --version, and errors without tracebacks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.cli_support import PASS, fast_cli_kdf, run  # noqa: F401 - fast_cli_kdf is an autouse fixture


def test_init_backup_restore_audit_round_trip(tmp_path, monkeypatch, capsys):
    home = str(tmp_path / "p")
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "init", "--passphrase-stdin")
    assert code == 0 and "passphrase profile" in out
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "backup", str(tmp_path / "b.rmbackup"),
                       "--passphrase-stdin")
    assert code == 0 and "verified" in out
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "restore", str(tmp_path / "b.rmbackup"),
                       "--passphrase-stdin")
    assert code == 0 and "restored" in out
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "audit", "verify", "--passphrase-stdin")
    assert code == 0 and "intact" in out


def test_errors_are_one_line_without_traceback(tmp_path, monkeypatch, capsys):
    home = str(tmp_path / "p")
    code, _, err = run(monkeypatch, capsys, "--profile", home, "audit", "verify", "--passphrase-stdin")
    assert code == 2 and "no RM Desk profile" in err and "Traceback" not in err
    run(monkeypatch, capsys, "--profile", home, "init", "--passphrase-stdin")
    code, _, err = run(monkeypatch, capsys, "--profile", home, "audit", "verify", "--passphrase-stdin",
                       stdin="wrong passphrase\n")
    assert code == 2 and "passphrase is not correct" in err
    code, _, err = run(monkeypatch, capsys, "--profile", home, "restore", str(tmp_path / "missing"),
                       "--passphrase-stdin")
    assert code == 2 and "no backup file" in err
    code, _, err = run(monkeypatch, capsys, "--profile", home, "init", "--passphrase-stdin", stdin="")
    assert code == 2 and "nothing was read" in err


def test_tampered_audit_trail_fails_verify(tmp_path, monkeypatch, capsys):
    from app.services.workstation import open_profile
    from app.store.models import Client

    home = tmp_path / "p"
    run(monkeypatch, capsys, "--profile", str(home), "init", "--passphrase-stdin")
    ws = open_profile(PASS.strip(), home)
    for name in ("One", "Two"):
        with ws.database.unit("t") as uow:
            uow.session.add(Client(display_name=name))
    with ws.database.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE audit_log SET actor = 'mallory' WHERE seq = 1")
    ws.lock()
    code, _, err = run(monkeypatch, capsys, "--profile", str(home), "audit", "verify", "--passphrase-stdin")
    assert code == 3 and "BROKEN at entry 1" in err


def test_console_script_reports_its_version():
    script = Path(sys.executable).with_name("rmdesk")
    if not script.exists():
        pytest.skip("the rmdesk console script is installed by `make test` (pip install -e .)")
    result = subprocess.run([str(script), "--version"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and result.stdout.startswith("rmdesk ")


def test_change_passphrase_and_rotate_key(tmp_path, monkeypatch, capsys):
    home = str(tmp_path / "p")
    run(monkeypatch, capsys, "--profile", home, "init", "--passphrase-stdin")
    code, _, err = run(monkeypatch, capsys, "--profile", home, "passphrase", "--passphrase-stdin",
                       stdin=PASS + "brand new passphrase\nbrand new typo\n")
    assert code == 2 and "differ" in err
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "passphrase", "--passphrase-stdin",
                       stdin=PASS + "brand new passphrase\nbrand new passphrase\n")
    assert code == 0 and "changed" in out
    code, _, err = run(monkeypatch, capsys, "--profile", home, "audit", "verify", "--passphrase-stdin")
    assert code == 2 and "not correct" in err
    new = "brand new passphrase\n"
    before = (tmp_path / "p" / "rmdesk.db").read_bytes()[:4096]
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "rotate-key", "--passphrase-stdin", stdin=new)
    assert code == 0 and "new data key" in out
    assert (tmp_path / "p" / "rmdesk.db").read_bytes()[:4096] != before
    code, out, _ = run(monkeypatch, capsys, "--profile", home, "audit", "verify", "--passphrase-stdin", stdin=new)
    assert code == 0 and "intact" in out
