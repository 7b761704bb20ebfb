"""Issue 27: the loop closes itself. Mail you sent and received logs the touches it fulfils;
an invitation makes (or moves) the interview. Mailboxes are written with the standard library's
``mailbox`` and ``email`` packages, invitations by hand in the shapes calendars send."""

from __future__ import annotations

import mailbox
import sqlite3
from datetime import datetime, timedelta
from email.message import EmailMessage
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from conftest import INTERVIEW_ID, db_snapshot, write

from backchannel.api import Backchannel
from backchannel.cli import cli
from backchannel.config import Config
from backchannel.sample import SAMPLE_USER_EMAIL, sample_invite

ME = SAMPLE_USER_EMAIL
JANE = "jane.roe@acme.example"  # in the sample interviews file
SAM = "sam.patel@acme.example"  # only the invitation knows it
CHRIS = "chris.lee@example.com"  # the referrer, in the sample interviews file
EST = ZoneInfo("America/New_York")
SECRET = "Salary expectations: 123456"


def at(text: str) -> datetime:
    """A wall time in New York, where the sample interview is (Tue 24 Nov 2026 14:00)."""
    return datetime.fromisoformat(text).replace(tzinfo=EST)


def message(sender: str, to: list[str], when: datetime, *, cc: list[str] = (), mid: str = "",
            subject: str = SECRET) -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = ", ".join(to)
    if cc:
        m["Cc"] = ", ".join(cc)
    m["Date"] = when.strftime("%a, %d %b %Y %H:%M:%S %z")
    m["Message-ID"] = f"<{mid or when.strftime('%Y%m%d%H%M%S')}@mail.example>"
    m["Subject"] = subject
    m.set_content(f"Dear you,\n\nFrom what we discussed: {SECRET}\n")
    return m


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for m in messages:
        entry = mailbox.mboxMessage(m)
        entry.set_from("MAILER-DAEMON", datetime(2026, 11, 25, 9, 0).timetuple())
        box.add(entry)
    box.close()
    return path


def takeout_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    """As Gmail Takeout writes it: its own From_ lines, CRLF line ends, and body lines that
    start with "From " left unescaped."""
    out = []
    for n, m in enumerate(messages):
        stamp = datetime(2026, 11, 25, 9, n).strftime("%a %b %d %H:%M:%S +0000 %Y")
        body = m.as_bytes().replace(b"\n", b"\r\n")
        out.append(f"From 178123456789012345{n}@xxx {stamp}\r\nX-Gmail-Labels: Sent\r\n".encode() + body + b"\r\n")
    path.write_bytes(b"".join(out))
    return path


def twin(app: Backchannel, tmp_path: Path, name: str, clock: datetime) -> Backchannel:
    """A copy of the sample workspace (as committed), with its own clock."""
    target = tmp_path / f"{name}.sqlite"
    src = sqlite3.connect(app.workspace.path)
    dst = sqlite3.connect(target)
    src.backup(dst)
    src.close()
    dst.close()
    return Backchannel(target, config=Config(), clock=lambda: clock)


@pytest.fixture
def later(app, tmp_path) -> Backchannel:
    """The sample workspace on Thursday 26 Nov at 10:00 in New York."""
    bc = twin(app, tmp_path, "later", at("2026-11-26T10:00"))
    yield bc
    bc.close()


def plan_rows(bc: Backchannel) -> list[dict]:
    return bc.plan(INTERVIEW_ID).to_records()


# --------------------------------------------------------------------------- mail you sent


def test_a_thank_you_sent_logs_the_email_exactly_as_done_at_would(app, tmp_path):
    """The thank-you to Jane at 19:30 logs jane-roe/email done then, booking the same next
    contact as `done --at`; the plan is the same either way."""
    clock = at("2026-11-26T10:00")
    by_mail, by_hand = twin(app, tmp_path, "mail", clock), twin(app, tmp_path, "hand", clock)
    box = write_mbox(tmp_path / "sent.mbox", [message(f"Alex Morgan <{ME}>", [f"Jane Roe <{JANE}>"],
                                                      at("2026-11-24T19:30"))])
    result = by_mail.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event, x.event.at) for x in result.log.logged] == [
        ("jane-roe/email", "done", at("2026-11-24T19:30"))]
    logged = by_hand.done("jane-roe/email", at=at("2026-11-24T19:30"))
    assert result.log.logged[0].event.next_at == logged.event.next_at == at("2026-11-26T10:00")  # two business days
    mailed, typed = plan_rows(by_mail), plan_rows(by_hand)
    assert [r.pop("done_via") for r in mailed if r["done_via"]] == ["mail"]  # the plan says what logged it
    assert [r.pop("done_via") for r in typed if r["done_via"]] == ["hand"]
    assert mailed == typed
    assert by_mail.workspace.events()[0].source == "mail" and by_hand.workspace.events()[0].source == "hand"
    by_mail.close()
    by_hand.close()


