"""Shared fixtures: fast real profiles, and a private Secret Service for keyring tests."""

from __future__ import annotations

import os
import shutil
import subprocess
import time

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")  # tests never need a screen

from app.store.keys import KdfParams

PASSPHRASE = "correct horse battery"


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """No test ever reads or writes the developer's real profile."""
    monkeypatch.setenv("RMDESK_HOME", str(tmp_path / "default-profile"))


@pytest.fixture
def fast_kdf() -> KdfParams:
    return KdfParams.fast_for_tests()


@pytest.fixture
def workstation(tmp_path, fast_kdf):
    """A real SQLCipher passphrase profile, unlocked."""
    from app.services.workstation import create_profile

    ws = create_profile("passphrase", PASSPHRASE, tmp_path / "profile", kdf=fast_kdf)
    yield ws
    ws.lock()


@pytest.fixture
def db(workstation):
    return workstation.database


def _need(binary: str) -> str:
    path = shutil.which(binary)
    if path is None:
        if os.environ.get("CI"):
            pytest.fail(f"{binary} is required in CI (.ci/run installs it)")
        pytest.skip(f"{binary} is not installed; .ci/run installs it")
    return path


@pytest.fixture(scope="session")
def secret_service(tmp_path_factory):
    """gnome-keyring's Secret Service on a private D-Bus session bus, unlocked, torn down afterwards."""
    dbus = _need("dbus-daemon")
    gkd = _need("gnome-keyring-daemon")
    home = tmp_path_factory.mktemp("keyring-home")
    env = dict(os.environ, HOME=str(home), XDG_RUNTIME_DIR=str(home), XDG_DATA_HOME=str(home / "data"))
    bus = subprocess.Popen([dbus, "--session", "--nofork", "--print-address=1"], stdout=subprocess.PIPE,
                           env=env, text=True)
    address = bus.stdout.readline().strip()
    env["DBUS_SESSION_BUS_ADDRESS"] = address
    unlock = subprocess.run([gkd, "--unlock", "--components=secrets", "--replace"], input="test-pw",
                            env=env, capture_output=True, text=True, timeout=30)
    for line in unlock.stdout.splitlines():
        if "=" in line:
            k, v = line.split("=", 1)
            env[k] = v
    saved = {k: os.environ.get(k) for k in ("DBUS_SESSION_BUS_ADDRESS", "HOME", "XDG_RUNTIME_DIR")}
    os.environ.update({k: env[k] for k in saved})
    time.sleep(0.5)
    try:
        yield env
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
        subprocess.run(["pkill", "-f", f"gnome-keyring-daemon.*{home}"], check=False)
        subprocess.run(["pkill", "-u", str(os.getuid()), "-f", "gnome-keyring-daemon --unlock"], check=False)
        bus.terminate()
        bus.wait(timeout=10)
