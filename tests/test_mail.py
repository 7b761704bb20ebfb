"""Mail archives to rows: the three layouts, the mbox splitter, headers, and bad input.

Mailboxes are written with the standard library's ``mailbox`` and ``email`` packages, or
byte for byte where a real exporter writes what those packages would not (Gmail Takeout's
unescaped ``From`` lines, CRLF, a cut file).
"""

from __future__ import annotations

import hashlib
import io
import mailbox
import zipfile
from datetime import datetime, timedelta, timezone
from email.message import EmailMessage
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.errors import InputError
from backchannel.readers.mail import (
    REASONS,
    MailLimits,
    MailMessage,
    MboxSplitter,
    export_addresses,
    is_from_line,
    message_hash,
    read_mail,
)

ME = "alex.morgan@example.com"
JANE = "jane.roe@acme.example"
SAM = "sam.patel@acme.example"
SECRET = "the salary they offered is 123456"


def email_message(sender: str, to: list[str], date: str | None = "Tue, 24 Nov 2026 19:30:00 -0500", *,
                  cc: list[str] = (), bcc: list[str] = (), message_id: str | None = "<m1@acme.example>",
                  subject: str = SECRET, body: str = "Hello\n" + SECRET + "\n") -> EmailMessage:
    m = EmailMessage()
    m["From"] = sender
    m["To"] = ", ".join(to)
    if cc:
        m["Cc"] = ", ".join(cc)
    if bcc:
        m["Bcc"] = ", ".join(bcc)
    if date is not None:
        m["Date"] = date
    if message_id is not None:
        m["Message-ID"] = message_id
    m["Subject"] = subject
    m.set_content(body)
    return m


def write_mbox(path: Path, messages: list[EmailMessage]) -> Path:
    box = mailbox.mbox(path)
    for m in messages:
        entry = mailbox.mboxMessage(m)
        entry.set_from("MAILER-DAEMON", datetime(2026, 11, 25, 9, 0).timetuple())
        box.add(entry)
    box.close()
    return path


def everything(path: Path, **kwargs) -> tuple[list[MailMessage], object]:
    archive = read_mail(path, **kwargs)
    return list(archive), archive


# --------------------------------------------------------------------------- mbox written by mailbox


def test_an_mbox_written_by_the_standard_library(tmp_path):
    path = write_mbox(tmp_path / "archive.mbox", [
        email_message(f"Alex Morgan <{ME}>", ["=?UTF-8?B?SmFuZSBSb8Op?= <Jane.Roe@ACME.example>"],
                      message_id="<first@example.com>"),
        email_message(f"=?UTF-8?Q?Jane_Ro=C3=A9?= <{JANE}>", [f"Alex Morgan <{ME}>"],
                      date="Wed, 25 Nov 2026 08:05:00 +0100", message_id="<second@acme.example>"),
    ])
    messages, archive = everything(path)
    assert archive.layout == "mbox"
    assert [(m.sender, m.recipients) for m in messages] == [(ME, (JANE,)), (JANE, (ME,))]
    assert messages[0].sent_at == datetime(2026, 11, 24, 19, 30, tzinfo=timezone(timedelta(hours=-5)))
    assert messages[1].sent_at.utcoffset() == timedelta(hours=1)
    assert messages[0].message_hash == hashlib.sha256(b"first@example.com").hexdigest()
    assert messages[0].where == "archive.mbox, message 1 (line 1)"
    assert messages[1].where.startswith("archive.mbox, message 2 (line ")
    line = int(messages[1].where.rsplit(" ", 1)[1].rstrip(")"))
    assert path.read_bytes().split(b"\n")[line - 1].startswith(b"From MAILER-DAEMON")
    assert archive.found == archive.read == 2 and not archive.skipped.counts and not archive.warnings


def test_nothing_of_what_a_message_says_is_kept(tmp_path):
    path = write_mbox(tmp_path / "a.mbox", [email_message(ME, [JANE]), email_message(JANE, [ME], date="bad",
                                                                                        message_id="<2@x>")])
    messages, archive = everything(path)
    seen = repr(messages) + repr(archive.skipped) + repr(archive.warnings)
    assert "salary" not in seen and "123456" not in seen and "Hello" not in seen
    assert [f for f in MailMessage.__dataclass_fields__] == ["message_hash", "sent_at", "sender", "recipients",
                                                             "where", "addressed", "automatic", "zoned"]


