"""The demo book: proportionate, deterministic, multilingual, consistent with the store's own rules."""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from datetime import UTC, datetime
from decimal import Decimal

import phonenumbers
import pytest
from email_validator import validate_email
from sqlalchemy import select

from app.domain.complaints import CaseState, CaseStatus, Outcome
from app.services.demo import MAX_CLIENTS, PRODUCTS, TABLES, generate_demo_book
from app.store import derived
from app.store.audit import verify
from app.store.keys import KdfParams
from app.store.models import AuditEntry, Client, Holding, Interaction
from app.store.profile import Profile

CLIENTS = 200
SEED = 7


def new_profile(folder):
    return Profile(folder).create("passphrase", "correct horse", kdf=KdfParams.fast_for_tests())


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    db = new_profile(tmp_path_factory.mktemp("demo") / "p")
    seen: list[tuple[int, int]] = []
    summary = generate_demo_book(db, clients=CLIENTS, seed=SEED, progress=lambda d, t: seen.append((d, t)))
    yield db, summary, seen
    db.dispose()


def scalar(db, sql: str, *params):
    with db.engine.connect() as c:
        return c.exec_driver_sql(sql, params).scalar()


def rows(db, sql: str, *params) -> list[tuple]:
    with db.engine.connect() as c:
        return [tuple(r) for r in c.exec_driver_sql(sql, params)]


def test_counts_are_proportionate(book):
    db, summary, _ = book
    n = summary.counts
    assert n["clients"] == scalar(db, "SELECT count(*) FROM clients") == CLIENTS
    assert 2.3 <= n["holdings"] / CLIENTS <= 3.6
    assert 14 <= n["interactions"] / CLIENTS <= 26
    assert 0.1 <= n["complaints"] / CLIENTS <= 0.35
    assert n["complaint_events"] >= 2 * n["complaints"]
    assert n["users"] == 8 and n["teams"] == 1 and n["segments"] == 4
    assert n["client_summary"] == CLIENTS
    for table in ("households", "relationships", "client_phones", "client_emails", "client_addresses", "consents",
                  "balance_history", "usage_summaries", "loyalty_enrolments", "points_ledger", "scheduled_contacts",
                  "tasks", "referrals", "survey_responses", "complaint_root_causes", "targets", "search_index",
                  "client_search", "complaint_search"):
        assert n[table] > 0, table
    for table, count in n.items():  # the summary tells the truth about what is in the file
        assert scalar(db, f"SELECT count(*) FROM {table}") == count, table
    assert "clients" in summary.describe() and f"{CLIENTS:,}" in summary.describe()


def test_history_only_where_it_belongs(book):
    db, _, _ = book
    with_history = {p.code for p in PRODUCTS if p.history}
    with_usage = {p.code for p in PRODUCTS if p.usage}
    history = {r[0] for r in rows(db, "SELECT DISTINCT p.code FROM balance_history b JOIN holdings h ON "
                                      "h.id = b.holding_id JOIN products p ON p.id = h.product_id")}
    usage = {r[0] for r in rows(db, "SELECT DISTINCT p.code FROM usage_summaries u JOIN holdings h ON "
                                    "h.id = u.holding_id JOIN products p ON p.id = h.product_id")}
    assert history and history <= with_history
    assert usage and usage <= with_usage
    assert scalar(db, "SELECT max(n) FROM (SELECT count(*) n FROM usage_summaries GROUP BY holding_id)") == 12
    assert scalar(db, "SELECT max(n) FROM (SELECT count(*) n FROM balance_history GROUP BY holding_id)") == 12


def test_segment_policies_follow_the_service_model(book):
    db, _, _ = book
    got = set(rows(db, "SELECT s.code, p.contact_kind, p.interval_months, p.max_gap_days FROM segment_policies p "
                       "JOIN segments s ON s.id = p.segment_id"))
    assert got == {("PRIVATE", "monthly_call", 1, 45), ("PRIVATE", "quarterly_review", 3, 120),
                   ("PREMIUM", "quarterly_review", 3, 120), ("MASS_AFFLUENT", "annual_review_meeting", 12, 400),
                   ("BUSINESS", "quarterly_review", 3, 120)}
    roles = Counter(r[0] for r in rows(db, "SELECT role FROM users"))
    assert roles == {"rm": 6, "team_leader": 1, "manager": 1}
    assert scalar(db, "SELECT count(*) FROM clients WHERE owner_id NOT IN "
                      "(SELECT id FROM users WHERE role = 'rm')") == 0


