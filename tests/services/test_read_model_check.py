"""An interactive unlock checks the read models' version only; their count against the clients (a
scan of the clients table) runs after the first screen, and a drift found then is rebuilt."""

from __future__ import annotations

from sqlalchemy import text

from app.services.demo import generate_demo_book
from app.services.portfolio import PortfolioQuery
from app.services.workstation import create_profile, open_profile
from tests.conftest import PASSPHRASE


def _drop_one_summary(ws) -> None:
    with ws.database.engine.begin() as conn:
        conn.execute(text("DELETE FROM client_summary WHERE doc_id = (SELECT min(doc_id) FROM client_summary)"))


def test_interactive_open_defers_the_count_and_check_read_models_repairs(tmp_path, fast_kdf):
    home = tmp_path / "profile"
    ws = create_profile("passphrase", PASSPHRASE, home, kdf=fast_kdf)
    generate_demo_book(ws.database, clients=25, seed=2)
    _drop_one_summary(ws)
    ws.lock()

    ws = open_profile(PASSPHRASE, home, interactive=True)
    try:
        assert ws.portfolio.count(PortfolioQuery()) == 24  # not counted at unlock: still short
        assert ws.check_read_models() is True
        assert ws.portfolio.count(PortfolioQuery()) == 25
        assert ws.check_read_models() is False  # in step now: nothing to do
        _drop_one_summary(ws)
    finally:
        ws.lock()

    ws = open_profile(PASSPHRASE, home)  # the CLI's open counts at once
    try:
        assert ws.portfolio.count(PortfolioQuery()) == 25
    finally:
        ws.lock()