def test_a_pipe_in_a_mail_folder_is_never_opened(tmp_path):
    import os

    folder = tmp_path / "Mail"
    folder.mkdir()
    write_mbox(folder / "Sent.mbox", [email_message(ME, [JANE])])
    os.mkfifo(folder / "Inbox")  # no extension, as Thunderbird names its mboxes: it would be sniffed
    os.mkfifo(folder / "stuck.eml")
    messages, _archive = everything(folder)
    assert [m.sender for m in messages] == [ME]


def test_a_message_to_several_people_at_once(tmp_path):
    path = write_mbox(tmp_path / "sent.mbox", [email_message(
        f"Alex Morgan <{ME}>",
        [f"Jane Roe <{JANE}>", f'"Patel, Sam" <{SAM}>', "priya@acme.example"],
        cc=["=?UTF-8?Q?Roe=2C_Jane?= <JANE.ROE@acme.example>", "chris.lee@example.com"],
        bcc=["Hiring Team <hiring@acme.example>"])])
    (message,), _ = everything(path)
    assert message.recipients == (JANE, SAM, "priya@acme.example", "chris.lee@example.com", "hiring@acme.example")
    assert message.written_to == (JANE, SAM, "priya@acme.example")  # the others were copied


def test_dates_in_the_shapes_mailers_write():
    from backchannel.readers.mail import parse_date

    assert parse_date("Tue, 24 Nov 2026 19:30:00 -0000").utcoffset() == timedelta(0)
    assert parse_date("24 Nov 2026 19:30:00").utcoffset() == timedelta(0)  # no zone: read as UTC
    assert parse_date("Tue, 24 Nov 2026 19:30:00 EST") == datetime(2026, 11, 25, 0, 30, tzinfo=timezone.utc)
    assert parse_date("Tue, 24 Nov 26 19:30 +0530").year == 2026
    for bad in ("", "someday", "Tue, 31 Feb 2026 10:00:00 +0000", "Tue, 24 Nov 3026 10:00:00 +0000",
                "Tue, 24 Nov 2026 99:99:99 +0000"):
        assert parse_date(bad) is None, bad


# --------------------------------------------------------------------------- Gmail Takeout

TAKEOUT = (
    "From 1781234567890123456@xxx Tue Nov 24 19:30:00 +0000 2026\r\n"
    "X-GM-THRID: 1781234567890123456\r\n"
    "X-Gmail-Labels: Sent,Opened\r\n"
    "MIME-Version: 1.0\r\n"
    "Date: Tue, 24 Nov 2026 19:30:00 -0500\r\n"
    "Message-ID: <CAB1@mail.gmail.com>\r\n"
    "Subject: Thank you\r\n"
    "From: Alex Morgan <alex.morgan@example.com>\r\n"
    "To: =?UTF-8?B?SmFuZSBSb8Op?= <jane.roe@acme.example>\r\n"
    "Content-Type: text/plain; charset=\"UTF-8\"\r\n"
    "\r\n"
    "Dear Jane,\r\n"
    "From here on, I would love to hear about the ledger.\r\n"
    "\r\n"
    "From what I saw, the team is great.\r\n"
    "\r\n"
    "From jane@acme.example Tue Nov 24 10:00:00 2026\r\n"
    "was when we met, and then we talked for an hour.\r\n"
    "\r\n"
    "From 3a9f2c1e0d4b5a6978877665544332211aabbccd Mon Sep 17 00:00:00 2001\r\n"
    "From: Alex Morgan <alex.morgan@example.com>\r\n"
    "Date: Tue, 24 Nov 2026 10:00:00 +0000\r\n"
    "Subject: [PATCH] a patch pasted in a message\r\n"
    "\r\n"
    ">From the escaped line of an mboxrd writer\r\n"
    "Best,\r\nAlex\r\n"
    "\r\n"
    "From 1781234567890123457@xxx Wed Nov 25 08:05:00 +0000 2026\r\n"
    "X-GM-THRID: 1781234567890123456\r\n"
    "X-Gmail-Labels: Inbox,Important\r\n"
    "Date: Wed, 25 Nov 2026 08:05:00 +0100\r\n"
    "Message-ID: <CAJ2@acme.example>\r\n"
    "From: \"Roe, Jane\" <Jane.Roe@acme.example>\r\n"
    "To: alex.morgan@example.com\r\n"
    "Cc: Sam Patel <sam.patel@acme.example>\r\n"
    "Subject: Re: Thank you\r\n"
    "\r\n"
    "Thanks Alex!\r\n"
    "\r\n"
    "From my side, all good.\r\n"
    "\r\n"
    "From 1781234567890123458@xxx Wed Nov 25 09:00:00 +0000 2026\r\n"
    "X-Gmail-Labels: Chat\r\n"
    "Date: Wed, 25 Nov 2026 09:00:00 +0000\r\n"
    "From: Sam Patel <sam.patel@acme.example>\r\n"
    "To: alex.morgan@example.com\r\n"
    "\r\n"
    "See you soon\r\n"
)