def test_nothing_of_what_a_message_says_is_kept(later, tmp_path):
    box = write_mbox(tmp_path / "sent.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    later.import_mail(box, me=[ME])
    later.workspace.close()
    stored = b"".join(p.read_bytes() for p in tmp_path.glob("later.sqlite*"))
    assert b"Salary" not in stored and b"123456" not in stored and b"Dear you" not in stored
    assert b"20261124" not in stored  # nor the Message-ID: only its hash


def test_a_gmail_takeout_mbox_with_crlf_encoded_names_and_from_lines_in_bodies(later, tmp_path):
    box = takeout_mbox(tmp_path / "takeout.mbox", [
        message(f"Alex Morgan <{ME}>", [f"=?UTF-8?B?SmFuZSBSb8Op?= <{JANE.upper()}>"], at("2026-11-24T19:30")),
        message(f"=?UTF-8?Q?Chris_L=C3=A9e?= <{CHRIS}>", [f"Alex <{ME}>"], at("2026-11-25T09:00")),
        message(f"Alex Morgan <{ME}>", [CHRIS], at("2026-11-24T20:15")),
    ])
    result = later.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event) for x in result.log.logged] == [
        ("jane-roe/email", "done"), ("chris-lee/thanks", "done"), ("chris-lee/thanks", "replied")]
    assert result.found == 3


def test_one_message_to_several_interview_people_logs_each_and_a_copy_is_only_listed(later, tmp_path):
    later.set_person(INTERVIEW_ID, "Sam Patel", email=SAM)
    later.set_person(INTERVIEW_ID, "Priya Nair", email="priya.nair@acme.example")
    box = write_mbox(tmp_path / "sent.mbox", [message(
        ME, [f"Jane Roe <{JANE}>", f'"Patel, Sam" <{SAM}>'], at("2026-11-24T19:30"), cc=["priya.nair@acme.example"])])
    result = later.import_mail(box, me=[ME])
    assert sorted(x.touch.handle for x in result.log.logged) == ["jane-roe/email", "sam-patel/email"]
    assert [(x.person, x.reason.split(":")[0]) for x in result.log.left] == [
        ("Priya Nair", "copied on your message to Jane Roe, Sam Patel")]
    assert {t["handle"]: t["status"] for t in plan_rows(later)}["priya-nair/email"] == "due"


def test_their_answer_notes_a_reply_once_and_drops_the_casual_touches(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [
        message(ME, [JANE], at("2026-11-24T19:30")),
        message(JANE, [ME], at("2026-11-25T08:05")),
        message(JANE, [ME], at("2026-11-25T08:40")),  # a second message in the thread
    ])
    result = later.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event) for x in result.log.logged] == [
        ("jane-roe/email", "done"), ("jane-roe/email", "replied")]
    assert [x.reason for x in result.log.left] == ["their answer to your last message (jane-roe/email) is noted "
                                                   "already"]
    plan = {t.handle: t for t in later.plan(INTERVIEW_ID)}
    assert plan["jane-roe/email"].replied_at == at("2026-11-25T08:05")
    casual = [t for h, t in plan.items() if h.startswith("jane-roe/casual")]
    assert casual and all(t.status == "cancelled" and t.closed_reason == "replied" for t in casual)


def test_an_out_of_office_reply_is_not_their_answer(later, tmp_path):
    away = message(JANE, [ME], at("2026-11-24T19:30:05"), mid="away")
    away["Auto-Submitted"] = "auto-replied"
    bounce = message("MAILER-DAEMON@mail.example", [ME], at("2026-11-24T19:31"), mid="bounce")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30")), away, bounce,
                                             message(JANE, [ME], at("2026-11-25T08:05"), mid="real")])
    result = later.import_mail(box, me=[ME])
    assert [(x.event.event, x.event.at) for x in result.log.logged] == [
        ("done", at("2026-11-24T19:30")), ("replied", at("2026-11-25T08:05"))]
    assert result.log.automatic == 1  # (the bounce is from nobody of the interview: not even counted)


def test_a_check_in_sent_an_hour_early_is_that_check_in(later, tmp_path):
    later.done("jane-roe/email", at=at("2026-11-24T19:30"))  # by hand: check-in 1 booked for Thu 26 Nov 10:00
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-26T09:00"))])
    result = later.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event) for x in result.log.logged] == [("jane-roe/check-in-1", "done")]
    assert result.log.logged[0].event.next_at == at("2026-12-03T10:00")  # five business days: unanswered once


def test_a_follow_up_in_the_same_exchange_is_not_the_check_in_you_promised(later, tmp_path):
    """The thank-you on Tuesday evening promised a check-in on Thursday; the code sample Jane
    asked for on Wednesday morning, and a resend minutes later, are follow-ups, and the check-in
    stays due on Thursday."""
    box = write_mbox(tmp_path / "mail.mbox", [
        message(ME, [JANE], at("2026-11-24T19:30"), mid="thanks"),
        message(ME, [JANE], at("2026-11-24T19:34"), mid="resend"),
        message(ME, [JANE], at("2026-11-25T09:30"), mid="sample"),
    ])
    result = later.import_mail(box, me=[ME])
    assert [x.touch.handle for x in result.log.logged] == ["jane-roe/email"]
    assert [x.reason for x in result.log.left] == [
        "a follow-up to your message of Wed 25 Nov 00:30 UTC (jane-roe/email): not a new touch"] * 2
    checkin = {t.handle: t for t in later.plan(INTERVIEW_ID)}["jane-roe/check-in-1"]
    assert checkin.is_open and checkin.due_from == at("2026-11-26T10:00")


def test_a_check_in_counts_from_the_eve_of_its_day_and_says_why_not_before(later, tmp_path):
    later.done("jane-roe/email", at=at("2026-11-24T19:30"))  # check-in 1 booked for Thu 26 Nov 10:00
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-25T20:00"), mid="early")])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == []
    assert result.log.left[0].reason == "too early for jane-roe/check-in-1 (due Thu 26 Nov 15:00 UTC): not logged"
    on_the_eve = write_mbox(tmp_path / "eve.mbox", [message(ME, [JANE], at("2026-11-25T22:30"), mid="eve")])
    assert [x.touch.handle for x in later.import_mail(on_the_eve).log.logged] == ["jane-roe/check-in-1"]


