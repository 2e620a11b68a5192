"""Shared by the CLI tests: a passphrase on stdin, a fast KDF, and one call of `rmdesk` in-process."""

from __future__ import annotations

import io
import sys
from pathlib import Path
from typing import Any

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


def init_profile(monkeypatch, capsys, home: Path) -> Any:
    """`rmdesk init` a passphrase profile at `home`, then open it: the caller locks the workstation."""
    from app.services.workstation import open_profile

    assert run(monkeypatch, capsys, "--profile", str(home), "init", "--passphrase-stdin")[0] == 0
    return open_profile(PASS.strip(), home)


def add_client(ws: Any, name: str) -> str:
    """A client named `name` (nothing else on file); returns its id."""
    from app.store.models import Client

    with ws.database.unit("setup") as uow:
        client = Client(display_name=name)
        uow.session.add(client)
        uow.session.flush()
        client_id = client.id
    return client_id
