"""Changes to interviews hold: two at once never lose one, a re-imported file never undoes what
you set in the terminal, a renamed person stays one person, and a reply needs a message."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import INTERVIEW_ID, NOW, write

from backchannel.api import Backchannel
from backchannel.config import Config
from backchannel.errors import BackchannelError

IV_CSV = ("company,date,role,name,email,discreet\n"
          "Acme,2026-11-24T14:00-05:00,interviewer,Jane Roe,jane@acme.example,no\n"
          "Acme,2026-11-24T14:00-05:00,hiring-manager,Sam Patel,,no\n")


def _cli(db: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "backchannel", "--db", str(db), *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=os.environ.copy())


def _both(db: Path, a: list[str], b: list[str]) -> tuple[tuple[int, str], tuple[int, str]]:
    first, second = _cli(db, *a), _cli(db, *b)
    out = []
    for p in (first, second):
        stdout, stderr = p.communicate(timeout=120)
        out.append((p.returncode, stdout + stderr))
    return out[0], out[1]


@pytest.fixture
def workspace(tmp_path, sample_zip, sample_interviews) -> Path:
    db = tmp_path / "ws.sqlite"
    with Backchannel(db, config=Config()) as app:
        app.import_linkedin(sample_zip)
        app.import_interviews(sample_interviews)
    return db


@pytest.mark.slow
def test_two_edits_at_once_both_hold(workspace):
    for round_ in range(4):
        a, b = _both(workspace, ["interview", "edit", INTERVIEW_ID, "--topic", f"the ledger {round_}"],
                     ["interview", "edit", INTERVIEW_ID, "--position", f"Staff Engineer {round_}"])
        assert a[0] == b[0] == 0, (a, b)
        with Backchannel(workspace, config=Config(), create=False) as app:
            iv = app.workspace.interview(INTERVIEW_ID)
            assert (iv.topic, iv.position) == (f"the ledger {round_}", f"Staff Engineer {round_}")
    a, b = _both(workspace, ["interview", "person", INTERVIEW_ID, "Jane Roe", "--email", "jane.r@acme.example"],
                 ["interview", "edit", INTERVIEW_ID, "--topic", "on-call"])
    assert a[0] == b[0] == 0, (a, b)
    with Backchannel(workspace, config=Config(), create=False) as app:
        iv = app.workspace.interview(INTERVIEW_ID)
        assert iv.topic == "on-call" and iv.person("jane-roe").email == "jane.r@acme.example"


@pytest.mark.slow
def test_of_two_conflicting_changes_one_is_refused_in_one_line(workspace):
    add = ["interview", "add", "--company", "Hooli", "--date", "2026-12-01 10:00"]
    a, b = _both(workspace, [*add, "--interviewer", "Ann Alpha"], [*add, "--interviewer", "Ben Beta"])
    assert sorted((a[0], b[0])) == [0, 1], (a, b)
    loser = a if a[0] else b
    assert "already exists" in loser[1] and "Traceback" not in loser[1] and len(loser[1].strip().splitlines()) == 1
    with Backchannel(workspace, config=Config(), create=False) as app:
        names = [p.name for p in app.workspace.interview("hooli-2026-12-01").people]
        assert names in (["Ann Alpha"], ["Ben Beta"])  # the winner's people, not a mix
    a, b = _both(workspace, ["close", INTERVIEW_ID, "--outcome", "offer"],
                 ["close", INTERVIEW_ID, "--outcome", "rejected"])
    assert sorted((a[0], b[0])) == [0, 1], (a, b)
    assert "already closed" in (a if a[0] else b)[1]


def test_a_reimported_file_never_undoes_what_you_set_in_the_terminal(tmp_path):
    csv = write(tmp_path / "iv.csv", IV_CSV.replace(",discreet", "").replace(",no\n", "\n"))  # no discreet column
    old = NOW.timestamp() - 3600
    os.utime(csv, (old, old))  # saved an hour before now (the suite's clock)
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_interviews(csv)
        iv = "acme-2026-11-24"
        app.edit_interview(iv, discreet=True, position="Staff Engineer")
        app.set_person(iv, "Sam Patel", email="sam@acme.example", interests="jazz", notes="private")
        app.set_person(iv, "Lena Park", role="recruiter")
        report = app.import_interviews(csv)  # the same file again
        after = app.workspace.interview(iv)
        assert after.discreet and after.position == "Staff Engineer"  # columns the file lacks change nothing
        sam = after.person("sam-patel")
        assert (sam.email, sam.interests, sam.notes) == ("sam@acme.example", ["jazz"], "private")
        assert after.person("lena-park") is not None  # added in the terminal: kept
        assert any("kept Lena Park" in n for n in report.notes)
        # a file value that contradicts a later terminal edit: reported, the edit kept
        contradicting = write(tmp_path / "iv2.csv", IV_CSV)  # discreet = no, Jane's email as before
        os.utime(contradicting, (old, old))
        report = app.import_interviews(contradicting)
        assert app.workspace.interview(iv).discreet
        assert any("kept your discreet (yes)" in n and "--overwrite" in n for n in report.notes)
        app.import_interviews(contradicting, overwrite=True)
        assert not app.workspace.interview(iv).discreet
        # a file saved after the edit wins without a fuss
        app.edit_interview(iv, discreet=True)
        newer = write(tmp_path / "iv3.csv", IV_CSV)
        future = NOW.timestamp() + 3600
        os.utime(newer, (future, future))
        app.import_interviews(newer)
        assert not app.workspace.interview(iv).discreet


def test_a_corrected_name_is_the_same_person_and_keeps_their_touches(tmp_path):
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        app.import_interviews(write(tmp_path / "iv.csv", IV_CSV))
        iv = "acme-2026-11-24"
        app.done(f"{iv}/jane-roe/email", at=NOW)
        report = app.import_interviews(write(tmp_path / "iv.csv", IV_CSV.replace("Jane Roe", "Jane M. Roe")))
        people = [(p.slug, p.name) for p in app.workspace.interview(iv).people]
        assert ("jane-roe", "Jane M. Roe") in people and len(people) == 2  # no ghost
        assert any("Jane Roe is now Jane M. Roe" in n for n in report.notes)
        email = next(t for t in app.plan(iv) if t.handle == "jane-roe/email")
        assert email.status == "done" and email.person == "Jane M. Roe"


def test_a_reply_needs_a_message_and_is_noted_once(app):
    with pytest.raises(BackchannelError, match="was never sent"):
        app.replied("jane-roe/email")
    app.done("jane-roe/email", at=NOW)
    app.replied("jane-roe/email")
    with pytest.raises(BackchannelError, match="noted already"):
        app.replied("jane-roe/email")


def test_the_cli_prints_what_a_reimport_kept(tmp_path):
    from click.testing import CliRunner

    from backchannel.cli import cli

    db = tmp_path / "ws.sqlite"
    csv = write(tmp_path / "iv.csv", IV_CSV)
    os.utime(csv, (NOW.timestamp() - 3600,) * 2)
    runner = CliRunner()
    assert runner.invoke(cli, ["--db", str(db), "import", "interviews", str(csv)]).exit_code == 0
    assert runner.invoke(cli, ["--db", str(db), "interview", "edit", "acme-2026-11-24", "--discreet"]).exit_code == 0
    result = runner.invoke(cli, ["--db", str(db), "import", "interviews", str(csv), "--format", "json"])
    assert result.exit_code == 0 and "kept your discreet (yes)" in result.output
    json.loads(result.stdout)  # the notes go to stderr: stdout stays data