def test_a_message_to_someone_whose_touch_you_skipped_says_so(later, tmp_path):
    later.skip("jane-roe/email")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == [] and result.log.left[0].reason == "you skipped jane-roe/email: not logged"


def test_what_you_logged_by_hand_is_never_overridden(later, tmp_path):
    later.done("jane-roe/email", at=at("2026-11-24T20:10"))  # logged by hand, at about the time it was sent
    before = later.workspace.events()
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == []
    assert result.log.left[0].reason == ("you logged jane-roe/email done by hand (Wed 25 Nov 01:10 UTC): left as "
                                         "you logged it")
    assert later.workspace.events() == before


def test_an_older_mailbox_read_after_a_newer_one_gives_the_same_log_as_both_at_once(later, tmp_path):
    """The Sent folder of this week first, the Takeout of last week after: the thank-you is
    Tuesday's, and Thursday's message is the check-in, as when both are read at once."""
    later.set_person(INTERVIEW_ID, "Sam Patel", email=SAM)
    tuesday = message(ME, [SAM], at("2026-11-24T19:30"), mid="tue")
    thursday = message(ME, [SAM], at("2026-11-26T09:45"), mid="thu")
    both = twin(later, tmp_path, "both", at("2026-11-26T12:00"))
    together = both.import_mail(write_mbox(tmp_path / "both.mbox", [tuesday, thursday]), me=[ME])
    assert [(x.touch.handle, x.event.at) for x in together.log.logged] == [
        ("sam-patel/email", at("2026-11-24T19:30")), ("sam-patel/check-in-1", at("2026-11-26T09:45"))]
    newer_first = twin(later, tmp_path, "newer-first", at("2026-11-26T12:00"))
    first = newer_first.import_mail(write_mbox(tmp_path / "thu.mbox", [thursday]), me=[ME])
    assert [x.touch.handle for x in first.log.logged] == ["sam-patel/email"]  # (all it can know yet)
    second = newer_first.import_mail(write_mbox(tmp_path / "tue.mbox", [tuesday]))
    assert [(x.touch.handle, x.reread) for x in second.log.logged] == [("sam-patel/email", False),
                                                                      ("sam-patel/check-in-1", True)]
    assert plan_rows(newer_first) == plan_rows(both)
    assert newer_first.import_mail(tmp_path / "both.mbox").log.logged == []  # and read again, nothing changes
    both.close()
    newer_first.close()


def test_importing_the_same_mail_again_changes_nothing(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30")),
                                             message(JANE, [ME], at("2026-11-25T08:05"))])
    later.import_mail(box, me=[ME])
    later.workspace.close()
    snapshot = db_snapshot(tmp_path / "later.sqlite")
    with Backchannel(tmp_path / "later.sqlite", config=Config(), clock=later.clock) as again:
        result = again.import_mail(box)  # (the addresses given before are remembered)
    assert result.log.logged == [] and result.log.seen == 2
    assert db_snapshot(tmp_path / "later.sqlite") == snapshot


def test_a_follow_up_that_logged_nothing_leaves_the_log_alone_when_read_again(later, tmp_path):
    """The thank-you, the code sample a few minutes later (a follow-up: it logs nothing, so it
    stays unread), and Jane's answer: read again, the follow-up is older than the answer, yet
    nothing is rewritten and nothing is announced as logged."""
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"), mid="thanks"),
                                             message(ME, [JANE], at("2026-11-24T19:40"), mid="sample"),
                                             message(JANE, [ME], at("2026-11-25T08:05"), mid="answer")])
    first = later.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event) for x in first.log.logged] == [("jane-roe/email", "done"),
                                                                           ("jane-roe/email", "replied")]
    later.workspace.close()
    snapshot = db_snapshot(tmp_path / "later.sqlite")
    with Backchannel(tmp_path / "later.sqlite", config=Config(), clock=later.clock) as again:
        result = again.import_mail(box)
    assert result.log.logged == [] and result.log.removed == []
    assert [x.at for x in result.log.left] == [at("2026-11-24T19:40")]  # the follow-up, once, and why
    assert db_snapshot(tmp_path / "later.sqlite") == snapshot


def test_an_answer_to_a_message_you_logged_by_hand_later_is_still_their_answer(later, tmp_path):
    """You sent the thank-you on Tuesday evening and logged it by hand on Wednesday at noon,
    after Jane had answered in the morning: her answer is her reply to it."""
    later.done("jane-roe/email", at=at("2026-11-25T12:00"))
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"), mid="thanks"),
                                             message(JANE, [ME], at("2026-11-25T08:05"), mid="answer")])
    result = later.import_mail(box, me=[ME])
    assert [(x.touch.handle, x.event.event, x.event.at) for x in result.log.logged] == [
        ("jane-roe/email", "replied", at("2026-11-25T08:05"))]
    assert [x.reason.split(" (")[0] for x in result.log.left] == ["you logged jane-roe/email done by hand"]
    jane = next(r for r in plan_rows(later) if r["handle"] == "jane-roe/email")
    assert jane["replied_at"] and jane["done_via"] == "hand"


