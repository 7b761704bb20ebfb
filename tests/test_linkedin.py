"""The export reader, variant by variant (see linkedin-export-format in the docs)."""

from __future__ import annotations

import codecs
import zipfile
from datetime import datetime

import pytest
from conftest import HEADER_2021, HEADER_2024, PREAMBLE, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.errors import InputError
from backchannel.readers.export import read_export

ROW = 'Jane,Roe,https://www.linkedin.com/in/jane-roe-1,,"Acme, Inc.","Engineer, Payments",05 Jun 2026\n'


def names(export):
    return [c.name for c in export.connections]


def test_current_format_with_preamble_and_no_trailing_newline(tmp_path):
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 + ROW.rstrip("\n"))
    export = read_export(path)
    (c,) = export.connections
    assert (c.first_name, c.last_name, c.company, c.position) == ("Jane", "Roe", "Acme, Inc.", "Engineer, Payments")
    assert c.profile_url == "https://www.linkedin.com/in/jane-roe-1"
    assert c.connected_on == datetime(2026, 6, 5)
    assert c.line == 5


def test_2021_format_without_url_column(tmp_path):
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2021 + "Jane,Roe,,Acme,Engineer,07 Mar 2022\n")
    (c,) = read_export(path).connections
    assert c.profile_url == "" and c.company == "Acme" and c.connected_on == datetime(2022, 3, 7)


def test_2018_format_no_preamble_us_dates(tmp_path):
    path = write(tmp_path / "Connections.csv", HEADER_2021 + 'Jane,Roe,,Acme,Engineer,"3/7/18, 9:05 PM"\n')
    (c,) = read_export(path).connections
    assert c.connected_on == datetime(2018, 3, 7, 21, 5)


@pytest.mark.parametrize("date_text, expected", [
    ("7-Feb-22", datetime(2022, 2, 7)),
    ("05-Feb-24", datetime(2024, 2, 5)),
    ("05.06.2026", datetime(2026, 6, 5)),
    ("05 Jun 2026", datetime(2026, 6, 5)),
])
def test_spreadsheet_resaved_dates(tmp_path, date_text, expected):
    path = write(tmp_path / "Connections.csv", HEADER_2024 + f"Jane,Roe,,,Acme,Engineer,{date_text}\n")
    assert read_export(path).connections[0].connected_on == expected


def test_european_excel_semicolons_and_lowercase_header(tmp_path):
    text = "First Name;Last Name;Company;Position;Connected on\r\nJane;Roe;Acme;Engineer, Payments;05.06.2026\r\n"
    (c,) = read_export(write(tmp_path / "Connections.csv", text)).connections
    assert (c.name, c.position, c.connected_on) == ("Jane Roe", "Engineer, Payments", datetime(2026, 6, 5))


def test_tab_delimited_utf16_with_bom(tmp_path):
    text = "First Name\tLast Name\tURL\tEmail Address\tCompany\tPosition\tConnected On\r\nZoë\tMüller\t\t\tAcme\tCTO\t05 Jun 2026\r\n"
    path = tmp_path / "Connections.csv"
    path.write_bytes(codecs.BOM_UTF16_LE + text.encode("utf-16-le"))
    assert names(read_export(path)) == ["Zoë Müller"]


def test_utf8_bom_and_crlf(tmp_path):
    path = tmp_path / "Connections.csv"
    path.write_bytes(codecs.BOM_UTF8 + (PREAMBLE + HEADER_2024 + ROW).replace("\n", "\r\n").encode())
    assert names(read_export(path)) == ["Jane Roe"]


def test_cp1252_resave_falls_back(tmp_path):
    text = HEADER_2024 + "José,Pérez,,,Café Ltd,Chef,05 Jun 2026\n"
    (c,) = read_export(write(tmp_path / "Connections.csv", text, "cp1252")).connections
    assert (c.name, c.company) == ("José Pérez", "Café Ltd")


