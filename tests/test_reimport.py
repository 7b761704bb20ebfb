"""Nothing you imported is lost or misread (issue 23): an import replaces only the kinds of file
it holds, an older file replaces nothing, and the summary says what was kept, skipped and why.

The fixtures are two small exports in ``tests/data``: ``Basic_LinkedInDataExport_11-20-2026``
(Nina Volkova: 30 messages, an invitation with a note, a recommendation; a group thread; a
conversation with someone who is not a connection; three hidden-profile rows; a profile
address that opens another site) and the 2018 layout ``Complete_LinkedInDataExport_11-04-2018``
(capital-M Messages.csv with From,To,Date,Subject,Content,Direction,Folder, ``1/8/18, 6:14 PM``
dates, ``urn:li:member`` in Email Address).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import db_snapshot, write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from backchannel.api import Backchannel
from backchannel.cli import cli
from backchannel.config import Config
from backchannel.errors import BackchannelError
from backchannel.workspace import INTERACTION_FIELDS

DATA = Path(__file__).parent / "data"
EXPORT_2026 = DATA / "Basic_LinkedInDataExport_11-20-2026"
EXPORT_2018 = DATA / "Complete_LinkedInDataExport_11-04-2018"
FILES = sorted(p.name for p in EXPORT_2026.iterdir())
#: the columns each kind of file fills (workspace.FACT_COLUMNS)
FACT_COLUMNS = {"messages": ("messages_sent", "messages_received", "conversations", "group_conversations",
                             "first_message", "last_message"),
                "invitations": ("invited_by", "invitation_note"),
                "recommendations_received": ("recommendations_received",),
                "recommendations_given": ("recommendations_given",),
                "endorsements_received": ("endorsements_received",), "endorsements_given": ("endorsements_given",)}
#: the file each kind of fact comes from
KIND_FILES = {"messages": "messages.csv", "invitations": "Invitations.csv",
              "recommendations_received": "Recommendations_Received.csv",
              "recommendations_given": "Recommendations_Given.csv",
              "endorsements_received": "Endorsement_Received_Info.csv",
              "endorsements_given": "Endorsement_Given_Info.csv"}


def run(db: Path, *args: str):
    return CliRunner().invoke(cli, ["--db", str(db), *args])


def facts_by_kind(db: Path) -> dict[str, list[tuple]]:
    """What each kind of file says of each person (by name, so ids do not matter), as the
    rest of backchannel reads it (``interactions``, whose columns each kind fills alone), with
    the co-threads (messages) and the owner's positions (Positions.csv)."""
    conn = sqlite3.connect(db)
    out: dict[str, list[tuple]] = {}
    for kind, columns in FACT_COLUMNS.items():
        some = " OR ".join(f"i.{c} IS NOT NULL" if c.endswith("_message") else f"i.{c} NOT IN (0, '')"
                           for c in columns)
        out[kind] = sorted(conn.execute(
            f"SELECT p.name, {', '.join('i.' + c for c in columns)} FROM interactions i "
            f"JOIN people p ON p.id = i.person_id WHERE {some}").fetchall())
    out["co_threads"] = sorted(conn.execute(
        "SELECT a.name, b.name, t.threads FROM co_threads t JOIN people a ON a.id = t.a JOIN people b ON b.id = t.b"
    ).fetchall())
    out["positions"] = sorted(conn.execute("SELECT company, title, started_on, finished_on FROM owner_positions"))
    conn.close()
    return out


def interactions_are_the_sum_of_facts(db: Path) -> bool:
    conn = sqlite3.connect(db)
    stored = sorted(conn.execute(f"SELECT owner_id, person_id, {', '.join(INTERACTION_FIELDS)} FROM interactions"))
    summed = sorted(conn.execute(
        f"SELECT owner_id, person_id, {', '.join(_sum(f) for f in INTERACTION_FIELDS)} FROM facts "
        "GROUP BY owner_id, person_id"))
    conn.close()
    return stored == summed