def test_gmail_takeout_from_lines_inside_bodies_do_not_split(tmp_path):
    path = tmp_path / "All mail Including Spam and Trash.mbox"
    path.write_bytes(TAKEOUT.encode())
    messages, archive = everything(path)
    assert [(m.sender, m.recipients) for m in messages] == [
        (ME, (JANE,)), (JANE, (ME, SAM)), (SAM, (ME,))]
    assert [m.where.split(", ", 1)[1] for m in messages] == [
        "message 1 (line 1)", "message 2 (line 29)", "message 3 (line 43)"]
    assert messages[2].message_hash == message_hash("", messages[2].sent_at, SAM, [ME])  # no Message-ID
    assert not archive.skipped.counts and not archive.warnings


@pytest.mark.parametrize("block", [1, 2, 3, 5, 7, 13, 64, 1000])
def test_the_split_does_not_depend_on_where_blocks_end(tmp_path, block):
    path = tmp_path / "takeout.mbox"
    path.write_bytes(TAKEOUT.encode())
    small = MailLimits(block_bytes=block)
    assert [m.where for m in read_mail(path, limits=small)] == [m.where for m in read_mail(path)]
    lf = tmp_path / "lf.mbox"
    lf.write_bytes(TAKEOUT.replace("\r\n", "\n").encode())
    assert [(m.sender, m.where.replace("lf.mbox", "takeout.mbox")) for m in read_mail(lf, limits=small)] == [
        (m.sender, m.where) for m in read_mail(path)]


def test_crlf_and_mixed_line_ends_read_the_same(tmp_path):
    path = write_mbox(tmp_path / "lf.mbox", [email_message(ME, [JANE], message_id=f"<{i}@x>") for i in range(3)])
    crlf = tmp_path / "crlf.mbox"
    crlf.write_bytes(path.read_bytes().replace(b"\n", b"\r\n"))
    mixed = tmp_path / "mixed.mbox"  # From_ lines with LF, messages with CRLF, as some exporters write
    mixed.write_bytes(b"\n".join(line if line.startswith(b"From ") else line + b"\r"
                                 for line in path.read_bytes().split(b"\n")))
    expected = [(m.message_hash, m.sender, m.recipients) for m in read_mail(path)]
    assert len(expected) == 3
    for other in (crlf, mixed):
        assert [(m.message_hash, m.sender, m.recipients) for m in read_mail(other)] == expected


def test_a_from_line_without_a_blank_line_before_it_is_not_split_and_is_reported(tmp_path):
    path = tmp_path / "odd.mbox"
    path.write_bytes(
        b"From a@b Tue Nov 24 19:30:00 2026\nDate: Tue, 24 Nov 2026 19:30:00 +0000\nFrom: a@b\nTo: c@d\n\nbody\n"
        b"From x@y Tue Nov 24 19:31:00 2026\nDate: Tue, 24 Nov 2026 19:31:00 +0000\nFrom: x@y\n\nbody\n")
    messages, archive = everything(path)
    assert [m.sender for m in messages] == ["a@b"]
    assert archive.warnings == ["odd.mbox, line 7: a 'From ' line shaped like the start of a message, with headers "
                                "after it but no blank line before it: not taken as a new message"]


