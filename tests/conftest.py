"""Test hygiene (STYLE habit 11): isolated settings, no network, no leaked threads."""

from __future__ import annotations

import os
import socket
import threading

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _isolated_dirs(tmp_path_factory, monkeypatch):
    base = tmp_path_factory.mktemp("lintas-home")
    monkeypatch.setenv("LINTAS_CONFIG_DIR", str(base / "config"))
    monkeypatch.setenv("LINTAS_LOG_DIR", str(base / "log"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(base / "xdg-config"))
    yield


class NetworkAccessError(AssertionError):
    pass


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    real_connect = socket.socket.connect

    def guarded(self, address):
        if self.family in (socket.AF_INET, socket.AF_INET6):
            raise NetworkAccessError(f"a test tried to open a network connection to {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(socket, "create_connection",
                        lambda *a, **k: (_ for _ in ()).throw(NetworkAccessError(f"network: {a!r}")))
    yield


@pytest.fixture(autouse=True)
def _no_leaked_threads():
    before = set(threading.enumerate())
    yield
    leaked = [t for t in threading.enumerate()
              if t not in before and t.is_alive() and not t.daemon]
    for t in leaked:
        t.join(timeout=5)
    still = [t.name for t in leaked if t.is_alive()]
    assert not still, f"test left threads running: {still}"


@pytest.fixture
def case_path(tmp_path):
    return tmp_path / "test.lintas"


@pytest.fixture
def new_case(case_path):
    """The path of a new, empty case, closed (for tests that run the command line on it)."""
    from workstation.case import Case

    Case.create(case_path, "test").close()
    return case_path


@pytest.fixture
def case(case_path):
    from workstation.case import Case

    c = Case.create(case_path, "Test case", ref="T-1")
    yield c
    c.close()
