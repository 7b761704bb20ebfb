"""messages.csv on Arrow: the same facts as the row-by-row oracle, for any file."""

from __future__ import annotations

import codecs
import csv
import io
import zipfile
from datetime import datetime, timedelta

import pytest
from conftest import write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from messages_oracle import oracle_facts

from backchannel.errors import InputError
from backchannel.readers import messages
from backchannel.readers.export import read_export
from backchannel.readers.messages import count_messages, message_facts, parse_dates, read_messages
from backchannel.readers.table import string_array
from backchannel.readers.text import LIMITS, Limits
from backchannel.sample import generate_export

ME = "https://www.linkedin.com/in/me"
OWNER = "linkedin.com/in/me"
HEADERS = {
    "2018": ["From", "To", "Date", "Subject", "Content", "Direction", "Folder"],
    "2020": ["FROM", "TO", "DATE", "SUBJECT", "CONTENT", "DIRECTION", "FOLDER"],
    "2021": ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "DATE", "SUBJECT",
             "CONTENT", "FOLDER"],
    "2023": ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
             "DATE", "SUBJECT", "CONTENT", "FOLDER"],
    "2024": ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
             "DATE", "SUBJECT", "CONTENT", "FOLDER", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT"],
    "2026": ["CONVERSATION ID", "CONVERSATION TITLE", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS",
             "DATE", "SUBJECT", "CONTENT", "FOLDER", "IS MESSAGE DRAFT", "IS CONVERSATION DRAFT", "ATTACHMENTS"],
}
# (display name, profile address); the owner first
PEOPLE = [("Me Owner", ME), ("Jane Roe", "https://www.linkedin.com/in/jane-roe-1"),
          ("Marco Rossi, PhD", "https://www.linkedin.com/in/marco-rossi"), ("José Pérez", "https://www.linkedin.com/in/josé-pérez-123"),
          ("Sam Lee", "https://www.linkedin.com/in/Sam-Lee/"), ("Ana", "https://uk.linkedin.com/in/ana"),
          ("", ""), ("Zoë", "https://www.linkedin.com/in/zoe")]


def as_oracle(facts: messages.MessageFacts) -> dict:
    """The Arrow reader's facts in the oracle's shape."""

    def typed(table: dict) -> dict:
        return {k: (f.messages_sent, f.messages_received, f.conversations, f.group_conversations, f.first_message,
                    f.last_message) for k, f in table.items()}

    return {"by_url": typed(facts.by_url), "by_name": typed(facts.by_name), "co_threads": facts.co_threads,
            "owner": facts.owner_key, "skipped": dict(facts.skipped.counts)}


def arrow_facts(data: bytes, owner_key: str = "", owner_name_key: str = "", limits: Limits = LIMITS) -> dict:
    return as_oracle(read_messages(lambda: io.BytesIO(data), "messages.csv", owner_key=owner_key,
                                   owner_name_key=owner_name_key, limits=limits))


def messages_file(header: list[str], rows: list[list[str]], terminator: str = "\n", encoding: str = "utf-8") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator=terminator)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def row_for(header: list[str], values: dict[str, str]) -> list[str]:
    return [values.get(h.upper(), "") for h in header]


# --------------------------------------------------------------------------- the property

