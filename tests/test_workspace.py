"""The SQLite workspace: keys, re-imports, transactions, owners, permissions, concurrency, crashes."""

from __future__ import annotations

import os
import signal
import stat
import subprocess
import sys
import time

import pytest
from conftest import HEADER_2021, HEADER_2024, NOW, PREAMBLE, db_snapshot, write

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.errors import BackchannelError
from backchannel.sample import generate_export


def _app(path):
    return Backchannel(path, config=Config())


@pytest.fixture
def seeded(tmp_path, sample_zip):
    """A workspace with the sample imported, and a snapshot of every row in it."""
    db = tmp_path / "ws.sqlite"
    with _app(db) as app:
        app.import_linkedin(sample_zip)
    return db, db_snapshot(db)


def test_reimport_same_export_never_duplicates(tmp_path, sample_zip):
    with _app(tmp_path / "ws.sqlite") as app:
        first = app.import_linkedin(sample_zip)
        counts = app.workspace.counts()
        second = app.import_linkedin(sample_zip)
        assert (first.added, second.added, second.updated, second.unchanged) == (400, 0, 0, 400)
        assert app.workspace.counts() == counts


def test_newer_export_updates_people_in_place(tmp_path):
    old = write(tmp_path / "old" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,Initech,Engineer,05 Jun 2024\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,Acme,Manager,05 Jun 2024\n"
                "Sam,Lee,https://www.linkedin.com/in/sam-lee,,Acme,Engineer,01 Jul 2026\n")
    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(old)
        summary = app.import_linkedin(new)
        assert (summary.added, summary.updated, summary.unchanged) == (1, 1, 0)
        people = app.people().to_records()
        assert sorted((p["name"], p["company"]) for p in people) == [("Jane Roe", "Acme"), ("Sam Lee", "Acme")]


def test_old_export_without_addresses_then_new_one_with_them(tmp_path):
    old = write(tmp_path / "old" / "Connections.csv", PREAMBLE + HEADER_2021 + "Jane,Roe,,Acme,Engineer,05 Jun 2021\n")
    new = write(tmp_path / "new" / "Connections.csv", PREAMBLE + HEADER_2024 +
                "Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,Acme,Engineer,05 Jun 2021\n")
    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(old)
        app.import_linkedin(new)
        assert app.workspace.counts()["people"] == 1
        assert app.people().to_records()[0]["profile_url"] == "https://www.linkedin.com/in/jane-roe-1"


def test_same_name_different_people_are_kept_apart(tmp_path):
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                 "Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,Acme,Engineer,05 Jun 2024\n"
                 "Jane,Roe,https://www.linkedin.com/in/jane-roe-2,,Initech,Engineer,05 Jun 2023\n")
    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(path)
        assert app.workspace.counts()["people"] == 2


def test_failed_import_leaves_the_workspace_exactly_as_it_was(tmp_path, sample_zip, seeded):
    db, before = seeded
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "Connections.csv").write_bytes((PREAMBLE + HEADER_2024 + "Jane,Roe,,,Acme,x,05 Jun 2026\n").encode())
    (bad / "messages.csv").write_bytes(b"\x00\x00\xff\xfe garbage")
    with _app(db) as app, pytest.raises(BackchannelError):
        app.import_linkedin(bad)
    assert db_snapshot(db) == before


def test_error_inside_the_transaction_rolls_back(tmp_path, sample_zip, monkeypatch, seeded):
    db, before = seeded
    from backchannel import ingest

    def boom(*args, **kwargs):
        raise RuntimeError("disk fell off")

    monkeypatch.setattr(ingest, "co_thread_rows", boom)  # late in the import's transaction
    newer = generate_export(tmp_path / "Basic_LinkedInDataExport_12-01-2026.zip", 450, 100, seed=8)
    with _app(db) as app, pytest.raises(RuntimeError):
        app.import_linkedin(newer)
    assert db_snapshot(db) == before


def test_several_owners_coexist(tmp_path, sample_zip):
    katie = write(tmp_path / "katie" / "Connections.csv", PREAMBLE + HEADER_2024 +
                  "Jane,Roe,https://www.linkedin.com/in/jane-roe-7c1,,Acme Corp.,Engineering Manager,05 Jun 2024\n"
                  "Zed,Zero,https://www.linkedin.com/in/zed-zero,,Acme,Engineer,05 Jun 2024\n")
    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(sample_zip)
        summary = app.import_linkedin(katie, owner="Katie Smith")
        assert (summary.owner, summary.added, summary.unchanged) == ("Katie Smith", 1, 0) or summary.added == 1
        owners = [(o["name"], o["is_self"]) for o in app.workspace.owners()]
        assert owners == [("Alex Morgan", 1), ("Katie Smith", 0)]
        assert app.workspace.counts()["people"] == 401
        # your own connections are unchanged by Katie's export
        assert len(app.people().to_records()) == 400


