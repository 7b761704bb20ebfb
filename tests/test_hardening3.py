"""Hardening, third round (issue 28): each case was reproduced on the code before, by trying to
break it, and is checked here the way a user meets it (real processes, real files, other users)."""

from __future__ import annotations

import json
import os
import pwd
import resource
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import db_snapshot, write

from backchannel.api import Backchannel
from backchannel.cli import cli
from backchannel.config import Config, load_config
from backchannel.errors import BackchannelError
from backchannel.sample import generate_export
from backchannel.workspace import Workspace

IV = "acme-corp-2026-11-24"
SETPRIV = shutil.which("setpriv")


def run(db: Path, *args: str, **kwargs: object):
    return CliRunner().invoke(cli, ["--db", str(db), *args], **kwargs)


def one_line_error(result) -> str:
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output, result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    return lines[0]


def workspace_files(folder: Path, name: str = "ws.sqlite") -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(name))


def backchannel(*args: str, prefix: list[str] | None = None, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([*(prefix or []), sys.executable, "-m", "backchannel", *args], capture_output=True,
                          text=True, timeout=timeout)


@pytest.fixture
def loaded(tmp_path, sample_zip, sample_interviews) -> Path:
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(sample_zip)).exit_code == 0
    assert run(db, "import", "interviews", str(sample_interviews)).exit_code == 0
    return db


@pytest.fixture(scope="session")
def large_export(tmp_path_factory) -> Path:
    """An export whose import takes a good fraction of a second once the workspace exists."""
    return generate_export(tmp_path_factory.mktemp("large") / "Basic_LinkedInDataExport_large.zip", 20000, 20000)


def reader_only() -> list[str]:
    """A command prefix that runs as another user, who may read the test's files but write none
    of them (``nobody``, allowed to read and search everything so that it can run this Python).
    Not root: the caller makes its files read-only instead."""
    if os.geteuid() != 0:
        return []
    if SETPRIV is None:
        pytest.skip("root without setpriv: no other user to run as")
    nobody = pwd.getpwnam("nobody")
    return [SETPRIV, f"--reuid={nobody.pw_uid}", f"--regid={nobody.pw_gid}", "--clear-groups",
            "--inh-caps=+dac_read_search", "--ambient-caps=+dac_read_search"]


def without_overrides() -> list[str]:
    """A command prefix under which file permissions apply (root without the capabilities that
    override them); for files owned by ``nobody``."""
    if os.geteuid() != 0:
        return []
    if SETPRIV is None:
        pytest.skip("root without setpriv: permissions cannot be made to apply")
    return [SETPRIV, "--inh-caps=-all", "--bounding-set=-dac_override,-dac_read_search"]


# 7. Ctrl-C and out of memory in a first command ------------------------------------------------


def _interrupt_when(process: subprocess.Popen, ready: Path, delay: float) -> None:
    deadline = time.monotonic() + 60
    while not ready.exists() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.001)
    time.sleep(delay)
    process.send_signal(signal.SIGINT)