def test_a_million_such_lines_are_counted_not_each_kept(tmp_path):
    """A body of a hundred 'From ' lines followed by headers: twenty are named with their
    lines, the rest counted in one warning (memory does not grow with them)."""
    path = tmp_path / "odd.mbox"
    odd = b"".join(b"From x@y Tue Nov 24 19:31:00 2026\nX: y\n" for _ in range(100))
    path.write_bytes(b"From a@b Tue Nov 24 19:30:00 2026\nDate: Tue, 24 Nov 2026 19:30:00 +0000\nFrom: a@b\n"
                     b"To: c@d\n\nbody\n" + odd)
    messages, archive = everything(path)
    assert [m.sender for m in messages] == ["a@b"]
    assert len(archive.warnings) == 21 and archive.warnings[-1] == "odd.mbox: and 80 more lines like the ones above"


def test_thunderbird_from_lines_and_a_stray_from_line_among_headers(tmp_path):
    path = tmp_path / "Inbox"
    path.write_bytes(
        b"From - Tue Nov 24 19:30:00 2026\n>From - Sat Apr 12 2025 15:59:28\nX-Mozilla-Status: 0001\n"
        b"Date: Tue, 24 Nov 2026 19:30:00 +0000\nFrom: Jane <jane.roe@acme.example>\nTo: alex.morgan@example.com\n\n"
        b"hi\n\n"
        b"From - Tue Nov 24 2026 19:31:00\n>From - Sat Apr 12 2025 15:59:28\n"
        b"Date: Tue, 24 Nov 2026 19:31:00 +0000\nFrom: alex.morgan@example.com\nTo: jane.roe@acme.example\n\nhi\n")
    assert [m.sender for m in read_mail(path)] == [JANE, ME]


# hypothesis: bodies made of lines that are never From_-shaped, however much they look like it
body_line = st.one_of(
    st.sampled_from(["", "From here on", "From: someone", "From  two spaces", ">From Tue Nov 24 19:30:00 2026",
                     "From jane", "From jane Tue Nov 24", "From jane Tue Nov 24 19:30:00", "Date: x", "\r",
                     "From a Mon Sep 17 00:00:00 2001", "from jane Tue Nov 24 19:30:00 2026"]),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\r\n"),
            max_size=30).map(lambda t: "From " + t),
    st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, exclude_characters="\r\n"), max_size=30),
)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(bodies=st.lists(st.lists(body_line, max_size=12), min_size=1, max_size=6),
       crlf=st.booleans(), block=st.sampled_from([1, 3, 8, 64, 1 << 20]))
def test_the_splitter_never_splits_inside_a_body_without_a_from_line(bodies, crlf, block):
    eol = "\r\n" if crlf else "\n"
    parts, expected = [], []
    for i, body in enumerate(bodies):
        headers = f"Date: Tue, 24 Nov 2026 19:{i:02d}:00 +0000{eol}From: p{i}@x.example{eol}To: q@x.example{eol}"
        lines = [line for line in body if not is_from_line((line + eol).encode())]
        parts.append(f"From p{i}@x.example Tue Nov 24 19:{i:02d}:00 2026{eol}{headers}{eol}"
                     + "".join(line + eol for line in lines) + eol)
        expected.append(headers.encode())
    data = "".join(parts).encode("utf-8")
    splitter = MboxSplitter(io.BytesIO(data), MailLimits(block_bytes=block))
    got = list(splitter.parts())
    assert [p.headers for p in got] == expected
    assert [p.number for p in got] == list(range(1, len(bodies) + 1))
    lines = data.split(b"\n")
    assert all(lines[p.line - 1].startswith(b"From p") for p in got)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                 HealthCheck.function_scoped_fixture])
@given(bodies=st.lists(st.lists(body_line, max_size=8).map(lambda lines: "\n".join(lines) + "\n"), min_size=1,
                       max_size=5))
def test_what_the_standard_library_writes_reads_as_it_reads_it(tmp_path_factory, bodies):
    path = tmp_path_factory.mktemp("box") / "a.mbox"
    write_mbox(path, [email_message(f"p{i}@x.example", [ME], date=f"Tue, 24 Nov 2026 19:{i:02d}:00 +0000",
                                    message_id=f"<{i}@x>", body=body) for i, body in enumerate(bodies)])
    theirs = [(m["From"], m["Date"]) for m in mailbox.mbox(path)]
    ours = [(m.sender, m.sent_at.strftime("%a, %d %b %Y %H:%M:%S +0000")) for m in read_mail(path)]
    assert ours == theirs


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=400), st.sampled_from([1, 7, 64, 1 << 20]))
def test_the_splitter_takes_any_bytes_without_raising(data, block):
    data = b"From x Tue Nov 24 19:30:00 2026\n" + data
    parts = list(MboxSplitter(io.BytesIO(data), MailLimits(block_bytes=block, max_header_bytes=128)).parts())
    assert parts and all(p.problem in ("", "headers", "truncated") for p in parts)