def test_every_script_and_locale_is_present(book):
    db, _, _ = book
    names = " ".join(r[0] for r in rows(db, "SELECT display_name FROM clients"))
    scripts = {unicodedata.name(ch).split()[0] for ch in names if ch.isalpha()}
    assert {"LATIN", "GREEK", "CYRILLIC", "ARABIC", "CJK", "DEVANAGARI"} <= scripts
    assert re.search("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", names.lower())  # Vietnamese
    assert re.search("[áéíóúñ]", names.lower())  # Spanish
    kinds = Counter(r[0] for r in rows(db, "SELECT kind FROM clients"))
    assert kinds["organisation"] > 0 and kinds["person"] > kinds["organisation"]
    assert scalar(db, "SELECT count(*) FROM clients WHERE organisation_name LIKE '% Trust' "
                      "OR organisation_name LIKE '% Fund'") > 0
    assert {r[0] for r in rows(db, "SELECT DISTINCT kind FROM relationships")} >= {"spouse", "child", "director",
                                                                                     "trustee"}


def test_contact_details_are_valid(book):
    db, _, _ = book
    numbers = [r[0] for r in rows(db, "SELECT number FROM client_phones")]
    assert numbers and all(re.fullmatch(r"\+[1-9]\d{7,14}", n) for n in numbers)
    assert all(phonenumbers.is_valid_number(phonenumbers.parse(n)) for n in numbers)
    assert {n[:3] for n in numbers} == {"+61", "+44"}
    for (address,) in rows(db, "SELECT address FROM client_emails"):
        validate_email(address, check_deliverability=False)


def test_same_seed_same_book_other_seed_other_book(book, tmp_path):
    db, _, _ = book
    first = rows(db, "SELECT id, display_name FROM clients ORDER BY id")
    again = new_profile(tmp_path / "again")
    other = new_profile(tmp_path / "other")
    try:
        generate_demo_book(again, clients=CLIENTS, seed=SEED)
        generate_demo_book(other, clients=CLIENTS, seed=SEED + 1)
        assert rows(again, "SELECT id, display_name FROM clients ORDER BY id") == first
        same = "SELECT id, client_id, balance, opened_on FROM holdings ORDER BY id"
        assert rows(again, same) == rows(db, same)
        theirs = rows(other, "SELECT id, display_name FROM clients ORDER BY id")
        assert not {r[0] for r in theirs} & {r[0] for r in first}
        assert [r[1] for r in theirs] != [r[1] for r in first]
    finally:
        again.dispose()
        other.dispose()


def test_ids_are_uuid7_shaped_and_stamped_with_the_reference_day(book):
    db, _, _ = book
    ids = [r[0] for r in rows(db, "SELECT id FROM interactions UNION ALL SELECT id FROM clients")]
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    assert len(set(ids)) == len(ids)
    reference = datetime(2026, 11, 22, tzinfo=UTC).timestamp() * 1000
    assert all(0 <= int(i[:8] + i[9:13], 16) - reference < 86_400_000 for i in ids)  # not the clock


def test_orm_reads_the_raw_rows(book):
    db, _, _ = book
    with db.reading() as s:
        holding = s.scalars(select(Holding).where(Holding.balance < 0).limit(1)).one()
        assert isinstance(holding.balance, Decimal) and holding.balance == holding.balance.quantize(Decimal("0.01"))
        interaction = s.scalars(select(Interaction).limit(1)).one()
        assert interaction.occurred_at.tzinfo is UTC and interaction.field_versions == {}
        client = s.scalars(select(Client).limit(1)).one()
        assert client.deleted is False and client.scope_id == "local" and client.row_version == 0


def test_seed_data_writes_no_outbox_and_one_verified_audit_entry(book):
    db, summary, _ = book
    assert scalar(db, "SELECT count(*) FROM change_log") == 0
    with db.reading() as s:
        report = verify(s)
        last = s.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc()).limit(1)).one()
    assert report.ok and report.entries >= 1
    assert (last.action, last.entity) == ("create", "demo_book")
    assert f'"clients": {CLIENTS}' in last.detail and f'"seed": {SEED}' in last.detail


def test_foreign_keys_hold_and_the_connection_is_put_back(book):
    db, _, _ = book
    assert rows(db, "PRAGMA foreign_key_check") == []
    assert rows(db, "PRAGMA journal_mode") == [("wal",)]
    assert rows(db, "PRAGMA foreign_keys") == [(1,)]
    assert scalar(db, "SELECT v FROM search_index_config WHERE k = 'automerge'") == 4
    assert scalar(db, "SELECT v FROM client_search_config WHERE k = 'automerge'") == 4
    assert not list(db.path.parent.glob("*-journal"))


