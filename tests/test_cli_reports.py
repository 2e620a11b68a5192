"""`rmdesk report ...` on a real passphrase profile: review packs, management reports, batch, errors."""

from __future__ import annotations

import pytest

from tests.cli_support import (
    fast_cli_kdf,  # noqa: F401 - an autouse fixture
    init_profile,
    run,
)
from tests.services.test_report_data import NAMES, pdftext, seed_book


@pytest.fixture
def profile(tmp_path, monkeypatch, capsys):
    home = tmp_path / "p"
    ws = init_profile(monkeypatch, capsys, home)
    try:
        book = seed_book(ws.database)
    finally:
        ws.lock()
    return str(home), book


def test_review_pack_with_sections_and_password(profile, tmp_path, monkeypatch, capsys):
    home, book = profile
    (tmp_path / "pw.txt").write_text("pdf pass 1\n", "utf-8")
    out = tmp_path / "zoe.pdf"
    code, stdout, err = run(monkeypatch, capsys, "--profile", home, "report", "review-pack", "--client",
                            book.ids["zoe"], "-o", str(out), "--sections", "cover,holdings,segment",
                            "--pdf-password-file", str(tmp_path / "pw.txt"), "--passphrase-stdin")
    assert code == 0, err
    assert "Review pack written" in stdout
    text = pdftext(out, tmp_path, password="pdf pass 1")
    assert "Zoë Ångström" in text and "Your holdings" in text and "Your service level" in text
    assert "Your profile" not in text
    with pytest.raises(RuntimeError):
        pdftext(out, tmp_path)


@pytest.mark.parametrize("kind, expected", [
    ("portfolio", "Assets under management"),
    ("exceptions", "Suspected duplicate"),
    ("complaints", "C-2025-0002"),
    ("feedback", "Fees are unclear"),
])
def test_management_reports(profile, tmp_path, monkeypatch, capsys, kind, expected):
    home, _ = profile
    out = tmp_path / f"{kind}.pdf"
    code, stdout, err = run(monkeypatch, capsys, "--profile", home, "report", kind, "-o", str(out),
                            "--passphrase-stdin")
    assert code == 0, err
    assert "report written" in stdout
    assert expected in pdftext(out, tmp_path)


def test_complaints_by_state_for_one_rm(profile, tmp_path, monkeypatch, capsys):
    home, _ = profile
    out = tmp_path / "c.pdf"
    code, _, err = run(monkeypatch, capsys, "--profile", home, "report", "complaints", "--by", "state",
                       "--rm", "anna", "-o", str(out), "--passphrase-stdin")
    assert code == 0, err
    text = pdftext(out, tmp_path)
    assert "Complaints by state" in text and "Under investigation" in text and "Book of Anna Rossi" in text


def test_batch_tomorrow_and_selection(profile, tmp_path, monkeypatch, capsys):
    home, book = profile
    folder = tmp_path / "packs"
    folder.mkdir()
    code, stdout, err = run(monkeypatch, capsys, "--profile", home, "report", "batch", "--tomorrow", "-o",
                            str(folder), "--sections", "cover,summary", "--workers", "2", "--passphrase-stdin")
    assert code == 0, err
    assert "3 of 3 review packs written." in stdout
    assert sorted(p.name.split(" - ")[0] for p in folder.iterdir()) == sorted(
        NAMES[k] for k in ("zoe", "nguyen", "alex"))
    code, stdout, err = run(monkeypatch, capsys, "--profile", home, "report", "batch", "--clients",
                            f"{book.ids['wang']},nope", "-o", str(folder), "--passphrase-stdin")
    assert code == 1 and "1 of 2 review packs written, 1 failed." in stdout and "nope: There is no such" in err


@pytest.mark.parametrize("argv, message", [
    (["report", "review-pack", "--client", "nope", "-o", "{tmp}/x.pdf"], "no such client"),
    (["report", "review-pack", "--client", "{zoe}", "-o", "{tmp}/x.pdf", "--sections", "cover,bogus"],
     "Unknown review pack section(s): bogus"),
    (["report", "review-pack", "--client", "{zoe}", "-o", "{tmp}/missing/x.pdf"], "does not exist"),
    (["report", "review-pack", "--client", "{zoe}", "-o", "{tmp}/x.pdf", "--pdf-password-file", "{tmp}/none"],
     "no password file"),
    (["report", "review-pack", "--client", "{zoe}", "-o", "{tmp}/x.pdf", "--pdf-password-file", "{tmp}/empty"],
     "is empty"),
    (["report", "portfolio", "-o", "{tmp}/x.pdf", "--rm", "nobody"], "no user 'nobody'"),
    (["report", "feedback", "-o", "{tmp}/x.pdf", "--from", "2025-03-01", "--to", "2025-01-01"], "ends before"),
    (["report", "batch", "--tomorrow", "-o", "{tmp}/missing"], "does not exist"),
])
def test_errors_are_one_line_exit_2(profile, tmp_path, monkeypatch, capsys, argv, message):
    home, book = profile
    (tmp_path / "empty").write_text("", "utf-8")
    args = [a.format(tmp=tmp_path, zoe=book.ids["zoe"]) for a in argv]
    code, _, err = run(monkeypatch, capsys, "--profile", home, *args, "--passphrase-stdin")
    assert code == 2 and message in err and "Traceback" not in err and err.count("\n") == 1
    assert not (tmp_path / "x.pdf").exists()


def test_wrong_passphrase_is_refused(profile, tmp_path, monkeypatch, capsys):
    home, book = profile
    code, _, err = run(monkeypatch, capsys, "--profile", home, "report", "review-pack", "--client",
                       book.ids["zoe"], "-o", str(tmp_path / "x.pdf"), "--passphrase-stdin", stdin="wrong\n")
    assert code == 2 and "passphrase is not correct" in err and not (tmp_path / "x.pdf").exists()