# --------------------------------------------------------------------------- Maildir and .eml


def test_a_maildir_with_a_sent_folder(tmp_path):
    box = mailbox.Maildir(tmp_path / "Mail")
    box.add(email_message(JANE, [ME], message_id="<in@acme.example>"))
    sent = box.add_folder("Sent")
    sent.add(email_message(ME, [JANE, SAM], date="Wed, 25 Nov 2026 10:00:00 +0000", message_id="<out@example.com>"))
    sent.add(email_message(JANE, [ME], message_id="<in@acme.example>"))  # the same message in two folders
    messages, archive = everything(tmp_path / "Mail")
    assert archive.layout == "maildir"
    assert sorted((m.sender, m.recipients) for m in messages) == [(ME, (JANE, SAM)), (JANE, (ME,))]
    assert all(m.where.startswith("Mail/") and ("/new/" in m.where or "/cur/" in m.where) for m in messages)
    assert archive.skipped.counts == {REASONS["duplicate"]: 1}
    assert archive.found == 3


def test_a_folder_of_eml_files(tmp_path):
    folder = tmp_path / "Exports"
    (folder / "Acme").mkdir(parents=True)
    (folder / "Acme" / "Thanks.eml").write_bytes(email_message(ME, [JANE]).as_bytes())
    (folder / "reply.EML").write_bytes(email_message(JANE, [ME], message_id="<r@x>").as_bytes().replace(b"\n",
                                                                                                         b"\r\n"))
    (folder / "notes.txt").write_text("not mail")
    (folder / "broken.eml").write_bytes(b"%PDF-1.4 this is no message\n")
    messages, archive = everything(folder)
    assert archive.layout == "eml"
    assert [(m.where, m.sender) for m in messages] == [("Exports/Acme/Thanks.eml", ME), ("Exports/reply.EML", JANE)]
    assert archive.skipped.examples == {REASONS["not_mail"]: ["Exports/broken.eml"]}


def test_one_eml_file_and_apple_mail_formats(tmp_path):
    eml = tmp_path / "message.eml"
    eml.write_bytes(email_message(ME, [JANE]).as_bytes())
    messages, archive = everything(eml)
    assert archive.layout == "message" and [m.where for m in messages] == ["message.eml"]
    apple = tmp_path / "Apple"
    package = apple / "INBOX.mbox"
    package.mkdir(parents=True)
    write_mbox(package / "mbox", [email_message(JANE, [ME], message_id="<a@x>")])
    (package / "table_of_contents").write_bytes(b"\x00\x01binary")
    raw = email_message(SAM, [ME], message_id="<b@x>").as_bytes()
    (apple / "12345.emlx").write_bytes(str(len(raw)).encode() + b"\n" + raw + b"<?xml version=\"1.0\"?><plist/>")
    messages, archive = everything(apple)
    assert archive.layout == "folder"
    assert [(m.where, m.sender) for m in messages] == [("Apple/12345.emlx", SAM),
                                                       ("Apple/INBOX.mbox/mbox, message 1 (line 1)", JANE)]


def test_a_thunderbird_folder_of_mbox_files_without_extensions(tmp_path):
    folder = tmp_path / "Local Folders"
    folder.mkdir()
    write_mbox(folder / "Inbox", [email_message(JANE, [ME], message_id="<1@x>")])
    write_mbox(folder / "Sent", [email_message(ME, [JANE], message_id="<2@x>")])
    (folder / "Inbox.msf").write_bytes(b"// <!-- <mdb:mork:z v=\"1.4\"/> -->")
    (folder / "Trash").write_bytes(b"")
    messages, archive = everything(folder)
    assert archive.layout == "mbox"
    assert [m.where for m in messages] == ["Local Folders/Inbox, message 1 (line 1)",
                                           "Local Folders/Sent, message 1 (line 1)"]