dates = st.one_of(
    st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda d: d.strftime("%Y-%m-%d %H:%M:%S UTC")),
    st.datetimes(min_value=datetime(2010, 1, 1), max_value=datetime(2030, 12, 31)).map(
        lambda d: f"{d.month}/{d.day}/{d.year % 100:02d}, {d.hour % 12 or 12}:{d.minute:02d} {'PM' if d.hour >= 12 else 'AM'}"),
    st.datetimes(min_value=datetime(2015, 1, 1), max_value=datetime(2025, 1, 1)).map(
        lambda d: d.strftime("%Y-%m-%dT%H:%M:%S")),
    st.sampled_from(["", "not a date", "2024-02-30 10:00:00 UTC", "2024-10-16 09:00+01 UTC", "2023-02-29 00:00:00 UTC",
                     "0000-01-01 00:00:00 UTC", "2024-12-01 23:59:60 UTC", " 2024-10-26 11:43:11 UTC",
                     "2024-10-26 11:43:11 UTCx", "2024-1a-26 11:43:11 UTC", "2024-10-26 24:00:00 UTC"]),
)
text = st.text(alphabet=st.sampled_from(list('ab ,"\n\r\xe9')), max_size=10)
message = st.fixed_dictionaries({
    "conv": st.sampled_from(["2-a==", "2-b==", "2-c==", "2-d==", ""]),
    "sender": st.integers(0, len(PEOPLE) - 1),
    "recipients": st.lists(st.integers(0, len(PEOPLE) - 1), max_size=3),
    "date": dates,
    "content": text,
    "folder": st.sampled_from(["INBOX", "ARCHIVE", "SPAM", "", "SENT", "ARCHIVED"]),
    "draft": st.sampled_from(["No", "No", "Yes", "", " yes", "YES"]),
    "direction": st.sampled_from(["INCOMING", "OUTGOING", "SENT", "", "outgoing "]),
})


def build(era: str, spec: list[dict]) -> list[list[str]]:
    header = HEADERS[era]
    rows = []
    for m in spec:
        sender = PEOPLE[m["sender"]]
        recipients = [PEOPLE[i] for i in m["recipients"]]
        rows.append(row_for(header, {
            "CONVERSATION ID": m["conv"], "CONVERSATION TITLE": "Team" if len(recipients) > 1 else "",
            "FROM": sender[0], "SENDER PROFILE URL": sender[1], "TO": ",".join(r[0] for r in recipients),
            "RECIPIENT PROFILE URLS": ",".join(r[1] for r in recipients if r[1]), "DATE": m["date"],
            "CONTENT": m["content"], "FOLDER": m["folder"], "IS MESSAGE DRAFT": m["draft"],
            "IS CONVERSATION DRAFT": m["draft"], "DIRECTION": m["direction"], "ATTACHMENTS": "",
        }))
    return rows


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(era=st.sampled_from(sorted(HEADERS)), spec=st.lists(message, max_size=40),
       terminator=st.sampled_from(["\n", "\r\n"]), encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16"]),
       owner=st.sampled_from([(OWNER, "me owner"), ("", ""), ("", "me owner")]),
       block=st.sampled_from([700, 4096, 1 << 20]), join_rows=st.sampled_from([1, 5, 200_000]))
def test_the_arrow_reader_gives_exactly_the_oracles_facts(monkeypatch, era, spec, terminator, encoding, owner, block,
                                                          join_rows):
    monkeypatch.setattr(messages, "_JOIN_ROWS", join_rows)  # joins to the file's dictionaries, early and late
    data = messages_file(HEADERS[era], build(era, spec), terminator, encoding)
    limits = Limits(max_message_row_bytes=block)
    assert arrow_facts(data, *owner, limits=limits) == oracle_facts(data, *owner)


@settings(max_examples=100, deadline=None)
@given(spec=st.lists(message, min_size=1, max_size=30), extra=st.lists(st.tuples(st.integers(0, 40), text), max_size=4))
def test_stray_quotes_inside_fields_read_as_python_reads_them(spec, extra):
    # a quote inside an unquoted field is a character (a 5" screen); Arrow and Python agree
    lines = messages_file(HEADERS["2024"], build("2024", spec)).decode().split("\n")
    for at, piece in extra:
        i = 1 + at % (len(lines) - 1)
        if lines[i]:
            lines[i] = lines[i].replace(",", f",x{piece.replace(chr(10), '').replace(chr(13), '')}\"y", 1)
    data = "\n".join(lines).encode()
    try:
        got = arrow_facts(data, OWNER)
    except InputError as exc:
        assert "\n" not in str(exc) and "line" in str(exc)
    else:
        assert got == oracle_facts(data, OWNER)


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=3000))
def test_any_bytes_after_a_real_header_give_the_oracles_facts_or_a_clean_error(data):
    data = messages_file(HEADERS["2024"], []) + data
    try:
        got = arrow_facts(data, OWNER)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        try:
            expected = oracle_facts(data, OWNER)
        except (csv.Error, UnicodeDecodeError):
            return  # the oracle cannot read it either
        assert got == expected


