"""Portfolio pages on a generated book: every sort order, both text strategies, query plans, stable keys."""

from __future__ import annotations

import pytest
from sqlalchemy import func

from app.services.clients import ClientDraft
from app.services.demo import generate_demo_book
from app.services.portfolio import _MATCH_COUNTS, SORT_COLUMNS, PortfolioQuery, PortfolioService
from app.services.search import SearchService
from app.store.keys import KdfParams
from app.store.models import Client, ClientSummary
from app.store.profile import Profile

CLIENTS = 400
# attribute of PortfolioRow for each sort column
ROW_ATTR = {"name": "name", "segment": None, "tier": "tier", "aum": "aum", "revenue": "revenue_12m",
            "products": "products", "last_contact": "last_contact", "next_contact": "next_contact",
            "complaints": "open_complaints", "satisfaction": "satisfaction", "verified": "verified_on"}


@pytest.fixture(scope="module")
def db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("paging") / "profile"
    db = Profile(folder).create("passphrase", "correct horse", kdf=KdfParams.fast_for_tests())
    generate_demo_book(db, clients=CLIENTS, seed=7)
    yield db
    db.dispose()


def every_row(svc: PortfolioService, q: PortfolioQuery, page: int = 37) -> list:
    """The whole view, fetched in odd-sized pages so page boundaries fall everywhere."""
    rows, offset = [], 0
    while True:
        got = svc.page(q, offset, page).rows
        rows.extend(got)
        if len(got) < page:
            return rows
        offset += page


def expected_order(rows: list, column: str, descending: bool) -> list:
    """What the grid promises: blanks last either way, ties broken by name (case-blind) A to Z."""
    attr = ROW_ATTR[column]
    if attr is None:
        return rows  # segment sorts by rank, which rows do not carry; covered by the plan test
    if column == "name":
        return sorted(rows, key=lambda r: r.name.casefold(), reverse=descending)
    present = [r for r in rows if getattr(r, attr) is not None]
    blank = [r for r in rows if getattr(r, attr) is None]
    present.sort(key=lambda r: r.name.casefold())
    present.sort(key=lambda r: getattr(r, attr), reverse=descending)  # stable: names stay A to Z in ties
    blank.sort(key=lambda r: r.name.casefold())
    return present + blank