def test_the_same_message_has_the_same_hash_wherever_it_is_read(tmp_path):
    no_id = email_message(ME, [JANE, SAM], message_id=None)
    write_mbox(tmp_path / "a.mbox", [no_id])
    (tmp_path / "a.eml").write_bytes(no_id.as_bytes().replace(b"\n", b"\r\n"))
    (from_mbox,), _ = everything(tmp_path / "a.mbox")
    (from_eml,), _ = everything(tmp_path / "a.eml")
    assert from_mbox.message_hash == from_eml.message_hash
    other = email_message(ME, [JANE], message_id=None)  # another recipient list: another message
    (tmp_path / "b.eml").write_bytes(other.as_bytes())
    (from_other,), _ = everything(tmp_path / "b.eml")
    assert from_other.message_hash != from_eml.message_hash
    assert message_hash("<X@Y> ") == message_hash("X@Y") != message_hash("x@y")


def test_duplicates_by_message_id_are_counted_once(tmp_path):
    path = write_mbox(tmp_path / "a.mbox", [email_message(ME, [JANE], message_id="<same@x>"),
                                            email_message(ME, [JANE], message_id=" <same@x>"),
                                            email_message(ME, [SAM], message_id="<other@x>")])
    messages, archive = everything(path)
    assert len(messages) == 2 and archive.found == 3
    assert archive.skipped.examples[REASONS["duplicate"]] == ["a.mbox, message 2 (line 14)"]


def test_only_the_messages_that_involve_given_addresses(tmp_path):
    path = write_mbox(tmp_path / "a.mbox", [email_message(ME, [JANE], message_id="<1@x>"),
                                            email_message("news@shop.example", [ME], message_id="<2@x>"),
                                            email_message(SAM, [ME], message_id="<3@x>")])
    messages, archive = everything(path, only=["Jane.Roe@acme.example", SAM])
    assert [m.sender for m in messages] == [ME, SAM]
    assert archive.found == 3 and archive.read == 2


# --------------------------------------------------------------------------- bad input


def test_bad_dates_missing_senders_and_unknown_charsets_are_skipped_and_counted(tmp_path):
    raw = (
        b"From x Tue Nov 24 19:30:00 2026\nDate: someday\nFrom: jane.roe@acme.example\nTo: " + ME.encode() + b"\n\nx\n\n"
        b"From x Tue Nov 24 19:30:00 2026\nFrom: jane.roe@acme.example\nTo: " + ME.encode() + b"\n\nno date\n\n"
        b"From x Tue Nov 24 19:30:00 2026\nDate: Tue, 24 Nov 2026 19:30:00 +0000\nTo: " + ME.encode() + b"\n\nx\n\n"
        b"From x Tue Nov 24 19:30:00 2026\nDate: Tue, 24 Nov 2026 19:30:00 +0000\n"
        b"From: =?x-klingon?Q?Jane?= <jane.roe@acme.example>\n"
        b"To: =?koi8-r?B?4czFy9PFyg==?= <alex.morgan@example.com>, J\xf6rg <j\xf6rg@acme.example>,"
        b" \xd0\x9e\xd0\xbb\xd1\x8f <olya@acme.example>\nMessage-ID: <4@x>\n\nkept\n\n"
        b"From x Tue Nov 24 19:30:00 2026\nDate: Tue, 24 Nov 2026 19:30:00 +0000\n"
        b"From: =?x-klingon?B?amFuZUBhY21lLmV4YW1wbGU=?=\nTo: " + ME.encode() + b"\n\nx\n")
    path = tmp_path / "bad.mbox"
    path.write_bytes(raw)
    messages, archive = everything(path)
    assert [(m.sender, m.recipients) for m in messages] == [(JANE, (ME, "olya@acme.example"))]
    assert archive.skipped.counts == {REASONS["date"]: 2, REASONS["sender"]: 2, REASONS["address"]: 1,
                                      REASONS["charset"]: 1}
    assert archive.skipped.examples[REASONS["date"]] == ["bad.mbox, message 1 (line 1)",
                                                          "bad.mbox, message 2 (line 8)"]
    assert archive.skipped.examples[REASONS["sender"]][0] == "bad.mbox, message 3 (line 14)"


def test_an_address_hidden_in_an_encoded_word_is_read():
    from backchannel.domain import SkipLog
    from backchannel.readers.mail import parse_headers

    log = SkipLog()
    message = parse_headers(b"Date: Tue, 24 Nov 2026 19:30:00 +0000\nFrom: =?UTF-8?B?amFuZS5yb2VAYWNtZS5leGFtcGxl?=\n"
                            b"To: <MAILTO:Alex.Morgan@Example.com>\n", "x", log)
    assert message is not None and (message.sender, message.recipients) == (JANE, (ME,))
    assert not log.counts