# --------------------------------------------------------------------------- header eras, by hand


def test_2024_drafts_spam_groups_and_dates():
    header = HEADERS["2024"]
    jane, jose = PEOPLE[1][1], PEOPLE[3][1]
    rows = [
        row_for(header, {"CONVERSATION ID": "2-a==", "SENDER PROFILE URL": jane, "RECIPIENT PROFILE URLS": ME,
                         "DATE": "2024-10-26 11:43:11 UTC", "FOLDER": "INBOX", "IS MESSAGE DRAFT": "No"}),
        row_for(header, {"CONVERSATION ID": "2-a==", "SENDER PROFILE URL": ME, "RECIPIENT PROFILE URLS": jane,
                         "DATE": "2024-10-25 10:00:00 UTC", "FOLDER": "INBOX", "IS MESSAGE DRAFT": "No"}),
        row_for(header, {"CONVERSATION ID": "2-b==", "SENDER PROFILE URL": ME, "RECIPIENT PROFILE URLS": f"{jane},{jose}",
                         "DATE": "2024-09-01 09:00:00 UTC", "FOLDER": "INBOX", "IS MESSAGE DRAFT": "No"}),
        row_for(header, {"SENDER PROFILE URL": ME, "RECIPIENT PROFILE URLS": jane, "DATE": "2024-11-01 09:00:00 UTC",
                         "IS MESSAGE DRAFT": "Yes"}),
        row_for(header, {"CONVERSATION ID": "2-c==", "SENDER PROFILE URL": jose, "RECIPIENT PROFILE URLS": ME,
                         "DATE": "2024-11-01 09:00:00 UTC", "FOLDER": "SPAM", "IS MESSAGE DRAFT": "No"}),
        row_for(header, {"CONVERSATION ID": "2-a==", "SENDER PROFILE URL": jane, "RECIPIENT PROFILE URLS": ME,
                         "DATE": "2024-10-16 09:00+01 UTC", "FOLDER": "INBOX", "IS MESSAGE DRAFT": "No"}),
    ]
    data = messages_file(header, rows)
    facts = read_messages(lambda: io.BytesIO(data), "messages.csv", owner_key=OWNER)
    jane_facts = facts.by_url["linkedin.com/in/jane-roe-1"]
    assert (jane_facts.messages_sent, jane_facts.messages_received, jane_facts.conversations,
            jane_facts.group_conversations) == (2, 1, 2, 1)
    assert (jane_facts.first_message, jane_facts.last_message) == (datetime(2024, 9, 1, 9), datetime(2024, 10, 26, 11, 43, 11))
    assert facts.co_threads == {("linkedin.com/in/jane-roe-1", "linkedin.com/in/josé-pérez-123"): 1}
    assert facts.skipped.counts == {"message draft": 1, "message in the spam folder": 1,
                                    "message without a readable date": 1}
    assert facts.skipped.examples["message draft"] == ["messages.csv, row 5"]  # as a spreadsheet numbers it
    assert facts.skipped.examples["message without a readable date"] == ["messages.csv, row 7"]
    assert arrow_facts(data, OWNER) == oracle_facts(data, OWNER)


def test_the_owner_is_found_as_the_address_in_the_most_conversations():
    header = HEADERS["2023"]
    rows = [row_for(header, {"CONVERSATION ID": f"2-{i}==", "SENDER PROFILE URL": PEOPLE[1 + i % 3][1],
                             "RECIPIENT PROFILE URLS": ME, "DATE": "2024-10-26 11:43:11 UTC"}) for i in range(6)]
    facts = read_messages(lambda: io.BytesIO(messages_file(header, rows)), "messages.csv")
    assert facts.owner_key == OWNER
    assert facts.by_url["linkedin.com/in/jane-roe-1"].messages_received == 2


def test_2018_names_us_dates_and_direction():
    data = (b"From,To,Date,Subject,Content,Direction,Folder\n"
            b'Jane Roe,Me Owner,"3/7/18, 9:05 PM",,hi,INCOMING,INBOX\n'
            b'Me Owner,"Jane Roe, PhD","3/8/18, 9:05 AM",,"hello,\nthere",OUTGOING,SENT\n')
    facts = read_messages(lambda: io.BytesIO(data), "Messages.csv", owner_name_key="me owner")
    jane = facts.by_name[("jane roe", "")]
    assert (jane.messages_received, jane.messages_sent, jane.conversations) == (1, 1, 1)
    assert (jane.first_message, jane.last_message) == (datetime(2018, 3, 7, 21, 5), datetime(2018, 3, 8, 9, 5))