@pytest.mark.parametrize("delay", [0.0, 0.05, 0.2])
def test_ctrl_c_during_a_first_import_leaves_no_workspace(tmp_path, large_export, delay):
    db = tmp_path / "ws.sqlite"
    child = subprocess.Popen([sys.executable, "-m", "backchannel", "--db", str(db), "import", "linkedin",
                              str(large_export)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _interrupt_when(child, db, delay)  # the workspace exists: the import is under way
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130, (out, err)
    assert err.strip() == "Error: interrupted; nothing was changed"
    assert workspace_files(tmp_path) == []


def test_ctrl_c_during_an_import_into_a_workspace_leaves_it_as_it_was(loaded, large_export):
    before = db_snapshot(loaded)
    child = subprocess.Popen([sys.executable, "-m", "backchannel", "--db", str(loaded), "import", "linkedin", "--owner",
                              "Sam", str(large_export)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _interrupt_when(child, Path(str(loaded) + "-writer"), 0.0)  # inside the import's transaction
    out, err = child.communicate(timeout=60)
    assert child.returncode == 130 and err.strip() == "Error: interrupted; nothing was changed", (out, err)
    assert db_snapshot(loaded) == before
    assert not os.path.lexists(str(loaded) + "-writer")


def test_a_first_command_stopped_at_its_prompt_leaves_no_workspace(tmp_path):
    """Ctrl-D (or Ctrl-C) at `interview add`'s first prompt: click says "Aborted!"."""
    pexpect = pytest.importorskip("pexpect")
    db = tmp_path / "new" / "ws.sqlite"
    child = pexpect.spawn(sys.executable, ["-m", "backchannel", "--db", str(db), "interview", "add"],
                          encoding="utf-8", timeout=30, env=dict(os.environ))
    child.expect("Company")
    assert db.exists()  # the command that writes opened (and so created) it
    child.sendeof()
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 1 and "Aborted!" in child.before
    assert workspace_files(db.parent) == []


def test_a_first_command_that_fails_on_a_bug_leaves_no_workspace(tmp_path, sample_zip, monkeypatch):
    """Any exception, not only a user's error: a bug still shows its traceback, and leaves no
    empty workspace to puzzle over."""
    def broken(self, *args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(Backchannel, "import_linkedin", broken)
    db = tmp_path / "ws.sqlite"
    result = run(db, "import", "linkedin", str(sample_zip))
    assert isinstance(result.exception, RuntimeError)
    assert workspace_files(tmp_path) == []


@pytest.mark.slow
def test_out_of_memory_in_a_first_import_is_one_line_and_leaves_no_workspace(tmp_path, large_export):
    """Under an address-space limit (ulimit -v) an import runs out of memory somewhere: in
    Python, numpy or Arrow. Wherever it does in Python's reach, the user reads one line.

    Arrow's own C++ code sometimes dies outright when an allocation fails (SIGSEGV, or
    std::bad_alloc and abort) and its allocator, jemalloc, prints a line each time it cannot
    start a thread: neither is within Python's reach (see the README, "Reliability"), so such
    a run is only counted, and jemalloc's lines are set aside; now and then it
    hangs instead (killed after a minute, counted the same). At the higher limits the import
    may also fit (malloc's address space varies with its threads' arenas): its workspace is
    removed, so that every run is a first import."""
    db = tmp_path / "ws.sqlite"
    one_liners = 0
    for limit_mib in (300, 400, 500, 600) * 2:
        def limited(limit: int = limit_mib << 20) -> None:
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))

        try:
            result = subprocess.run([sys.executable, "-m", "backchannel", "--db", str(db), "import", "linkedin",
                                     str(large_export)], capture_output=True, text=True, timeout=60,
                                    preexec_fn=limited)
        except subprocess.TimeoutExpired:  # stuck in native code (a thread Arrow could not start): killed
            for name in workspace_files(tmp_path):
                (tmp_path / name).unlink()
            continue
        assert "Traceback" not in result.stderr, (limit_mib, result.stderr[-3000:])
        lines = [line for line in result.stderr.splitlines() if line.strip() and not line.startswith("<jemalloc>")]
        if result.returncode == 0:  # it fitted: the next run is a first import again
            for name in workspace_files(tmp_path):
                (tmp_path / name).unlink()
            continue
        if result.returncode < 0 or not lines or not lines[-1].startswith("Error: "):
            for name in workspace_files(tmp_path):  # died in native code: nothing ran to clean up
                (tmp_path / name).unlink()
            continue
        assert result.returncode == 1 and lines == [
            "Error: out of memory while running `backchannel import linkedin`; nothing was changed: close other "
            "programs or raise the memory limit, and try again"], (limit_mib, lines)
        assert workspace_files(tmp_path) == [], limit_mib
        one_liners += 1
    assert one_liners >= 1


# 8. the config is checked --------------------------------------------------------------------


@pytest.mark.parametrize("text, key", [
    ("[ties]\nmessages = nan\n", "ties.messages"),
    ("[ties]\nmessages = -0.5\n", "ties.messages"),
    ('[ties]\nmessages = "high"\n', "ties.messages"),
    ("[ranking]\nmutual = inf\n", "ranking.mutual"),
    ("[ranking]\ncolleague = 1.5\n", "ranking.colleague"),
    ("[ranking]\nwilling_scale = 0\n", "ranking.willing_scale"),
    ("ties = 0.5\n", "ties"),
    ("back_channel_count = -5\n", "back_channel_count"),
    ("back_channel_count = 1000000\n", "back_channel_count"),
    ("back_channel_count = 2.5\n", "back_channel_count"),
    ("back_channel_count = true\n", "back_channel_count"),
    ("timezone = 5\n", "timezone"),
    ('timezone = "Mars/Olympus"\n', "timezone"),
    ('language = ["ru"]\n', "language"),
    ('language = "fr"\n', "language"),
    ('country = "XX"\n', "country"),
    ("templates_dir = 3\n", "templates_dir"),
    ('templates_dir = "~/no-such-drafts"\n', "templates_dir"),
    ('[companies.aliases]\n"Alphabet" = 1\n', "companies.aliases.Alphabet"),
    ("companies = 1\n", "companies"),
    ("email = 3\n", "email"),
    ('email = ["me@example.com", 4]\n', "email"),
    ('email = "not an address"\n', "email"),
    ("[ties]\nmessages = 0\nrecommendation = 0\nendorsements = 0\ninvitation_note = 0\nduration = 0\n"
     "shared_employer = 0\ngroup_threads = 0\n", "ties"),
])
def test_a_bad_config_value_is_one_line_naming_the_file_and_key(loaded, tmp_path, text, key):
    config = write(tmp_path / "config.toml", text)
    before = db_snapshot(loaded)
    for command in (["rank", IV, "--format", "json"], ["plan"], ["done", "jane-roe/email"]):
        message = one_line_error(CliRunner().invoke(cli, ["--db", str(loaded), "--config", str(config), *command]))
        assert message.startswith(f"Error: {config}: {key}: "), message
    assert db_snapshot(loaded) == before


def test_a_first_command_with_a_bad_config_creates_no_workspace(tmp_path, sample_zip):
    config = write(tmp_path / "config.toml", "[ties]\nmessages = nan\n")
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), "--config", str(config), "import",
                                      "linkedin", str(sample_zip)])
    assert "ties.messages" in one_line_error(result)
    assert workspace_files(tmp_path) == []