def test_a_truncated_last_message_is_counted(tmp_path):
    whole = write_mbox(tmp_path / "whole.mbox", [email_message(ME, [JANE], message_id=f"<{i}@x>") for i in range(2)])
    data = whole.read_bytes()
    cut_in_headers = tmp_path / "cut.mbox"
    cut_in_headers.write_bytes(data[:data.rindex(b"Date:") + 12])
    messages, archive = everything(cut_in_headers)
    assert len(messages) == 1
    assert archive.skipped.examples == {REASONS["truncated"]: ["cut.mbox, message 2 (line 14)"]}
    cut_in_body = tmp_path / "body.mbox"
    cut_in_body.write_bytes(data[:data.rindex(b"salary") + 3])
    messages, archive = everything(cut_in_body)
    assert len(messages) == 2 and not archive.skipped.counts
    assert archive.warnings == ["body.mbox, line 25: the file ends in the middle of a line: its last message may "
                                "be cut short (it was kept: its headers are whole)"]


def test_an_empty_file_is_an_empty_mailbox(tmp_path):
    for name, data in (("empty.mbox", b""), ("blank.mbox", b"\n\n\r\n")):
        path = tmp_path / name
        path.write_bytes(data)
        messages, archive = everything(path)
        assert messages == [] and archive.layout == "mbox" and archive.found == 0
        assert archive.warnings == [f"{name}: the file is empty (no messages)"]


def test_headers_over_the_limit_are_skipped_and_the_next_message_is_read(tmp_path):
    path = write_mbox(tmp_path / "a.mbox", [email_message(ME, [JANE], message_id="<1@x>"),
                                            email_message(ME, [SAM], message_id="<2@x>")])
    data = path.read_bytes().replace(b"Subject:", b"X-Junk: " + b"j" * 5000 + b"\nSubject:", 1)
    path.write_bytes(data)
    messages, archive = everything(path, limits=MailLimits(max_header_bytes=4096, block_bytes=1000))
    assert [m.recipients for m in messages] == [(SAM,)]
    assert archive.skipped.examples == {REASONS["headers"] + " (4 KiB)": ["a.mbox, message 1 (line 1)"]}
    eml = tmp_path / "big.eml"
    eml.write_bytes(b"X-Junk: " + b"j" * 5000 + b"\n" + email_message(ME, [JANE]).as_bytes())
    _, archive = everything(eml, limits=MailLimits(max_header_bytes=4096))
    assert archive.skipped.examples == {REASONS["headers"] + " (4 KiB)": ["big.eml"]}


@pytest.mark.parametrize("data, message", [
    (b"First Name,Last Name\nJane,Roe\n", "not a mailbox: expected an mbox file"),
    (b"From the desk of the editor:\nDear all,\n\nwelcome.\n", "not a mailbox"),
    (b"%PDF-1.4\n\x00\x01", "not a mailbox"),
    (b"PK\x03\x04rest of a zip", "this is a ZIP archive; unpack it"),
    (b"\x1f\x8b\x08\x00", "this is a compressed file"),
])
def test_a_file_that_is_no_mailbox_is_one_line(tmp_path, data, message):
    path = tmp_path / "thing"
    path.write_bytes(data)
    with pytest.raises(InputError) as caught:
        read_mail(path)
    text = str(caught.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_missing_paths_and_folders_without_mail(tmp_path):
    with pytest.raises(InputError, match="no such file or folder"):
        read_mail(tmp_path / "nowhere")
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "cv.pdf").write_bytes(b"%PDF")
    with pytest.raises(InputError, match="no mail in this folder"):
        read_mail(tmp_path / "docs")


def test_an_mbox_in_a_folder_that_is_not_one_is_skipped(tmp_path):
    (tmp_path / "box").mkdir()
    write_mbox(tmp_path / "box" / "good.mbox", [email_message(ME, [JANE])])
    (tmp_path / "box" / "bad.mbox").write_bytes(b"hello\n")
    messages, archive = everything(tmp_path / "box")
    assert len(messages) == 1
    assert archive.skipped.examples == {REASONS["not_mbox"]: ["box/bad.mbox"]}