def test_mail_from_before_you_closed_the_interview_says_so(app, tmp_path):
    """Read after a close, a thank-you and its answer from before it log nothing, and say why:
    not "too early" for the keep-in-touch the close added, nor "you had not written"."""
    december = twin(app, tmp_path, "december", at("2026-12-10T10:00"))
    december.close_interview(INTERVIEW_ID, "rejected", at=at("2026-12-01T12:00"))
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"), mid="thanks"),
                                             message(JANE, [ME], at("2026-11-25T08:05"), mid="answer")])
    result = december.import_mail(box, me=[ME])
    assert result.log.logged == []
    assert [x.reason for x in result.log.left] == [
        "you closed the interview since (rejected, Tue 1 Dec 17:00 UTC): its touches from before were closed with "
        "it, as they were"] * 2
    december.close()


def test_a_greeting_to_many_people_is_not_their_thank_you(later, tmp_path):
    """Mail to Jane and forty friends is not Jane's thank-you; to Jane and Sam at once it is."""
    friends = [f"friend{n}@example.org" for n in range(40)]
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE, *friends], at("2026-11-24T19:30"), mid="all")])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == []
    assert [x.reason for x in result.log.left] == [
        "written to 41 people at once, 40 of them not of your interviews: not a message to them alone, not logged "
        "(log it by hand if it was)"]


def test_someone_whose_address_you_add_later_is_read_from_the_same_mail(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE, SAM], at("2026-11-24T19:30"))])
    assert [x.touch.handle for x in later.import_mail(box, me=[ME]).log.logged] == ["jane-roe/email"]
    later.set_person(INTERVIEW_ID, "Sam Patel", email=SAM)
    again = later.import_mail(box)
    assert [x.touch.handle for x in again.log.logged] == ["sam-patel/email"] and again.log.seen == 0
    assert later.import_mail(box).log.seen == 1


def test_undo_takes_one_back_and_it_stays_undone(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    later.import_mail(box, me=[ME])
    later.undo("jane-roe/email")
    assert later.workspace.events() == []
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == [] and result.log.seen == 1
    assert {t["handle"]: t["status"] for t in plan_rows(later)}["jane-roe/email"] != "done"


def test_a_dry_run_lists_and_writes_nothing(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    later.workspace.close()
    snapshot = db_snapshot(tmp_path / "later.sqlite")
    with Backchannel(tmp_path / "later.sqlite", config=Config(), clock=later.clock) as again:
        result = again.import_mail(box, me=[ME], dry_run=True)
    assert [x.touch.handle for x in result.log.logged] == ["jane-roe/email"]
    assert db_snapshot(tmp_path / "later.sqlite") == snapshot


def test_mail_before_the_interview_or_after_now_logs_nothing(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-23T10:00"), mid="arranging"),
                                             message(ME, [JANE], at("2026-11-27T10:00"), mid="tomorrow")])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == [] and (result.log.before, result.log.future) == (1, 1)


def test_a_recruiter_of_two_rounds_is_written_to_about_the_latest(later, tmp_path):
    later.set_person(INTERVIEW_ID, "Priya Nair", email="priya.nair@acme.example")
    later.add_interview(company="Acme Corp.", date="2026-12-01 14:00", people=[("recruiter", "Priya Nair")],
                        interview_id="acme-round-2")
    later.set_person("acme-round-2", "Priya Nair", email="priya.nair@acme.example")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, ["priya.nair@acme.example"], at("2026-11-24T19:40"))])
    result = later.import_mail(box, me=[ME])
    assert [x.handle for x in result.log.logged] == [f"{INTERVIEW_ID}/priya-nair/email"]  # round 2 is later


def test_without_your_address_the_command_says_so(tmp_path, sample_zip):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "linkedin", str(sample_zip)]).exit_code == 0
    result = runner.invoke(cli, ["import", "mail", str(box)])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        'Error: which addresses are yours? give --me ADDRESS (or set email = "..." in the config, or import an '
        "export with Email Addresses.csv)"]


def test_mail_read_before_any_interview_says_to_add_one_first(tmp_path, sample_zip):
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    runner = CliRunner()
    assert runner.invoke(cli, ["import", "linkedin", str(sample_zip)]).exit_code == 0
    result = runner.invoke(cli, ["import", "mail", str(box), "--me", ME])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[1] == (
        "  (you have no interviews yet: add one with backchannel interview add --from-invite FILE.ics, interview "
        "add or import interviews, then read your mail again)")


def test_mail_sent_from_an_address_not_given_as_yours_is_named(later, tmp_path):
    box = write_mbox(tmp_path / "mail.mbox", [message("alex@morgan.example", [JANE], at("2026-11-24T19:30"))])
    result = later.import_mail(box, me=[ME])
    assert result.log.logged == [] and result.log.seen == 0
    assert result.log.strangers == {"alex@morgan.example": 1}
    assert [x.touch.handle for x in later.import_mail(box, me=["alex@morgan.example"]).log.logged] == [
        "jane-roe/email"]


def test_an_invitation_or_no_path_given_to_import_mail_says_what_to_do(app, tmp_path):
    invite = write(tmp_path / "invite.ics", invite_text())
    db = str(app.workspace.path)
    result = CliRunner().invoke(cli, ["--db", db, "import", "mail", str(invite), "--me", ME])
    assert result.exit_code == 1 and "is a calendar invitation, not mail: backchannel interview add " \
        "--from-invite" in result.output
    empty = CliRunner().invoke(cli, ["--db", db, "import", "mail", "", "--me", ME])
    assert empty.exit_code == 1 and empty.output.startswith("Error: give the path of your mail")


