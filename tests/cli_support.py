"""Shared by the CLI tests: a passphrase on stdin, a fast KDF, and one call of `rmdesk` in-process."""

from __future__ import annotations

import io
import sys

import pytest

from app import cli
from app.store import keys

PASS = "a long cli passphrase\n"


@pytest.fixture(autouse=True)
def fast_cli_kdf(monkeypatch):
    """The CLI uses production Argon2id parameters; tests trade them for speed."""
    original = keys.PassphraseKeyStore.__init__

    def init(self, key_file, profile_id, passphrase, params=None):
        original(self, key_file, profile_id, passphrase, params or keys.KdfParams.fast_for_tests())

    monkeypatch.setattr(keys.PassphraseKeyStore, "__init__", init)


def run(monkeypatch, capsys, *argv: str, stdin: str = PASS) -> tuple[int, str, str]:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err