# --------------------------------------------------------------------------- the user's own addresses

ADDRESSES = ("Email Address,Confirmed,Primary,Updated On\n"
             "old.address@example.org,No,No,2019-01-01 10:00:00 UTC\n"
             "Alex.Morgan@Example.com,Yes,Yes,2024-05-01 10:00:00 UTC\n"
             "alex@work.example,Yes,No,2023-05-01 10:00:00 UTC\n"
             "alex.morgan@example.com,Yes,No,2024-05-01 10:00:00 UTC\n"
             "not an address,Yes,No,\n")


def test_own_addresses_from_the_export(tmp_path):
    expected = ("alex.morgan@example.com", "alex@work.example", "old.address@example.org")
    archive = tmp_path / "export.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n")
        zf.writestr("Email Addresses.csv", ADDRESSES)
    assert export_addresses(archive) == expected
    folder = tmp_path / "export"
    folder.mkdir()
    (folder / "Email_Addresses.csv").write_text(ADDRESSES.replace("\n", "\r\n"), encoding="utf-8-sig")
    assert export_addresses(folder) == expected
    assert export_addresses(folder / "Email_Addresses.csv") == expected
    empty = tmp_path / "basic.zip"
    with zipfile.ZipFile(empty, "w") as zf:
        zf.writestr("Connections.csv", "First Name,Last Name\n")
    assert export_addresses(empty) == ()


def test_own_addresses_refuses_another_file(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_text("First Name,Last Name,URL,Email Address,Company,Position,Connected On\nJane,Roe,,j@x,,,\n")
    with pytest.raises(InputError, match="Email Addresses.csv"):
        export_addresses(path)


def test_the_sample_mailbox_is_what_the_generator_writes():
    from backchannel.sample import SAMPLE_ADDRESSES, SAMPLE_USER_EMAIL, sample_mail

    sample = Path(__file__).resolve().parent.parent / "data" / "sample" / "mail" / "sample.mbox"
    assert sample.read_bytes() == sample_mail()
    messages, archive = everything(sample)
    outgoing = [m for m in messages if m.sender == SAMPLE_USER_EMAIL]
    assert [m.recipients for m in outgoing] == [
        (SAMPLE_ADDRESSES["Jane Roe"],), (SAMPLE_ADDRESSES["Sam Patel"], SAMPLE_ADDRESSES["Priya Nair"]),
        (SAMPLE_ADDRESSES["Chris Lee"],)]
    reply = next(m for m in messages if m.sender == SAMPLE_ADDRESSES["Jane Roe"])
    assert reply.sent_at == datetime(2026, 11, 25, 8, 5, tzinfo=timezone(timedelta(hours=-5)))
    assert len(messages) == 5 and not archive.skipped.counts and not archive.warnings


address_part = st.one_of(
    st.sampled_from(["jane.roe@acme.example", "Jane Roe <jane.roe@acme.example>", "=?UTF-8?B?SmFuZSBSb8Op?= <J@X.example>",
                     "<sam@x.example>", "undisclosed-recipients", "", "  ", "=?UTF-8?Q?Roe_J?= <roe@x.example>",
                     "Ann-Marie O'Neil <ann@x.example>", "a.b+tag@sub.x.example"]),
    st.from_regex(r"[A-Za-z .'=?-]{0,12} ?<[a-z]{1,6}@[a-z]{1,6}\.example>", fullmatch=True),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(address_part, min_size=1, max_size=5))
def test_the_fast_address_split_agrees_with_the_standard_parser(parts):
    from email.utils import getaddresses

    from backchannel.domain import SkipLog
    from backchannel.readers.mail import _addresses, _clean_address

    value = ", ".join(parts)
    expected = []
    for _name, address in getaddresses([value]):
        clean = _clean_address(address)
        if clean and clean not in expected:
            expected.append(clean)
    assert _addresses([value], SkipLog(), "x") == expected


def test_the_duplicate_set_grows_and_remembers():
    from backchannel.readers.mail import _Seen

    seen = _Seen()
    keys = [int(hashlib.sha256(str(i).encode()).hexdigest()[:16], 16) for i in range(5000)]
    assert all(seen.add(k) for k in keys)
    assert not any(seen.add(k) for k in keys)
    assert seen.add(0) and not seen.add(0)
