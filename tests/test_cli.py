"""The command line, driven through click's CliRunner: exit codes and output."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER_2024, INTERVIEW_ID, PREAMBLE, db_snapshot, write

from backchannel.cli import cli
from backchannel.errors import BackchannelError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def run(tmp_path):
    db = tmp_path / "cli.sqlite"

    def invoke(*args, ok=True):
        result = CliRunner().invoke(cli, ["--db", str(db), *map(str, args)], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    invoke.db = db
    return invoke


@pytest.fixture
def loaded(run, sample_zip, sample_interviews):
    run("import", "linkedin", sample_zip)
    run("import", "interviews", sample_interviews)
    return run


def test_import_linkedin_summary(run, sample_zip):
    out = run("import", "linkedin", sample_zip).output
    assert "people: 400 added, 0 updated, 0 unchanged" in out
    assert "skipped 2 rows: hidden profile (no name and no profile address)" in out
    assert "skipped 1 row: exact duplicate row" in out
    assert "files ignored (nothing we use): 2" in out
    again = run("import", "linkedin", sample_zip).output
    assert "people: 0 added, 0 updated, 400 unchanged" in again


def test_import_interviews_reports_ambiguity(run, sample_zip, sample_interviews):
    run("import", "linkedin", sample_zip)
    out = run("import", "interviews", sample_interviews).output
    assert f"Imported 1 interview with 4 people: {INTERVIEW_ID}" in out
    assert "Dana Whitfield (mutual of Jane Roe): could be Dana Whitfield (Hooli); Dana Whitfield" in out
    assert "Jane Roe (interviewer): matched by name and company" in out
    assert "Sam Patel (hiring-manager): matched by profile address" in out


def test_interviews_and_people(loaded):
    rows = json.loads(loaded("interviews", "--format", "json").output)
    assert rows[0]["interview"] == INTERVIEW_ID and rows[0]["status"] == "open"
    listed = loaded("interviews").output  # the table: the time in words, in your zone (UTC here)
    assert f"{INTERVIEW_ID}  Acme Corp.  Tue 24 Nov 19:00" in listed and "2026-11-24T" not in listed
    people = json.loads(loaded("people", "--company", "acme corporation", "--format", "json").output)
    assert {"name", "profile_url", "company", "position", "connected_on", "strength"} <= set(people[0])
    assert {p["company"] for p in people} == {"Acme Corp.", "ACME Corporation", "Acme"}
    assert [p["strength"] for p in people] == sorted((p["strength"] for p in people), reverse=True)
    table = loaded("people", "josé pérez").output
    assert "José Pérez" in table and "Globex" in table


def test_rank_formats(loaded):
    rows = json.loads(loaded("rank", INTERVIEW_ID, "--top", "3", "--format", "json").output)
    assert [r["rank"] for r in rows] == [1, 2, 3]
    assert set(rows[0]) == {"rank", "name", "profile_url", "company", "position", "score", "reasons", "bridges_to",
                            "action"}
    assert rows[0]["name"] == "Chris Lee" and isinstance(rows[0]["reasons"], list)
    table = loaded("rank", INTERVIEW_ID, "--top", "3").output
    assert "Chris Lee" in table and "referred you to Acme Corp." in table
    text = loaded("rank", "--company", "ACME", "--format", "csv").output
    header = next(csv.reader(io.StringIO(text)))
    assert header == ["rank", "name", "profile_url", "company", "position", "score", "reasons", "bridges_to", "action"]


def test_rank_company_without_connections_hints_a_search_link(loaded):
    result = loaded("rank", "--company", "Nonexistent Widgets")
    assert "linkedin.com/search/results/people/?keywords=Nonexistent%20Widgets&network=%5B%22S%22%5D" in result.output


def test_plan_due_done_draft_close(loaded, tmp_path):
    plan = json.loads(loaded("plan", INTERVIEW_ID, "--at", "2026-11-25T10:00:00-05:00", "--format", "json").output)
    assert {"id", "handle", "interview", "kind", "person", "due_from", "due_by", "status", "done_at", "replied_at",
            "next_contact"} <= set(plan[0])
    due = json.loads(loaded("due", "--at", "2026-11-25T10:00:00-05:00", "--format", "json").output)
    assert due and {r["status"] for r in due} <= {"due", "overdue"}
    draft = json.loads(loaded("draft", "jane-roe/email", "--at", "2026-11-24T19:00:00-05:00", "--format", "json").output)
    assert set(draft) == {"id", "to", "email", "subject", "body", "next_contact", "language"}
    assert draft["next_contact"] == "2026-11-26T10:00:00-05:00" and draft["language"] == "en"
    assert "I'll check in with the team on Thursday, November 26." in draft["body"]
    out = loaded("done", "jane-roe/email", "--at", "2026-11-24T20:00:00-05:00").output
    assert "Next contact: Thu 26 Nov 15:00 UTC (check-in: jane-roe/check-in-1)" in out  # the draft's date, in UTC here
    draft = loaded("draft", "jane-roe/check-in-1", "--at", "2026-11-26T10:00:00-05:00").output
    assert "I'll check in on Thursday, December 3." in draft  # backing off: five business days
    ics = tmp_path / "plan.ics"
    loaded("plan", "--ics", ics, "--at", "2026-11-25T10:00:00-05:00")
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    loaded("done", "omar-haddad/back-channel", "--at", "2026-11-25T15:00:00-05:00")
    out = loaded("close", INTERVIEW_ID, "--outcome", "offer", "--at", "2026-12-01T10:00:00-05:00").output
    assert f"Closed {INTERVIEW_ID} (offer)" in out and "new: omar-haddad/news" in out
    assert "still to do: chris-lee/thanks (Thank the referrer: Chris Lee) (its draft now gives them the news)" in out
    due = json.loads(loaded("due", "--at", "2026-12-01T11:00:00-05:00", "--format", "json").output)
    assert {r["handle"] for r in due} == {"chris-lee/thanks", "omar-haddad/news"}
    thanks = loaded("draft", "chris-lee/thanks", "--at", "2026-12-01T11:00:00-05:00").output
    assert "they made me an offer" in thanks and "as soon as I hear back" not in thanks
    # a rejection after all adds the keep-in-touch; withdrawing then takes it back, and says so,
    # while the referrer and the back channel still hear it from you, now as a withdrawal
    out = loaded("close", INTERVIEW_ID, "--outcome", "rejected", "--change", "--at", "2026-12-01T11:30:00-05:00").output
    assert "new: sam-patel/keep-in-touch" in out
    out = loaded("close", INTERVIEW_ID, "--outcome", "withdrawn", "--change", "--at", "2026-12-01T12:00:00-05:00").output
    assert f"Closed {INTERVIEW_ID} (withdrawn); cancelled 1 open touch." in out
    due = json.loads(loaded("due", "--at", "2026-12-01T13:00:00-05:00", "--format", "json").output)
    assert {r["handle"] for r in due} == {"chris-lee/thanks", "omar-haddad/news"}
    news = loaded("draft", "omar-haddad/news", "--at", "2026-12-01T13:00:00-05:00").output
    assert "I've decided to withdraw from the process" in news and "offer" not in news
    thanks = loaded("draft", "chris-lee/thanks", "--at", "2026-12-01T13:00:00-05:00").output
    assert "hear it from me first: I've decided to withdraw" in thanks and "offer" not in thanks


def test_reconnect(loaded):
    rows = json.loads(loaded("reconnect", "--top", "2", "--format", "json").output)
    assert len(rows) == 2 and rows[0]["name"] == "José Pérez"


def test_map_writes_one_file(loaded, tmp_path):
    out = tmp_path / "m.html"
    result = loaded("map", INTERVIEW_ID, "-o", out)
    assert "Wrote" in result.output and out.stat().st_size > 100_000
    assert not (tmp_path / "lib").exists()


@pytest.mark.parametrize("args, message", [
    (["rank", "nope"], "Error: unknown interview 'nope'"),
    (["draft", "nope/thank-you-email/x"], "Error: unknown touch 'nope/thank-you-email/x'"),
    (["done", f"{INTERVIEW_ID}/thank-you-email/nobody"], "Error: unknown touch"),
    (["plan", "--at", "yesterday"], "Error: --at: 'yesterday' is not a date"),
    (["rank"], "Error: name an interview, or a company with --company"),
    (["map", "-o", "x.html"], "Error: name an interview, a company with --company, or use --all"),
])
def test_errors_are_one_line_and_non_zero(loaded, args, message):
    before = db_snapshot(loaded.db)
    result = loaded(*args, ok=False)
    assert result.exit_code != 0
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(message), result.output
    assert "Traceback" not in result.output
    assert db_snapshot(loaded.db) == before


@pytest.mark.parametrize("content", [b"\x00\xff" * 500, b"CONVERSATION ID,FROM,TO,DATE\n", b"random words\n" * 50])
def test_bad_export_is_one_line_and_leaves_workspace(loaded, tmp_path, content):
    before = db_snapshot(loaded.db)
    bad = tmp_path / "Connections.csv"
    bad.write_bytes(content)
    result = loaded("import", "linkedin", bad, ok=False)
    assert result.exit_code == 1
    assert len(result.output.strip().splitlines()) == 1 and str(bad) in result.output
    assert db_snapshot(loaded.db) == before


def test_csv_output_neutralises_formulas_and_terminal_output_is_inert(run, tmp_path):
    hostile = write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024 +
                    '=HYPERLINK("http://evil.example"),-2+3,https://www.linkedin.com/in/evil,,@SUM(A1),+cmd,05 Jun 2026\n'
                    '"\x1b[31mRed\x1b[0m",Name,https://www.linkedin.com/in/red,,"\x1b]0;pwned\x07Acme",Engineer,05 Jun 2026\n')
    run("import", "linkedin", hostile)
    rows = list(csv.reader(io.StringIO(run("people", "--format", "csv").output)))
    cells = {c for row in rows[1:] for c in row}
    assert "'=HYPERLINK(\"http://evil.example\") -2+3" in cells
    assert "'@SUM(A1)" in cells and "'+cmd" in cells
    assert not any(c.startswith(("=", "+", "-", "@")) for c in cells)
    table = run("people").output
    assert "\x1b" not in table and "\x07" not in table
    assert "\\x1b[31mRed" in table


def test_every_command_has_a_docstring_with_an_example():
    import click

    def walk(group, prefix=""):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}", command

    commands = dict(walk(cli))
    assert len(commands) == 22
    for name, command in commands.items():
        assert command.help and "Example:" in command.help, name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    import click

    def walk(group, prefix=""):
        for name, command in group.commands.items():
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}"

    for name in walk(cli):
        assert f"backchannel {name}" in readme, name


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from backchannel.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='backchannel')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'networkx', 'pyvis', 'rich', 'jinja2', 'babel', 'holidays', 'pyarrow')"
            " if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "[]"


def test_python_dash_m_and_version():
    out = subprocess.run([sys.executable, "-m", "backchannel", "--version"], capture_output=True, text=True)
    assert out.returncode == 0 and "version" in out.stdout


def test_db_from_environment(tmp_path, sample_zip, monkeypatch):
    db = tmp_path / "env.sqlite"
    monkeypatch.setenv("BACKCHANNEL_DB", str(db))
    result = CliRunner().invoke(cli, ["import", "linkedin", str(sample_zip)])
    assert result.exit_code == 0 and db.exists()


def test_demo_runs_in_a_fresh_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(cli, ["demo"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    demo = tmp_path / "backchannel-demo"
    for name in ("workspace.sqlite", "map.html", "network.html", "report.html", "follow-ups.ics"):
        assert (demo / name).exists(), name
    assert "Who can put in a good word" in result.output and "Chris Lee" in result.output
    assert "What to do today" in result.output and "A draft, ready to send" in result.output
    assert "Try next:" in result.output and "--lang ru" in result.output


def test_rank_before_any_export_says_what_to_do(run, sample_interviews):
    run("import", "interviews", sample_interviews)
    result = run("rank", INTERVIEW_ID)
    assert "import your export first (backchannel import linkedin PATH)" in result.output


def test_help_lists_commands_in_the_order_of_the_evening():
    out = CliRunner().invoke(cli, ["--help"]).output
    assert "Start here: backchannel demo" in out
    listed = [line.split()[0] for line in out.split("Commands:")[1].strip().splitlines()]
    assert listed[:4] == ["demo", "import", "interview", "interviews"]
    assert listed.index("today") < listed.index("draft") < listed.index("done") < listed.index("close")


def test_interview_add_edit_person_without_a_csv(run, sample_zip):
    run("import", "linkedin", sample_zip)
    ambiguous = run("interview", "add", "--company", "Globex", "--date", "12/01/2026 15:00", "--interviewer", "X", ok=False)
    assert "could be day-first or month-first" in ambiguous.output and ambiguous.exit_code == 1
    out = run("interview", "add", "--company", "Globex", "--date", "12/15/2026 15:00", "--interviewer", "Aisha Okafor",
              "--hiring-manager", "https://www.linkedin.com/in/josé-pérez-123", "--referrer", "Omar Haddad",
              "--position", "Data Engineer").output
    assert "Added globex-2026-12-15 with 3 people." in out
    assert "Aisha Okafor (interviewer): matched by name and company" in out
    assert "matched by profile address to José Pérez" in out
    out = run("interview", "person", "globex-2026-12-15", "Aisha Okafor", "--email", "aisha@globex.example",
              "--interests", "chess; jazz", "--topic", "streaming joins").output
    assert "Updated Aisha Okafor" in out
    run("interview", "edit", "globex-2026-12-15", "--discreet", "--language", "ru")
    interview = json.loads(run("interviews", "--format", "json").output)[0]
    assert interview["discreet"] and interview["position"] == "Data Engineer"
    draft = json.loads(run("draft", "aisha-okafor/email", "--at", "2026-12-01T18:00", "--format", "json").output)
    assert draft["language"] == "ru" and draft["email"] == "aisha@globex.example" and "streaming joins" in draft["body"]
    plan = json.loads(run("plan", "globex-2026-12-15", "--format", "json", "--at", "2026-12-02T09:00").output)
    assert "aisha-okafor/casual-1" in {t["handle"] for t in plan}


def test_interview_add_refuses_missing_values_when_not_on_a_terminal(run):
    result = run("interview", "add", "--date", "2026-12-01", "--interviewer", "X", ok=False)
    assert result.exit_code == 1 and result.output.strip() == "Error: --company is required"


def test_interview_add_asks_on_a_terminal(tmp_path):
    pexpect = pytest.importorskip("pexpect")
    child = pexpect.spawn(sys.executable, ["-m", "backchannel", "--db", str(tmp_path / "ws.sqlite"), "interview",
                                           "add"], encoding="utf-8", timeout=30)
    child.expect("Company: ")
    child.sendline("Acme Corp.")
    child.expect(r"Date and time")
    child.sendline("03/04/2026 10:00")  # ambiguous: said at once, and asked again
    child.expect("could be day-first or month-first")
    child.expect(r"Date and time")
    child.sendline("2026-11-24 14:00")
    child.expect("Interviewer")
    child.sendline("Jane Roe")
    child.expect("role")
    child.sendline("")
    child.expect("Interviewer")
    child.sendline("")
    child.expect("Added acme-corp-2026-11-24 with 1 person.")
    child.expect(pexpect.EOF)


def test_short_handles_and_ambiguity(loaded):
    loaded("interview", "add", "--company", "Globex", "--date", "2026-12-01 15:00", "--interviewer", "Jane Roe")
    result = loaded("draft", "jane-roe/email", ok=False)
    assert result.output.strip() == ("Error: 'jane-roe/email' fits several touches: acme-corp-2026-11-24/jane-roe/email, "
                                     "globex-2026-12-01/jane-roe/email; say which")
    assert "Dear Jane" in loaded("draft", "globex-2026-12-01/jane-roe/email").output
    assert "Dear Sam" in loaded("draft", "thank-you-email/sam-patel").output  # any unique end of the id
    # a table lists only Acme's email as due, yet names it so that `draft` takes it
    due = loaded("due", "--at", "2026-11-25T10:00:00-05:00").output
    assert "acme-corp-2026-11-24/jane-roe/email" in due and "globex" not in due
    assert "Dear Jane" in loaded("draft", "acme-corp-2026-11-24/jane-roe/email").output


def test_an_email_that_is_not_an_address_is_refused(loaded, tmp_path):
    result = loaded("interview", "person", INTERVIEW_ID, "Jane Roe", "--email", "javascript:alert(1)//@x", ok=False)
    assert result.exit_code == 1 and "--email: email 'javascript:alert(1)//@x' is not an email address" in result.output
    iv = write(tmp_path / "iv.csv", "company,date,role,name,email\nAcme,2026-11-24,interviewer,A B,not-an-address\n")
    result = loaded("import", "interviews", iv, ok=False)
    assert result.exit_code == 1 and "iv.csv, line 2: email 'not-an-address' is not an email address" in result.output


def test_editing_the_company_shows_the_matches_again(loaded):
    out = loaded("interview", "edit", INTERVIEW_ID, "--company", "Hooli").output
    assert "Jane Roe (interviewer): not matched; a connection of that name is at another company" in out
    out = loaded("interview", "edit", INTERVIEW_ID, "--company", "Acme Corp.").output
    assert "Jane Roe (interviewer): matched by name and company" in out


def test_today_lists_what_to_do_across_interviews_with_handles_that_work(loaded):
    loaded("interview", "add", "--company", "Globex", "--date", "2026-11-24 16:00", "--interviewer", "Jane Roe",
           "--interviewer", "Ann Bell")
    result = loaded("today", "--at", "2026-11-25T10:00:00-05:00")
    lines = result.stdout.splitlines()
    handles = [line.split()[0] for line in lines[1:] if line and not line.startswith(" ")]
    assert "acme-corp-2026-11-24/jane-roe/email" in handles and "globex-2026-11-24/jane-roe/email" in handles
    assert "ann-bell/email" in handles  # unique across interviews: short
    assert "Ann Bell (globex-2026-11-24)" in result.stdout  # which interview, when the handle does not say
    for handle in handles:
        assert loaded("draft", handle, "--at", "2026-11-25T10:00:00-05:00").exit_code == 0, handle
    assert f"Draft one: backchannel draft {handles[0]}\nLog it:    backchannel done {handles[0]}" in result.output


def test_tables_fit_eighty_columns_and_show_human_times(loaded):
    import re
    from datetime import datetime

    from backchannel.api import Backchannel
    from backchannel.output import human_touch, render

    at = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    with Backchannel(loaded.db, create=False) as app:
        rows = [human_touch(t, app.zone(), at, handle=t.handle) for t in app.plan(at=at)]
    text = render(rows, "table", ["handle", "person", "when", "state"], width=80, no_wrap={"handle", "when"})
    assert max(len(line) for line in text.splitlines()) <= 80
    assert "marco-rossi-phd/back-channel" in text  # never wrapped
    assert re.search(r"jane-roe/email +Jane Roe +Thu 26 Nov 19:00 +due, 1 day left", text)  # UTC here, in words
    assert re.search(r"jane-roe/note +Jane Roe +after the email +waiting", text)
    assert not re.search(r"\d{4}-\d{2}-\d{2}T", text)  # no machine times in tables


def test_a_long_table_is_laid_out_as_a_short_one(loaded, monkeypatch):
    """Over LONG_TABLE_ROWS rows the table is laid out without rich (which takes a millisecond a
    cell); where rows fit, the text is the same as rich's, and it never exceeds the width."""
    from datetime import datetime

    from backchannel import output
    from backchannel.api import Backchannel
    from backchannel.output import human_touch, render

    at = datetime.fromisoformat("2026-11-25T10:00:00-05:00")
    with Backchannel(loaded.db, create=False) as app:
        rows = [human_touch(t, app.zone(), at, handle=t.handle) for t in app.plan(at=at)]
    columns, no_wrap = ["handle", "person", "when", "state"], {"handle", "when"}
    by_rich = render(rows, "table", columns, width=120, no_wrap=no_wrap)
    monkeypatch.setattr(output, "LONG_TABLE_ROWS", 0)
    assert render(rows, "table", columns, width=120, no_wrap=no_wrap) == by_rich
    wide = [{**r, "person": r["person"] + " and a very long name indeed" * 3} for r in rows]
    narrow = render(wide, "table", columns, width=80, no_wrap=no_wrap)
    lines = narrow.splitlines()
    assert max(len(line) for line in lines) <= 80
    assert all(r["handle"] in narrow for r in rows) and "Thu 26 Nov 19:00" in narrow  # never wrapped
    start, end = lines[0].index("person"), lines[0].index("when")
    blocks: list[list[str]] = []
    for line in lines[1:]:  # a row, then its continuation lines (which start blank)
        (blocks[-1].append(line) if line.startswith(" ") else blocks.append([line]))
    # each person's name folds inside its column and reads whole again (spaces aside)
    assert ["".join(line[start:end] for line in block).replace(" ", "") for block in blocks] == \
        [r["person"].replace(" ", "") for r in wide]