def test_loads_through_the_wal_when_another_connection_is_reading(tmp_path):
    db = new_profile(tmp_path / "busy")
    try:
        with db.engine.connect() as reader:
            reader.exec_driver_sql("SELECT count(*) FROM users").fetchall()  # holds a read snapshot
            summary = generate_demo_book(db, clients=30, seed=SEED)
            reader.rollback()
        assert summary.counts["clients"] == 30
        assert rows(db, "PRAGMA journal_mode") == [("wal",)]
        assert rows(db, "PRAGMA foreign_key_check") == []
    finally:
        db.dispose()


def test_data_quality_reports_have_something_to_find(book):
    db, _, _ = book
    assert scalar(db, "SELECT count(*) FROM clients WHERE data_verified_on < date('2026-11-22', '-12 months')") > 0
    pairs = rows(db, "SELECT c1.id, c2.id FROM clients c1 JOIN clients c2 ON c1.display_name = c2.display_name "
                     "AND c1.date_of_birth = c2.date_of_birth AND c1.id < c2.id")
    assert len(pairs) >= 2
    for a, b in pairs[:2]:
        emails = rows(db, "SELECT address FROM client_emails WHERE client_id IN (?, ?)", a, b)
        assert len({e[0] for e in emails}) == len(emails)


def test_complaints_follow_the_lifecycle(book):
    db, _, _ = book
    cases = rows(db, "SELECT id, state, outcome, regime, region, received_tz, ack_due_at, final_due_at "
                     "FROM complaints")
    assert {c[3:6] for c in cases} == {("asic", "AU-NSW", "Australia/Sydney")}
    assert len({c[1] for c in cases}) >= 3
    for _, state, outcome, *_, ack_due, final_due in cases:
        CaseState(CaseStatus(state), Outcome(outcome) if outcome else None)  # closed <=> outcome
        assert ack_due < final_due
    firsts = rows(db, "SELECT kind, count(*) FROM complaint_events e WHERE at = (SELECT min(at) FROM "
                      "complaint_events WHERE complaint_id = e.complaint_id) GROUP BY kind")
    assert dict(firsts) == {"received": len(cases)}


def test_read_models_match_the_store_own_refresh(book):
    """Summary rows and search rows written by the demo equal what store/derived.py computes.

    If this fails after a change to store/derived.py, the demo must follow the new definition.
    """
    db, _, _ = book
    clients = "SELECT rowid, client_id, title, body, state FROM client_search"
    history = ("SELECT kind, ref_id, client_id, title, body FROM search_index UNION ALL "
               "SELECT 'complaint', ref_id, client_id, title, body FROM complaint_search")
    with db.engine.connect() as conn:
        run = conn.exec_driver_sql
        assert not derived.needs_rebuild(conn)
        mine = {name: set(map(tuple, run(sql))) for name, sql in (
            ("summary", "SELECT * FROM client_summary"), ("clients", clients), ("history", history))}
        derived.rebuild_all(conn)
        assert set(map(tuple, run("SELECT * FROM client_summary"))) == mine["summary"]
        assert set(map(tuple, run(clients))) == mine["clients"]
        assert set(map(tuple, run(history))) == mine["history"]
        conn.rollback()


def test_progress_is_reported_in_client_units(book):
    _, _, seen = book
    assert seen[-1] == (CLIENTS, CLIENTS)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)


def test_refuses_a_profile_that_has_clients(book):
    db, _, _ = book
    with pytest.raises(ValueError, match="already has clients"):
        generate_demo_book(db, clients=10, seed=SEED)
    assert scalar(db, "SELECT count(*) FROM clients") == CLIENTS


@pytest.mark.parametrize("size", [0, -1, MAX_CLIENTS + 1, 2.5, True])
def test_size_must_be_sensible(book, size):
    db, _, _ = book
    with pytest.raises(ValueError, match="between 1 and"):
        generate_demo_book(db, clients=size, seed=SEED)


def test_every_table_spec_matches_the_schema(book):
    db, _, _ = book
    for table in TABLES:
        columns = {r[1] for r in rows(db, f"PRAGMA table_info({table.name})")} | {"rowid"}
        assert set(table.targets) <= columns, table.name