def _sum(field: str) -> str:
    return {"first_message": "MIN(first_message)", "last_message": "MAX(last_message)",
            "invited_by": "MAX(invited_by)", "invitation_note": "MAX(invitation_note)"}.get(field, f"SUM({field})")


def part_of(export: Path, names: list[str], dest: Path) -> Path:
    """A folder holding some of an export's files, under the export's own name."""
    folder = dest / export.name
    folder.mkdir(parents=True)
    for name in names:
        shutil.copy(export / name, folder / name)
    return folder


def newer_export(dest: Path) -> Path:
    """The 2026 export three weeks later: more messages with Nina, the invitations and
    recommendations changed, Dana Levi promoted, one new connection."""
    folder = dest / "Basic_LinkedInDataExport_12-11-2026"
    shutil.copytree(EXPORT_2026, folder)
    connections = (folder / "Connections.csv").read_text(encoding="utf-8")
    connections = connections.replace("Acme Group,Engineering Manager", "Acme Group,Director of Engineering")
    connections = connections.replace("Eve,Hacker", "Lena,Schmidt").replace(
        "https://evil.example\\.linkedin.com/in/eve", "https://www.linkedin.com/in/lena-schmidt")
    (folder / "Connections.csv").write_text(connections, encoding="utf-8")
    messages = (folder / "messages.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    extra = [messages[1].replace("2026-11-18 16:00:00", f"2026-12-{day:02d} 10:00:00") for day in (1, 2, 3)]
    extra.append("2-bGVuYQ==,,Lena Schmidt,https://www.linkedin.com/in/lena-schmidt,Alex Morgan,"
                 "https://www.linkedin.com/in/alex-morgan-5b1,2026-12-05 10:00:00 UTC,,hi,INBOX,No,No\n")
    (folder / "messages.csv").write_text("".join(messages[:1] + extra + messages[1:]), encoding="utf-8")
    invitations = (folder / "Invitations.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (folder / "Invitations.csv").write_text(invitations[0] + invitations[2], encoding="utf-8")
    write(folder / "Recommendations_Received.csv", "First Name,Last Name,Company,Job Title,Text,Creation Date,Status\n"
          'Dana,Levi,Acme Group,Director,"Alex ships.","12/01/26, 10:00 AM",VISIBLE\n')
    (folder / "Positions.csv").write_text("Company Name,Title,Description,Location,Started On,Finished On\n"
                                          "Acme Inc.,Staff Engineer,,,Dec 2026,\n", encoding="utf-8")
    return folder


# ---------------------------------------------------------------------------------- item 2


def test_a_resaved_connections_csv_keeps_every_message_invitation_and_recommendation(tmp_path):
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    before = _interactions(db)
    nina = _person(db, "Nina Volkova")
    assert (nina["messages"], nina["recommended_you"]) == (31, True)
    # the user opens Connections.csv in a spreadsheet and saves it: CRLF, no preamble, Excel's dates
    text = (EXPORT_2026 / "Connections.csv").read_text(encoding="utf-8").split("\n\n", 1)[1]
    resaved = write(tmp_path / "resaved" / "Connections.csv", text.replace(" Jan 2018", "-Jan-18").replace("\n", "\r\n"))
    result = run(db, "import", "linkedin", str(resaved))
    assert result.exit_code == 0, result.output
    nina = _person(db, "Nina Volkova")
    assert (nina["messages"], nina["recommended_you"], nina["connected_on"]) == (31, True, "2018-01-08")
    assert _interactions(db) == before
    # every message, invitation, recommendation, endorsement and position, as the export alone gives them
    reference = tmp_path / "reference.sqlite"
    assert run(reference, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    assert facts_by_kind(db) == facts_by_kind(reference)
    assert ("messages, invitations, recommendations received, recommendations given, endorsements received, "
            "endorsements given, positions, profile: kept from the import of 25 Nov 2026 (as of 20 Nov 2026)"
            ) in result.output
    assert interactions_are_the_sum_of_facts(db)


def _interactions(db: Path) -> list[tuple]:
    conn = sqlite3.connect(db)
    rows = sorted(conn.execute(f"SELECT p.name, {', '.join('i.' + f for f in INTERACTION_FIELDS)} FROM interactions i "
                               "JOIN people p ON p.id = i.person_id"))
    conn.close()
    return rows


def _person(db: Path, name: str) -> dict:
    with Backchannel(db, config=Config()) as app:
        row = next(r for r in app.people().to_records() if r["name"] == name)
        person = next(p for p in app.workspace.connections() if p["name"] == name)
    return {**row, "recommended_you": bool(person["recommendations_received"])}


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.sets(st.sampled_from(FILES), min_size=1).filter(lambda part: part != {"Skills.csv"}))
def test_importing_any_part_of_an_export_leaves_every_fact_of_the_other_files_unchanged(tmp_path_factory, part):
    """The property of issue 23: after the whole export, import any subset of a newer one's
    files; every fact of the kinds not in the subset is exactly as the whole export left it,
    and the kinds in it are the newer file's."""
    work = tmp_path_factory.mktemp("part")
    db = work / "ws.sqlite"
    newer = newer_export(work / "newer")
    with Backchannel(db, config=Config()) as app:
        app.import_linkedin(EXPORT_2026)
        before = facts_by_kind(db)
        people_before = {r["name"] for r in app.workspace.connections()}
        app.import_linkedin(part_of(newer, sorted(part), work / "part"))
        after = facts_by_kind(db)
        people_after = {r["name"]: r for r in app.workspace.connections()}
    for kind, file in KIND_FILES.items():
        if file not in part:
            assert after[kind] == before[kind], kind
    if "messages.csv" not in part:
        assert after["co_threads"] == before["co_threads"]
    if "Positions.csv" not in part:
        assert after["positions"] == before["positions"]
    else:
        assert after["positions"] == [("Acme Inc.", "Staff Engineer", "2026-12-01T00:00:00", None)]
    if "messages.csv" in part:
        nina = next(f for f in after["messages"] if f[0] == "Nina Volkova")
        assert nina[1] == 19  # three more sent since
    assert people_before <= set(people_after)  # nobody is ever lost
    assert (people_after["Dana Levi"]["position"] == "Director of Engineering") == ("Connections.csv" in part)
    assert interactions_are_the_sum_of_facts(db)


def test_an_older_export_replaces_nothing_and_says_so(tmp_path):
    db = tmp_path / "ws.sqlite"
    newer = newer_export(tmp_path)
    assert run(db, "import", "linkedin", str(newer)).exit_code == 0
    before = facts_by_kind(db)
    result = run(db, "import", "linkedin", str(EXPORT_2026))
    assert result.exit_code == 0, result.output
    assert facts_by_kind(db) == before
    assert _person(db, "Dana Levi")["position"] == "Director of Engineering"  # the newer company and position stay
    assert ("connections: Connections.csv is as of 20 Nov 2026, older than the one from the import of 25 Nov 2026 "
            "(as of 11 Dec 2026): people it adds are added; the companies and positions you have are kept "
            "(1 person it names differently)") in result.output
    assert ("messages: messages.csv is as of 20 Nov 2026, older than the one from the import of 25 Nov 2026 "
            "(as of 11 Dec 2026): the messages you have are kept") in result.output
    # and the other way round, the newer export supersedes the older
    db2 = tmp_path / "ws2.sqlite"
    assert run(db2, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    assert run(db2, "import", "linkedin", str(newer)).exit_code == 0
    assert facts_by_kind(db2) == before
    assert _person(db2, "Dana Levi")["position"] == "Director of Engineering"


def test_an_older_lone_connections_csv_adds_people_but_never_overwrites_newer_ones(tmp_path):
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(newer_export(tmp_path))).exit_code == 0
    old = write(tmp_path / "old" / "Connections.csv",
                "First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
                "Dana,Levi,https://www.linkedin.com/in/dana-levi,,Initech,Intern,05 Jun 2024\n"
                "Omar,Haddad,https://www.linkedin.com/in/omar-haddad,,Initech,Engineer,05 Jun 2019\n")
    result = run(db, "import", "linkedin", str(old))
    assert result.exit_code == 0, result.output
    dana = _person(db, "Dana Levi")
    assert (dana["company"], dana["position"], dana["messages"]) == ("Acme Group", "Director of Engineering", 1)
    assert _person(db, "Omar Haddad")["company"] == "Initech"  # a new person is added


def test_logged_touches_interviews_and_notes_are_never_touched_by_an_import(tmp_path):
    db = tmp_path / "ws.sqlite"
    interviews = write(tmp_path / "iv.csv", "company,date,role,name,notes\n"
                       "Acme Group,2026-11-24T14:00-05:00,interviewer,Dana Levi,private: asked about the ledger\n"
                       "Acme Group,2026-11-24T14:00-05:00,referrer,Sam Cole,\n")
    assert run(db, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    assert run(db, "import", "interviews", str(interviews)).exit_code == 0
    assert run(db, "done", "sam-cole/thanks", "--at", "2026-11-24T20:00").exit_code == 0
    keep = ("interviews", "interview_people", "interview_mutuals", "touch_events", "ring_proposals")
    before = {t: v for t, v in db_snapshot(db).items() if t in keep}
    for part in (["Connections.csv"], ["messages.csv", "Invitations.csv"], FILES):
        assert run(db, "import", "linkedin", str(part_of(newer_export(tmp_path / str(len(part))), part,
                                                         tmp_path / f"p{len(part)}"))).exit_code == 0
        assert {t: v for t, v in db_snapshot(db).items() if t in keep} == before


def test_a_part_without_connections_needs_them_imported_first(tmp_path):
    db = tmp_path / "ws.sqlite"
    messages = part_of(EXPORT_2026, ["messages.csv"], tmp_path)
    result = run(db, "import", "linkedin", str(messages))
    assert result.exit_code != 0 and "Traceback" not in result.output
    assert "no Connections.csv here, and none of yours imported before" in result.output
    assert len([line for line in result.output.splitlines() if line.strip()]) == 1
    # after the export, messages.csv alone (even a lone file) replaces the messages only
    assert run(db, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    before = facts_by_kind(db)
    lone = shutil.copy(newer_export(tmp_path / "n") / "messages.csv", tmp_path / "messages.csv")
    result = run(db, "import", "linkedin", str(lone))
    assert result.exit_code == 0, result.output
    after = facts_by_kind(db)
    assert [f for f in after["messages"] if f[0] == "Nina Volkova"][0][1] == 19
    assert {k: v for k, v in after.items() if k not in ("messages", "co_threads")} == \
        {k: v for k, v in before.items() if k not in ("messages", "co_threads")}


def test_bad_input_is_one_line_naming_the_file_and_line_and_changes_nothing(tmp_path):
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(EXPORT_2026)).exit_code == 0
    before = db_snapshot(db)
    broken = part_of(EXPORT_2026, ["Connections.csv", "Invitations.csv"], tmp_path)
    (broken / "messages.csv").write_text(
        (EXPORT_2026 / "messages.csv").read_text(encoding="utf-8").replace('"hello"', '"hello').replace(
            ",hello,", ',"hello,'), encoding="utf-8")
    result = run(db, "import", "linkedin", str(broken))
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert result.exit_code != 0 and len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "messages.csv" in lines[0] and ("line " in lines[0] or "row " in lines[0])
    assert db_snapshot(db) == before


# ---------------------------------------------------------------------------------- item 6


def test_the_import_names_every_row_it_skipped_and_says_who_has_messages(tmp_path):
    result = run(tmp_path / "ws.sqlite", "import", "linkedin", str(EXPORT_2026))
    assert result.exit_code == 0
    out = result.output
    assert "skipped 3 rows: hidden profile (no name and no profile address): Connections.csv lines 6, 10, 13" in out
    assert ("skipped 1 row: a profile address that is not LinkedIn's (a browser would open another site): "
            "Connections.csv line 5") in out
    assert "skipped 1 row: message draft: messages.csv row 35" in out
    assert ("messages: 2 of your 5 connections have messages; 1 conversation was with 1 person who is not a "
            "connection (not kept)") in out


def test_many_skipped_rows_are_listed_up_to_a_cap(tmp_path):
    rows = "".join(f",,,,,,{day:02d} Jun 2026\n" for day in range(1, 26))
    export = write(tmp_path / "Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,"
                   "Connected On\nJane,Roe,https://www.linkedin.com/in/jane,,Acme,CTO,05 Jun 2026\n" + rows)
    out = run(tmp_path / "ws.sqlite", "import", "linkedin", str(export)).output
    listed = ", ".join(str(n) for n in range(3, 23))
    assert f"skipped 25 rows: hidden profile (no name and no profile address): Connections.csv lines {listed} " \
           "and 5 more" in out


def test_a_line_over_a_thousand_is_written_as_people_read_it(tmp_path):
    rows = "".join(f"P,N{i},https://www.linkedin.com/in/p{i},,Acme,CTO,05 Jun 2026\n" for i in range(2100))
    export = write(tmp_path / "Connections.csv", "First Name,Last Name,URL,Email Address,Company,Position,"
                   "Connected On\n" + rows + ",,,,,,05 Jun 2026\n")
    assert "Connections.csv line 2,102" in run(tmp_path / "ws.sqlite", "import", "linkedin", str(export)).output


# ---------------------------------------------------------------------------------- the 2018 layout


def test_the_2018_layout_reads_names_dates_messages_and_no_member_id_as_an_email(tmp_path):
    db = tmp_path / "ws.sqlite"
    result = run(db, "import", "linkedin", str(EXPORT_2018))
    assert result.exit_code == 0, result.output
    assert "Imported your export from" in result.output and "(as of 4 Nov 2018)" in result.output
    people = {p["name"]: p for p in json.loads(run(db, "people", "--format", "json").output)}
    assert set(people) == {"Nina Volkova", "Omar Haddad", "Zoë Quinn", "Marco Rossi, PhD"}
    assert people["Nina Volkova"]["email"] == "" and people["Zoë Quinn"]["email"] == ""  # urn:li:member is no email
    assert people["Omar Haddad"]["email"] == "omar.haddad@initech.example"
    assert people["Nina Volkova"]["connected_on"] == "2018-01-08"  # "1/8/18, 6:14 PM"
    assert people["Nina Volkova"]["messages"] == 3 and people["Marco Rossi, PhD"]["messages"] == 1
    assert "urn:li" not in json.dumps(people)
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT COUNT(*) FROM people WHERE email LIKE '%urn:li%'").fetchone()[0] == 0
    conn.close()
    with Backchannel(db, config=Config()) as app:
        nina = next(r for r in app.workspace.connections() if r["name"] == "Nina Volkova")
        assert (nina["invited_by"], nina["invitation_note"], nina["recommendations_received"]) == ("owner", 1, 1)
        assert nina["last_message"] == "2018-10-30T16:02:00"
        assert app.workspace.self_owner()["name"] == "Alex Morgan"
    # the same export again: nobody twice (a member id keys a person the way an email does)
    assert "people: 0 added, 0 updated, 4 unchanged" in run(db, "import", "linkedin", str(EXPORT_2018)).output


def test_a_2018_export_then_a_2026_one_merge_and_keep_the_old_messages(tmp_path):
    db = tmp_path / "ws.sqlite"
    assert run(db, "import", "linkedin", str(EXPORT_2018)).exit_code == 0
    result = run(db, "import", "linkedin", str(EXPORT_2026))
    assert result.exit_code == 0, result.output
    nina = _person(db, "Nina Volkova")
    # merged by name and company; the newer messages.csv supersedes the 2018 Messages.csv (a newer file of a
    # kind holds all of its history), while the 2018 Recommendations_Received.csv's kind is replaced too
    assert nina["profile_url"] == "https://www.linkedin.com/in/nina-volkova-1" and nina["messages"] == 31
    marco = _person(db, "Marco Rossi, PhD")  # only 2018 knew him: kept as a connection
    assert (marco["messages"], marco["company"]) == (0, "Acme, Inc.")


# ---------------------------------------------------------------------------------- schema 2 -> 3


def test_a_schema_2_workspace_is_migrated_keeping_everything(tmp_path):
    """``workspace-v2.sqlite`` was made by backchannel at dd1ed33 (schema 2): the 2018 fixture,
    then the 2026 one imported, the interviews file of the test above, and two touches done."""
    db = tmp_path / "ws.sqlite"
    shutil.copy(DATA / "workspace-v2.sqlite", db)
    old = sqlite3.connect(db)
    interactions = sorted(old.execute("SELECT * FROM interactions"))
    events = sorted(old.execute("SELECT * FROM touch_events"))
    notes = sorted(old.execute("SELECT interview_id, slug, notes FROM interview_people"))
    old.close()
    with Backchannel(db, config=Config()) as app:
        assert app.workspace._one("PRAGMA user_version") == 3
        rows = {r["name"]: r for r in app.workspace.connections()}
    conn = sqlite3.connect(db)
    assert sorted(conn.execute("SELECT * FROM interactions")) == interactions
    # every event kept as it was, logged by hand (schema 3 adds where an event came from)
    assert sorted(conn.execute("SELECT * FROM touch_events")) == [(*e, "hand", None) for e in events]
    assert sorted(conn.execute("SELECT interview_id, slug, notes FROM interview_people")) == notes
    conn.close()
    assert interactions_are_the_sum_of_facts(db)
    assert rows["Marco Rossi, PhD"]["email"] == "" and rows["Zoë Quinn"]["email"] == ""
    assert rows["Eve Hacker"]["profile_url"] == ""  # https://evil.example\.linkedin.com/in/eve
    assert rows["Dana Levi"]["company_key"] == "acme group" and rows["Sam Cole"]["company_key"] == "acme"
    # after the migration a re-saved Connections.csv keeps Nina's messages
    text = (EXPORT_2026 / "Connections.csv").read_text(encoding="utf-8")
    result = run(db, "import", "linkedin", str(write(tmp_path / "resaved" / "Connections.csv", text)))
    assert result.exit_code == 0, result.output
    assert _person(db, "Nina Volkova")["messages"] == 31
    assert "messages, invitations" in result.output and "kept from the import of 25 Nov 2026" in result.output
    # and the old export's people are still one each (their keys follow today's rules)
    assert "people: 0 added" in run(db, "import", "linkedin", str(EXPORT_2018)).output


def test_an_import_error_before_any_export_leaves_the_workspace_empty(tmp_path):
    with Backchannel(tmp_path / "ws.sqlite", config=Config()) as app:
        with pytest.raises(BackchannelError, match="no Connections.csv here"):
            app.import_linkedin(part_of(EXPORT_2026, ["Invitations.csv"], tmp_path))
        assert app.workspace.counts() == {"owners": 0, "people": 0, "connections": 0, "interactions": 0,
                                          "interviews": 0, "touch_events": 0}


def test_conversations_with_people_who_are_not_connections_are_counted_plainly(tmp_path):
    folder = part_of(EXPORT_2026, FILES, tmp_path)
    with open(folder / "messages.csv", "a", encoding="utf-8") as messages:
        for who in ("ann-other", "bob-other"):
            messages.write(f"2-{who}==,,Someone,https://www.linkedin.com/in/{who},Alex Morgan,"
                           "https://www.linkedin.com/in/alex-morgan-5b1,2026-10-03 09:00:00 UTC,,hi,INBOX,No,No\n")
        # a group thread with a connection in it is a conversation with a connection
        messages.write("2-mixed==,,Alex Morgan,https://www.linkedin.com/in/alex-morgan-5b1,\"A,B\","
                       "\"https://www.linkedin.com/in/cat-other,https://www.linkedin.com/in/dana-levi\","
                       "2026-10-04 09:00:00 UTC,,hi,INBOX,No,No\n")
    out = run(tmp_path / "ws.sqlite", "import", "linkedin", str(folder)).output
    assert ("messages: 2 of your 5 connections have messages; 3 conversations were with 3 people who are not "
            "connections (not kept)") in out