def test_colours_only_on_a_terminal_without_no_color(loaded, monkeypatch):
    from backchannel.output import colour_wanted, render

    class Tty:
        def isatty(self):
            return True

    assert colour_wanted(Tty()) and not colour_wanted(io.StringIO())
    monkeypatch.setenv("NO_COLOR", "1")
    assert not colour_wanted(Tty())
    rows = [{"status": "overdue"}, {"status": "due"}, {"status": "done"}]
    styles = {"status": lambda r: {"overdue": "bold red", "due": "yellow", "done": "dim"}[r["status"]]}
    coloured = render(rows, "table", ["status"], colour=True, styles=styles)
    assert "\x1b[1;31moverdue" in coloured and "\x1b[33mdue" in coloured and "\x1b[2mdone" in coloured
    assert "\x1b" not in render(rows, "table", ["status"], colour=False, styles=styles)


def test_interview_add_completes_names_from_your_connections(tmp_path, sample_zip):
    pexpect = pytest.importorskip("pexpect")
    db = str(tmp_path / "ws.sqlite")
    assert CliRunner().invoke(cli, ["--db", db, "import", "linkedin", str(sample_zip)]).exit_code == 0
    child = pexpect.spawn(sys.executable, ["-m", "backchannel", "--db", db, "interview", "add", "--company",
                                           "Initech", "--date", "2026-12-02 11:00"], encoding="utf-8", timeout=30)
    child.expect("Interviewer")
    child.send("Omar Had\t")  # tab completes the name from your connections
    child.expect("Omar Haddad")
    child.sendline("")
    child.expect("role")
    child.sendline("")
    child.expect("Interviewer")
    child.sendline("")
    child.expect("Omar Haddad \\(interviewer\\): matched by name and company")
    child.expect(pexpect.EOF)