def test_weights_in_range_rank_as_valid_json(loaded, tmp_path):
    config = write(tmp_path / "config.toml", "[ties]\nmessages = 1.0\nduration = 0\n[ranking]\nmutual = 0.5\n")
    result = CliRunner().invoke(cli, ["--db", str(loaded), "--config", str(config), "rank", IV, "--format", "json"])
    assert result.exit_code == 0, result.output

    def refuse(constant: str) -> float:
        raise AssertionError(f"{constant} in JSON")

    rows = json.loads(result.output, parse_constant=refuse)
    scores = [row["score"] for row in rows]
    assert scores == sorted(scores, reverse=True) and all(0 <= s <= 1 for s in scores)


def test_unknown_keys_are_named_once_on_stderr_and_ignored(loaded, tmp_path):
    config = write(tmp_path / "config.toml", 'timezone = "UTC"\nlangauge = "ru"\n[ties]\nmesages = 0.9\n'
                                             "[ranking]\nmutual = 0.9\n")
    result = CliRunner().invoke(cli, ["--db", str(loaded), "--config", str(config), "plan", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [f"Warning: {config}: unknown keys ignored: langauge, ties.mesages"]
    json.loads(result.stdout)  # stdout stays data


def test_the_config_file_must_be_a_regular_file_and_is_never_waited_on(loaded, tmp_path):
    fifo = tmp_path / "config.toml"
    os.mkfifo(fifo)
    started = time.monotonic()
    result = backchannel("--db", str(loaded), "--config", str(fifo), "plan", timeout=30)
    assert time.monotonic() - started < 20
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.strip() == (f"Error: {fifo}: the config file is a pipe or a device, not a file; point "
                                     "--config (or BACKCHANNEL_CONFIG) at a TOML file")


def test_an_unreadable_config_folder_is_one_line_on_every_command(loaded, tmp_path):
    folder = tmp_path / "config"
    config = write(folder / "config.toml", 'language = "en"\n')
    prefix = without_overrides()
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chmod(folder, 0o700 if os.geteuid() == 0 else 0o000)
    try:
        for command in (["plan"], ["interviews"], ["done", "jane-roe/email"]):
            result = backchannel("--db", str(loaded), "--config", str(config), *command, prefix=prefix)
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert result.stderr.strip() == f"Error: {config}: cannot read the config file (Permission denied)"
    finally:
        os.chmod(folder, 0o700)


def test_email_is_your_own_addresses_a_string_or_a_list(tmp_path):
    one = load_config(write(tmp_path / "one.toml", 'email = " Me@Example.com "\n'))
    assert one.emails == ["me@example.com"]
    many = load_config(write(tmp_path / "many.toml", 'email = ["me@example.com", "ME@work.example.org", '
                                                     '"me@example.com"]\n'))
    assert many.emails == ["me@example.com", "me@work.example.org"]
    assert load_config(write(tmp_path / "none.toml", 'language = "ru"\n')).emails == []
    with pytest.raises(BackchannelError, match=r"email: 'me@localhost' is not a mail address"):
        load_config(write(tmp_path / "bad.toml", 'email = ["me@localhost"]\n'))


def test_the_ranking_weights_checked_are_those_the_ranking_reads():
    from backchannel.config import RANKING_WEIGHTS
    from backchannel.rank import EVIDENCE_STRENGTH

    assert set(RANKING_WEIGHTS) == set(EVIDENCE_STRENGTH) | {"colleague", "willing_scale"}


# 9. a workspace you may only read ------------------------------------------------------------


@pytest.fixture
def shared(loaded) -> Iterator[Path]:
    """A copy of the loaded workspace, alone in a folder another user can reach (pytest's own
    folder is its user's alone), with no -wal or -shm beside it."""
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix="backchannel-shared-"))
    db = folder / "ws.sqlite"
    with sqlite3.connect(loaded) as source, sqlite3.connect(db) as copy:
        source.backup(copy)
    source.close()
    copy.close()
    yield db
    os.chmod(folder, 0o700)
    shutil.rmtree(folder, ignore_errors=True)