def test_not_a_mailbox_is_a_one_line_error_and_the_workspace_is_untouched(app, tmp_path):
    bad = write(tmp_path / "notes.txt", "just some notes\n")
    app.workspace.close()
    snapshot = db_snapshot(app.workspace.path)
    result = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "import", "mail", str(bad), "--me", ME])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "notes.txt" in result.output and "Traceback" not in result.output
    assert db_snapshot(app.workspace.path) == snapshot


def test_the_command_lists_every_change_with_its_handle_and_time(app, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    monkeypatch.setenv("BACKCHANNEL_TZ", "America/New_York")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30")),
                                             message(JANE, [ME], at("2026-11-25T08:05"))])
    db = str(app.workspace.path)
    app.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", "mail", str(box), "--me", ME])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Read 2 messages in mail.mbox: 2 to or from the people of your interviews (as you: alex.morgan@example.com).",
        "Logged:",
        "  jane-roe/email done Tue 24 Nov 19:30 EST (mail); next contact Fri 27 Nov 10:00 EST",
        "  jane-roe/email replied Wed 25 Nov 08:05 EST (mail)",
        "To take one back: backchannel undo HANDLE (it stays undone when you import this mail again).",
    ]
    undo = CliRunner().invoke(cli, ["--db", db, "undo", "jane-roe/email"])
    assert undo.exit_code == 0 and "replied" in undo.output


def test_an_address_given_to_me_by_mistake_is_forgotten_with_not_me(app, tmp_path, monkeypatch):
    """A typo given to --me is remembered, and shown on the first line; --not-me forgets it,
    and the next import no longer takes it as yours."""
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    db = str(app.workspace.path)
    app.close()
    runner = CliRunner()

    def first_line(*args: str) -> str:
        result = runner.invoke(cli, ["--db", db, "import", "mail", str(box), *args])
        assert result.exit_code == 0, result.output
        return result.output.splitlines()[0]

    assert first_line("--me", ME, "--me", "alex.mrogan@example.com").endswith(
        "(as you: alex.morgan@example.com, alex.mrogan@example.com).")
    assert first_line("--not-me", "Alex.Mrogan@example.com").endswith("(as you: alex.morgan@example.com).")
    assert first_line().endswith("(as you: alex.morgan@example.com).")  # forgotten for good
    wrong = runner.invoke(cli, ["--db", db, "import", "mail", str(box), "--not-me", "nobody"])
    assert wrong.exit_code != 0 and "--not-me: 'nobody' is not a mail address" in wrong.output


# --------------------------------------------------------------------------- invitations


def invite_text(*, uid: str = "uid-1@acme.example", sequence: int = 0, start: str = "20261203T100000",
                tzid: str = "America/Los_Angeles", summary: str = "Interview with Hooli",
                method: str = "REQUEST", organizer: str = "recruiter@hooli.example",
                attendees: tuple[str, ...] = ('CN="Roe, Jane":mailto:jane@hooli.example',
                                              f"CN=Alex Morgan:mailto:{ME}")) -> str:
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Google Inc//Google Calendar 70.9054//EN",
             f"METHOD:{method}", "BEGIN:VEVENT", f"DTSTART;TZID={tzid}:{start}",
             f"DTEND;TZID={tzid}:{start[:9]}{int(start[9:11]) + 2:02d}0000", "DTSTAMP:20261125T120000Z",
             f"ORGANIZER;CN=Rita Recruiter:mailto:{organizer}", f"UID:{uid}",
             *[f"ATTENDEE;CUTYPE=INDIVIDUAL;ROLE=REQ-PARTICIPANT;PARTSTAT=ACCEPTED;{a}" for a in attendees],
             f"SEQUENCE:{sequence}", f"SUMMARY:{summary}",
             f"STATUS:{'CANCELLED' if method == 'CANCEL' else 'CONFIRMED'}", "END:VEVENT", "END:VCALENDAR"]
    return "\r\n".join(lines) + "\r\n"


def test_an_invitation_makes_the_interview_with_its_people_zone_and_addresses(app, tmp_path):
    path = write(tmp_path / "invite.ics", invite_text())
    change = app.add_from_invite(path, me=[ME])
    assert (change.interview, change.action) == ("hooli-2026-12-03", "added")
    iv = app.workspace.interview("hooli-2026-12-03")
    assert (iv.company, iv.tz, iv.at, iv.ends) == ("Hooli", "America/Los_Angeles",
                                                    datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("America/Los_Angeles")),
                                                    datetime(2026, 12, 3, 12, tzinfo=ZoneInfo("America/Los_Angeles")))
    assert sorted((p.name, p.role, p.email) for p in iv.people) == [
        ("Jane Roe", "interviewer", "jane@hooli.example"), ("Rita Recruiter", "recruiter", "recruiter@hooli.example")]
    plan = {t.handle: t for t in app.plan("hooli-2026-12-03")}
    # a two-hour interview: the thank-you window opens an hour after it ends
    assert plan["jane-roe/email"].due_from == datetime(2026, 12, 3, 13, tzinfo=ZoneInfo("America/Los_Angeles"))