def test_a_header_without_conversation_ids_or_recipients():
    data = (b"CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
            b"2-a==,,Jane Roe,https://www.linkedin.com/in/jane-roe-1,Me,2021-06-01 10:00:00 UTC,,hi,INBOX\n"
            b"2-a==,,Me,https://www.linkedin.com/in/me,Jane Roe,2021-06-02 10:00:00 UTC,,hi,INBOX\n")
    assert arrow_facts(data, OWNER) == oracle_facts(data, OWNER)
    assert arrow_facts(data, OWNER)["by_url"]["linkedin.com/in/jane-roe-1"][:3] == (0, 1, 1)


def test_parse_dates_matches_parse_export_date_on_every_shape():
    from backchannel.times import parse_export_date

    values = ["2024-10-26 11:43:11 UTC", "2024-02-29 00:00:00 UTC", "2023-02-29 00:00:00 UTC", "0001-01-01 00:00:00 UTC",
              "0000-01-01 00:00:00 UTC", "9999-12-31 23:59:59 UTC", "2024-12-01 23:59:60 UTC", "1969-07-20 20:17:40 UTC",
              "2024-10-16 09:00+01 UTC", "3/7/18, 9:05 PM", "2020-01-02T03:04:05", "", "x", "٢٠٢٤-10-26 11:43:11 UTC"]
    seconds, ok = parse_dates(string_array(values))
    epoch = datetime(1970, 1, 1)
    got = [epoch + timedelta(seconds=int(s)) if k else None for s, k in zip(seconds, ok, strict=True)]
    assert got == [parse_export_date(v) for v in values]


# --------------------------------------------------------------------------- cases kept from the split read


def test_a_large_file_over_many_blocks_matches_the_oracle(tmp_path):
    folder = generate_export(tmp_path / "e", 300, 6000, seed=11, as_zip=False)
    data = (folder / "messages.csv").read_bytes()
    limits = Limits(max_message_row_bytes=4096)  # dozens of blocks
    assert arrow_facts(data, "linkedin.com/in/alex-morgan-5b1", limits=limits) == oracle_facts(
        data, "linkedin.com/in/alex-morgan-5b1")
    assert arrow_facts(data, limits=limits) == oracle_facts(data)


def test_cp1252_bytes_only_near_the_end_read_the_whole_file_as_cp1252():
    header = HEADERS["2024"]
    rows = [row_for(header, {"CONVERSATION ID": f"2-{i}==", "SENDER PROFILE URL": PEOPLE[1][1],
                             "RECIPIENT PROFILE URLS": ME, "DATE": "2024-10-26 11:43:11 UTC", "CONTENT": "x" * 40})
            for i in range(3000)]
    rows.append(row_for(header, {"CONVERSATION ID": "2-z==", "SENDER PROFILE URL": "https://www.linkedin.com/in/jos\xe9",
                                 "RECIPIENT PROFILE URLS": ME, "DATE": "2024-10-26 11:43:11 UTC", "CONTENT": "caf\xe9"}))
    data = messages_file(header, rows, encoding="cp1252")
    got = arrow_facts(data, OWNER, limits=Limits(max_message_row_bytes=8192))
    assert got == oracle_facts(data, OWNER)
    assert "linkedin.com/in/josé" in got["by_url"]


def test_utf16_files_are_transcoded():
    rows = build("2024", [{"conv": "2-a==", "sender": 1, "recipients": [0], "date": "2024-10-26 11:43:11 UTC",
                           "content": "hé", "folder": "INBOX", "draft": "No", "direction": ""}] * 3)
    for encoding in ("utf-16", "utf-16-le"):
        data = messages_file(HEADERS["2024"], rows, "\r\n", encoding)
        assert arrow_facts(data, OWNER)["by_url"]["linkedin.com/in/jane-roe-1"][1] == 3