def test_the_connection_table_is_the_connections_in_their_order(tmp_path, sample_zip):
    """The whole-network map reads connections as tuples: the same people, fields and order."""
    from backchannel.workspace import CONNECTION_TABLE_FIELDS

    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(sample_zip)
        ws = app.workspace
        me = ws.self_owner()["id"]
        rows = ws.connections(me)
        table = ws.connection_table(me)
        assert len(table) == len(rows) == 400
        assert [dict(zip(CONNECTION_TABLE_FIELDS, t, strict=True)) for t in table] == \
            [{f: r[f] for f in CONNECTION_TABLE_FIELDS} for r in rows]
        assert sum(1 for r in rows if r["messages_sent"]) > 50  # the facts came along, not only the people


def test_workspace_file_is_private(tmp_path):
    db = tmp_path / "new-dir" / "deeper" / "ws.sqlite"
    with _app(db):
        pass
    assert stat.S_IMODE(os.stat(db).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(db.parent).st_mode) == 0o700


def test_not_a_workspace_is_a_clear_error(tmp_path):
    bogus = tmp_path / "bogus.sqlite"
    bogus.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(BackchannelError, match="not a backchannel workspace"):
        Backchannel(bogus, config=Config())


def test_the_log_survives_reimports(tmp_path, sample_zip, sample_interviews):
    with _app(tmp_path / "ws.sqlite") as app:
        app.import_linkedin(sample_zip)
        app.import_interviews(sample_interviews)
        app.done("jane-roe/email")
        app.done("omar-haddad/back-channel")
        app.import_linkedin(sample_zip)
        app.import_interviews(sample_interviews)
        done = {t["handle"] for t in app.plan(at=NOW).to_records() if t["status"] == "done"}
        assert done == {"jane-roe/email", "omar-haddad/back-channel"}


IMPORT_SCRIPT = """
import sys
from backchannel.api import Backchannel
from backchannel.config import Config
app = Backchannel(sys.argv[1], config=Config())
s = app.import_linkedin(sys.argv[2])
print(s.added, s.updated, s.unchanged)
"""


@pytest.mark.slow
def test_imports_at_once_all_succeed(tmp_path):
    db = tmp_path / "ws.sqlite"
    exports = [generate_export(tmp_path / f"{n}.zip", 3000, 20000, seed=n) for n in (1, 2, 3)]
    # three commands on a workspace that does not exist yet: they race to create it, then to write
    procs = [subprocess.Popen([sys.executable, "-c", IMPORT_SCRIPT, str(db), str(p)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for p in exports]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0, 0], results
    from backchannel.readers.export import read_export

    expected = {c.url_key for p in exports for c in read_export(p).connections}
    with _app(db) as app:
        # nothing lost: every person of both exports is there once
        assert app.workspace.counts()["people"] == len(expected)
        assert app.workspace.counts()["connections"] == len(expected)


@pytest.mark.slow
def test_kill_9_during_import_leaves_workspace_as_before(tmp_path, sample_zip, seeded):
    db, before = seeded
    big = generate_export(tmp_path / "big.zip", 20000, 150000, seed=3)
    script = IMPORT_SCRIPT.replace("s = app.import_linkedin(sys.argv[2])", """
from backchannel import workspace
original = workspace.Workspace._resolve_interviews
def slow(self, *a, **k):
    original(self, *a, **k)
    print("in-transaction", flush=True)
    import time; time.sleep(60)
workspace.Workspace._resolve_interviews = slow
s = app.import_linkedin(sys.argv[2])""")
    proc = subprocess.Popen([sys.executable, "-c", script, str(db), str(big)], stdout=subprocess.PIPE, text=True)
    assert proc.stdout.readline().strip() == "in-transaction"  # the writes are made, not committed
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert db_snapshot(db) == before
    with _app(db) as app:
        summary = app.import_linkedin(big)
        assert summary.added > 19000


@pytest.mark.slow
def test_killed_import_at_random_moments(tmp_path, sample_zip, seeded):
    """Kill -9 an import at several moments; each time the workspace is intact and usable."""
    db, before = seeded
    big = generate_export(tmp_path / "big.zip", 30000, 200000, seed=4)
    from backchannel.readers.export import read_export

    committed = len({c.url_key for p in (sample_zip, big) for c in read_export(p).connections})
    outcomes = []
    for delay in (0.5, 0.9, 1.3):
        proc = subprocess.Popen([sys.executable, "-c", IMPORT_SCRIPT, str(db), str(big)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        snap = db_snapshot(db)
        # either untouched, or the whole import committed before the kill: never half of it
        assert snap == before or len(snap["people"]) == committed
        outcomes.append("before" if snap == before else "committed")
    assert "before" in outcomes  # at least one kill landed inside the import
    with _app(db) as app:
        assert app.workspace._conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        app.import_linkedin(big)
        assert app.workspace.counts()["people"] == committed


def test_schema_is_versioned(tmp_path):
    import sqlite3

    from backchannel.workspace import SCHEMA_VERSION

    db = tmp_path / "ws.sqlite"
    with _app(db):
        pass
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    with pytest.raises(BackchannelError, match="newer than this backchannel"):
        _app(db)