def test_an_updated_invitation_moves_the_interview_and_an_older_one_changes_nothing(app, tmp_path):
    app.add_from_invite(write(tmp_path / "v0.ics", invite_text()), me=[ME])
    moved = app.add_from_invite(write(tmp_path / "v1.ics", invite_text(sequence=1, start="20261204T150000")))
    assert moved.action == "updated" and moved.notes[0].startswith("moved from Thu 3 Dec 10:00 PST to Fri 4 Dec 15:00")
    assert app.workspace.interview("hooli-2026-12-03").at == datetime(2026, 12, 4, 15,
                                                                      tzinfo=ZoneInfo("America/Los_Angeles"))
    older = app.add_from_invite(tmp_path / "v0.ics")
    assert older.action == "older"
    assert app.workspace.interview("hooli-2026-12-03").at.day == 4


def test_an_interview_moved_by_hand_keeps_the_length_its_invitation_gave(app, tmp_path):
    app.add_from_invite(write(tmp_path / "v0.ics", invite_text()), me=[ME])
    iv = app.edit_interview("hooli-2026-12-03", date="2026-12-04 09:00")
    assert iv.ends is not None and iv.ends - iv.at == timedelta(hours=2)


def test_a_cancelled_invitation_says_so_and_changes_nothing(app, tmp_path):
    app.add_from_invite(write(tmp_path / "v0.ics", invite_text()), me=[ME])
    before = app.workspace.interview("hooli-2026-12-03")
    result = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "import", "interviews",
                                      str(write(tmp_path / "cancel.ics", invite_text(sequence=2, method="CANCEL")))])
    assert result.exit_code == 0, result.output
    assert "Hooli cancelled the interview of Thu 3 Dec 10:00 PST; nothing changed" in result.output
    assert "withdraw" not in result.output  # the company cancelled: you did not withdraw
    assert app.workspace.interview("hooli-2026-12-03") == before  # nothing changed: closing it is yours to do


def test_an_invitation_joins_the_interview_you_recorded_and_gives_its_people_addresses(app, tmp_path):
    path = write(tmp_path / "invite.ics", sample_invite("2026-11-24T14:00:00"))
    change = app.add_from_invite(path, me=[ME])
    assert (change.interview, change.action) == (INTERVIEW_ID, "joined")
    iv = app.workspace.interview(INTERVIEW_ID)
    assert {p.name: p.email for p in iv.people} == {"Jane Roe": JANE, "Sam Patel": SAM,
                                                    "Priya Nair": "priya.nair@acme.example", "Chris Lee": CHRIS}
    assert iv.tz == "America/New_York" and len(app.workspace.interview_ids()) == 1
    # Sam's thank-you is now read from the mail
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [SAM], at("2026-11-24T19:35"))])
    with twin(app, tmp_path, "later", at("2026-11-26T10:00")) as later:
        assert [x.touch.handle for x in later.import_mail(box).log.logged] == ["sam-patel/email"]


def test_an_invitation_that_does_not_name_the_company_asks_or_says_what_to_add(app, tmp_path):
    path = write(tmp_path / "invite.ics", invite_text(summary="Technical interview",
                                                      organizer="rita@gmail.com",
                                                      attendees=('CN=Jane:mailto:jane@gmail.com',)))
    result = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "interview", "add", "--from-invite", str(path),
                                      "--me", ME])
    assert result.exit_code == 1
    assert result.output.strip().endswith("add --company NAME")
    named = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "interview", "add", "--from-invite", str(path),
                                     "--me", ME, "--company", "Initech", "--position", "Backend Engineer"])
    assert named.exit_code == 0, named.output
    iv = app.workspace.interview("initech-2026-12-03")
    assert iv.position == "Backend Engineer" and sorted(p.role for p in iv.people) == ["interviewer", "recruiter"]


def test_you_are_never_an_interviewer_on_your_own_invitation(app, tmp_path):
    """Known by an address of yours (the config's here), or else by the name on your export."""
    path = write(tmp_path / "invite.ics", invite_text(attendees=(
        'CN="Roe, Jane":mailto:jane@hooli.example', f"CN={ME}:mailto:{ME}",
        "CN=Alex Morgan:mailto:alex.m@elsewhere.example")))
    app.add_from_invite(path)  # no address of yours known: the name on your export (Alex Morgan) tells
    assert sorted(p.name for p in app.workspace.interview("hooli-2026-12-03").people) == ["Jane Roe", "Rita Recruiter"]
    with Backchannel(tmp_path / "other.sqlite", config=Config(emails=[ME, "alex.m@elsewhere.example"])) as other:
        other.add_from_invite(path)  # no export at all: your addresses tell
        assert sorted(p.name for p in other.workspace.interview("hooli-2026-12-03").people) == ["Jane Roe",
                                                                                                 "Rita Recruiter"]


def test_a_title_with_your_name_never_makes_you_the_company(app, tmp_path):
    """ "Onsite interview: Alex Morgan - Senior Backend Engineer": Alex Morgan is you (your
    export says so); the interviewers' addresses at hooli.example name the company."""
    path = write(tmp_path / "invite.ics", invite_text(summary="Onsite interview: Alex Morgan - Senior Backend Engineer",
                                                      attendees=('CN=Jane Roe:mailto:jane@hooli.example',
                                                                 f"CN={ME}:mailto:{ME}")))
    change = app.add_from_invite(path, me=[ME])
    assert change.interview == "hooli-2026-12-03"
    assert app.workspace.interview(change.interview).company == "Hooli"


