"""Hardening: each case was reproduced on the first release by trying to break it, made small."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER_2024, NOW, PREAMBLE, db_snapshot, write

from backchannel.api import Backchannel
from backchannel.cli import cli
from backchannel.config import Config
from backchannel.errors import BackchannelError
from backchannel.workspace import APPLICATION_ID, Workspace

DATA = Path(__file__).parent / "data"
IV = "acme-corp-2026-11-24"


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


@pytest.fixture
def loaded(tmp_path, sample_zip, sample_interviews) -> Path:
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(sample_zip)).exit_code == 0
    assert run(db, "import", "interviews", str(sample_interviews)).exit_code == 0
    return db


# 1. far dates -------------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["done", "jane-roe/email", "--next", "9999-12-31T23:00"],
    ["due", "--at", "0001-01-01T00:00+05:00"],
    ["plan", "--at", "2201-01-01"],
    ["interview", "add", "--company", "Far", "--date", "9999-12-31", "--interviewer", "X Y"],
])
def test_a_far_date_is_one_line_and_changes_nothing(loaded, args):
    before = db_snapshot(loaded)
    assert "between 1900 and 2200" in one_line_error(run(loaded, *args))
    assert db_snapshot(loaded) == before


def test_a_far_interview_date_in_the_file_names_the_line(tmp_path):
    iv = write(tmp_path / "iv.csv", "company,date,role,name\nAcme,2026-11-24,interviewer,A B\nAcme,9999-12-31,"
                                    "interviewer,C D\n")
    assert "iv.csv, line 3" in one_line_error(run(tmp_path / "ws.sqlite", "import", "interviews", str(iv)))


def test_a_first_release_workspace_with_a_far_date_is_migrated_and_works(tmp_path):
    db = tmp_path / "workspace.sqlite"
    shutil.copy(DATA / "workspace-v1.sqlite", db)
    for args in (["due", "--at", "2026-11-25T10:00"], ["plan", "--format", "json", "--at", "2026-11-25T10:00"],
                 ["draft", "jane-roe/note", "--at", "2026-11-25T20:00"], ["close", "acme-2026-11-24",
                                                                        "--outcome", "offer"]):
        result = run(db, *args)
        assert result.exit_code == 0, (args, result.output)
    conn = sqlite3.connect(db)
    assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
    events = conn.execute("SELECT touch_id, next_at, checkin_id FROM touch_events ORDER BY seq").fetchall()
    conn.close()
    # what was logged survives; the 9999 commitment the first release accepted is dropped
    assert events == [("acme-2026-11-24/thank-you-email/jane-roe", "2026-11-27T10:00:00-05:00",
                       "acme-2026-11-24/check-in/jane-roe-1"),
                      ("acme-2026-11-24/thank-you-email/sam-patel", None, None)]


def test_a_next_contact_in_another_year_shows_its_year(loaded):
    out = run(loaded, "done", "jane-roe/email", "--at", "2026-11-24T20:00", "--next", "2030-01-05T10:00").output
    assert "Next contact: Sat 5 Jan 2030 10:00" in out and "at Tue 24 Nov 20:00 UTC." in out


# 2. other applications' files ---------------------------------------------------------------


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("command", [["people"], ["import", "interviews", "x.csv"], ["plan"]])
def test_another_applications_sqlite_file_is_refused_before_a_byte_changes(tmp_path, command):
    folder = tmp_path / "firefox"
    folder.mkdir()
    places = folder / "places.sqlite"
    conn = sqlite3.connect(places)
    conn.execute("CREATE TABLE moz_places(id INTEGER PRIMARY KEY, url TEXT)")
    conn.execute("INSERT INTO moz_places(url) VALUES ('https://example.com')")
    conn.commit()
    conn.close()
    digest = _digest(places)
    message = one_line_error(run(places, *command))
    assert "not a backchannel workspace" in message and "another application" in message
    assert _digest(places) == digest
    assert sorted(p.name for p in folder.iterdir()) == ["places.sqlite"]  # no -wal, no -shm


def test_a_file_that_is_not_sqlite_is_refused(tmp_path):
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes " * 50)
    assert "not an SQLite file" in one_line_error(run(notes, "people"))
    assert notes.read_text() == "my notes " * 50


# 3. a small archive of long rows ---------------------------------------------------------------


def test_a_small_archive_of_very_long_fields_does_not_fill_the_workspace(tmp_path):
    """Thousands of rows just under the row limit, each a 60,000-character position, in a
    ZIP of a few hundred KiB: those rows are skipped and counted, the real person kept, and
    the workspace stays small."""
    import zipfile

    rows = "".join(f'Lee,Long{i},https://www.linkedin.com/in/long-{i},,Acme,{"x" * 60_000},05 Jun 2024\n'
                   for i in range(2000))
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("Connections.csv", PREAMBLE + HEADER_2024 + rows +
                   "Jane,Roe,https://www.linkedin.com/in/jane-roe,,Acme,Engineer,05 Jun 2024\n")
    assert archive.stat().st_size < 1_000_000
    db = tmp_path / "ws.sqlite"
    result = run(db, "import", "linkedin", str(archive))
    assert result.exit_code == 0, result.output
    assert "skipped 2000 rows: a field longer than 1,000 characters" in result.output
    assert "people: 1 added" in result.output
    assert db.stat().st_size < 2_000_000


# 5. two `done` at once ------------------------------------------------------------------------


HOLD = """
import sqlite3, sys, time
conn = sqlite3.connect(sys.argv[1], isolation_level=None)
conn.execute("BEGIN IMMEDIATE")
print("held", flush=True)
time.sleep(float(sys.argv[2]))
conn.execute("COMMIT")
"""


def _cli(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "backchannel", "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow
def test_two_writers_at_once_both_book_their_check_in(loaded):
    for handle in ("jane-roe/email", "sam-patel/email"):
        assert run(loaded, "done", handle, "--at", "2026-11-24T18:00-05:00").exit_code == 0
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(loaded), "2"], stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    # two commitments at once, in whichever order the lock grants them
    first = _cli(loaded, "replied", "jane-roe/email", "--at", "2026-11-26T10:05-05:00", "--next", "2026-12-08")
    second = _cli(loaded, "replied", "sam-patel/email", "--at", "2026-11-26T11:00-05:00", "--next", "2026-12-10")
    outs = [p.communicate(timeout=120) for p in (first, second)]
    holder.wait(timeout=30)
    assert first.returncode == 0 and second.returncode == 0, outs
    with Backchannel(loaded, config=Config()) as app:
        booked = [e.checkin_id for e in app.workspace.events(IV) if e.checkin_id]
    assert len(booked) == 4 and len(set(booked)) == 4


@pytest.mark.slow
def test_a_writer_that_gives_up_names_the_command_holding_the_lock(loaded):
    note = Path(str(loaded) + "-writer")
    sleeper = subprocess.Popen([sys.executable, "-c", HOLD, str(loaded), "4"], stdout=subprocess.PIPE, text=True)
    assert sleeper.stdout.readline().strip() == "held"
    note.write_text(json.dumps({"pid": sleeper.pid, "command": "import linkedin", "since": "2026-11-25T10:02:03+00:00"}))
    try:
        ws = Workspace(loaded, busy_seconds=0.5)
        with pytest.raises(BackchannelError, match=r"busy: `backchannel import linkedin` \(process \d+, since 10:02:03"), \
                ws.transaction():
            pass
        ws.close()
    finally:
        sleeper.wait(timeout=30)
        note.unlink(missing_ok=True)


# 6. escapes on a terminal ---------------------------------------------------------------------


def test_csv_and_json_escape_control_characters_only_on_a_terminal():
    from backchannel.output import render

    rows = [{"name": "Eve\x1b]0;pwned\x07\x1b[2J\u202eevil\x9b31m"}]
    for fmt in ("csv", "json"):
        shown = render(rows, fmt, terminal=True)
        assert not any(ch in shown for ch in "\x1b\x07\u202e\x9b"), shown
        exact = render(rows, fmt, terminal=False)
        assert "\x1b]0;pwned" in exact or "\\u001b]0;pwned" in exact
    assert json.loads(render(rows, "json", terminal=True))[0]["name"] == rows[0]["name"]
    assert json.loads(render(rows, "json", terminal=False))[0]["name"] == rows[0]["name"]


def test_a_real_terminal_never_gets_the_datas_escapes(tmp_path):
    pty = pytest.importorskip("pty")
    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   '"Eve\x1b[2J\u202e",Hack,https://www.linkedin.com/in/eve,,Acme,"=HYPERLINK(1)",05 Jun 2024\n')
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(export)).exit_code == 0
    for fmt in ("table", "csv", "json"):
        pid, fd = pty.fork()
        if pid == 0:  # the child: a terminal on stdout
            os.execvp(sys.executable, [sys.executable, "-m", "backchannel", "--db", str(db), "people", "--format", fmt])
        chunks = []
        while True:
            try:
                chunk = os.read(fd, 4096)
            except OSError:
                break
            if not chunk:
                break
            chunks.append(chunk)
        os.waitpid(pid, 0)
        shown = b"".join(chunks).decode("utf-8", "replace")
        assert "Eve" in shown and "\x1b[2J" not in shown and "\u202e" not in shown, (fmt, shown)


def test_piped_csv_carries_the_data_exactly(tmp_path):
    """Through a pipe, CSV keeps every character of the data (escape sequences included: the
    spreadsheet or script reading it decides); only a terminal gets them made visible."""
    export = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                   '"Eve\x1b[2J\u202e",Hack,https://www.linkedin.com/in/eve,,Acme,Engineer,05 Jun 2024\n')
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(export)).exit_code == 0
    for fmt in ("csv", "json"):
        out = subprocess.run([sys.executable, "-m", "backchannel", "--db", str(db), "people", "--format", fmt],
                             capture_output=True, check=True).stdout.decode("utf-8")
        assert "Eve\x1b[2J\u202e" in out or "Eve\\u001b[2J\u202e" in out, (fmt, out)


# 7. unwritable outputs ------------------------------------------------------------------------


@pytest.mark.parametrize("args", [
    ["map", IV, "-o", "/missing/dir/x.html"],
    ["map", "--all", "-o", "/missing/dir/x.html"],
    ["plan", IV, "--ics", "/missing/dir/x.ics"],
    ["report", IV, "-o", "/missing/dir/x.html"],
])
def test_an_unwritable_output_is_one_line(loaded, args):
    message = one_line_error(run(loaded, *args))
    assert "/missing/dir/x." in message


def test_a_failed_write_leaves_no_half_file(tmp_path, monkeypatch):
    from backchannel import output

    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "map.html"
    target.write_text("the old map")

    def broken(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(output.os, "replace", broken)
    with pytest.raises(BackchannelError, match="No space left on device"):
        output.write_atomically(target, "<html>" * 1000)
    assert target.read_text() == "the old map" and sorted(p.name for p in folder.iterdir()) == ["map.html"]


def test_files_you_write_are_yours_alone_unless_they_were_shared(loaded, tmp_path):
    """Maps and calendars hold personal data: new ones are created 0600, like the workspace;
    writing over a file you shared keeps its permissions."""
    ics, page = tmp_path / "plan.ics", tmp_path / "map.html"
    assert run(loaded, "plan", "--ics", str(ics)).exit_code == 0
    assert run(loaded, "map", "--all", "-o", str(page)).exit_code == 0
    assert [stat.S_IMODE(p.stat().st_mode) for p in (ics, page)] == [0o600, 0o600]
    page.chmod(0o644)
    assert run(loaded, "map", "--all", "-o", str(page)).exit_code == 0
    assert stat.S_IMODE(page.stat().st_mode) == 0o644


def test_a_link_is_written_through_and_a_pipe_or_device_is_never_replaced(loaded, tmp_path):
    """-o through a symbolic link writes its target and keeps the link; a FIFO is written to
    (a reader gets the page) and stays a FIFO; a device that refuses the bytes is one line and
    stays a device."""
    import threading

    real, link = tmp_path / "real.html", tmp_path / "link.html"
    real.write_text("the old map")
    link.symlink_to(real)
    assert run(loaded, "map", "--all", "-o", str(link)).exit_code == 0
    assert link.is_symlink() and real.read_text().startswith("<!DOCTYPE html>")
    fifo = tmp_path / "plan.ics"
    os.mkfifo(fifo)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()))
    reader.start()
    assert run(loaded, "plan", "--ics", str(fifo)).exit_code == 0
    reader.join(10)
    assert got and got[0].startswith(b"BEGIN:VCALENDAR") and stat.S_ISFIFO(fifo.stat().st_mode)
    if Path("/dev/full").exists():
        message = one_line_error(run(loaded, "map", "--all", "-o", "/dev/full"))
        assert "/dev/full" in message and "cannot write" in message
        assert stat.S_ISCHR(os.stat("/dev/full").st_mode)


# 9. a full disk -------------------------------------------------------------------------------


def test_a_full_disk_says_so_and_keeps_the_workspace(tmp_path, sample_zip, monkeypatch):
    db = tmp_path / "ws.sqlite"
    with Backchannel(db, config=Config()) as app:
        app.import_interviews(write(tmp_path / "iv.csv", "company,date,role,name\nAcme,2026-11-24,interviewer,A B\n"))
    before = db_snapshot(db)
    original = Workspace._open

    def small_disk(self, create):
        conn = original(self, create)
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        conn.execute(f"PRAGMA max_page_count = {pages + 5}")
        return conn

    monkeypatch.setattr(Workspace, "_open", small_disk)
    with Backchannel(db, config=Config()) as app, pytest.raises(BackchannelError, match="database or disk is full"):
        app.import_linkedin(sample_zip)
    monkeypatch.setattr(Workspace, "_open", original)
    assert db_snapshot(db) == before
    result = run(db, "import", "linkedin", str(sample_zip))
    assert result.exit_code == 0  # and it works once there is room


def test_an_io_error_on_a_full_disk_says_the_disk_is_full(tmp_path, monkeypatch):
    """SQLite reports some writes on a full disk as 'disk I/O error': with under a MiB free
    where the workspace lives, the user reads that the disk is full."""
    from backchannel.workspace import files

    error = sqlite3.OperationalError("disk I/O error")
    assert "workspace error (disk I/O error)" in str(files._sqlite_error(error, tmp_path / "ws.sqlite"))

    class Full:
        f_bavail, f_frsize = 3, 4096

    monkeypatch.setattr(files.os, "statvfs", lambda path: Full())
    assert "the disk is full" in str(files._sqlite_error(error, tmp_path / "ws.sqlite"))


# 11. duplicated interview rows ---------------------------------------------------------------


def test_identical_interview_rows_are_one_person(tmp_path, sample_zip):
    row = "Acme Corp.,2026-11-24T14:00:00-05:00,interviewer,Jane Roe\n"
    iv = write(tmp_path / "iv.csv", "company,date,role,name\n" + row * 3 +
               "Acme Corp.,2026-11-24T14:00:00-05:00,hiring-manager,jane roe\n")
    db = tmp_path / "ws.sqlite"
    result = run(db, "import", "interviews", str(iv))
    assert result.exit_code == 0
    assert result.output.count("duplicate:") == 3
    with Backchannel(db, config=Config()) as app:
        plan = app.plan(at=NOW).to_records()
        assert [t["handle"] for t in plan if t["kind"] == "thank-you-email"] == ["jane-roe/email"]
        assert app.workspace.interview(IV).people[0].role == "hiring-manager"  # the more decisive role


# 17.5 no workspace by accident ----------------------------------------------------------------


@pytest.mark.parametrize("command", [["people"], ["rank", IV], ["plan"], ["today"], ["due"], ["interviews"],
                                     ["draft", "x/email"], ["map", "--all", "-o", "x.html"], ["reconnect"]])
def test_a_read_command_on_a_missing_workspace_creates_nothing(tmp_path, command):
    db = tmp_path / "typo" / "deeper" / "ws.sqlite"
    message = one_line_error(run(db, *command))
    assert str(db) in message and "no workspace here" in message
    assert not (tmp_path / "typo").exists()


def test_a_read_command_on_an_empty_file_leaves_it_empty(tmp_path, sample_interviews):
    """--db pointed at an existing empty file (a typo for another file): a read says so and
    writes nothing; a command that writes makes it a workspace."""
    empty = tmp_path / "notes.txt"
    empty.touch()
    message = one_line_error(run(empty, "people"))
    assert str(empty) in message and "an empty file, not a workspace yet" in message
    assert empty.stat().st_size == 0 and [p.name for p in tmp_path.iterdir() if p.name.startswith("notes")] == \
        ["notes.txt"]  # no -wal, no -shm
    assert run(empty, "import", "interviews", str(sample_interviews)).exit_code == 0
    assert empty.stat().st_size > 0


def test_a_first_import_that_fails_leaves_no_workspace_behind(tmp_path, sample_zip):
    bad = tmp_path / "export.zip"
    bad.write_bytes(b"not a zip")
    db = tmp_path / "ws.sqlite"
    assert "damaged ZIP archive" in one_line_error(run(db, "import", "linkedin", str(bad)))
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("ws.sqlite")]
    assert run(db, "import", "linkedin", str(sample_zip)).exit_code == 0
    before = db_snapshot(db)
    assert "damaged ZIP archive" in one_line_error(run(db, "import", "linkedin", str(bad)))
    assert db_snapshot(db) == before  # a workspace that was there stays, untouched


def test_writers_create_the_workspace(tmp_path, sample_interviews):
    db = tmp_path / "new" / "ws.sqlite"
    assert run(db, "import", "interviews", str(sample_interviews)).exit_code == 0
    assert db.exists()


@pytest.mark.slow
def test_busy_waits_do_not_block_reads(loaded):
    sleeper = subprocess.Popen([sys.executable, "-c", HOLD, str(loaded), "3"], stdout=subprocess.PIPE, text=True)
    assert sleeper.stdout.readline().strip() == "held"
    started = time.monotonic()
    result = run(loaded, "people", "--top", "1")
    assert result.exit_code == 0 and time.monotonic() - started < 3  # WAL: readers never wait for a writer
    sleeper.wait(timeout=30)