def test_cp1252_detected_even_after_a_long_ascii_start(tmp_path):
    rows = "".join(f"Person,Number{i},,,Acme,Engineer,05 Jun 2026\n" for i in range(4000))
    text = HEADER_2024 + rows + "José,Pérez,,,Acme,Chef,05 Jun 2026\n"
    export = read_export(write(tmp_path / "Connections.csv", text, "cp1252"))
    assert export.connections[-1].name == "José Pérez"


def test_a_cp1252_retry_counts_skipped_rows_once(tmp_path):
    # the UTF-8 attempt fails near the end; what it skipped before must not be counted twice
    rows = "Jane,Roe,,,Acme,Engineer,05 Jun 2026\n" * 2
    rows += "".join(f"Person,Number{i},,,Acme,Engineer,bad date\n" for i in range(4000))
    text = HEADER_2024 + rows + "José,Pérez,,,Acme,Chef,05 Jun 2026\n"
    export = read_export(write(tmp_path / "Connections.csv", text, "cp1252"))
    assert export.skipped.counts["exact duplicate row"] == 1
    assert len(export.warnings) == 4000
    header, _, _, _, draft = MESSAGES_2024.splitlines(keepends=True)  # the group row has a José
    messages = header + draft + "".join(
        f"2-c{i}==,,Jane Roe,https://www.linkedin.com/in/jane-roe-1,Me Owner,https://www.linkedin.com/in/me,"
        f"2024-10-26 11:43:11 UTC,,{'x' * 40},INBOX,No,No\n" for i in range(2000)) + (
        "2-z==,,José Pérez,https://www.linkedin.com/in/jose,Me Owner,https://www.linkedin.com/in/me,"
        "2024-10-26 11:43:11 UTC,,olé,INBOX,No,No\n")
    folder = _folder(tmp_path, {"Invitations.csv": INVITATIONS})
    write(folder / "messages.csv", messages, "cp1252")
    export = read_export(folder)
    assert export.skipped.counts["message draft"] == 1
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 2000


def test_trailing_padding_columns(tmp_path):
    text = "First Name,Last Name,URL,Email Address,Company,Position,Connected On,,\nJane,Roe,,,Acme,Engineer,05 Jun 2026,,\n"
    assert names(read_export(write(tmp_path / "Connections.csv", text))) == ["Jane Roe"]


def test_messy_rows_ghosts_duplicates_credentials_emoji_whitespace(tmp_path):
    rows = [
        '  Jane  , Roe , https://www.linkedin.com/in/jane-roe-1,,Acme,Engineer,05 Jun 2026',
        ',,,,,,04 Jun 2026',  # a hidden profile
        ',,,,,,03 Jun 2026',
        'Marco,"Rossi, PhD",https://www.linkedin.com/in/marco-rossi,,,,02 Jun 2026',
        'Sam,Lee 🚀,https://www.linkedin.com/in/sam-lee,,,,01 Jun 2026',
        'Sam,Lee 🚀,https://www.linkedin.com/in/sam-lee,,,,01 Jun 2026',  # exact duplicate
        'José,Pérez,https://www.linkedin.com/in/jos%C3%A9-p%C3%A9rez-123,,Globex,,01 Jun 2026',
    ]
    export = read_export(write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 + "\n".join(rows)))
    assert names(export) == ["Jane Roe", "Marco Rossi, PhD", "Sam Lee 🚀", "José Pérez"]
    assert export.skipped.counts["hidden profile (no name and no profile address)"] == 2
    assert export.skipped.counts["exact duplicate row"] == 1
    assert export.connections[3].url_key == "linkedin.com/in/josé-pérez-123"
    assert export.connections[1].company == ""


def test_unknown_date_is_kept_with_a_warning(tmp_path):
    export = read_export(write(tmp_path / "Connections.csv", HEADER_2024 + "Jane,Roe,,,Acme,Engineer,someday\n"))
    assert export.connections[0].connected_on is None
    assert "line 2" in export.warnings[0]