def test_a_team_address_is_no_person_and_a_dropped_interviewer_is_named(app, tmp_path):
    first = invite_text(attendees=('CN="Roe, Jane":mailto:jane@hooli.example', "CN=Lena Ortiz:mailto:lena@hooli.example",
                                   "CN=Talent Team:mailto:talent@hooli.example", f"CN={ME}:mailto:{ME}"))
    change = app.add_from_invite(write(tmp_path / "v0.ics", first), me=[ME])
    assert any(n.startswith("left out Talent Team: a team's address") for n in change.notes)
    iv = app.workspace.interview("hooli-2026-12-03")
    assert sorted(p.name for p in iv.people) == ["Jane Roe", "Lena Ortiz", "Rita Recruiter"]
    swapped = invite_text(sequence=1, attendees=('CN="Roe, Jane":mailto:jane@hooli.example',
                                                 "CN=Priyanka Rao:mailto:priyanka@hooli.example"))
    update = app.add_from_invite(write(tmp_path / "v1.ics", swapped))
    assert "added Priyanka Rao (interviewer)" in update.notes
    assert any(n.startswith("Lena Ortiz is no longer on the invitation") for n in update.notes)
    result = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "interview", "person", "hooli-2026-12-03",
                                      "Lena Ortiz", "--remove"])
    assert result.exit_code == 0 and result.output.startswith("Removed Lena Ortiz from hooli-2026-12-03")
    assert sorted(p.name for p in app.workspace.interview("hooli-2026-12-03").people) == [
        "Jane Roe", "Priyanka Rao", "Rita Recruiter"]


def test_you_added_before_your_address_was_known_leave_when_it_is(tmp_path):
    """Read without any address of yours, the invitation lists you; read again with --me, you
    are left out, and a name read from an address can be corrected."""
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as bc:
        path = write(tmp_path / "invite.ics", invite_text(attendees=(f"CN={ME}:mailto:{ME}",
                                                                         "CN=jr@hooli.example:mailto:jr@hooli.example")))
        first = bc.add_from_invite(path)
        assert sorted(p.name for p in bc.workspace.interview("hooli-2026-12-03").people) == [
            "Alex Morgan", "Rita Recruiter", "jr@hooli.example"]
        assert any('--name "..."' in n for n in first.notes)
        again = bc.add_from_invite(path, me=[ME])
        assert f"left you out ({ME} is your address)" in again.notes
        bc.set_person("hooli-2026-12-03", "jr@hooli.example", name="Jamie Reyes")
        assert sorted(p.name for p in bc.workspace.interview("hooli-2026-12-03").people) == [
            "Jamie Reyes", "Rita Recruiter"]


def test_an_interviews_file_read_again_keeps_the_addresses_an_invitation_gave(app, tmp_path, sample_interviews):
    app.add_from_invite(write(tmp_path / "invite.ics", sample_invite("2026-11-24T14:00:00")), me=[ME])
    resaved = write(tmp_path / "interviews.csv", sample_interviews.read_text(encoding="utf-8"))
    app.import_interviews(resaved)  # saved after the invitation was read: its empty cells say nothing
    assert {p.name: p.email for p in app.workspace.interview(INTERVIEW_ID).people}["Sam Patel"] == SAM


def test_a_bad_invitation_is_a_one_line_error_naming_the_file(app, tmp_path):
    bad = write(tmp_path / "broken.ics", "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:x\r\n")
    result = CliRunner().invoke(cli, ["--db", str(app.workspace.path), "import", "interviews", str(bad)])
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert "broken.ics" in result.output


def test_the_invitation_and_the_mail_close_the_loop_from_the_command_line(app, tmp_path, monkeypatch):
    """The README's evening after: the invitation, the interview, then the mail."""
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    db = str(app.workspace.path)
    app.close()
    runner = CliRunner()
    invite = write(tmp_path / "invite.ics", sample_invite("2026-11-24T14:00:00"))
    assert runner.invoke(cli, ["--db", db, "interview", "add", "--from-invite", str(invite), "--me", ME]).exit_code == 0
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30")),
                                             message(ME, [SAM], at("2026-11-24T19:35"), cc=["priya.nair@acme.example"]),
                                             message(JANE, [ME], at("2026-11-25T08:05"))])
    result = runner.invoke(cli, ["--db", db, "import", "mail", str(box), "--format", "json"])
    assert result.exit_code == 0, result.output
    import json

    summary = json.loads(result.output)
    assert {k: summary[k] for k in ("read", "relevant", "dry_run", "as_you", "logged", "skipped")} == {
        "read": 3, "relevant": 3, "dry_run": False, "as_you": [ME], "logged": 3, "skipped": {}}
    assert summary["left_as_they_are"] == {"read_before": 0, "automatic": 0, "before_the_interview_ended": 0,
                                           "dated_in_the_future": 0}
    rows = summary["rows"]
    assert [(r["handle"], r["event"]) for r in rows] == [("jane-roe/email", "done"), ("sam-patel/email", "done"),
                                                        (None, None), ("jane-roe/email", "replied")]
    today = runner.invoke(cli, ["--db", db, "today"])
    assert "priya-nair/email" in today.output and "jane-roe/email" not in today.output


def test_the_json_of_a_dry_run_says_so_and_counts_what_it_skipped(later, tmp_path, monkeypatch):
    import json

    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    undated = message(ME, [JANE], at("2026-11-24T19:40"), mid="undated")
    del undated["Date"]
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30")), undated])
    db = str(later.workspace.path)
    later.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", "mail", str(box), "--me", ME, "--dry-run", "--format",
                                      "json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout)
    assert summary["dry_run"] is True and summary["read"] == 2 and summary["logged"] == 1
    assert list(summary["skipped"].values()) == [1]  # the message without a date, counted by reason


