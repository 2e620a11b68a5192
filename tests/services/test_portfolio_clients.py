"""Portfolio paging/sorting/filtering, the 360 view, checked edits, duplicates, search and reveals."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from app.services.clients import ClientDraft, PossibleDuplicate
from app.services.portfolio import PortfolioQuery
from app.services.validation import ValidationError
from app.store.models import (
    AuditEntry,
    Client,
    Complaint,
    Holding,
    Interaction,
    Product,
)
from tests.fixtures.book import add_reference_data, person

NOW = datetime.now(UTC)


@pytest.fixture
def book(workstation):
    """Five clients with holdings, contacts and a complaint, created through the services."""
    db = workstation.database
    with db.unit("setup") as uow:
        add_reference_data(uow.session)
    svc = workstation.clients
    ids = {
        "zoe": svc.create(person("Zoë", "Ångström", "zoe@example.org", "0412 345 678", date(1980, 5, 1), "PRIVATE")),
        "dmitri": svc.create(person("Дмитрий", "Иванов", "dmitri@example.ru", None, date(1975, 1, 2), "PRIVATE")),
        "wang": svc.create(person("小明", "王", None, "+61 2 9374 4000", None, "MASS_AFFLUENT")),
        "amal": svc.create(person("Amal", "Haddad", "amal@example.com", None, None, "MASS_AFFLUENT")),
        "bob": svc.create(person("Bob", "Smith", "bob@example.com", None, None, None)),
    }
    with db.unit("setup") as uow:
        s = uow.session
        td = s.scalar(select(Product).where(Product.code == "TD"))
        card = s.scalar(select(Product).where(Product.code == "CARD"))
        for key, amount in (("zoe", "2500000.50"), ("dmitri", "900000"), ("wang", "15000"), ("amal", "120000")):
            s.add(Holding(client_id=ids[key], product_id=td.id, balance=Decimal(amount), account_number="062000123456"))
        s.add(Holding(client_id=ids["zoe"], product_id=card.id, balance=Decimal("-1200.25")))
        # Zoë seen last week; Dmitri not for 200 days (overdue for a quarterly review)
        s.add(Interaction(client_id=ids["zoe"], occurred_at=NOW - timedelta(days=7), channel="face_to_face",
                          subject="Annual review", notes="Discussed the kitchen renovation loan"))
        s.add(Interaction(client_id=ids["dmitri"], occurred_at=NOW - timedelta(days=200), channel="phone",
                          notes="Left a message"))
        s.add(Complaint(reference="C-0001", client_id=ids["amal"], channel="phone", received_at=NOW,
                        received_tz="Australia/Sydney", description="Card fee charged twice", regime="asic",
                        region="AU-NSW"))
    return ids


def test_summary_rows_follow_the_edits(workstation, book):
    page = workstation.portfolio.page(PortfolioQuery(sort="aum", descending=True), 0, 10)
    names = [r.name for r in page.rows]
    assert names[:4] == ["Zoë Ångström", "Дмитрий Иванов", "Amal Haddad", "小明 王"]
    zoe = page.rows[0]
    assert zoe.aum == Decimal("2500000.50") and zoe.products == 2  # the card balance is debt, not AUM and zoe.segment == "PRIVATE"
    assert zoe.last_contact is not None and zoe.contact_level == 0
    dmitri = page.rows[1]
    assert dmitri.overdue and dmitri.next_contact < date.today()
    amal = next(r for r in page.rows if r.name == "Amal Haddad")
    assert amal.open_complaints == 1


def test_sort_filter_and_count(workstation, book):
    p = workstation.portfolio
    assert p.count(PortfolioQuery()) == 5
    assert [r.name for r in p.page(PortfolioQuery(sort="name"), 0, 2).rows] == ["Amal Haddad", "Bob Smith"]
    assert [r.name for r in p.page(PortfolioQuery(sort="name"), 2, 2).rows] == ["Zoë Ångström", "Дмитрий Иванов"]
    assert p.count(PortfolioQuery(segment="PRIVATE")) == 2
    assert [r.name for r in p.page(PortfolioQuery(overdue_only=True), 0, 50).rows] == ["Дмитрий Иванов"]
    assert [r.name for r in p.page(PortfolioQuery(open_complaint_only=True), 0, 50).rows] == ["Amal Haddad"]
    assert [r.name for r in p.page(PortfolioQuery(product="CARD"), 0, 50).rows] == ["Zoë Ångström"]
    # filter-as-you-type: prefixes, accents folded, any script
    assert [r.name for r in p.page(PortfolioQuery(text="zoe ang"), 0, 50).rows] == ["Zoë Ångström"]
    assert [r.name for r in p.page(PortfolioQuery(text="Иван"), 0, 50).rows] == ["Дмитрий Иванов"]
    assert p.count(PortfolioQuery(text="amal@exa")) == 1
    assert p.count(PortfolioQuery(text='"; DROP TABLE clients; --')) == 0
    with pytest.raises(ValueError, match="cannot be sorted"):
        PortfolioQuery().sorted_by("tax_id", False)


def test_kpis_and_csv_export(workstation, book, tmp_path):
    k = workstation.portfolio.kpis()
    assert k.clients == 5 and k.aum == Decimal("3535000.50") and k.open_complaints == 1 and k.overdue_contacts >= 1
    n = workstation.portfolio.export_csv(PortfolioQuery(segment="PRIVATE"), tmp_path / "view.csv", "rm")
    text = (tmp_path / "view.csv").read_text("utf-8-sig")
    assert n == 2 and "Zoë Ångström" in text and "Bob Smith" not in text
    assert oct((tmp_path / "view.csv").stat().st_mode & 0o777) == "0o600"


def test_validation_refuses_bad_input_and_saves_nothing(workstation):
    before = _clients(workstation)
    with pytest.raises(ValidationError) as info:
        workstation.clients.create(ClientDraft(given_name="", family_name="", emails=[("x", "not-an-email")],
                                               phones=[("m", "12")], date_of_birth=date(2999, 1, 1)))
    assert set(info.value.errors) == {"family_name", "emails", "phones", "date_of_birth"}
    assert _clients(workstation) == before


def test_phone_is_normalised_per_region(workstation):
    cid = workstation.clients.create(ClientDraft(given_name="Alex", family_name="Turner", country="GB",
                                                 phones=[("mobile", "07911 123456")]))
    assert workstation.clients.client_360(cid).phones[0][1] == "+447911123456"


def test_duplicates_are_flagged_before_creation(workstation, book):
    svc = workstation.clients
    with pytest.raises(PossibleDuplicate) as info:
        svc.create(person("Zoe", "Angstrom", "other@example.org", None, date(1980, 5, 1)))
    assert info.value.candidates[0].client_id == book["zoe"]
    same_email = svc.find_duplicates(person("Someone", "Else", "ZOE@example.org"))
    assert [c.client_id for c in same_email] == [book["zoe"]] and "same e-mail" in same_email[0].reasons[0]
    same_phone = svc.find_duplicates(person("Other", "Person", None, "+61412345678"))
    assert [c.client_id for c in same_phone] == [book["zoe"]]
    assert svc.find_duplicates(person("Completely", "Different", "new@example.org")) == []
    new_id = svc.create(person("Zoe", "Angstrom", "other@example.org", None, date(1980, 5, 1)), allow_duplicate=True)
    assert new_id != book["zoe"]


def test_client_360_acknowledges_the_returning_client_and_audits_the_view(workstation, book):
    view = workstation.clients.client_360(book["zoe"])
    assert view.display_name == "Zoë Ångström" and view.segment == "PRIVATE"
    assert view.date_of_birth_masked == "••/••/1980"
    assert view.holdings[0].account_masked.endswith("3456") and "0620001" not in view.holdings[0].account_masked
    ack = view.acknowledgement
    assert ack.contacts_12m == 1 and ack.last_channel == "face_to_face"
    assert "7 days ago" in ack.sentence(date.today()) or "6 days ago" in ack.sentence(date.today())
    amal = workstation.clients.client_360(book["amal"])
    assert "1 open complaint" in amal.acknowledgement.sentence(date.today())
    with workstation.database.reading() as s:
        views = s.scalars(select(AuditEntry.action).where(AuditEntry.client_id == book["zoe"])).all()
    assert "view" in views


def test_reveal_is_audited(workstation, book):
    assert workstation.clients.reveal(book["zoe"], "date_of_birth") == "1980-05-01"
    with workstation.database.reading() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == "reveal")).one()
    assert entry.client_id == book["zoe"] and entry.detail == "date_of_birth"
    with pytest.raises(ValueError):
        workstation.clients.reveal(book["zoe"], "display_name")


def test_edit_updates_portfolio_and_search(workstation, book):
    svc = workstation.clients
    draft = svc.draft_of(book["bob"])
    draft.family_name = "Smithson"
    draft.emails = [("work", "bob.smithson@example.com")]
    svc.update(book["bob"], draft)
    assert workstation.portfolio.count(PortfolioQuery(text="smithson")) == 1
    assert workstation.portfolio.count(PortfolioQuery(text="bob.smithson@example")) == 1
    hits = workstation.search.search("smithson")
    assert [h.client_id for h in hits["client"]] == [book["bob"]]


def test_global_search_groups_by_kind(workstation, book):
    hits = workstation.search.search("kitchen")
    assert list(hits) == ["interaction"] and hits["interaction"][0].client_name == "Zoë Ångström"
    assert "«kitchen»" in hits["interaction"][0].snippet
    assert workstation.search.search("twice")["complaint"][0].title == "C-0001"
    assert workstation.search.search("   ") == {}


def _clients(ws) -> int:
    with ws.database.reading() as s:
        return s.scalar(select(func.count()).select_from(Client))


def test_saved_views_round_trip(workstation):
    views = workstation.saved_views
    q = PortfolioQuery(segment="PRIVATE", overdue_only=True, sort="aum", descending=True)
    views.save("Private, overdue", q)
    assert workstation.saved_views.all() == {"Private, overdue": q}
    with pytest.raises(ValueError, match="name"):
        views.save("  ", q)
    views.delete("Private, overdue")
    assert workstation.saved_views.all() == {}
    with pytest.raises(ValueError, match="no saved view"):
        views.delete("Private, overdue")


def test_an_edited_complaint_is_reindexed_once(workstation, book):
    with workstation.database.unit("t") as uow:
        k = uow.session.scalar(select(Complaint).where(Complaint.reference == "C-0001"))
        k.description = "Overdraft interest applied wrongly"
    search = workstation.search
    assert "complaint" not in search.search("twice")
    hits = search.search("overdraft")["complaint"]
    assert [h.title for h in hits] == ["C-0001"]


def test_kpis_count_every_overdue_client(workstation, book):
    with workstation.database.unit("t") as uow:  # their only contact was over a year ago
        for key in ("wang", "amal"):
            uow.session.add(Interaction(client_id=book[key], occurred_at=NOW - timedelta(days=400), channel="phone"))
    assert workstation.portfolio.count(PortfolioQuery(overdue_only=True)) == 3  # with Dmitri
    assert workstation.portfolio.kpis().overdue_contacts == 3


def test_update_keeps_masked_fields_as_stored_in_the_same_transaction(workstation):
    svc = workstation.clients
    cid = svc.create(ClientDraft(given_name="Ines", family_name="Moreau", date_of_birth=date(1970, 3, 4),
                                 tax_id="123 456 782"))
    # the editor never held the stored values: it sends blanks for them and asks to keep them
    svc.update(cid, ClientDraft(given_name="Inès", family_name="Moreau"), keep=("date_of_birth", "tax_id"))
    with workstation.database.reading() as s:
        c = s.get(Client, cid)
        assert (c.given_name, c.date_of_birth, c.tax_id) == ("Inès", date(1970, 3, 4), "123 456 782")
    svc.update(cid, ClientDraft(given_name="Inès", family_name="Moreau", tax_id="999"), keep=("date_of_birth",))
    with workstation.database.reading() as s:
        c = s.get(Client, cid)
        assert (c.date_of_birth, c.tax_id) == (date(1970, 3, 4), "999")
    with pytest.raises(ValueError, match="can be kept"):
        svc.update(cid, ClientDraft(given_name="X", family_name="Y"), keep=("given_name",))
