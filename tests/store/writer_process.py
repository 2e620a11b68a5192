"""A child process for the crash test: commits numbered clients and reports each commit on stdout."""

from __future__ import annotations

import sys
from pathlib import Path

from app.store.database import Database
from app.store.models import Client, ClientEmail


def main() -> None:
    path, key_hex, start = Path(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    db = Database(path, bytes.fromhex(key_hex))
    n = start
    while True:
        with db.unit("writer") as uow:
            c = Client(display_name=f"Crash Test {n:06d}", notes="x" * 500)
            c.emails.append(ClientEmail(address=f"crash{n}@example.org"))
            uow.session.add(c)
        print(n, flush=True)  # only after the commit returned
        n += 1


if __name__ == "__main__":
    main()