@pytest.mark.parametrize("column", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_order_pages_completely_and_in_order(db, column, descending):
    svc = PortfolioService(db)
    q = PortfolioQuery(sort=column, descending=descending)
    rows = every_row(svc, q)
    assert len(rows) == svc.count(q) == len({r.client_id for r in rows})
    want = expected_order(rows, column, descending)
    key = (lambda r: (r.name.casefold(), getattr(r, ROW_ATTR[column]))) if ROW_ATTR[column] else None
    if key:
        # equal names may come in either order between themselves; compare what the user sees
        assert [key(r) for r in rows] == [key(r) for r in want]


@pytest.mark.parametrize("column", sorted(SORT_COLUMNS))
@pytest.mark.parametrize("descending", [False, True])
def test_each_page_is_one_index_walk_without_a_sort_step(db, column, descending):
    svc = PortfolioService(db)
    q = PortfolioQuery(sort=column, descending=descending)
    stmt = svc._filtered(q, [ClientSummary]).order_by(*svc._order(q)).limit(200)
    sql = str(stmt.compile(dialect=db.engine.dialect, compile_kwargs={"literal_binds": True}))
    with db.engine.connect() as conn:
        plan = " | ".join(r[3] for r in conn.exec_driver_sql("EXPLAIN QUERY PLAN " + sql))
    assert "USING INDEX ix_client_summary_" in plan, plan
    assert "TEMP B-TREE" not in plan, plan


@pytest.mark.parametrize("text", ["a", "ma", "sm", "ng", "zz-nobody"])
@pytest.mark.parametrize("column,descending", [("name", False), ("aum", True), ("next_contact", False),
                                               ("satisfaction", True)])
def test_text_filter_gives_the_same_rows_whichever_way_it_is_run(db, monkeypatch, text, column, descending):
    """Walking the sort index and starting from the matches are two plans for one answer."""
    svc = PortfolioService(db)
    q = PortfolioQuery(text=text, sort=column, descending=descending)
    answers = []
    for walk in (False, True):
        monkeypatch.setattr(PortfolioService, "_prefer_index_walk", lambda self, s, q, wanted, w=walk: w)
        answers.append([r.client_id for r in every_row(svc, q)])
    assert answers[0] == answers[1]
    everyone = every_row(svc, PortfolioQuery(sort=column, descending=descending))
    folded = text.casefold()
    assert len(answers[0]) == svc.count(q)
    # every match is an open client whose name has a word starting with the text (or a contact detail)
    name_hits = {r.client_id for r in everyone if any(w.casefold().startswith(folded) for w in r.name.split())}
    assert name_hits <= set(answers[0])
    assert [c for c in [r.client_id for r in everyone] if c in set(answers[0])] == answers[0]


def test_text_count_leaves_closed_clients_out_like_the_grid(db):
    svc = PortfolioService(db)
    with db.engine.connect() as conn:
        closed = conn.exec_driver_sql("SELECT count(*) FROM client_summary WHERE status = 'closed'").scalar()
    assert closed > 0, "the demo book should have closed clients"
    for text in ("a", "e", "ma"):
        fast = svc.count(PortfolioQuery(text=text))  # answered by FTS5 alone
        with db.reading() as s:  # the same question joined against the summary rows
            slow = s.scalar(svc._filtered(PortfolioQuery(text=text), [func.count()]))
        assert fast == slow > 0


def test_edits_keep_search_rows_filed_under_their_summary_row(workstation):
    """An edit keeps the client's doc_id; closing a client drops it from the text count and the grid."""
    svc = workstation.clients
    first = svc.create(ClientDraft(given_name="Quentin", family_name="Ashdown"))
    second = svc.create(ClientDraft(given_name="Quilla", family_name="Ashdown"))
    portfolio = workstation.portfolio
    db = workstation.database
    doc_ids = dict(db.engine.connect().exec_driver_sql("SELECT client_id, doc_id FROM client_summary").all())
    svc.update(first, ClientDraft(given_name="Quentin", family_name="Ashdown-Pryce"))
    with db.engine.connect() as conn:
        assert dict(conn.exec_driver_sql("SELECT client_id, doc_id FROM client_summary").all()) == doc_ids
    assert [r.client_id for r in portfolio.page(PortfolioQuery(text="pryce"), 0).rows] == [first]
    assert portfolio.count(PortfolioQuery(text="ashdown")) == 2
    with db.unit("test") as uow:
        uow.session.get(Client, second).status = "closed"
    assert portfolio.count(PortfolioQuery(text="ashdown")) == 1
    assert [r.client_id for r in portfolio.page(PortfolioQuery(text="ashdown"), 0).rows] == [first]
    # the Ctrl+K search still finds the closed client: it is the grid that shows open clients only
    assert {h.ref_id for h in workstation.search.search("quilla").get("client", [])} == {second}


def test_complaints_are_searched_in_their_own_index(db):
    with db.engine.connect() as conn:
        description = conn.exec_driver_sql(
            "SELECT description FROM complaints ORDER BY reference LIMIT 1").scalar()
        in_notes = conn.exec_driver_sql(
            "SELECT count(*) FROM search_index WHERE search_index MATCH 'kind: complaint'").scalar()
        indexed = conn.exec_driver_sql("SELECT count(*) FROM complaint_search").scalar()
        cases = conn.exec_driver_sql("SELECT count(*) FROM complaints").scalar()
    assert in_notes == 0 and indexed == cases > 0
    word = max(description.split(), key=len).strip(".,;:")
    hits = SearchService(db).search(word)
    assert hits.get("complaint"), word
    assert all(h.kind == "complaint" for h in hits["complaint"])


def test_a_page_after_a_count_does_not_count_again_even_through_a_new_service(db, monkeypatch):
    """Front ends make a service per call; the plan's match count is shared per database."""
    counted = []
    real = PortfolioService._text_count
    monkeypatch.setattr(PortfolioService, "_text_count",
                        lambda self, s, q: counted.append(q.text) or real(self, s, q))
    _MATCH_COUNTS.pop(db, None)  # start cold, whatever earlier tests counted
    q = PortfolioQuery(text="kat")
    n = PortfolioService(db).count(q)
    rows = PortfolioService(db).page(q, 0).rows
    assert counted == ["kat"] and len(rows) == min(n, 200)


def test_page_rows_carry_their_segment_name(db):
    """The grid shows segment names from the page itself, before the filter choices are read."""
    svc = PortfolioService(db)
    names = dict(svc.filter_options().segments)
    rows = svc.page(PortfolioQuery(), 0, 200).rows
    with_segment = [r for r in rows if r.segment]
    assert with_segment and all(r.segment_name == names[r.segment] for r in with_segment)
    assert all(r.segment_name is None for r in rows if not r.segment)
