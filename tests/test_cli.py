"""The command line, driven through click's CliRunner: exit codes and output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import HEADER_2024, INTERVIEW_ID, PREAMBLE, db_snapshot, write

from backchannel.cli import cli

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
    assert "ambiguous: Dana Whitfield (mutual of Jane Roe) could be Dana Whitfield (Hooli); Dana Whitfield" in out


def test_interviews_and_people(loaded):
    rows = json.loads(loaded("interviews", "--format", "json").output)
    assert rows[0]["interview"] == INTERVIEW_ID and rows[0]["status"] == "open"
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
    assert {"id", "interview", "kind", "person", "due_from", "due_by", "status", "done_at"} <= set(plan[0])
    due = json.loads(loaded("due", "--at", "2026-11-25T10:00:00-05:00", "--format", "json").output)
    assert due and {r["status"] for r in due} <= {"due", "overdue"}
    touch = f"{INTERVIEW_ID}/thank-you-email/jane-roe"
    out = loaded("done", touch, "--at", "2026-11-24T20:00:00-05:00", "--next", "2026-11-27T09:00:00-05:00").output
    assert f"Next contact: {INTERVIEW_ID}/check-in/jane-roe-1 on 2026-11-27T09:00-05:00" in out
    draft = loaded("draft", f"{INTERVIEW_ID}/check-in/jane-roe-1", "--at", "2026-11-27T09:00:00-05:00").output
    assert "I'll check in on Tuesday, December 1." in draft
    ics = tmp_path / "plan.ics"
    result = loaded("plan", "--ics", ics, "--at", "2026-11-25T10:00:00-05:00")
    assert ics.read_bytes().startswith(b"BEGIN:VCALENDAR")
    out = loaded("close", INTERVIEW_ID, "--outcome", "offer").output
    assert f"Closed {INTERVIEW_ID} (offer)" in out
    assert loaded("due", "--format", "json").output.strip() == "[]"
    del result


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
    (["draft", "nope/thank-you-email/x"], "Error: unknown interview 'nope'"),
    (["done", f"{INTERVIEW_ID}/thank-you-email/nobody"], "Error: unknown touch"),
    (["plan", "--at", "yesterday"], "Error: 'yesterday' is not an ISO 8601"),
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
    assert len(commands) == 13
    for name, command in commands.items():
        assert command.help and "Example:" in command.help, name


def test_every_command_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name in ["import linkedin", "import interviews", "interviews", "people", "rank", "map", "plan", "due",
                 "done", "draft", "close", "reconnect", "demo"]:
        assert f"backchannel {name}" in readme, name


def test_help_does_not_import_heavy_libraries():
    code = ("import sys; from backchannel.cli import cli\n"
            "try:\n    cli(['--help'], prog_name='backchannel')\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('pandas', 'networkx', 'pyvis', 'rich', 'jinja2') if m in sys.modules))")
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
    for name in ("workspace.sqlite", "map.html", "network.html", "follow-ups.ics"):
        assert (demo / name).exists(), name
    assert "Who can put in a good word" in result.output and "Chris Lee" in result.output
    assert "Try next:" in result.output


def test_rank_before_any_export_says_what_to_do(run, sample_interviews):
    run("import", "interviews", sample_interviews)
    result = run("rank", INTERVIEW_ID)
    assert "import your export first (backchannel import linkedin PATH)" in result.output
