"""The unlock screen does not wait for every service: they load on first use or in warm_up()."""

from __future__ import annotations

import json
import subprocess
import sys

from app.services.portfolio import PortfolioQuery

CHECK = """
import json, sys
import app.services.workstation as w
before = {m: m in sys.modules for m in ("reportlab", "icalendar", "app.services.complaints", "rapidfuzz")}
w.warm_up()
after = {m: m in sys.modules for m in w.SERVICE_MODULES}
print(json.dumps({"before": before, "after": after}))
"""


def test_services_load_on_warm_up_not_with_the_workstation_module():
    out = subprocess.run([sys.executable, "-c", CHECK], capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert not any(seen["before"].values()), seen["before"]
    assert all(seen["after"].values()), seen["after"]


def test_every_service_property_still_answers(workstation):
    for name in ("portfolio", "saved_views", "clients", "complaints", "schedule", "search", "reports"):
        assert getattr(workstation, name) is not None, name
    assert workstation.portfolio.count(PortfolioQuery()) == 0


FIRST_SCREEN = """
import json, sys
from app.services.profile_lookup import unlock_keys
from app.services import workstation as w
home, passphrase = sys.argv[1], sys.argv[2]
w.warm_up("unlock")
ws = w.open_profile(passphrase, home, keys=unlock_keys(home, passphrase))
from app.services.portfolio import PortfolioQuery
q = PortfolioQuery(text="a", sort="aum", descending=True)
seen = {"page": len(ws.portfolio.page(q, 0).rows), "count": ws.portfolio.count(q),
        "clients": ws.portfolio.kpis().clients, "segments": len(ws.portfolio.filter_options().segments),
        "locale": ws.settings.all()["user.locale"], "views": sorted(ws.saved_views.all()), "user": ws.user.username}
seen["models_loaded"] = "app.store.models" in sys.modules
seen["orm_loaded"] = "sqlalchemy.orm" in sys.modules
w.warm_up("areas")
ws.settings.set("user.locale", "en_GB")  # a write still goes through the ORM unit of work
seen["after_write"] = ws.settings.get("user.locale")
ws.lock()
print(json.dumps(seen))
"""


def test_first_screen_is_read_without_the_orm_models(tmp_path, fast_kdf):
    """Importing the 44 models and configuring their mappers is most of a second: the first screen
    (page, count, KPIs, filter choices, settings, saved views, the user) must not wait for it."""
    from app.services.demo import generate_demo_book
    from app.services.workstation import create_profile
    from tests.conftest import PASSPHRASE

    home = tmp_path / "profile"
    ws = create_profile("passphrase", PASSPHRASE, home, kdf=fast_kdf)
    generate_demo_book(ws.database, clients=40, seed=3)
    expected = {"count": ws.portfolio.count(PortfolioQuery(text="a")), "user": ws.user.username}
    ws.lock()
    out = subprocess.run([sys.executable, "-c", FIRST_SCREEN, str(home), PASSPHRASE],
                         capture_output=True, text=True, check=True)
    seen = json.loads(out.stdout)
    assert seen["models_loaded"] is False and seen["orm_loaded"] is False
    assert seen["count"] == expected["count"] > 0 and seen["page"] == seen["count"]
    assert seen["clients"] == 40 and seen["segments"] > 0 and seen["user"] == expected["user"]
    assert seen["locale"] == "en_AU" and seen["after_write"] == "en_GB"