MESSAGES_2024 = (
    "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER,IS MESSAGE DRAFT,IS CONVERSATION DRAFT\n"
    "2-a==,,Jane Roe,https://www.linkedin.com/in/jane-roe-1,Me Owner,https://www.linkedin.com/in/me,2024-10-26 11:43:11 UTC,,hi,INBOX,No,No\n"
    "2-a==,,Me Owner,https://www.linkedin.com/in/me,Jane Roe,https://www.linkedin.com/in/jane-roe-1,2024-10-25 10:00:00 UTC,,hello,INBOX,No,No\n"
    '2-b==,Team,Me Owner,https://www.linkedin.com/in/me,"Jane Roe,José Pérez",'
    '"https://www.linkedin.com/in/jane-roe-1,https://www.linkedin.com/in/josé-pérez-123",2024-09-01 09:00:00 UTC,,group,INBOX,No,No\n'
    ",,Me Owner,https://www.linkedin.com/in/me,Jane Roe,https://www.linkedin.com/in/jane-roe-1,2024-11-01 09:00:00 UTC,,draft,,Yes,Yes\n"
)
INVITATIONS = (
    "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
    'Me Owner,Jane Roe,"3/7/24, 9:05 PM",Great to meet you!,OUTGOING,https://www.linkedin.com/in/me,https://www.linkedin.com/in/jane-roe-1\n'
)


def _folder(tmp_path, files: dict[str, str]):
    folder = tmp_path / "export"
    base = {"Connections.csv": PREAMBLE + HEADER_2024 + ROW
            + "José,Pérez,https://www.linkedin.com/in/jos%C3%A9-p%C3%A9rez-123,,Globex,,01 Jun 2026\n"}
    for name, text in {**base, **files}.items():
        write(folder / name, text)
    return folder


def test_messages_2024_direction_from_invitations_drafts_dropped_group_threads(tmp_path):
    export = read_export(_folder(tmp_path, {"messages.csv": MESSAGES_2024, "Invitations.csv": INVITATIONS}))
    jane = export.interactions["linkedin.com/in/jane-roe-1"]
    assert (jane.messages_sent, jane.messages_received, jane.conversations, jane.group_conversations) == (2, 1, 2, 1)
    assert jane.last_message == datetime(2024, 10, 26, 11, 43, 11)
    assert jane.invited_by == "owner" and jane.invitation_note
    assert export.owner_profile_url == "https://www.linkedin.com/in/me"
    assert export.skipped.counts["message draft"] == 1
    assert export.co_threads[("linkedin.com/in/jane-roe-1", "linkedin.com/in/josé-pérez-123")] == 1


def test_a_message_date_with_a_zone_offset_is_skipped_not_mixed_in(tmp_path):
    # "09:00+01" fits the 19 characters of "09:00:00" and parses as an aware time, which
    # cannot be compared with the others
    text = MESSAGES_2024 + ("2-a==,,Jane Roe,https://www.linkedin.com/in/jane-roe-1,Me Owner,"
                            "https://www.linkedin.com/in/me,2024-10-16 09:00+01 UTC,,hi,INBOX,No,No\n")
    export = read_export(_folder(tmp_path, {"messages.csv": text, "Invitations.csv": INVITATIONS}))
    assert export.skipped.counts["message without a readable date"] == 1
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 1


def test_messages_owner_found_without_invitations(tmp_path):
    export = read_export(_folder(tmp_path, {"messages.csv": MESSAGES_2024}))
    assert export.owner_profile_url == "https://www.linkedin.com/in/me"
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 1


def test_messages_2021_header_without_recipient_urls(tmp_path):
    text = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
            "2-a==,,Jane Roe,https://www.linkedin.com/in/jane-roe-1,Me,2021-06-01 10:00:00 UTC,,hi,INBOX\n")
    export = read_export(_folder(tmp_path, {"messages.csv": text, "Invitations.csv": INVITATIONS}))
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 1


