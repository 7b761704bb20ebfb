"""Issue 27.2: a newer LinkedIn export tells the plan what you wrote and what was answered on
LinkedIn, as your mail does: messages with an interview's people (known by profile address)
after the interview log the touches they fulfil, listed, once, and undone for good by `undo`."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from conftest import INTERVIEW_ID

from backchannel.api import Backchannel
from backchannel.cli import cli
from backchannel.config import Config
from backchannel.readers.messages import count_messages

EST = ZoneInfo("America/New_York")
ME = "https://www.linkedin.com/in/alex-morgan-5b1"  # the sample export's owner
SAM = "https://www.linkedin.com/in/sam-patel-2f9"  # the interviews file gives Sam's profile
CHRIS = "https://www.linkedin.com/in/chris-lee-31"  # the referrer, matched to a connection by name
SECRET = "my salary expectations are 123456"
HEADER = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,"
          "CONTENT,FOLDER,IS MESSAGE DRAFT,IS CONVERSATION DRAFT")


def utc(text: str) -> str:
    """A New York wall time as messages.csv writes dates (UTC)."""
    return datetime.fromisoformat(text).replace(tzinfo=EST).astimezone(ZoneInfo("UTC")).strftime("%Y-%m-%d %H:%M:%S UTC")


def row(conv: str, sender: tuple[str, str], to: tuple[str, str], when: str, *, draft: str = "No") -> str:
    return f"{conv},,{sender[0]},{sender[1]},{to[0]},{to[1]},{utc(when)},,{SECRET},INBOX,{draft},No"


ALEX, SAM_P, CHRIS_L = ("Alex Morgan", ME), ("Sam Patel", SAM), ("Chris Lee", CHRIS)
NEW_MESSAGES = [
    row("2-sam", ALEX, SAM_P, "2026-11-23T10:00"),  # arranging the interview: before it, logs nothing
    row("2-sam", ALEX, SAM_P, "2026-11-24T20:15"),  # the thank-you to Sam, on LinkedIn
    row("2-chris", ALEX, CHRIS_L, "2026-11-24T21:00"),  # thanking the referrer
    row("2-sam", SAM_P, ALEX, "2026-11-25T09:00"),  # Sam answers
    row("2-sam", ALEX, SAM_P, "2026-11-25T10:00", draft="Yes"),  # a draft is no message
    row("2-dana", ALEX, ("Dana Lane", "https://www.linkedin.com/in/dana-lane-1"), "2026-11-25T11:00"),
]


def newer_export(sample_zip: Path, folder: Path, rows: list[str]) -> Path:
    """The sample export downloaded again on 26 Nov, its messages.csv holding ``rows`` more."""
    target = folder / "Basic_LinkedInDataExport_11-26-2026.zip"
    with zipfile.ZipFile(sample_zip) as src, zipfile.ZipFile(target, "w") as out:
        for name in src.namelist():
            data = src.read(name)
            if name == "messages.csv":
                data = data.rstrip(b"\r\n") + b"\n" + "\n".join(rows).encode() + b"\n"
            out.writestr(name, data)
    return target


@pytest.fixture
def later(app, tmp_path) -> Backchannel:
    """The sample workspace on Thursday 26 Nov at 10:00 in New York."""
    target = tmp_path / "later.sqlite"
    with sqlite3.connect(app.workspace.path) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    bc = Backchannel(target, config=Config(timezone="America/New_York"),
                     clock=lambda: datetime(2026, 11, 26, 10, 0, tzinfo=EST))
    yield bc
    bc.close()


def status(bc: Backchannel, handle: str) -> dict:
    return next(r for r in bc.plan(INTERVIEW_ID).to_records() if r["handle"] == handle)


def test_a_newer_export_logs_what_you_wrote_and_what_they_answered(later, sample_zip, tmp_path):
    summary = later.import_linkedin(newer_export(sample_zip, tmp_path, NEW_MESSAGES))
    logged = [(x.touch.handle, x.event.event, x.event.at.astimezone(EST).strftime("%d %H:%M"), x.event.source)
              for x in summary.followups.logged]
    assert logged == [("sam-patel/email", "done", "24 20:15", "linkedin"),
                      ("chris-lee/thanks", "done", "24 21:00", "linkedin"),
                      ("sam-patel/email", "replied", "25 09:00", "linkedin")]
    sam = status(later, "sam-patel/email")
    assert sam["status"] == "done" and sam["next_contact"]  # booked as `done --at` books it
    assert status(later, "jane-roe/email")["status"] != "done"  # nobody wrote Jane on LinkedIn


def test_the_same_export_again_changes_nothing_and_undo_stays_undone(later, sample_zip, tmp_path):
    export = newer_export(sample_zip, tmp_path, NEW_MESSAGES)
    later.import_linkedin(export)
    again = later.import_linkedin(export)
    assert again.followups is None or not again.followups.logged
    later.undo("sam-patel/email")  # the reply
    later.undo("sam-patel/email")  # the thank-you: you say it was not
    third = later.import_linkedin(export)
    assert third.followups is None or not third.followups.logged
    assert status(later, "sam-patel/email")["status"] != "done"
    assert status(later, "chris-lee/thanks")["status"] == "done"


def test_what_you_logged_by_hand_stays_as_you_logged_it(later, sample_zip, tmp_path):
    later.done("sam-patel/email", at=datetime(2026, 11, 24, 20, 0, tzinfo=EST))
    summary = later.import_linkedin(newer_export(sample_zip, tmp_path, NEW_MESSAGES))
    assert [x.touch.handle for x in summary.followups.logged if x.event.event == "done"] == ["chris-lee/thanks"]
    assert any(x.person == "Sam Patel" and "by hand" in x.reason for x in summary.followups.left)


def test_the_import_lists_them_and_keeps_nothing_of_what_they_say(later, sample_zip, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    monkeypatch.setenv("BACKCHANNEL_TZ", "America/New_York")
    path = later.workspace.path
    later.close()
    export = newer_export(sample_zip, tmp_path, NEW_MESSAGES)
    result = CliRunner().invoke(cli, ["--db", str(path), "import", "linkedin", str(export)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    start = lines.index("  your messages with your interviews' people:")
    assert lines[start + 1:start + 5] == [
        "    sam-patel/email done Tue 24 Nov 20:15 EST (LinkedIn); next contact Fri 27 Nov 10:00 EST",
        "    chris-lee/thanks done Tue 24 Nov 21:00 EST (LinkedIn)",
        "    sam-patel/email replied Wed 25 Nov 09:00 EST (LinkedIn)",
        "  To take one back: backchannel undo HANDLE (it stays undone when you import this export again)."]
    assert SECRET.encode() not in path.read_bytes()
    plan = CliRunner().invoke(cli, ["--db", str(path), "plan"]).stdout
    assert [line.split()[0] for line in plan.splitlines() if "done (from LinkedIn)" in line] == \
        ["chris-lee/thanks", "sam-patel/email"]  # what the export logged, so you can check it
    second = CliRunner().invoke(cli, ["--db", str(path), "import", "linkedin", str(export)])
    assert "your messages with" not in second.stdout


def test_only_messages_from_the_first_interview_on_are_kept_as_they_are():
    data = "\n".join([HEADER, row("2-a", ALEX, SAM_P, "2026-10-01T09:00"), row("2-a", SAM_P, ALEX, "2026-11-25T09:00"),
                      row("2-a", ALEX, SAM_P, "2026-11-25T09:30", draft="Yes")]).encode() + b"\n"
    since = int(datetime(2026, 11, 24, tzinfo=EST).timestamp())
    groups = count_messages(lambda: io.BytesIO(data), "messages.csv", since=since, of=["linkedin.com/in/sam-patel-2f9"])
    assert [(r[1], r[2], r[3]) for r in groups.recent] == [(SAM, ME, since + 33 * 3600)]
    assert count_messages(lambda: io.BytesIO(data), "messages.csv").recent == []
    # only messages with the people watched: another's, or a slug that only begins like Sam's, are not kept
    others = count_messages(lambda: io.BytesIO(data), "messages.csv", since=since,
                            of=["linkedin.com/in/chris-lee-31", "linkedin.com/in/sam-patel-2f"])
    assert others.recent == []
    # a 2021 file does not say who a message went to: nothing to log from it
    old = data.replace(b",RECIPIENT PROFILE URLS", b"").replace(b"," + ME.encode() + b",", b",") \
        .replace(b"," + SAM.encode() + b",2026", b",2026")
    assert count_messages(lambda: io.BytesIO(old), "messages.csv", since=since,
                          of=["linkedin.com/in/sam-patel-2f9"]).recent == []


def test_a_message_is_known_again_whatever_the_order_of_its_recipients():
    from backchannel.readers.export import recent_messages

    one = recent_messages([("2-both", ME, f"{SAM},{CHRIS}", 1_790_000_000)])
    other = recent_messages([("2-both", ME, f"{CHRIS},{SAM}", 1_790_000_000)])
    assert one[0].message_hash == other[0].message_hash


def test_a_post_in_a_group_conversation_is_no_thank_you_and_no_answer(later, sample_zip, tmp_path):
    """"Happy Thanksgiving, all" in a group with Sam and Chris, and Sam's answer to the group:
    listed, never logged as his thank-you or his reply."""
    group = ("Sam Patel, Chris Lee", f'"{SAM},{CHRIS}"')
    post = row("2-team", ALEX, group, "2026-11-24T20:15").replace("Sam Patel, Chris Lee", '"Sam Patel, Chris Lee"')
    answer = row("2-team", SAM_P, ("Alex Morgan, Chris Lee", f'"{ME},{CHRIS}"'), "2026-11-25T09:00") \
        .replace("Alex Morgan, Chris Lee", '"Alex Morgan, Chris Lee"')
    summary = later.import_linkedin(newer_export(sample_zip, tmp_path, [post, answer]))
    assert summary.followups is not None and summary.followups.logged == []
    assert {x.person for x in summary.followups.left} == {"Sam Patel", "Chris Lee"}
    assert all("group conversation" in x.reason for x in summary.followups.left), summary.followups.left



def test_a_message_dated_after_now_is_counted_and_left_for_later(later, sample_zip, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    path = later.workspace.path
    later.close()
    export = newer_export(sample_zip, tmp_path, [row("2-sam", ALEX, SAM_P, "2026-11-28T09:00")])
    result = CliRunner().invoke(cli, ["--db", str(path), "import", "linkedin", str(export)])
    assert result.exit_code == 0, result.output
    assert "    left as they are: 1 dated in the future (read again later)" in result.stdout.splitlines()


def test_a_profile_address_a_browser_resolves_elsewhere_is_nobody_and_spam_in_any_case_is_spam():
    """``/in/sam-patel-2f9/../chris-lee-31`` opens Chris's profile: it is read as no one's, not
    Sam's; a message in a folder named "spam" is as much spam as one in "SPAM"."""
    from backchannel.identity import profile_key, profile_keys

    tricky = ["https://www.linkedin.com/in/sam-patel-2f9/../chris-lee-31", "https://www.linkedin.com/in/a/%2E%2E/b",
              "www.linkedin.com/in/alex-morgan-5b1/./x"]
    assert [profile_key(v) for v in tricky] == profile_keys(tricky) == ["", "", ""]
    assert profile_key("https://www.linkedin.com/in/jane.doe") == "linkedin.com/in/jane.doe"
    since = int(datetime(2026, 11, 24, tzinfo=EST).timestamp())
    data = "\n".join([HEADER, row("2-a", SAM_P, ALEX, "2026-11-25T09:00").replace("INBOX", "spam"),
                      row("2-a", SAM_P, ALEX, "2026-11-25T09:05")]).encode() + b"\n"
    groups = count_messages(lambda: io.BytesIO(data), "messages.csv", since=since, of=["linkedin.com/in/sam-patel-2f9"])
    assert len(groups.recent) == 1 and groups.skipped.counts == {"message in the spam folder": 1}


def test_a_friends_export_imported_as_yours_is_refused_and_taken_with_owner(later, sample_zip, tmp_path):
    """Katie's export, imported without --owner, would make her you (her name on your drafts,
    her messages as your touches): refused in one line, the workspace as it was."""
    from backchannel.errors import BackchannelError

    friend = tmp_path / "Basic_LinkedInDataExport_11-27-2026.zip"
    with zipfile.ZipFile(sample_zip) as src, zipfile.ZipFile(friend, "w") as out:
        for name in src.namelist():
            text = src.read(name).decode("utf-8")
            text = text.replace("alex-morgan-5b1", "katie-smith-9z").replace("Alex,Morgan", "Katie,Smith") \
                .replace("Alex Morgan", "Katie Smith")
            out.writestr(name, text.encode("utf-8"))
    with pytest.raises(BackchannelError, match=r"this export is Katie Smith's \(linkedin.com/in/katie-smith-9z\), "
                                               r"not yours \(Alex Morgan, .*--owner \"Katie Smith\""):
        later.import_linkedin(friend)
    assert later.workspace.your_name() == "Alex Morgan"
    later.import_linkedin(friend, owner="Katie Smith")
    assert later.workspace.your_name() == "Alex Morgan"