@pytest.mark.parametrize("args", [["people", "nobody-by-this-name"], ["interviews"], ["plan"], ["due"], ["today"],
                                  ["reconnect"]])
def test_an_empty_csv_still_has_its_header(run, tmp_path, args):
    """pandas reads it (an empty CSV without a header raises EmptyDataError)."""
    import pandas as pd

    run("import", "linkedin", write(tmp_path / "Connections.csv", PREAMBLE + HEADER_2024
                                    + "Ann,Alpha,https://www.linkedin.com/in/ann,,Acme,CTO,01 Jan 2020\n"))
    text = run(*args, "--format", "csv").output
    frame = pd.read_csv(io.StringIO(text))
    assert frame.empty and len(frame.columns) >= 5


def test_shell_completion_offers_handles_and_interview_ids(loaded):
    """What bash asks for on a tab (click's completion protocol), against a real workspace."""
    env = {**os.environ, "_BACKCHANNEL_COMPLETE": "bash_complete", "COMP_WORDS": "backchannel --db "
           f"{loaded.db} draft jane-roe/", "COMP_CWORD": "4"}
    out = subprocess.run([sys.executable, "-m", "backchannel"], env=env, capture_output=True, text=True, timeout=60)
    offered = [line.split(",", 1)[1] for line in out.stdout.splitlines() if line.startswith("plain,")]
    assert "jane-roe/email" in offered and all(o.startswith("jane-roe/") for o in offered), out
    env["COMP_WORDS"], env["COMP_CWORD"] = f"backchannel --db {loaded.db} plan acme", "4"
    out = subprocess.run([sys.executable, "-m", "backchannel"], env=env, capture_output=True, text=True, timeout=60)
    assert "plain,acme-corp-2026-11-24" in out.stdout, out


def test_listings_are_one_shape_with_typed_frames(app):
    """plan, due, today, rank, people, interviews and reconnect: results with to_frame(); times
    aware in one zone, counts integers, missing values NaT or <NA> (never a mix of NaN and text)."""
    import pandas as pd

    from backchannel.results import Result

    results = [app.plan(), app.due(), app.today(), app.rank(INTERVIEW_ID), app.people(), app.interviews(),
               app.reconnect()]
    assert all(isinstance(r, Result) and repr(r).startswith("<") and len(repr(r)) < 60 for r in results)
    plan = app.plan().to_frame()
    for column in ("due_from", "due_by", "done_at", "replied_at", "next_contact"):
        assert isinstance(plan[column].dtype, pd.DatetimeTZDtype), column
    assert plan["next_contact"].isna().any() and plan["next_contact"].notna().any()
    assert pd.to_datetime(app.interviews().to_frame()["date"]).dt.tz is not None  # no "mixed timezones"
    people = app.people().to_frame()
    assert str(people["messages"].dtype) == "Int64" and isinstance(people["connected_on"].dtype, pd.DatetimeTZDtype)
    with pytest.raises(BackchannelError, match="close_interview"):
        app.close(INTERVIEW_ID)