def test_messages_2018_names_and_direction(tmp_path):
    text = ("From,To,Date,Subject,Content,Direction,Folder\n"
            'Jane Roe,Me Owner,"3/7/18, 9:05 PM",,hi,INCOMING,INBOX\n'
            'Me Owner,Jane Roe,"3/8/18, 9:05 AM",,hello,OUTGOING,SENT\n')
    export = read_export(_folder(tmp_path, {"Messages.csv": text}))
    facts = export.interactions_by_name[("jane roe", "")]
    assert (facts.messages_received, facts.messages_sent) == (1, 1)


def test_file_names_drift_and_unknown_files_are_listed(tmp_path):
    files = {"MESSAGES.csv": MESSAGES_2024, "Endorsement Received Info.csv":
             "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,Endorser Public Url,Endorsement Status\n"
             "2024/01/02 10:00:00 UTC,Python,Jane,Roe,www.linkedin.com/in/jane-roe-1,ACCEPTED\n",
             "Rich Media.csv": "Date/Time,Media Description,Media Link\n"}
    export = read_export(_folder(tmp_path, files))
    assert export.interactions["linkedin.com/in/jane-roe-1"].endorsements_received == 1
    assert "Rich Media.csv" in export.files_ignored
    assert "MESSAGES.csv" in export.files_read


def test_recommendations_profile_and_positions(tmp_path):
    files = {
        "Recommendations_Received.csv": "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
                                        'Jane,Roe,"Acme, Inc.",Engineer,Great,"10/12/23, 11:04 AM",VISIBLE\n',
        "Profile.csv": "First Name,Last Name,Maiden Name,Address,Birth Date,Headline,Summary,Industry,Zip Code,"
                       "Geo Location,Twitter Handles,Websites,Instant Messengers\nMe,Owner,,,Apr 12,,,,,,,,\n",
        "Positions.csv": "Company Name,Title,Description,Location,Started On,Finished On\n"
                         "Globex,Engineer,,,Mar 2022,\nInitech,Engineer,,,2018,Feb 2022\n",
    }
    export = read_export(_folder(tmp_path, files))
    assert export.owner_name == "Me Owner"
    assert export.interactions_by_name[("jane roe", "acme")].recommendations_received == 1
    assert [(p.company, p.current) for p in export.positions] == [("Globex", True), ("Initech", False)]


def test_zip_as_downloaded_and_folder_inside_folder(tmp_path, sample_zip):
    export = read_export(sample_zip)
    assert len(export.connections) == 400
    folder = tmp_path / "unpacked"
    with zipfile.ZipFile(sample_zip) as zf:
        zf.extractall(folder / "Basic_LinkedInDataExport_11-20-2026")
    assert len(read_export(folder).connections) == 400


@pytest.mark.parametrize("content, message", [
    (b"", "no Connections.csv (First Name, Last Name, ...) header row found"),
    (b"\x00\x01\x02binary\xff" * 100, "binary file"),
    (MESSAGES_2024.encode(), "this looks like messages.csv"),
    (b"First Name,Last Name,Company\nJane,Roe,Acme\n", "no 'Connected On' column"),
])
def test_bad_connections_files_fail_with_one_clear_line(tmp_path, content, message):
    path = tmp_path / "Connections.csv"
    path.write_bytes(content)
    with pytest.raises(InputError) as err:
        read_export(path)
    assert message in str(err.value)
    assert str(path) in str(err.value) and "\n" not in str(err.value)


def test_truncated_zip_and_not_an_export(tmp_path, sample_zip):
    broken = tmp_path / "export.zip"
    broken.write_bytes(sample_zip.read_bytes()[:5000])
    with pytest.raises(InputError, match="damaged ZIP"):
        read_export(broken)
    other = tmp_path / "other.zip"
    with zipfile.ZipFile(other, "w") as zf:
        zf.writestr("notes.txt", "hello")
    with pytest.raises(InputError, match="no Connections.csv"):
        read_export(other)
    with pytest.raises(InputError, match="no such file"):
        read_export(tmp_path / "missing.zip")


