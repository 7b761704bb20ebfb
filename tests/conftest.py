from __future__ import annotations

import os
from datetime import datetime, timezone
from pathlib import Path

import pytest

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.sample import generate_export, write_sample_interviews

INTERVIEW_AT = "2026-11-24T14:00:00-05:00"
INTERVIEW_ID = "acme-corp-2026-11-24"
NOW = datetime(2026, 11, 25, 15, 0, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def _isolated_user_dirs(tmp_path, monkeypatch):
    """No test touches a real home directory, workspace or config."""
    monkeypatch.setenv("BACKCHANNEL_DB", str(tmp_path / "default-workspace.sqlite"))
    monkeypatch.setenv("BACKCHANNEL_CONFIG", str(tmp_path / "no-config.toml"))
    monkeypatch.setenv("BACKCHANNEL_TZ", "UTC")
    # the clock every workspace and command reads: the suite passes on any day, in any zone
    monkeypatch.setenv("BACKCHANNEL_NOW", NOW.isoformat())
    home = tmp_path / "home"
    home.mkdir(exist_ok=True)
    monkeypatch.setenv("HOME", str(home))


@pytest.fixture(scope="session")
def sample_zip(tmp_path_factory) -> Path:
    return generate_export(tmp_path_factory.mktemp("export") / "Basic_LinkedInDataExport_11-20-2026.zip", 400, 4000)


@pytest.fixture(scope="session")
def sample_interviews(tmp_path_factory) -> Path:
    return write_sample_interviews(tmp_path_factory.mktemp("interviews") / "interviews.csv", INTERVIEW_AT)


@pytest.fixture
def app(tmp_path, sample_zip, sample_interviews) -> Backchannel:
    bc = Backchannel(tmp_path / "ws.sqlite", config=Config())
    bc.import_linkedin(sample_zip)
    bc.import_interviews(sample_interviews)
    yield bc
    bc.close()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


PREAMBLE = ('Notes:\n"When exporting your connection data, you may notice that some of the email addresses are '
            'missing. You will only see email addresses for connections who have allowed it."\n\n')
HEADER_2024 = "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
HEADER_2021 = "First Name,Last Name,Email Address,Company,Position,Connected On\n"


def db_snapshot(path: Path) -> dict:
    """Every row of every table: to prove a workspace is exactly as it was."""
    import sqlite3

    conn = sqlite3.connect(path)
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")]
    snap = {t: sorted(map(tuple, conn.execute(f"SELECT * FROM {t}")), key=repr) for t in tables}
    conn.close()
    return snap


os.environ.setdefault("PYTHONHASHSEED", "0")


def pytest_collection_modifyitems(config, items):
    """Browser tests run in the whole suite, not in the quick loop (`-m "not slow"`)."""
    for item in items:
        if item.get_closest_marker("browser") is not None:
            item.add_marker(pytest.mark.slow)