def _make_read_only_for_the_other_user(db: Path) -> None:
    if os.geteuid() == 0:  # root's files, readable by all: nobody reads, cannot write
        os.chmod(db, 0o644)
        os.chmod(db.parent, 0o755)
    else:
        os.chmod(db, 0o444)
        os.chmod(db.parent, 0o555)


READS = [["interviews", "--format", "json"], ["plan", "--format", "json"], ["rank", IV, "--format", "json"],
         ["people", "--top", "5", "--format", "json"], ["due", "--format", "json"], ["today", "--format", "json"],
         ["draft", "jane-roe/email", "--format", "json"]]


def test_a_workspace_you_may_only_read_is_read(shared, sample_interviews):
    loaded = shared
    interviews = shutil.copy(sample_interviews, loaded.parent / "interviews.csv")
    for _ in range(2):  # (the second time: with the dates the owner's drafts proposed, which they keep)
        owner = {tuple(c): backchannel("--db", str(loaded), *c).stdout for c in READS}
    folder = loaded.parent
    prefix = reader_only()
    before = db_snapshot(loaded)
    _make_read_only_for_the_other_user(loaded)
    try:
        for command in READS:
            result = backchannel("--db", str(loaded), *command, prefix=prefix)
            assert result.returncode == 0, (command, result.stderr)
            assert result.stdout == owner[tuple(command)], command
        for command in (["done", "jane-roe/email"], ["import", "interviews", str(interviews)],
                        ["close", IV, "--outcome", "offer"]):
            result = backchannel("--db", str(loaded), *command, prefix=prefix)
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert "the workspace is read-only here" in result.stderr and len(result.stderr.splitlines()) == 1
        assert workspace_files(folder) == ["ws.sqlite"]  # no -wal, -shm or lock note left behind
    finally:
        os.chmod(folder, 0o700)
        os.chmod(loaded, 0o600)
    assert db_snapshot(loaded) == before