def test_a_date_without_a_time_zone_is_read_as_utc_and_the_import_says_so(later, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    bare = message(ME, [JANE], at("2026-11-24T19:30"), mid="bare")
    bare.replace_header("Date", "Wed, 25 Nov 2026 00:30:00")  # (no offset: read as UTC, 19:30 in New York)
    box = write_mbox(tmp_path / "mail.mbox", [bare, message(JANE, [ME], at("2026-11-25T08:05"))])
    db = str(later.workspace.path)
    later.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", "mail", str(box), "--me", ME])
    assert result.exit_code == 0, result.output
    assert "  warning: 1 message to or from the people of your interviews gave no time zone in their Date, read as " \
           "UTC (mail.mbox, message 1 (line 1))" in result.output.splitlines()
    assert "jane-roe/email done Wed 25 Nov 00:30 UTC (mail)" in result.output


def _readme_block(after: str, *, blank_ends: bool = True) -> list[str]:
    """The lines a README example prints after the command ``after`` (up to the next command,
    the end of the block, or with ``blank_ends`` a blank line)."""
    lines = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8").splitlines()
    start = lines.index(after) + 1
    out = []
    for line in lines[start:]:
        if (blank_ends and not line.strip()) or line.startswith(("$ ", "```")):
            break
        out.append(line)
    return out


def test_the_readme_evening_after_prints_what_the_commands_print(tmp_path, sample_zip, monkeypatch):
    """Every line the README's walkthrough shows for `today`, `draft` and `import mail` is what
    the commands print on the sample files of data/sample/."""
    sample = Path(__file__).resolve().parents[1] / "data" / "sample"
    monkeypatch.setenv("BACKCHANNEL_TZ", "America/New_York")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()

    def run(when: str, *args: str) -> str:
        monkeypatch.setenv("BACKCHANNEL_NOW", when)
        result = runner.invoke(cli, list(args))
        assert result.exit_code == 0, result.output
        return result.stdout

    run("2026-11-23T15:00:00+00:00", "import", "linkedin", str(sample_zip))
    added = run("2026-11-23T15:00:00+00:00", "interview", "add", "--from-invite", str(sample / "invite.ics"),
                "--me", ME)
    assert added.splitlines()[:4] == _readme_block(
        "$ backchannel interview add --from-invite invite.ics --me alex.morgan@example.com")[:4]
    run("2026-11-23T15:00:00+00:00", "interview", "person", INTERVIEW_ID, "Sam Patel", "--role", "hiring-manager")
    run("2026-11-23T15:00:00+00:00", "interview", "person", INTERVIEW_ID, "Chris Lee", "--role", "referrer")
    run("2026-11-23T15:00:00+00:00", "interview", "edit", INTERVIEW_ID, "--position", "Senior Backend Engineer",
        "--topic", "the plan to move the payments ledger to event sourcing")
    evening = "2026-11-25T00:00:00+00:00"
    assert run(evening, "today").splitlines() == _readme_block("$ backchannel today")
    draft = _readme_block("$ backchannel draft jane-roe/email", blank_ends=False)
    assert len(draft) > 10 and run(evening, "draft", "jane-roe/email").splitlines() == draft
    (tmp_path / "sent.mbox").write_bytes((sample / "mail" / "sample.mbox").read_bytes())
    assert run("2026-11-25T15:00:00+00:00", "import", "mail", "sent.mbox").splitlines() == \
        _readme_block("$ backchannel import mail sent.mbox")


def test_a_pipe_given_as_the_mail_or_the_interviews_file_is_refused_without_waiting(app, tmp_path):
    import os
    import subprocess
    import sys

    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    db = str(app.workspace.path)
    app.close()
    for args in (["import", "mail", str(fifo), "--me", ME], ["import", "interviews", str(fifo)]):
        done = subprocess.run([sys.executable, "-m", "backchannel", "--db", db, *args], capture_output=True,
                              text=True, timeout=60)
        assert done.returncode == 1 and done.stderr.startswith(f"Error: {fifo}"), done.stderr


def test_an_address_that_is_yours_and_an_interview_persons_is_refused_with_the_way_out(later, tmp_path):
    from backchannel.errors import BackchannelError

    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30"))])
    with pytest.raises(BackchannelError, match=r"jane.roe@acme.example is both yours and Jane Roe's "
                                               r"\(acme-corp-2026-11-24\): if it is not yours, --not-me "):
        later.import_mail(box, me=[ME, JANE])
    assert later.workspace.events() == []
    later.import_mail(box, me=[ME])  # (the mistaken address was not remembered)
    assert later.own_addresses() == (ME,)


def test_the_messages_that_logged_nothing_are_listed_twenty_at_most(later, tmp_path, monkeypatch):
    monkeypatch.setenv("BACKCHANNEL_NOW", "2026-11-26T15:00:00+00:00")
    box = write_mbox(tmp_path / "mail.mbox", [message(ME, [JANE], at("2026-11-24T19:30") + timedelta(minutes=n),
                                                      mid=f"m{n}") for n in range(25)])
    db = str(later.workspace.path)
    later.close()
    result = CliRunner().invoke(cli, ["--db", db, "import", "mail", str(box), "--me", ME])
    lines = result.output.splitlines()
    assert sum(line.startswith("  not logged: Jane Roe") for line in lines) == 20
    assert "    ... and 4 more not logged (all of them: --format json)" in lines