def test_malformed_csv_names_the_line(tmp_path):
    from backchannel.readers.text import Limits

    # a quoted field that never ends swallows the rest of the file: the error names the
    # line where the bad row starts
    text = HEADER_2024 + "Jane,Roe,,,Acme,Engineer,05 Jun 2026\n" + 'Sam,"Lee\n' + ("x" * 80 + "\n") * 40
    path = write(tmp_path / "Connections.csv", text)
    with pytest.raises(InputError, match=r"line 3: .*quote"):
        read_export(path, limits=Limits(max_row_bytes=1000))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=3000))
def test_any_bytes_either_import_or_fail_cleanly(tmp_path, data):
    path = tmp_path / "Connections.csv"
    path.write_bytes(data)
    try:
        export = read_export(path)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(export.connections, list)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(st.text(max_size=20), min_size=0, max_size=9), max_size=12))
def test_any_rows_under_a_real_header_import_or_fail_cleanly(tmp_path, rows):
    import csv
    import io

    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 + buf.getvalue())
    try:
        export = read_export(path)
    except InputError as exc:
        assert "\n" not in str(exc)
    else:
        assert all(c.first_name or c.last_name or c.profile_url for c in export.connections)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.binary(max_size=2000))
def test_any_messages_bytes_in_an_export_import_or_fail_cleanly(tmp_path, data):
    folder = _folder(tmp_path, {})
    (folder / "messages.csv").write_bytes(data)
    try:
        read_export(folder)
    except InputError as exc:
        assert "\n" not in str(exc)


def test_committed_sample_is_what_the_generator_makes(tmp_path):
    from pathlib import Path

    from backchannel.sample import generate_export, write_sample_interviews

    data = Path(__file__).resolve().parent.parent / "data" / "sample"
    fresh = generate_export(tmp_path / "s.zip", 400, 4000)
    assert fresh.read_bytes() == (data / "Basic_LinkedInDataExport_sample.zip").read_bytes()
    assert write_sample_interviews(tmp_path / "iv.csv").read_bytes() == (data / "interviews.csv").read_bytes()


def test_connections_as_a_dataframe(sample_zip):
    frame = read_export(sample_zip).connections_frame()
    assert len(frame) == 400
    assert list(frame.columns) == ["name", "first_name", "last_name", "profile_url", "email", "company", "position",
                                   "connected_on"]
    assert frame.loc[frame["name"] == "José Pérez", "profile_url"].item() == "https://www.linkedin.com/in/josé-pérez-123"


# --------------------------------------------------------------------------- issue 28: encodings, width, addresses


def test_one_stray_byte_never_turns_the_names_of_a_utf8_file_to_mojibake(tmp_path):
    # issue 28.3: "ZoÃ« Quinn"; the byte is replaced and its line named, the rest read as UTF-8
    text = (PREAMBLE + HEADER_2024 + "Zoë,Quinn,https://www.linkedin.com/in/zq,,Acme,CTO,05 Jun 2026\n"
            "Sam,Lee,https://www.linkedin.com/in/sl,,Ac\udcffme,Engineer,05 Jun 2026\n"
            "José,Pérez,https://www.linkedin.com/in/jp,,Globex,Chef,05 Jun 2026\n")
    path = tmp_path / "Connections.csv"
    path.write_bytes(text.encode("utf-8", "surrogateescape"))
    export = read_export(path)
    assert [(c.name, c.company) for c in export.connections] == [
        ("Zoë Quinn", "Acme"), ("Sam Lee", "Ac\ufffdme"), ("José Pérez", "Globex")]
    (warning,) = export.warnings
    assert "bytes that are not UTF-8" in warning and "line 6" in warning and str(path) in warning