def test_a_workspace_you_may_only_read_shows_what_its_owner_is_writing(shared):
    """While the owner has it open (its -wal holds changes not yet in the file), another user
    reads the latest state, never the file alone."""
    loaded = shared
    prefix = reader_only()
    owner = sqlite3.connect(loaded, isolation_level=None)
    owner.execute("PRAGMA wal_autocheckpoint = 0")
    owner.execute("UPDATE interviews SET company = 'Acme Renamed'")
    assert Path(str(loaded) + "-wal").stat().st_size > 0
    _make_read_only_for_the_other_user(loaded)
    for name in ("-wal", "-shm"):
        os.chmod(str(loaded) + name, 0o644 if os.geteuid() == 0 else 0o444)
    try:
        result = backchannel("--db", str(loaded), "interviews", "--format", "json", prefix=prefix)
        assert result.returncode == 0, result.stderr
        assert json.loads(result.stdout)[0]["company"] == "Acme Renamed"
    finally:
        owner.close()
        os.chmod(loaded.parent, 0o700)
        os.chmod(loaded, 0o600)


def test_a_workspace_in_a_folder_you_may_not_enter_is_one_line(tmp_path, sample_interviews):
    folder = tmp_path / "theirs"
    folder.mkdir()
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(folder, nobody.pw_uid, nobody.pw_gid)
    os.chmod(folder, 0o700 if os.geteuid() == 0 else 0o000)
    db = folder / "ws.sqlite"
    try:
        for command in (["plan"], ["import", "interviews", str(sample_interviews)]):
            result = backchannel("--db", str(db), *command, prefix=without_overrides())
            assert result.returncode == 1 and "Traceback" not in result.stderr, result.stderr
            assert result.stderr.strip() == f"Error: {db}: cannot open the workspace (Permission denied)"
    finally:
        os.chmod(folder, 0o700)


def test_read_only_can_be_asked_for(loaded):
    before = db_snapshot(loaded)
    with Workspace(loaded, read_only=True) as ws:
        assert ws.read_only and ws.interview_ids() == [IV]
        with pytest.raises(BackchannelError, match="read-only here"), ws.transaction():
            pass
    assert db_snapshot(loaded) == before


# 10. the lock note ---------------------------------------------------------------------------


def test_the_lock_note_is_never_written_through_a_link(loaded, tmp_path):
    victim = write(tmp_path / "victim.txt", "precious\n")
    note = Path(str(loaded) + "-writer")
    note.symlink_to(victim)
    result = run(loaded, "done", "jane-roe/email", "--at", "2026-11-24T18:00-05:00")
    assert result.exit_code == 0, result.output
    assert victim.read_text() == "precious\n"
    assert not os.path.lexists(note)  # the planted link was removed, and so was the command's note


def test_another_users_file_in_the_notes_place_is_left_alone(loaded, tmp_path):
    note = Path(str(loaded) + "-writer")
    note.write_text("theirs\n")
    if os.geteuid() == 0:
        os.chown(note, pwd.getpwnam("nobody").pw_uid, -1)
    else:
        pytest.skip("only root can make a file another user's")
    result = run(loaded, "done", "jane-roe/email", "--at", "2026-11-24T18:00-05:00")
    assert result.exit_code == 0, result.output
    assert note.read_text() == "theirs\n"


WAIT = """
import sys
from backchannel.errors import BackchannelError
from backchannel.workspace import Workspace
ws = Workspace(sys.argv[1], busy_seconds=0.5)
try:
    with ws.transaction():
        pass
except BackchannelError as exc:
    print(exc)
"""


