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