def test_a_byte_no_encoding_has_is_named_by_its_line_never_an_error_without_one(tmp_path):
    # 0x81 is not a cp1252 character either
    utf8 = tmp_path / "utf8" / "Connections.csv"
    utf8.parent.mkdir()
    utf8.write_bytes((HEADER_2024 + "Zoë,Quinn,,,Acme,CTO,05 Jun 2026\n").encode() + b"Sam,Lee,,,Ac\x81me,X,05 Jun 2026\n")
    export = read_export(utf8)
    assert [c.name for c in export.connections] == ["Zoë Quinn", "Sam Lee"] and "line 3" in export.warnings[0]
    cp1252 = tmp_path / "cp1252" / "Connections.csv"
    cp1252.parent.mkdir()
    cp1252.write_bytes((HEADER_2024 + "Zoë,Quinn,,,Café,CTO,05 Jun 2026\n").encode("cp1252")
                       + b"Sam,Lee,,,Ac\x81me,X,05 Jun 2026\n")
    export = read_export(cp1252)
    assert [(c.name, c.company) for c in export.connections] == [("Zoë Quinn", "Café"), ("Sam Lee", "Ac\ufffdme")]
    assert "line 3" in export.warnings[0] and "cp1252" in export.warnings[0]


def test_a_genuine_cp1252_file_with_a_long_utf8_looking_start_is_still_cp1252(tmp_path):
    rows = "".join(f"Person,Number{i},,,Acme,Engineer,05 Jun 2026\n" for i in range(4000))
    text = HEADER_2024 + rows + "Zoë,Müller,,,Café Ltd,Chef,05 Jun 2026\nJosé,Pérez,,,Crème,Chef,05 Jun 2026\n"
    export = read_export(write(tmp_path / "Connections.csv", text, "cp1252"))
    assert [c.name for c in export.connections[-2:]] == ["Zoë Müller", "José Pérez"] and not export.warnings