def test_a_field_or_row_over_the_limit_late_in_the_file_names_its_line():
    header = HEADERS["2024"]
    rows = build("2024", [{"conv": "2-a==", "sender": 1, "recipients": [0], "date": "2024-10-26 11:43:11 UTC",
                           "content": "two\nlines", "folder": "INBOX", "draft": "No", "direction": ""}] * 300)
    rows[-10][3] = "https://www.linkedin.com/in/" + "x" * 5000  # a column the reader reads
    data = messages_file(header, rows)
    # rows are counted as a spreadsheet counts them; the line is found by reading again
    with pytest.raises(InputError, match=r"messages.csv, line 582: a field is longer than 4 KiB"):
        arrow_facts(data, OWNER, limits=Limits(max_field_bytes=4096))
    rows[-10][3] = PEOPLE[1][1]
    rows[-10][8] = "x" * 10000  # CONTENT is not read: the row limit bounds it
    with pytest.raises(InputError, match=r"messages.csv, line 582: the row starting on this line is longer than 4 KiB"):
        arrow_facts(messages_file(header, rows), OWNER, limits=Limits(max_message_row_bytes=4096))


def test_a_quoted_field_running_to_the_end_of_the_file_names_the_line_where_it_opened():
    rows = build("2024", [{"conv": "2-a==", "sender": 1, "recipients": [0], "date": "2024-10-26 11:43:11 UTC",
                           "content": "hi", "folder": "INBOX", "draft": "No", "direction": ""}] * 40)
    text = messages_file(HEADERS["2024"], rows).decode()
    lines = text.splitlines(keepends=True)
    lines[30] = lines[30].replace(",hi,", ',"hi,', 1)  # line 31: a quote that never closes
    with pytest.raises(InputError, match=r"messages.csv, line 31: .*quote"):
        arrow_facts("".join(lines).encode(), OWNER)
    # the same quote further from the end swallows past the size limit
    with pytest.raises(InputError, match=r"messages.csv, line 31: .*quote"):
        arrow_facts("".join(lines).encode(), OWNER, limits=Limits(max_message_row_bytes=2048))


def test_a_zip_member_is_read_where_it_is(tmp_path):
    export = generate_export(tmp_path / "e.zip", 300, 6000, seed=11)
    with zipfile.ZipFile(export) as zf:
        data = zf.read("messages.csv")
    from_zip = read_export(export)
    facts = as_oracle(read_messages(lambda: io.BytesIO(data), "messages.csv", owner_key="linkedin.com/in/alex-morgan-5b1",
                                    owner_name_key="alex morgan"))
    for key, values in facts["by_url"].items():
        f = from_zip.interactions[key]
        assert (f.messages_sent, f.messages_received, f.conversations, f.group_conversations, f.first_message,
                f.last_message) == values
    assert from_zip.co_threads == facts["co_threads"]


def test_groups_can_be_listed_for_a_notebook():
    data = messages_file(HEADERS["2021"], build("2021", [
        {"conv": "2-a==", "sender": 1, "recipients": [0], "date": "2024-10-26 11:43:11 UTC", "content": "hi",
         "folder": "INBOX", "draft": "No", "direction": ""}] * 2))
    groups = count_messages(lambda: io.BytesIO(data), "messages.csv")
    assert groups.rows() == [("2-a==", PEOPLE[1][1], 2, 1729942991, 1729942991)]
    assert message_facts(groups, OWNER).by_url["linkedin.com/in/jane-roe-1"].messages_received == 2


def test_file_in_an_export_with_a_bom_and_crlf(tmp_path):
    folder = tmp_path / "export"
    write(folder / "Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                                      "Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,Acme,Engineer,05 Jun 2026\n")
    rows = build("2024", [{"conv": "2-a==", "sender": 1, "recipients": [0], "date": "2024-10-26 11:43:11 UTC",
                           "content": "hi", "folder": "INBOX", "draft": "No", "direction": ""}] * 2)
    (folder / "messages.csv").write_bytes(codecs.BOM_UTF8 + messages_file(HEADERS["2024"], rows, "\r\n"))
    export = read_export(folder)
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 2
    assert export.owner_profile_url == ME