def test_a_pipe_in_the_notes_place_never_blocks_a_waiting_writer(loaded):
    note = Path(str(loaded) + "-writer")
    os.mkfifo(note)
    holder = sqlite3.connect(loaded, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        waiting = subprocess.run([sys.executable, "-c", WAIT, str(loaded)], capture_output=True, text=True,
                                 timeout=30)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert "the workspace is busy: another command is writing to it" in waiting.stdout, waiting
    assert stat.S_ISFIFO(os.lstat(note).st_mode)


def test_the_lock_note_names_the_command_not_the_workspace(tmp_path, large_export):
    db = tmp_path / "w.sqlite"
    note = Path(str(db) + "-writer")
    child = subprocess.Popen([sys.executable, "-m", "backchannel", "--db", str(db), "import", "linkedin",
                              str(large_export)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    seen = None
    while child.poll() is None and seen is None:
        try:
            seen = json.loads(note.read_text())
        except (OSError, ValueError):
            time.sleep(0.0005)
    child.communicate(timeout=60)
    assert child.returncode == 0
    assert seen is not None and seen["command"] == "import linkedin" and seen["pid"] == child.pid


@pytest.mark.parametrize("args, command", [
    (["done", "jane-roe/email", "--at", "2026-11-24T18:00-05:00"], "done"),
    (["interview", "person", IV, "jane-roe", "--title", "CTO"], "interview person"),
    (["close", IV, "--outcome", "offer"], "close"),
])
def test_a_writer_records_its_command(loaded, monkeypatch, args, command):
    recorded = []
    original = Workspace.__init__

    def spy(self, *a, **kw):
        recorded.append(kw.get("command"))
        original(self, *a, **kw)

    monkeypatch.setattr(Workspace, "__init__", spy)
    result = run(loaded, *args)
    assert result.exit_code == 0, result.output
    assert recorded == [command]


# 11. times the clock skips, and modes whatever the umask -------------------------------------


def test_a_time_the_clocks_skip_is_refused_with_the_time_meant(loaded, tmp_path):
    config = write(tmp_path / "config.toml", 'timezone = "America/New_York"\n')
    before = db_snapshot(loaded)
    for args in (["interview", "add", "--company", "Gap", "--date", "2026-03-08 02:30", "--interviewer", "A B"],
                 ["done", "jane-roe/email", "--at", "2026-03-08T02:30"]):
        result = CliRunner().invoke(cli, ["--db", str(loaded), "--config", str(config), *args])
        assert one_line_error(result).endswith(
            "2026-03-08 02:30 does not exist in America/New_York: clocks jump from 02:00 to 03:00 that day; "
            "did you mean 03:30?")
    assert db_snapshot(loaded) == before


def test_a_time_the_clocks_skip_in_the_interviews_file_names_the_line(tmp_path):
    iv = write(tmp_path / "iv.csv", "company,date,role,name\nAcme,2026-11-24 14:00,interviewer,A B\n"
                                    "Gap,2026-03-29 02:30,interviewer,C D\n")
    config = write(tmp_path / "config.toml", 'timezone = "Europe/Berlin"\n')
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "ws.sqlite"), "--config", str(config), "import",
                                      "interviews", str(iv)])
    message = one_line_error(result)
    assert "iv.csv, line 3" in message and "does not exist in Europe/Berlin" in message and "03:30?" in message
    assert workspace_files(tmp_path) == []


def test_a_time_the_clocks_show_twice_is_the_first(tmp_path):
    with Backchannel(tmp_path / "ws.sqlite", config=Config(timezone="America/New_York")) as app:
        assert app.parse_time("2026-11-01 01:30").isoformat() == "2026-11-01T01:30:00-04:00"


@pytest.mark.parametrize("umask", [0o000, 0o022, 0o277])
def test_folders_are_700_and_files_600_whatever_the_umask(tmp_path, umask, sample_interviews):
    demo = tmp_path / "demo" / "nested"
    result = subprocess.run([sys.executable, "-m", "backchannel", "demo", str(demo)], capture_output=True, text=True,
                            timeout=300, preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    db = tmp_path / "data" / "deeper" / "ws.sqlite"
    result = subprocess.run([sys.executable, "-m", "backchannel", "--db", str(db), "import", "interviews",
                             str(sample_interviews)], capture_output=True, text=True, timeout=120,
                            preexec_fn=lambda: os.umask(umask))
    assert result.returncode == 0, result.stderr
    for folder in (tmp_path / "demo", demo, tmp_path / "data", db.parent):
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700, folder
    files = [*demo.iterdir(), db]
    assert {p.name for p in demo.iterdir()} >= {"workspace.sqlite", "map.html", "report.html", "interviews.csv"}
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600, path


def test_an_existing_folder_keeps_its_mode(tmp_path, sample_interviews):
    shared = tmp_path / "shared"
    shared.mkdir(mode=0o755)
    os.chmod(shared, 0o755)
    assert run(shared / "ws.sqlite", "import", "interviews", str(sample_interviews)).exit_code == 0
    assert stat.S_IMODE(shared.stat().st_mode) == 0o755