@pytest.mark.parametrize("columns, as_zip", [(1_001, False), (5_000, True), (200_000, False)])
def test_a_header_wider_than_any_real_one_is_refused_at_once_naming_line_1(tmp_path, columns, as_zip):
    # issue 28.4: 200,000 columns took 165 s and 2 GB, then blamed line 2 (5,000 were read, to no one)
    header = ",".join(["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
                      + [f"c{i}" for i in range(columns - 7)])
    text = header + "\nJane,Roe,https://www.linkedin.com/in/jr,,Acme,CTO,05 Jun 2026\n"
    path = write(tmp_path / "Connections.csv", text)
    if as_zip:
        zipped = tmp_path / "Basic_LinkedInDataExport_11-20-2026.zip"
        with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as zf:
            zf.write(path, "Connections.csv")
        path = zipped
    with pytest.raises(InputError) as err:
        read_export(path)
    assert err.value.line == 1 and f"{columns:,} columns" in str(err.value)


def test_a_wide_header_in_messages_csv_is_refused_too(tmp_path):
    folder = _folder(tmp_path, {"messages.csv": "FROM,TO,DATE," + ",".join(f"c{i}" for i in range(5000)) + "\n"})
    with pytest.raises(InputError, match=r"messages.csv, line 1: this line has 5,003 columns"):
        read_export(folder)


def test_an_address_a_browser_opens_elsewhere_never_enters_from_the_export(tmp_path):
    # issue 28.5: Chromium opens https://evil.example\.linkedin.com/in/nina on evil.example
    evil = "https://evil.example\\.linkedin.com/in/nina"
    folder = _folder(tmp_path, {
        "Connections.csv": PREAMBLE + HEADER_2024 + f"Nina,Volkova,{evil},,Globex,CTO,05 Jun 2026\n" + ROW,
        "Invitations.csv": INVITATIONS.replace("https://www.linkedin.com/in/me", evil),
        "Endorsement_Received_Info.csv": "Endorsement Date,Skill Name,Endorser First Name,Endorser Last Name,"
                                         "Endorser Public Url,Endorsement Status\n"
                                         f"2024/01/02 10:00:00 UTC,Python,Nina,Volkova,{evil},ACCEPTED\n"})
    export = read_export(folder)
    assert names(export) == ["Jane Roe"]
    assert export.skipped.examples["a profile address that is not LinkedIn's (a browser would open another site)"] \
        == [f"{folder / 'Connections.csv'}, line 5"]
    assert export.owner_profile_url == "" and "evil" not in repr(export.interactions)


def test_a_header_repeated_inside_a_joined_file_is_no_person(tmp_path):
    # issue 28.11: two exports' Connections.csv pasted one after the other
    text = PREAMBLE + HEADER_2024 + ROW + "\n" + PREAMBLE + HEADER_2024 + \
        "Sam,Lee,https://www.linkedin.com/in/sam-lee,,Acme,CTO,01 Jun 2026\n"
    export = read_export(write(tmp_path / "Connections.csv", text))
    assert names(export) == ["Jane Roe", "Sam Lee"]
    assert export.skipped.examples["the header row again (files joined together)"] == [
        f"{tmp_path / 'Connections.csv'}, line 10"]


def test_without_invitations_the_owner_is_who_profile_csv_names(tmp_path):
    # issue 28.11: in a 2021 messages.csv (no recipient addresses) the owner shows only where they
    # wrote; a correspondent who wrote in every conversation is not the owner when Profile.csv says who is
    me, jane = "https://www.linkedin.com/in/me", "https://www.linkedin.com/in/jane-roe-1"
    messages = ("CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,DATE,SUBJECT,CONTENT,FOLDER\n"
                f"2-a==,,Jane Roe,{jane},Me Owner,2021-06-01 10:00:00 UTC,,hi,INBOX\n"
                f"2-b==,,Jane Roe,{jane},Me Owner,2021-06-02 10:00:00 UTC,,again,INBOX\n"
                f"2-b==,,Me Owner,{me},Jane Roe,2021-06-03 10:00:00 UTC,,hello,INBOX\n"
                f"2-c==,,Jane Roe,{jane},Me Owner,2021-06-04 10:00:00 UTC,,still here,INBOX\n")
    profile = "First Name,Last Name,Maiden Name,Address,Birth Date,Headline\nMe,Owner,,,,\n"
    export = read_export(_folder(tmp_path, {"messages.csv": messages, "Profile.csv": profile}))
    assert export.owner_profile_url == me
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 3
    # without Profile.csv nothing says who the owner is: the address in the most conversations
    (tmp_path / "export" / "Profile.csv").unlink()
    assert read_export(tmp_path / "export").owner_profile_url == jane


def test_a_member_id_where_the_email_goes_is_not_an_email(tmp_path):
    # issue 23.3: a 2018 export's Email Address
    text = HEADER_2021 + 'Jane,Roe,urn:li:member:664293716,Acme,Engineer,"3/7/18, 9:05 PM"\n' \
                         'Sam,Lee,sam@acme.example,Acme,Engineer,"3/7/18, 9:05 PM"\n'
    export = read_export(write(tmp_path / "Connections.csv", text))
    jane, sam = export.connections
    assert (jane.email, jane.member, sam.email) == ("", "urn:li:member:664293716", "sam@acme.example")
    assert "not an email address" in export.warnings[0] and "line 2" in export.warnings[0]


def test_a_lone_file_is_read_as_the_kind_its_name_says(tmp_path):
    lone = write(tmp_path / "messages.csv", MESSAGES_2024)
    export = read_export(lone, owner_profile_url="https://www.linkedin.com/in/me")
    assert not export.has_connections and export.files_read == ["messages.csv"]
    assert export.interactions["linkedin.com/in/jane-roe-1"].messages_received == 1
